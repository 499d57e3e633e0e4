"""The neutral model: what every reader produces and every rule reads.

Records are plain immutable data. They know nothing of the format they came
from: a CloudFormation domain, a Terraform domain and an inventory domain look
the same. A value a reader could not resolve is an explicit ``Unknown`` that
carries the reason, so a rule can stay silent (or MTLS002 can say why) instead
of mistaking "unresolved" for "absent".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from collections.abc import Mapping
from typing import Literal, NamedTuple, TypeVar, Union

Severity = Literal["error", "warning", "note"]
SEVERITIES: tuple[Severity, ...] = ("error", "warning", "note")

# Certificate kinds, as ACM names them.
AMAZON_ISSUED = "AMAZON_ISSUED"
PRIVATE = "PRIVATE"
IMPORTED = "IMPORTED"
# The issuer identity of every ACM public certificate (all Amazon intermediates count as one).
AMAZON = "Amazon"

# Custom domain kinds.
REST = "REST"  # AWS::ApiGateway::DomainName, aws_api_gateway_domain_name
HTTP = "HTTP"  # AWS::ApiGatewayV2::DomainName, aws_apigatewayv2_domain_name
REST_PRIVATE = "REST_PRIVATE"  # AWS::ApiGateway::DomainNameV2 (private custom domains, no mTLS)


class Location(NamedTuple):
    """Where something is written. ``line`` and ``column`` are 1-based, None when unknown."""

    path: str
    line: int | None = None
    column: int | None = None


@dataclass(frozen=True, slots=True)
class Unknown:
    """A value that could not be resolved before deployment, and why."""

    reason: str
    location: Location | None = None


@dataclass(frozen=True, slots=True)
class ResourceRef:
    """A reference to a resource declared in one source (a template, a Terraform module instance).

    ``source`` is the declaring source's id, ``name`` its logical ID or address.
    """

    source: str
    name: str
    attribute: str | None = None


Text = Union[str, Unknown]
# A certificate is referred to by ARN, by a reference to a declared resource, or unresolved.
CertificateRef = Union[str, ResourceRef, Unknown]


@dataclass(frozen=True, slots=True, kw_only=True)
class Record:
    """What every model record has: a name, a place, and where it is deployed."""

    resource: str  # logical ID, Terraform address, or ARN for inventory records
    location: Location
    source: str  # id of the declaring source; ResourceRef.source points here
    account: Text | None = None
    region: Text | None = None
    # Set on variants produced from an Fn::If: "IsProd is true".
    condition: str | None = None
    # Rule IDs or prefixes suppressed for this record (Metadata, comments).
    ignore: frozenset[str] = frozenset()
    # Where individual properties are written, by model field name.
    field_locations: Mapping[str, Location] = field(default_factory=dict)

    def where(self, field_name: str) -> Location:
        """The location of one property, or of the record when the property is not written."""
        return self.field_locations.get(field_name, self.location)


@dataclass(frozen=True, slots=True, kw_only=True)
class PemCertificate:
    """One X.509 certificate read from PEM. Built by ``mtls_lint.x509``; pure data here."""

    subject: str  # RFC 4514
    issuer: str  # RFC 4514
    names: tuple[str, ...]  # CN and DNS SANs, lower-cased
    not_before: dt.datetime
    not_after: dt.datetime
    key_type: str  # "RSA", "EC", "Ed25519", "DSA", ...
    key_size: int | None  # RSA modulus bits or EC curve bits
    curve: str | None  # "secp256r1" for EC keys
    signature_hash: str | None  # "sha256"; None for Ed25519
    is_ca: bool | None  # basicConstraints CA flag; None when the extension is absent
    self_signed: bool
    fingerprint: str  # SHA-256 of the DER, hex
    public_key_fingerprint: str  # SHA-256 of the SubjectPublicKeyInfo, hex
    der: bytes = field(repr=False, compare=False)


@dataclass(frozen=True, slots=True, kw_only=True)
class PemBundle:
    """A PEM file read for a truststore or an imported certificate."""

    location: Location  # the PEM file (or the inline text)
    certificates: tuple[PemCertificate, ...]
    problems: tuple[str, ...]  # why it is not a clean bundle of certificates
    size: int  # bytes
    contains_private_key: bool = False


@dataclass(frozen=True, slots=True, kw_only=True)
class PrivateKeyInfo:
    """What the linter may know of an imported certificate's private key: never its bytes."""

    location: Location
    public_key_fingerprint: str | None  # None when the key could not be read
    problem: str | None = None
    committed: bool = False  # written inline or in a file inside the scanned tree


@dataclass(frozen=True, slots=True, kw_only=True)
class Certificate(Record):
    """A certificate: declared in an input, listed in the inventory, or known only by ARN."""

    origin: Literal["declared", "inventory", "arn"] = "declared"
    arn: Text | None = None
    names: tuple[str, ...] | Unknown = Unknown("names unknown")
    # Some of the names only (a data source lookup, an inventory summary): enough to find overlaps
    # (MTLS101, MTLS102), not to say a name is missing (MTLS105).
    names_partial: bool = False
    kind: Text = Unknown("certificate type unknown")  # AMAZON_ISSUED, PRIVATE, IMPORTED
    issuer: Text = Unknown("issuer unknown")  # AMAZON, a Private CA ARN, or an RFC 4514 DN
    status: str | None = None
    not_before: dt.datetime | None = None
    not_after: dt.datetime | None = None
    renewal_eligibility: str | None = None
    key_algorithm: str | None = None  # normalised: RSA_2048, EC_prime256v1
    body: PemBundle | None = None  # imported certificate body (first certificate is the leaf)
    chain: PemBundle | None = None
    private_key: PrivateKeyInfo | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Truststore:
    """A custom domain's mutual TLS truststore reference."""

    location: Location
    uri: Text
    bucket: str | ResourceRef | Unknown | None = None  # parsed from the URI
    key: Text | None = None
    version: Text | None = None
    content: PemBundle | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomDomain(Record):
    origin: Literal["declared", "inventory"] = "declared"
    kind: str = REST
    domain_name: Text = Unknown("domain name unknown")
    endpoint_type: Text = Unknown("endpoint type unknown")  # EDGE, REGIONAL, PRIVATE
    # No endpoint configuration is written: endpoint_type is the tool's default (EDGE for raw REST).
    endpoint_type_implied: bool = False
    security_policy: Text | None = None
    certificate: CertificateRef | None = None
    ownership_certificate: CertificateRef | None = None
    truststore: Truststore | None = None
    configuration_count: int | Unknown | None = None  # HTTP domains: DomainNameConfigurations entries

    @property
    def asks_for_mtls(self) -> bool:
        """A truststore is configured, whether or not this kind of domain supports it."""
        if self.truststore is None:
            return False
        uri = self.truststore.uri
        return not (isinstance(uri, str) and uri == "")

    @property
    def is_mtls(self) -> bool:
        """An mTLS domain in the catalog's sense: a truststore on a domain kind that supports one."""
        return self.asks_for_mtls and self.kind != REST_PRIVATE


@dataclass(frozen=True, slots=True, kw_only=True)
class Api(Record):
    kind: str = REST
    # The DisableExecuteApiEndpoint property and the OpenAPI body's extension; the property wins.
    disable_execute_api_endpoint: bool | Unknown | None = None
    body_disable_execute_api_endpoint: bool | Unknown | None = None

    @property
    def execute_api_endpoint_disabled(self) -> bool | Unknown:
        if self.disable_execute_api_endpoint is not None:
            return self.disable_execute_api_endpoint
        if self.body_disable_execute_api_endpoint is not None:
            return self.body_disable_execute_api_endpoint
        return False


@dataclass(frozen=True, slots=True, kw_only=True)
class Bucket(Record):
    name: Text | None = None
    versioning: Text | None = None  # "Enabled", "Suspended"


@dataclass(frozen=True, slots=True, kw_only=True)
class ApiMapping(Record):
    """A base path or API mapping: which API a custom domain serves."""

    domain: str | ResourceRef | Unknown  # a domain name or a reference to the domain resource
    api: str | ResourceRef | Unknown



class Diagnostic(NamedTuple):
    """A problem a reader met in its input (MTLS001, MTLS003) or a reference it could not follow."""

    rule_id: str
    message: str
    location: Location
    resource: str | None = None


@dataclass(slots=True)
class Fragment:
    """What a reader hands to ``link``: the records of some inputs and what went wrong reading them."""

    certificates: list[Certificate] = field(default_factory=list)
    domains: list[CustomDomain] = field(default_factory=list)
    apis: list[Api] = field(default_factory=list)
    buckets: list[Bucket] = field(default_factory=list)
    mappings: list[ApiMapping] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # Source files read (for the summary's file count); suppressions that cover a whole file.
    files: list[str] = field(default_factory=list)
    file_ignores: dict[str, frozenset[str]] = field(default_factory=dict)
    # Coverage of inventories: (account, region) pairs whose certificate list is complete.
    covered: set[tuple[str, str]] = field(default_factory=set)
    # Local copies of truststore objects by S3 URI (--truststore, config truststores).
    truststore_contents: dict[str, PemBundle] = field(default_factory=dict)

    def extend(self, other: "Fragment") -> None:
        self.certificates += other.certificates
        self.domains += other.domains
        self.apis += other.apis
        self.buckets += other.buckets
        self.mappings += other.mappings
        self.diagnostics += other.diagnostics
        self.files += other.files
        self.file_ignores.update(other.file_ignores)
        self.covered |= other.covered
        self.truststore_contents.update(other.truststore_contents)


def overlap(a: str, b: str) -> bool:
    """Two certificate names overlap: equal, or a wildcard ``*.p`` and a name one label under ``p``."""
    if a == b:
        return True
    return _wildcard_covers(a, b) or _wildcard_covers(b, a)


def covers(certificate_name: str, domain_name: str) -> bool:
    """A certificate name covers a domain name: equal, or a wildcard matching exactly one label."""
    return certificate_name == domain_name or _wildcard_covers(certificate_name, domain_name)


def _wildcard_covers(pattern: str, name: str) -> bool:
    if not pattern.startswith("*.") or name.startswith("*."):
        return False
    label, _, parent = name.partition(".")
    return bool(label) and parent == pattern[2:]


def parent_of(name: str) -> str:
    """The name a wildcard would be written under: ``a.b.c`` -> ``b.c``, ``*.b.c`` -> ``b.c``."""
    return name.partition(".")[2]


@dataclass(frozen=True, slots=True, kw_only=True)
class Model:
    """The linked model of one run: every input's records, joined. Built by ``mtls_lint.link``."""

    domains: tuple[CustomDomain, ...] = ()
    certificates: tuple[Certificate, ...] = ()
    apis: tuple[Api, ...] = ()
    buckets: tuple[Bucket, ...] = ()
    mappings: tuple[ApiMapping, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    files: tuple[str, ...] = ()
    # (account, region) pairs for which an inventory lists every certificate.
    covered: frozenset[tuple[str, str]] = frozenset()
    # Indexes filled by link; rules use the methods below instead. A key maps to every
    # variant of its record (one per Fn::If branch combination), so references can be
    # followed within the branch the referring record was built in.
    certificate_index: Mapping[object, tuple[Certificate, ...]] = field(default_factory=dict, repr=False)
    bucket_index: Mapping[object, tuple[Bucket, ...]] = field(default_factory=dict, repr=False)
    domain_apis: Mapping[tuple[str, str, str | None], tuple[tuple[Api, ApiMapping], ...]] = field(
        default_factory=dict, repr=False)

    def certificate(self, ref: CertificateRef | None, within: Record | None = None) -> Certificate | Unknown | None:
        """The certificate a property of ``within`` points at: declared, from the inventory, or known by ARN."""
        if ref is None or isinstance(ref, Unknown):
            return ref
        key: object = ResourceRef(ref.source, ref.name) if isinstance(ref, ResourceRef) else ref
        found = _same_branch(self.certificate_index.get(key, ()), within)
        if found is not None:
            return found
        return Unknown(f"{ref.name} is not a certificate among the inputs" if isinstance(ref, ResourceRef)
                       else f"{ref} is not a certificate ARN")

    def bucket(self, truststore: Truststore, within: Record | None = None) -> Bucket | None:
        """The bucket behind a truststore URI, when that bucket is among the inputs."""
        ref = truststore.bucket
        if ref is None or isinstance(ref, Unknown):
            return None
        key: object = ResourceRef(ref.source, ref.name) if isinstance(ref, ResourceRef) else ref
        return _same_branch(self.bucket_index.get(key, ()), within)

    def apis_of(self, domain: CustomDomain) -> tuple[tuple[Api, ApiMapping], ...]:
        """The APIs mapped to a domain, each with the mapping that maps it."""
        return self.domain_apis.get(record_key(domain), ())

    def region_of(self, domain: CustomDomain) -> str | None:
        """Where a domain is deployed: its own region, else its server certificate ARN's region."""
        if isinstance(domain.region, str):
            return domain.region
        cert = self.certificate(domain.certificate, domain)
        if isinstance(cert, Certificate) and isinstance(cert.region, str):
            return cert.region
        return None


def record_key(record: Record) -> tuple[str, str, str | None]:
    """Identifies one record, including which Fn::If branch it was built in."""
    return (record.source, record.resource, record.condition)


def _assumptions(condition: str | None) -> dict[str, str]:
    """``"IsProd is true, HasCert is false"`` -> {"IsProd": "true", "HasCert": "false"}."""
    out = {}
    for part in (condition or "").split(", "):
        name, sep, value = part.rpartition(" is ")
        if sep:
            out[name] = value
    return out


R = TypeVar("R", bound=Record)


def _same_branch(variants: tuple[R, ...], within: Record | None) -> R | None:
    """The variant whose conditions agree with the referring record's; else the first."""
    if not variants:
        return None
    if within is None or within.condition is None or len(variants) == 1:
        return variants[0]
    mine = _assumptions(within.condition)
    for variant in variants:
        theirs = _assumptions(variant.condition)
        if all(mine.get(name, value) == value for name, value in theirs.items()):
            return variant
    return variants[0]
