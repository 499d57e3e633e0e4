"""Reading offline AWS inventory exports (``--inventory``): what already exists in an account.

Shapes, recognised by content (contract.md "Inventory"):

- ``aws acm describe-certificate``: ``{"Certificate": {...}}``, a list of those, a list of bare
  ``CertificateDetail`` objects (or one bare object);
- ``aws acm list-certificates``: ``{"CertificateSummaryList": [...]}``;
- ``aws apigateway get-domain-names``: ``{"items": [...]}`` (camelCase), or one ``get-domain-name``;
- ``aws apigatewayv2 get-domain-names``: ``{"Items": [...]}``, or one ``get-domain-name``;
- the bundle ``{"mtls_lint_inventory": 1, "account", "region", "certificates",
  "rest_domain_names", "http_domain_names"}``.

Choices worth knowing:

- **Names.** A certificate's names are known only when a SAN list is present
  (``SubjectAlternativeNames`` or an untruncated ``SubjectAlternativeNameSummaries``): a bare
  ``DomainName`` is a lower bound, and MTLS105 must not call a domain uncovered on a partial list.
- **Type.** Without ``Type`` (older CLI examples omit it) the kind follows from fields that exist
  for one kind only: ``CertificateAuthorityArn`` (PRIVATE), ``ImportedAt`` (IMPORTED), ``IssuedAt``
  or ``DomainValidationOptions`` (AMAZON_ISSUED).
- **Issuer.** ``Amazon`` for AMAZON_ISSUED, the ``CertificateAuthorityArn`` for PRIVATE and, for
  IMPORTED, the ``Issuer`` field as written. ACM usually gives the issuing CA's name there rather
  than a full DN; it is kept verbatim either way (an RFC 4514 DN stays a DN), because it still
  identifies one issuer and is never ``Amazon`` for a third-party CA.
- **Coverage.** A list-certificates export covers the (account, region) pairs of its ARNs (or the
  defaults when the list is empty), a bundle its own account and region. A list carrying
  ``NextToken`` is one page, not the whole region, and covers nothing. Note that a default
  ``list-certificates`` hides EC and RSA-3072/4096 certificates: export with ``--includes``.
- **Locations.** Each record points at the inventory file and the line where its key and value
  (``"CertificateArn": "arn:..."``, ``"domainName": "api.example.com"``) are written, found by a
  forward text search that follows document order, so the file is scanned once.
- Duplicates of one ARN across files keep the richest record (describe over list).
"""
from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from mtls_lint.arn import parse_arn
from mtls_lint.model import (
    AMAZON, AMAZON_ISSUED, HTTP, IMPORTED, PRIVATE, REST, Certificate, CustomDomain, Diagnostic,
    Fragment, Location, Text, Truststore, Unknown,
)
from mtls_lint.readers import ReadContext
from mtls_lint.readers.s3uri import parse_s3_uri
from mtls_lint.readers.textio import JsonProblem, LineIndex, load_json_bytes, parse_timestamp

BUNDLE_VERSION = 1
_UTC = dt.timezone.utc
# Python refuses to convert longer digit strings to int (sys.get_int_max_str_digits()).


def read_inventory(paths: Sequence[Path], ctx: ReadContext) -> Fragment:
    """Every inventory file's certificates and domains, with the (account, region) pairs they cover."""
    fragment = Fragment()
    certificates: dict[str, tuple[int, Certificate]] = {}
    for path in paths:
        _InventoryFile(Path(path), ctx, fragment, certificates).read()
    fragment.certificates += [certificate for _, certificate in certificates.values()]
    return fragment


class _InventoryFile:
    """One inventory file: its text (for locations), its defaults, and the fragment it fills."""

    def __init__(self, path: Path, ctx: ReadContext, fragment: Fragment,
                 certificates: dict[str, tuple[int, Certificate]]) -> None:
        self.path, self.ctx, self.fragment = path, ctx, fragment
        self.certificates = certificates
        self.shown = ctx.display(path)
        self.text = ""
        self.lines = LineIndex("", self.shown)
        self.cursor = 0
        self.account, self.region = ctx.placement(path)

    # -- reading and dispatch -------------------------------------------------------------
    def read(self) -> None:
        self.fragment.files.append(self.shown)
        try:
            raw = self.path.read_bytes()
        except OSError:
            return self.problem(f"inventory {self.shown} cannot be read", 1, 1)
        loaded = load_json_bytes(raw, self.shown)
        if isinstance(loaded, JsonProblem):
            return self.fragment.diagnostics.append(Diagnostic(
                "MTLS001", f"inventory {self.shown} is {loaded.message}", loaded.location))
        self.text, document = loaded
        self.lines = LineIndex(self.text, self.shown)
        self.document(document)

    def document(self, doc: Any) -> None:
        if isinstance(doc, list):
            return self.certificate_list(doc, "the list")
        if not isinstance(doc, dict):
            return self.unrecognised()
        if "mtls_lint_inventory" in doc:
            return self.bundle(doc)
        if isinstance(doc.get("Certificate"), dict):
            return self.certificate(doc["Certificate"])
        if "CertificateSummaryList" in doc:
            return self.summary_list(doc)
        if "items" in doc:
            return self.each(doc["items"], "items", self.rest_domain)
        if "Items" in doc:
            return self.each(doc["Items"], "Items", self.http_domain)
        if "CertificateArn" in doc:
            return self.certificate(doc)
        if "domainName" in doc:
            return self.rest_domain(doc)
        if "DomainName" in doc and "DomainNameConfigurations" in doc:
            return self.http_domain(doc)
        self.unrecognised()

    def unrecognised(self) -> None:
        self.problem(f"inventory {self.shown} is not an inventory export: expected describe-certificate, "
                     "list-certificates, get-domain-names output or an mtls_lint_inventory bundle", 1, 1)

    def bundle(self, doc: dict[str, Any]) -> None:
        version = doc.get("mtls_lint_inventory")
        if version != BUNDLE_VERSION or isinstance(version, bool):
            # Only a small number is shown: the value is never echoed as it was written.
            shown = f" {version}" if isinstance(version, int) and not isinstance(version, bool) and \
                abs(version) < 10**9 else ""
            return self.problem(f"inventory {self.shown}: unsupported mtls_lint_inventory version{shown} "
                                f"(this mtls-lint reads {BUNDLE_VERSION})", *self.key_position("mtls_lint_inventory"))
        self.account = _text(doc.get("account")) or self.account
        self.region = _text(doc.get("region")) or self.region
        arns: list[str] = []
        for key, value in doc.items():  # document order, so locations are found in one pass
            if key == "certificates":
                arns += self.certificate_list(value, "certificates")
            elif key == "rest_domain_names":
                self.each(value.get("items") if isinstance(value, dict) else value, key, self.rest_domain)
            elif key == "http_domain_names":
                self.each(value.get("Items") if isinstance(value, dict) else value, key, self.http_domain)
        pairs = {_arn_parts(arn) for arn in arns}
        if self.account and self.region:
            self.fragment.covered.add((self.account, self.region))
        elif len(pairs) == 1 and all(next(iter(pairs))):
            self.fragment.covered.add(next(iter(pairs)))  # type: ignore[arg-type]

    def summary_list(self, doc: dict[str, Any]) -> None:
        arns = self.each(doc["CertificateSummaryList"], "CertificateSummaryList", self.certificate)
        if doc.get("NextToken"):
            return  # one page of a longer list: it cannot prove that a certificate is gone
        pairs = {_arn_parts(arn) for arn in arns}
        if not arns and self.account and self.region:
            pairs = {(self.account, self.region)}
        self.fragment.covered |= {(a, r) for a, r in pairs if a and r}

    def certificate_list(self, value: Any, what: str) -> list[str]:
        if isinstance(value, dict) and "CertificateSummaryList" in value:
            value = value["CertificateSummaryList"]  # list-certificates output pasted into a bundle

        def one(entry: dict[str, Any]) -> str | None:
            if isinstance(entry.get("Certificate"), dict):
                return self.certificate(entry["Certificate"])
            if "CertificateArn" in entry:
                return self.certificate(entry)
            self.problem(f"inventory {self.shown}: an entry of {what} is not a certificate", None, None)
            return None
        return self.each(value, what, one)

    def each(self, value: Any, what: str, read: Callable[[dict[str, Any]], str | None]) -> list[str]:
        """Read every object of a list; the ARNs of the certificates read."""
        if not isinstance(value, list):
            self.problem(f"inventory {self.shown}: {what} is not a list", *self.key_position(what))
            return []
        found = []
        others = 0
        for entry in value:
            if not isinstance(entry, dict):
                others += 1
                continue
            result = read(entry)
            if isinstance(result, str):
                found.append(result)
        if others:
            self.problem(f"inventory {self.shown}: {others} entr{'y' if others == 1 else 'ies'} of {what} "
                         "not an object, skipped", *self.key_position(what))
        return found

    # -- records ------------------------------------------------------------------------------
    def certificate(self, d: dict[str, Any]) -> str | None:
        arn = _text(d.get("CertificateArn"))
        if arn is None:
            self.problem(f"inventory {self.shown}: a certificate without CertificateArn", None, None)
            return None
        location = self.locate("CertificateArn", arn)
        account, region = _arn_parts(arn)
        kind = _certificate_kind(d)
        names = _certificate_names(d)
        certificate = Certificate(
            resource=arn, location=location, source=self.shown, origin="inventory", arn=arn,
            account=account or self.account, region=region or self.region,
            names=names if names is not None else _first_names(d), names_partial=names is None,
            kind=kind, issuer=_issuer(kind, d),
            status=_text(d.get("Status")), renewal_eligibility=_text(d.get("RenewalEligibility")),
            not_before=self.timestamp(d, "NotBefore", location), not_after=self.timestamp(d, "NotAfter", location),
            key_algorithm=normalise_key_algorithm(d.get("KeyAlgorithm")),
        )
        rank = 2 if "SubjectAlternativeNames" in d else 1 if "SubjectAlternativeNameSummaries" in d else 0
        if arn not in self.certificates or rank > self.certificates[arn][0]:
            self.certificates[arn] = (rank, certificate)
        return arn

    def rest_domain(self, d: dict[str, Any]) -> None:  # camelCase, `aws apigateway`
        configuration = d.get("endpointConfiguration")
        types = configuration.get("types") if isinstance(configuration, dict) else None
        endpoint = types[0] if isinstance(types, list) and types and isinstance(types[0], str) else None
        certificate = _text(d.get("regionalCertificateArn")) or _text(d.get("certificateArn"))
        mtls = d.get("mutualTlsAuthentication")
        self.domain(d, REST, "domainName", endpoint=endpoint, certificate=certificate,
                    ownership=_text(d.get("ownershipVerificationCertificateArn")),
                    policy=_text(d.get("securityPolicy")), arn=_text(d.get("domainNameArn")),
                    mtls=(mtls.get("truststoreUri"), mtls.get("truststoreVersion")) if isinstance(mtls, dict) else None)

    def http_domain(self, d: dict[str, Any]) -> None:  # PascalCase, `aws apigatewayv2`
        configurations = d.get("DomainNameConfigurations")
        configurations = configurations if isinstance(configurations, list) else []
        first = configurations[0] if configurations and isinstance(configurations[0], dict) else {}
        mtls = d.get("MutualTlsAuthentication")
        self.domain(d, HTTP, "DomainName", endpoint=_text(first.get("EndpointType")),
                    certificate=_text(first.get("CertificateArn")),
                    ownership=_text(first.get("OwnershipVerificationCertificateArn")),
                    policy=_text(first.get("SecurityPolicy")), arn=_text(d.get("DomainNameArn")),
                    mtls=(mtls.get("TruststoreUri"), mtls.get("TruststoreVersion")) if isinstance(mtls, dict) else None,
                    configuration_count=len(configurations))

    def domain(self, d: dict[str, Any], kind: str, name_key: str, *, endpoint: str | None,
               certificate: str | None, ownership: str | None, policy: str | None, arn: str | None,
               mtls: tuple[Any, Any] | None, configuration_count: int | None = None) -> None:
        name = _text(d.get(name_key))
        if name is None:
            return self.problem(f"inventory {self.shown}: a domain name record without {name_key}", None, None)
        location = self.locate(name_key, name)
        # Where the domain lives: its own ARN, else its regional certificate's ARN (a regional
        # domain's certificate is in its region and account), else the bundle or the defaults.
        account, region = _arn_parts(arn) if arn else ("", "")
        if endpoint != "EDGE" and certificate:
            cert_account, cert_region = _arn_parts(certificate)
            account, region = account or cert_account, region or cert_region
        self.fragment.domains.append(CustomDomain(
            resource=name, location=location, source=self.shown, origin="inventory", kind=kind,
            account=account or self.account, region=region or self.region, domain_name=name.lower(),
            endpoint_type=endpoint or Unknown("the inventory does not give the endpoint type", location),
            security_policy=policy, certificate=certificate, ownership_certificate=ownership,
            truststore=self.truststore(mtls, location) if mtls else None,
            configuration_count=configuration_count,
        ))

    def truststore(self, mtls: tuple[Any, Any], location: Location) -> Truststore | None:
        # Content from --truststore is attached by link for every reader alike, not here.
        uri, version = _text(mtls[0]), mtls[1]
        if uri is None:
            return None
        parsed = parse_s3_uri(uri)
        return Truststore(location=location, uri=uri, bucket=parsed[0] if parsed else None,
                          key=parsed[1] if parsed else None,
                          version=str(version) if isinstance(version, (str, int)) and version != "" else None)

    # -- helpers ------------------------------------------------------------------------------------
    def timestamp(self, d: Mapping[str, Any], key: str, location: Location) -> dt.datetime | None:
        value = d.get(key)
        if value is None:
            return None
        parsed = parse_timestamp(value)
        if parsed is None:  # the value is not quoted: it could be anything, a pasted key included
            self.fragment.diagnostics.append(Diagnostic(
                "MTLS001", f"inventory {self.shown}: {key} is not an epoch or ISO-8601 timestamp",
                location, _text(d.get("CertificateArn"))))
        return parsed

    def locate(self, key: str, value: str) -> Location:
        """Where ``"key": "value"`` is written, searching forward from the previous record."""
        for encoded in dict.fromkeys((json.dumps(value), json.dumps(value, ensure_ascii=False))):
            pattern = re.compile(re.escape(json.dumps(key)) + r"\s*:\s*" + re.escape(encoded))
            match = pattern.search(self.text, self.cursor) or pattern.search(self.text)
            if match is not None:
                return self.location_at(match.start())
        return Location(self.shown, None, None)

    def key_position(self, key: str) -> tuple[int | None, int | None]:
        index = self.text.find(json.dumps(key))
        if index < 0:
            return None, None
        location = self.location_at(index)
        return location.line, location.column

    def location_at(self, index: int) -> Location:
        self.cursor = max(self.cursor, index)  # the next record is searched for from here
        return self.lines.location(index)

    def problem(self, message: str, line: int | None, column: int | None) -> None:
        self.fragment.diagnostics.append(Diagnostic("MTLS001", message, Location(self.shown, line, column)))


def normalise_key_algorithm(value: Any) -> str | None:
    """``RSA-2048`` (what DescribeCertificate returns) and ``RSA_2048`` (the request enum) -> ``RSA_2048``."""
    if not isinstance(value, str) or not value.strip():
        return None
    family, _, rest = value.strip().replace("-", "_").partition("_")
    return f"{family.upper()}_{rest}" if rest else family.upper()


def _certificate_kind(d: Mapping[str, Any]) -> Text:
    kind = _text(d.get("Type"))
    if kind:
        return kind
    if d.get("CertificateAuthorityArn"):
        return PRIVATE
    if "ImportedAt" in d:
        return IMPORTED
    if "IssuedAt" in d or "DomainValidationOptions" in d:
        return AMAZON_ISSUED
    return Unknown("the inventory does not give the certificate type")


def _issuer(kind: Text, d: Mapping[str, Any]) -> Text:
    if kind == AMAZON_ISSUED:
        return AMAZON
    if kind == PRIVATE:
        return _text(d.get("CertificateAuthorityArn")) or Unknown("the inventory does not name the private CA")
    if kind == IMPORTED:
        return _text(d.get("Issuer")) or Unknown("the inventory does not give the imported certificate's issuer")
    return Unknown("issuer unknown: the certificate type is unknown")


def _certificate_names(d: Mapping[str, Any]) -> tuple[str, ...] | Unknown | None:
    """Every name of the certificate; None when the inventory lists only some of them."""
    sans = d.get("SubjectAlternativeNames")
    if sans is None and d.get("HasAdditionalSubjectAlternativeNames") is not True:
        sans = d.get("SubjectAlternativeNameSummaries")
    if not isinstance(sans, list):
        return None
    names = [_text(d.get("DomainName"))] + [_text(name) for name in sans]
    known = tuple(dict.fromkeys(name.lower() for name in names if name))
    return known or Unknown("the inventory gives no name for this certificate")


def _first_names(d: Mapping[str, Any]) -> tuple[str, ...] | Unknown:
    """The names an incomplete listing does give: the domain name and the SANs it shows."""
    sans = d.get("SubjectAlternativeNameSummaries")
    names = [_text(d.get("DomainName"))] + ([_text(n) for n in sans] if isinstance(sans, list) else [])
    known = tuple(dict.fromkeys(name.lower() for name in names if name))
    return known or Unknown("the inventory lists no complete subject alternative names for this certificate")


def _arn_parts(arn: str) -> tuple[str, str]:
    """(account, region) of an ARN; empty strings where the ARN has none (or is not an ARN)."""
    parsed = parse_arn(arn)
    return (parsed.account or "", parsed.region or "") if parsed is not None else ("", "")


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)  # an account ID written as a number
    return None
