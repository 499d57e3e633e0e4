"""Certificates in Terraform: ACM (requested, imported, Private CA), ACM data sources, the tls provider.

Certificate bodies and truststores are read through ``mtls_lint.x509`` / ``readers.pem``,
imported lazily, so a configuration without PEM content never loads ``cryptography``.
Private keys are handed to the x509 helpers and only a ``PrivateKeyInfo`` comes back; the
key's text is never stored, logged or put in a message.
"""
from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from mtls_lint.model import (
    AMAZON,
    AMAZON_ISSUED,
    IMPORTED,
    PRIVATE,
    Certificate,
    Diagnostic,
    Fragment,
    Location,
    PemBundle,
    PrivateKeyInfo,
    Unknown,
)
from mtls_lint.arn import parse_arn
from mtls_lint.readers import ReadContext
from mtls_lint.readers.textio import parse_timestamp
from mtls_lint.readers.terraform_values import (
    KNOWN_AFTER_APPLY,
    FileContent,
    Secret,
    TfResource,
    as_text,
    as_unknown,
)

if TYPE_CHECKING:
    from mtls_lint.readers.terraform_resources import ResourceIndex

CERTIFICATE_TYPES = frozenset({"aws_acm_certificate"})
TLS_CERT_TYPES = frozenset({"tls_self_signed_cert", "tls_locally_signed_cert"})
# The tls provider's subject block, in RFC 4514 order (most specific first), with the attribute
# names cryptography's rfc4514_string() uses, so issuers compare equal to those read from PEM.
_SUBJECT_FIELDS = (("serial_number", "2.5.4.5"), ("common_name", "CN"), ("organizational_unit", "OU"),
                   ("organization", "O"), ("postal_code", "2.5.4.17"), ("street_address", "STREET"),
                   ("locality", "L"), ("province", "ST"), ("country", "C"))
_EC_CURVES = {"secp256r1": "EC_prime256v1", "secp384r1": "EC_secp384r1", "secp521r1": "EC_secp521r1"}


class PemReader:
    """Reads the PEM a resource points at, once per file, reporting MTLS003 into the fragment."""

    def __init__(self, ctx: ReadContext, fragment: Fragment) -> None:
        self.ctx = ctx
        self.fragment = fragment
        self._files: dict[tuple[Path, str], PemBundle | None] = {}

    def bundle(self, resource: TfResource, path: str) -> PemBundle | None:
        value = resource.get(path)
        if isinstance(value, str) and value.strip():
            from mtls_lint import x509

            return x509.load_pem_bundle(value.encode("utf-8"), resource.where(path))
        if isinstance(value, FileContent):
            return self.file(value.path, resource, value.loc)
        return None

    def file(self, path: Path, resource: TfResource, pointed_from: Location) -> PemBundle | None:
        key = (path, resource.address)
        if key not in self._files:
            if not resource.files_must_exist and not path.is_file():
                self._files[key] = None  # a plan read away from the files it was made with
            else:
                from mtls_lint.readers.pem import read_pem_file

                result = read_pem_file(path, self.ctx, pointed_from=pointed_from, resource=resource.address)
                self._files[key] = self._keep(result)
        return self._files[key]

    def private_key(self, resource: TfResource, path: str) -> PrivateKeyInfo | None:
        value = resource.get(path)
        where = resource.where(path)
        committed = True  # written inline in a scanned .tf file
        if isinstance(value, Secret):
            committed = value.committed
            value = value.reveal()  # only to hand it to the x509 helpers below
        if isinstance(value, str) and value.strip():
            from mtls_lint import x509

            return x509.read_private_key(value.encode("utf-8"), where, committed=committed)
        if isinstance(value, FileContent):
            from mtls_lint.readers.pem import read_private_key_file

            result = read_private_key_file(value.path, self.ctx, pointed_from=value.loc, resource=resource.address)
            if isinstance(result, PrivateKeyInfo):
                return result
            self.fragment.diagnostics.append(result)
        return None

    def object_content(self, obj: TfResource) -> PemBundle | None:
        """The PEM an ``aws_s3_object`` uploads: ``source`` file, ``content`` or ``content_base64``."""
        source = obj.get("source")
        if isinstance(source, str) and source:
            path = Path(source)
            if not path.is_absolute() and obj.base_dir is not None:
                path = obj.base_dir / path
            return self.file(path, obj, obj.where("source"))
        if isinstance(source, FileContent):
            return self.file(source.path, obj, obj.where("source"))
        content = self.bundle(obj, "content")
        if content is not None:
            return content
        encoded = obj.get("content_base64")
        if isinstance(encoded, str):
            try:
                data = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                data = encoded.encode("utf-8")
            from mtls_lint import x509

            return x509.load_pem_bundle(data, obj.where("content_base64"))
        return None

    def _keep(self, result: PemBundle | Diagnostic) -> PemBundle | None:
        if isinstance(result, PemBundle):
            return result
        self.fragment.diagnostics.append(result)  # MTLS003 where the configuration names the file
        return None


Base = Callable[..., dict[str, Any]]


class _Identity(NamedTuple):
    """What a certificate is and who issued it, with the PEM it was read from (imported ones)."""

    kind: Any
    issuer: Any
    names: Any
    body: PemBundle | None = None
    chain: PemBundle | None = None
    private_key: PrivateKeyInfo | None = None


def managed_certificate(resource: TfResource, index: ResourceIndex, pem: PemReader, base: Base) -> Certificate:
    values = resource.get
    locations = {"names": resource.where("domain_name"), "issuer": resource.where("certificate_authority_arn"),
                 "body": resource.where("certificate_body"), "chain": resource.where("certificate_chain"),
                 "private_key": resource.where("private_key")}
    names = _names([values("domain_name")], values("subject_alternative_names"), resource.where("domain_name"))
    if _is_set(resource, "certificate_body"):
        locations["issuer"] = resource.where("certificate_body")
        identity = _imported(resource, index, pem, names)
    elif _is_set(resource, "certificate_authority_arn"):
        identity = _private(resource, names)
    else:
        identity = _Identity(AMAZON_ISSUED, AMAZON, names)
    existing_type = values("type")
    if isinstance(existing_type, str) and existing_type in (AMAZON_ISSUED, PRIVATE, IMPORTED):
        identity = identity._replace(kind=existing_type)  # what ACM says of a certificate that exists (prior state)
    leaf = identity.body.certificates[0] if identity.body is not None and identity.body.certificates else None
    return Certificate(
        **_record(resource, base, locations),
        names=identity.names, kind=identity.kind, issuer=identity.issuer,
        status=_text_or_none(values("status")), renewal_eligibility=_text_or_none(values("renewal_eligibility")),
        not_before=leaf.not_before if leaf else parse_timestamp(values("not_before")),
        not_after=leaf.not_after if leaf else parse_timestamp(values("not_after")),
        key_algorithm=_key_algorithm(leaf) if leaf else _text_or_none(values("key_algorithm")),
        body=identity.body, chain=identity.chain, private_key=identity.private_key,
    )


def _is_set(resource: TfResource, path: str) -> bool:
    return resource.get(path) not in (None, "") or bool(resource.references(path))


def _imported(resource: TfResource, index: ResourceIndex, pem: PemReader, names: Any) -> _Identity:
    """An imported certificate: issuer and names from the body's PEM, else from the tls provider."""
    body = pem.bundle(resource, "certificate_body")
    chain = pem.bundle(resource, "certificate_chain")
    private_key = pem.private_key(resource, "private_key")
    if body is not None and body.certificates:
        leaf = body.certificates[0]
        return _Identity(IMPORTED, leaf.issuer, leaf.names or names, body, chain, private_key)
    issuer, tls_names = _tls_identity(resource, index)
    return _Identity(IMPORTED, issuer, tls_names if tls_names is not None else names, body, chain, private_key)


def _private(resource: TfResource, names: Any) -> _Identity:
    where = resource.where("certificate_authority_arn")
    authority = as_text(resource.get("certificate_authority_arn"), where)
    issuer = authority if isinstance(authority, str) else Unknown(f"the Private CA ARN is {KNOWN_AFTER_APPLY}", where)
    return _Identity(PRIVATE, issuer, names)


def _record(resource: TfResource, base: Base, locations: dict[str, Location]) -> dict[str, Any]:
    """The fields every certificate record has; account and region from its ARN when it has one."""
    record = base(resource, locations)
    value = resource.get("arn")
    arn = parse_arn(value)
    if arn is not None:
        record.update(region=arn.region or record["region"], account=arn.account or record["account"])
    record["arn"] = value if isinstance(value, str) else Unknown(KNOWN_AFTER_APPLY, resource.location)
    return record


def data_certificate(resource: TfResource, index: ResourceIndex, pem: PemReader, base: Base) -> Certificate:
    """A data source lookup of an existing certificate: kind from a single ``types``, names partial.

    The lookup matches on ``domain`` only, and the certificate found may carry other names
    (SANs): ``domain`` is one of its names, not all of them (``names_partial``).
    """
    types = resource.get("types")
    kind: Any = Unknown("the certificate type of a data source lookup is not known", resource.where("types"))
    if isinstance(types, list) and len(types) == 1 and types[0] in (AMAZON_ISSUED, PRIVATE, IMPORTED):
        kind = types[0]
    issuer: Any = AMAZON if kind == AMAZON_ISSUED else Unknown(
        "the issuer of a data source lookup is not known", resource.location)
    # The lookup matches on its domain only; the certificate found may have other names too.
    domain = as_text(resource.get("domain"), resource.where("domain"))
    names: Any = (domain.lower(),) if isinstance(domain, str) and domain else Unknown(
        "the data source's domain is not known", resource.where("domain"))
    return Certificate(
        **_record(resource, base, {"names": resource.where("domain"), "kind": resource.where("types")}),
        names=names, names_partial=True, kind=kind, issuer=issuer, status=_text_or_none(resource.get("status")),
    )


def _names(first: list[Any], sans: Any, where: Location) -> tuple[str, ...] | Unknown:
    """Domain name and SANs, lower-cased, in order, without repeats; Unknown when one is unknown."""
    values = list(first) + (sans if isinstance(sans, list) else [sans] if sans is not None else [])
    names: list[str] = []
    for value in values:
        if isinstance(value, str):
            if value.lower() not in names:
                names.append(value.lower())
        elif value is not None:
            return as_unknown(value, where)
    return tuple(names) if names else Unknown("no domain name", where)


def _tls_identity(resource: TfResource, index: ResourceIndex) -> tuple[Any, tuple[str, ...] | None]:
    """Issuer and names of a body made by the tls provider (``tls_locally_signed_cert.x.cert_pem``)."""
    where = resource.where("certificate_body")
    ref = index.follow(resource, "certificate_body", TLS_CERT_TYPES, resource.get("certificate_body"))
    cert = index.target(ref) if ref is not None else None
    if cert is None:
        return Unknown(f"the certificate body is {KNOWN_AFTER_APPLY}", where), None
    subject: TfResource | None = cert
    if cert.type != "tls_self_signed_cert":
        request = index.follow(cert, "cert_request_pem", frozenset({"tls_cert_request"}), cert.get("cert_request_pem"))
        subject = index.target(request) if request is not None else None
    names = _tls_names(subject) if subject is not None else None
    issuer = _tls_issuer(cert, index, where)
    return issuer, names


def _tls_issuer(cert: TfResource, index: ResourceIndex, where: Location) -> Any:
    if cert.type == "tls_self_signed_cert":
        return subject_dn(cert.get("subject"), where)
    ca_ref = index.follow(cert, "ca_cert_pem", TLS_CERT_TYPES, cert.get("ca_cert_pem"))
    ca = index.target(ca_ref) if ca_ref is not None else None
    if ca is None:
        return Unknown("the issuing CA of the tls certificate is not among the inputs", where)
    if ca.type == "tls_self_signed_cert":
        return subject_dn(ca.get("subject"), where)
    request = index.follow(ca, "cert_request_pem", frozenset({"tls_cert_request"}), ca.get("cert_request_pem"))
    target = index.target(request) if request is not None else None
    return subject_dn(target.get("subject"), where) if target is not None else Unknown(
        "the issuing CA's subject is not among the inputs", where)


def _tls_names(resource: TfResource) -> tuple[str, ...] | None:
    subject = resource.get("subject")
    block = subject[0] if isinstance(subject, list) and subject and isinstance(subject[0], dict) else {}
    found = _names([block.get("common_name")], resource.get("dns_names"), resource.location)
    return found if isinstance(found, tuple) else None


def subject_dn(subject: Any, where: Location) -> Any:
    """The tls provider's ``subject`` block as an RFC 4514 string (``CN=Corp Issuing CA,O=Corp``)."""
    block = subject[0] if isinstance(subject, list) and subject else subject
    if not isinstance(block, dict):
        return Unknown("the CA's subject is not known", where)
    parts: list[str] = []
    for field, name in _SUBJECT_FIELDS:
        value = block.get(field)
        values = value if isinstance(value, list) else [value]
        for item in reversed(values):
            if item is None or item == "":
                continue
            if not isinstance(item, str):
                return as_unknown(item, where)
            parts.append(f"{name}={_escape_dn(item)}")
    return ",".join(parts) if parts else Unknown("the CA's subject is empty", where)


def _escape_dn(value: str) -> str:
    """RFC 4514 escaping, as cryptography writes it."""
    for char in ("\\", '"', "+", ",", ";", "<", ">"):
        value = value.replace(char, "\\" + char)
    value = value.replace("\0", "\\00")
    if value[:1] in ("#", " "):
        value = "\\" + value
    if value.endswith(" "):
        value = value[:-1] + "\\ "
    return value


def _key_algorithm(leaf: Any) -> str | None:
    if leaf.key_type == "RSA" and leaf.key_size:
        return f"RSA_{leaf.key_size}"
    if leaf.key_type == "EC":
        return _EC_CURVES.get(leaf.curve or "")
    return None


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None

