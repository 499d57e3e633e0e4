"""What Terraform resources mean for the model: one place for both Terraform readers.

``map_resources`` takes every ``TfResource`` of one root module (HCL) or plan and returns
model records. It also joins the helper resources that feed them: certificate validations,
S3 objects (truststore content), bucket versioning and the ``tls`` provider's certificates.

References follow the convention ``link`` relies on: ``ResourceRef(source, name)`` where
``name`` is the target record's ``resource`` (its absolute address) and ``source`` its source.
A reference that several targets could satisfy (an unknown conditional) is not guessed: the
value stays Unknown.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from mtls_lint.model import (
    HTTP,
    REST,
    Api,
    ApiMapping,
    Bucket,
    CertificateRef,
    CustomDomain,
    Fragment,
    Location,
    PemBundle,
    ResourceRef,
    Truststore,
    Unknown,
)
from mtls_lint.readers import ReadContext
from mtls_lint.readers.s3uri import parse_s3_uri
from mtls_lint.readers.terraform_address import parse_address
from mtls_lint.readers.terraform_certificates import (
    CERTIFICATE_TYPES,
    PemReader,
    data_certificate,
    managed_certificate,
    openapi_flag,
)
from mtls_lint.readers.terraform_values import (
    KNOWN_AFTER_APPLY,
    Partial,
    TfResource,
    as_optional_text,
    as_text,
    as_unknown,
)

DOMAIN_TYPES = frozenset({"aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name"})
API_TYPES = frozenset({"aws_api_gateway_rest_api", "aws_apigatewayv2_api"})
# Every type the mapping reads; the HCL reader evaluates only these (and what they refer to).
MAPPED_TYPES = DOMAIN_TYPES | API_TYPES | frozenset({
    "aws_acm_certificate", "aws_acm_certificate_validation", "aws_api_gateway_base_path_mapping",
    "aws_apigatewayv2_api_mapping", "aws_s3_bucket", "aws_s3_bucket_versioning", "aws_s3_object",
    "tls_self_signed_cert", "tls_locally_signed_cert", "tls_cert_request",
})
# Computed attributes whose value equals a written argument (an S3 bucket's id is its name).
ATTRIBUTE_ALIASES = {
    ("aws_s3_bucket", "id"): "bucket",
    ("aws_s3_object", "id"): "key",
    ("aws_api_gateway_domain_name", "id"): "domain_name",
    ("aws_apigatewayv2_domain_name", "id"): "domain_name",
}


def map_resources(resources: Sequence[TfResource], ctx: ReadContext) -> Fragment:
    fragment = Fragment()
    index = ResourceIndex(resources)
    pem = PemReader(ctx, fragment)
    for resource in resources:
        builder = _BUILDERS.get((resource.mode, resource.type))
        if builder is not None:
            builder(resource, index, pem, fragment)
    return fragment


def type_of(ref: ResourceRef) -> str | None:
    address = parse_address(ref.name)
    return address.type if address is not None else None


class ResourceIndex:
    """Resources by address, and references followed to the resources they name."""

    def __init__(self, resources: Iterable[TfResource]) -> None:
        self.by_address = {(r.source, r.address): r for r in resources}
        self.by_type: dict[str, list[TfResource]] = {}
        for resource in resources:
            self.by_type.setdefault(resource.type, []).append(resource)

    def target(self, ref: ResourceRef) -> TfResource | None:
        return self.by_address.get((ref.source, ref.name))

    def follow(self, resource: TfResource, path: str, types: frozenset[str],
               value: Any = None) -> ResourceRef | None:
        """The one resource of ``types`` an attribute refers to, through certificate validations."""
        candidates = [value] if isinstance(value, ResourceRef) else list(resource.references(path))
        found: dict[tuple[str, str], ResourceRef] = {}
        for candidate in candidates:
            ref: ResourceRef | None = candidate
            kind = type_of(candidate)
            if kind == "aws_acm_certificate_validation" and "aws_acm_certificate_validation" not in types:
                validation = self.target(candidate)
                if validation is not None:
                    ref = self.follow(validation, "certificate_arn", types, validation.get("certificate_arn"))
                    kind = type_of(ref) if ref is not None else None
            if ref is not None and kind in types:
                found.setdefault((ref.source, ref.name), ref)
        return next(iter(found.values())) if len(found) == 1 else None


def reference_or_value(resource: TfResource, path: str, types: frozenset[str], index: ResourceIndex,
                       attribute: str) -> CertificateRef | None:
    """A reference to a declared resource when the attribute names one, else its text."""
    value = resource.get(path)
    ref = index.follow(resource, path, types, value)
    if ref is not None:
        return ResourceRef(ref.source, ref.name, attribute)
    if value == "" or value is None:
        return None  # unset (state keeps unset optional strings as "")
    if isinstance(value, str):
        return value
    return as_unknown(value, resource.where(path))


def _domain(resource: TfResource, index: ResourceIndex, pem: PemReader, fragment: Fragment) -> None:
    rest = resource.type == "aws_api_gateway_domain_name"
    locations: dict[str, Location] = {"domain_name": resource.where("domain_name")}
    if rest:
        settings, configuration_count = "", None
        endpoint, locations["endpoint_type"], implied = _rest_endpoint(resource)
        certificate_path = "regional_certificate_arn" if (
            resource.get("regional_certificate_arn") not in (None, "") or resource.references("regional_certificate_arn")
        ) else "certificate_arn"
    else:
        implied = False
        configurations = resource.get("domain_name_configuration")
        settings = "domain_name_configuration.0."
        configuration_count = len(configurations) if isinstance(configurations, list) else (
            as_unknown(configurations, resource.where("domain_name_configuration")) if configurations is not None
            else 0)
        endpoint = as_text(resource.get(settings + "endpoint_type"), resource.where(settings + "endpoint_type"))
        locations["endpoint_type"] = resource.where(settings + "endpoint_type")
        locations["configurations"] = resource.where("domain_name_configuration")
        certificate_path = settings + "certificate_arn"
    certificate = reference_or_value(resource, certificate_path, CERTIFICATE_TYPES, index, "arn")
    ownership_path = settings + "ownership_verification_certificate_arn"
    truststore = _truststore(resource, index, pem)
    locations.update(
        certificate=resource.where(certificate_path),
        ownership_certificate=resource.where(ownership_path),
        security_policy=resource.where(settings + "security_policy"),
        truststore=resource.where("mutual_tls_authentication.0"),
        truststore_uri=resource.where("mutual_tls_authentication.0.truststore_uri"),
        truststore_version=resource.where("mutual_tls_authentication.0.truststore_version"),
    )
    name = as_text(resource.get("domain_name"), resource.where("domain_name"))
    fragment.domains.append(CustomDomain(
        **_base(resource, locations, account_from=certificate),
        kind=REST if rest else HTTP,
        domain_name=name.lower() if isinstance(name, str) else name or Unknown("no domain name set", resource.location),
        endpoint_type=endpoint if endpoint is not None else Unknown("no endpoint type set", resource.location),
        endpoint_type_implied=implied,
        security_policy=as_optional_text(resource.get(settings + "security_policy"),
                                         resource.where(settings + "security_policy")),
        certificate=certificate if certificate is not None else Unknown("no certificate ARN set", resource.location),
        ownership_certificate=reference_or_value(resource, ownership_path, CERTIFICATE_TYPES, index, "arn"),
        truststore=truststore,
        configuration_count=configuration_count,
    ))


def _rest_endpoint(resource: TfResource) -> tuple[Any, Location, bool]:
    """``endpoint_configuration.types[0]``, where, and whether it was implied.

    A REST domain without the block is EDGE (the provider's default).
    """
    block = resource.get("endpoint_configuration")
    where = resource.where("endpoint_configuration.0.types")
    if block is None or block == []:
        return "EDGE", resource.where("endpoint_configuration"), True
    if not isinstance(block, list):
        return as_unknown(block, resource.where("endpoint_configuration")), where, False
    types = block[0].get("types") if isinstance(block[0], dict) else None
    if isinstance(types, list) and types:
        return as_text(types[0], where), where, False
    if isinstance(types, list) or types is None:
        return "EDGE", where, True
    return as_unknown(types, where), where, False


def _truststore(resource: TfResource, index: ResourceIndex, pem: PemReader) -> Truststore | None:
    block = resource.get("mutual_tls_authentication")
    # An unknown number of blocks (a dynamic block over an unknown list) cannot be told from none:
    # the model has no "maybe mTLS", so the domain is read as not asking for mTLS.
    if not isinstance(block, list) or not block or not isinstance(block[0], dict):
        return None
    path = "mutual_tls_authentication.0.truststore_uri"
    where = resource.where(path)
    raw = resource.get(path)
    uri = as_text(raw, where)
    bucket: Any = None
    key: Any = None
    if isinstance(uri, str):
        parsed = parse_s3_uri(uri)
        bucket, key = parsed if parsed is not None else (None, None)
    elif isinstance(raw, Partial):
        key = _partial_key(raw)
        bucket = Unknown(f"the truststore bucket is {KNOWN_AFTER_APPLY}", where)
        key = key if key is not None else Unknown(f"the truststore key is {KNOWN_AFTER_APPLY}", where)
    elif uri is not None:
        bucket = key = uri
    bucket_ref = bucket_reference(resource, path, index, literal=bucket if isinstance(bucket, str) else None)
    if bucket_ref is not None:
        bucket = bucket_ref
    version_path = "mutual_tls_authentication.0.truststore_version"
    return Truststore(
        location=resource.where("mutual_tls_authentication.0"),
        uri=uri if uri is not None else "",
        bucket=bucket,
        key=key,
        version=as_optional_text(resource.get(version_path), resource.where(version_path)),
        content=_truststore_content(resource.source, bucket, key, index, pem),
    )


def _truststore_content(source: str, bucket: Any, key: Any, index: ResourceIndex,
                        pem: PemReader) -> PemBundle | None:
    """The PEM of the ``aws_s3_object`` uploaded to the truststore's bucket and key, when declared."""
    if not isinstance(key, str) or not isinstance(bucket, (str, ResourceRef)):
        return None
    for obj in index.by_type.get("aws_s3_object", ()):
        if obj.source != source or obj.get("key") != key:
            continue
        literal = obj.get("bucket")
        ref = bucket_reference(obj, "bucket", index, literal=literal if isinstance(literal, str) else None)
        names = {literal, _bucket_name(ref, index)} - {None}
        if (isinstance(bucket, ResourceRef) and ((ref is not None and ref.name == bucket.name)
                                                 or _bucket_name(bucket, index) in names)) or bucket in names:
            return pem.object_content(obj)
    return None


def _bucket_name(ref: ResourceRef | None, index: ResourceIndex) -> str | None:
    target = index.target(ref) if ref is not None else None
    name = target.get("bucket") if target is not None else None
    return name if isinstance(name, str) else None


def _partial_key(value: Partial) -> str | None:
    """``"s3://${bucket}/key.pem"``: the key is the literal text after the unknown bucket."""
    parts = value.parts
    if len(parts) == 3 and parts[0] == "s3://" and isinstance(parts[2], str) and parts[2].startswith("/"):
        return parts[2][1:] or None
    return None


def bucket_reference(resource: TfResource, path: str, index: ResourceIndex, *,
                     literal: str | None) -> ResourceRef | None:
    """The ``aws_s3_bucket`` an attribute names, directly or through an ``aws_s3_object``'s bucket."""
    ref = index.follow(resource, path, frozenset({"aws_s3_bucket"}), resource.get(path))
    if ref is None:
        via = index.follow(resource, path, frozenset({"aws_s3_object"}))
        target = index.target(via) if via is not None and via.attribute in ("bucket", None) else None
        if target is not None:
            ref = index.follow(target, "bucket", frozenset({"aws_s3_bucket"}), target.get("bucket"))
    if ref is None:
        return None
    bucket = index.target(ref)
    name = bucket.get("bucket") if bucket is not None else None
    if literal is not None and isinstance(name, str) and name != literal:
        return None  # the URI names another bucket than the one referred to: trust the text
    return ResourceRef(ref.source, ref.name)


def _api(resource: TfResource, index: ResourceIndex, pem: PemReader, fragment: Fragment) -> None:
    flag = resource.get("disable_execute_api_endpoint")
    if isinstance(flag, str) and flag in ("true", "false"):
        flag = flag == "true"
    if flag is not None and not isinstance(flag, bool):
        flag = as_unknown(flag, resource.where("disable_execute_api_endpoint"))
    locations = {
        "disable_execute_api_endpoint": resource.where("disable_execute_api_endpoint"),
        "body_disable_execute_api_endpoint": resource.where("body"),
    }
    fragment.apis.append(Api(
        **_base(resource, locations),
        kind=REST if resource.type == "aws_api_gateway_rest_api" else HTTP,
        disable_execute_api_endpoint=flag,
        body_disable_execute_api_endpoint=openapi_flag(resource.get("body"), resource.where("body"), pem),
    ))


def _mapping(resource: TfResource, index: ResourceIndex, pem: PemReader, fragment: Fragment) -> None:
    domain = reference_or_value(resource, "domain_name", DOMAIN_TYPES, index, "domain_name")
    api = reference_or_value(resource, "api_id", API_TYPES, index, "id")
    fragment.mappings.append(ApiMapping(
        **_base(resource, {"domain": resource.where("domain_name"), "api": resource.where("api_id")}),
        domain=domain if domain is not None else Unknown("no domain name", resource.location),
        api=api if api is not None else Unknown("no API", resource.location),
    ))


def _bucket(resource: TfResource, index: ResourceIndex, pem: PemReader, fragment: Fragment) -> None:
    name = as_text(resource.get("bucket"), resource.where("bucket"))
    if name is None:
        name = Unknown("the bucket name is chosen at apply", resource.location)
    status, where = _versioning(resource, index, name)
    fragment.buckets.append(Bucket(
        **_base(resource, {"name": resource.where("bucket"), "versioning": where}), name=name, versioning=status))


def _versioning(bucket: TfResource, index: ResourceIndex, name: Any) -> tuple[Any, Location]:
    for versioning in index.by_type.get("aws_s3_bucket_versioning", ()):
        if versioning.source != bucket.source:
            continue
        ref = index.follow(versioning, "bucket", frozenset({"aws_s3_bucket"}), versioning.get("bucket"))
        target = versioning.get("bucket")
        if (ref is not None and ref.name == bucket.address) or (
                ref is None and isinstance(name, str) and target == name):
            path = "versioning_configuration.0.status"
            return as_text(versioning.get(path), versioning.where(path)), versioning.where(path)
    legacy = bucket.get("versioning")
    path = "versioning.0.enabled"
    if isinstance(legacy, list) and legacy and isinstance(legacy[0], dict):
        enabled = legacy[0].get("enabled")
        if isinstance(enabled, bool) or enabled is None:
            return ("Enabled" if enabled else None), bucket.where(path)
        return as_unknown(enabled, bucket.where(path)), bucket.where(path)
    if legacy is not None and not isinstance(legacy, list):
        return as_unknown(legacy, bucket.where("versioning")), bucket.where("versioning")
    return None, bucket.location


def _certificate(resource: TfResource, index: ResourceIndex, pem: PemReader, fragment: Fragment) -> None:
    build = managed_certificate if resource.mode == "managed" else data_certificate
    fragment.certificates.append(build(resource, index, pem, _base))


def _base(resource: TfResource, locations: dict[str, Location], *, account_from: Any = None) -> dict[str, Any]:
    account = resource.account
    if account is None and isinstance(account_from, str) and account_from.startswith("arn:"):
        parts = account_from.split(":")
        account = parts[4] if len(parts) > 5 and parts[4] else None
    return {
        "resource": resource.address, "location": resource.location, "source": resource.source,
        "account": account, "region": resource.region, "condition": resource.condition,
        "ignore": resource.ignore, "field_locations": locations,
    }


_Builder = Callable[[TfResource, ResourceIndex, PemReader, Fragment], None]
_BUILDERS: dict[tuple[str, str], _Builder] = {
    ("managed", "aws_api_gateway_domain_name"): _domain,
    ("managed", "aws_apigatewayv2_domain_name"): _domain,
    ("managed", "aws_acm_certificate"): _certificate,
    ("data", "aws_acm_certificate"): _certificate,
    ("managed", "aws_api_gateway_rest_api"): _api,
    ("managed", "aws_apigatewayv2_api"): _api,
    ("managed", "aws_api_gateway_base_path_mapping"): _mapping,
    ("managed", "aws_apigatewayv2_api_mapping"): _mapping,
    ("managed", "aws_s3_bucket"): _bucket,
}
