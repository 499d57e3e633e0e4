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
from pathlib import Path
from typing import Any, NamedTuple

from mtls_lint.arn import parse_arn
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
    ResourceRef,
    Unknown,
)
from mtls_lint.readers import ReadContext
from mtls_lint.readers.openapi import execute_api_disabled_in_body
from mtls_lint.readers.terraform_address import parse_address
from mtls_lint.readers.terraform_certificates import (
    CERTIFICATE_TYPES,
    PemReader,
    data_certificate,
    managed_certificate,
)
from mtls_lint.readers.terraform_truststores import truststore
from mtls_lint.readers.terraform_values import (
    Encoded,
    FileContent,
    TfResource,
    as_optional_text,
    as_text,
    as_unknown,
)
from mtls_lint.readers.textio import decode_text

DOMAIN_TYPES = frozenset({"aws_api_gateway_domain_name", "aws_apigatewayv2_domain_name"})
API_TYPES = frozenset({"aws_api_gateway_rest_api", "aws_apigatewayv2_api"})
_DOMAIN_ARGUMENTS = frozenset({"domain_name", "mutual_tls_authentication"})
_TLS_SUBJECT = frozenset({"subject", "dns_names"})
# The top-level arguments and blocks the mapping reads, by type. The HCL reader evaluates only
# these (and what they refer to): ``tags`` and the like are never evaluated, whatever they hold.
# A per-resource ``region`` (AWS provider v6) is read for every type.
READ_ARGUMENTS: dict[str, frozenset[str]] = {
    "aws_api_gateway_domain_name": _DOMAIN_ARGUMENTS | {
        "endpoint_configuration", "regional_certificate_arn", "certificate_arn",
        "ownership_verification_certificate_arn", "security_policy"},
    "aws_apigatewayv2_domain_name": _DOMAIN_ARGUMENTS | {"domain_name_configuration"},
    "aws_acm_certificate": frozenset({
        "domain_name", "subject_alternative_names", "certificate_body", "certificate_chain", "private_key",
        "certificate_authority_arn", "type", "arn", "status", "not_before", "not_after", "renewal_eligibility",
        "key_algorithm",
        "domain", "types"}),  # the last two: the data source
    "aws_acm_certificate_validation": frozenset({"certificate_arn"}),
    "aws_api_gateway_rest_api": frozenset({"disable_execute_api_endpoint", "body"}),
    "aws_apigatewayv2_api": frozenset({"disable_execute_api_endpoint", "body"}),
    "aws_api_gateway_base_path_mapping": frozenset({"domain_name", "api_id"}),
    "aws_apigatewayv2_api_mapping": frozenset({"domain_name", "api_id"}),
    "aws_s3_bucket": frozenset({"bucket", "versioning"}),
    "aws_s3_bucket_versioning": frozenset({"bucket", "versioning_configuration"}),
    "aws_s3_object": frozenset({"bucket", "key", "source", "content", "content_base64"}),
    "tls_self_signed_cert": _TLS_SUBJECT,
    "tls_locally_signed_cert": frozenset({"cert_request_pem", "ca_cert_pem"}),
    "tls_cert_request": _TLS_SUBJECT,
}
# Every type the mapping reads; the HCL reader evaluates only these (and what they refer to).
MAPPED_TYPES = frozenset(READ_ARGUMENTS)
MAX_BODY_FILE_BYTES = 5 * 1024 * 1024
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


class _DomainShape(NamedTuple):
    """Where a domain type keeps its settings: REST at the top, HTTP in ``domain_name_configuration``."""

    settings: str  # path prefix of certificate_arn, security_policy, ownership_verification_certificate_arn
    certificate_path: str
    endpoint: Any
    endpoint_where: Location
    implied: bool  # EDGE because no endpoint configuration is written
    configuration_count: Any
    locations: dict[str, Location]


def _domain(resource: TfResource, index: ResourceIndex, pem: PemReader, fragment: Fragment) -> None:
    rest = resource.type == "aws_api_gateway_domain_name"
    shape = _rest_shape(resource) if rest else _http_shape(resource)
    certificate = reference_or_value(resource, shape.certificate_path, CERTIFICATE_TYPES, index, "arn")
    ownership_path = shape.settings + "ownership_verification_certificate_arn"
    policy_path = shape.settings + "security_policy"
    name = as_text(resource.get("domain_name"), resource.where("domain_name"))
    fragment.domains.append(CustomDomain(
        **_base(resource, _domain_locations(resource, shape), account_from=certificate),
        kind=REST if rest else HTTP,
        domain_name=name.lower() if isinstance(name, str) else name or Unknown("no domain name set", resource.location),
        endpoint_type=shape.endpoint if shape.endpoint is not None else Unknown("no endpoint type set",
                                                                                resource.location),
        endpoint_type_implied=shape.implied,
        security_policy=as_optional_text(resource.get(policy_path), resource.where(policy_path)),
        certificate=certificate if certificate is not None else Unknown("no certificate ARN set", resource.location),
        ownership_certificate=reference_or_value(resource, ownership_path, CERTIFICATE_TYPES, index, "arn"),
        truststore=truststore(resource, index, pem),
        configuration_count=shape.configuration_count,
    ))


def _rest_shape(resource: TfResource) -> _DomainShape:
    endpoint, where, implied = _rest_endpoint(resource)
    regional = resource.get("regional_certificate_arn") not in (None, "") or bool(
        resource.references("regional_certificate_arn"))
    return _DomainShape("", "regional_certificate_arn" if regional else "certificate_arn", endpoint, where,
                        implied, None, {})


def _http_shape(resource: TfResource) -> _DomainShape:
    settings = "domain_name_configuration.0."
    configurations = resource.get("domain_name_configuration")
    where = resource.where("domain_name_configuration")
    if isinstance(configurations, list):
        count: Any = len(configurations)
    else:
        count = as_unknown(configurations, where) if configurations is not None else 0
    endpoint_where = resource.where(settings + "endpoint_type")
    return _DomainShape(settings, settings + "certificate_arn",
                        as_text(resource.get(settings + "endpoint_type"), endpoint_where), endpoint_where,
                        False, count, {"configurations": where})


def _domain_locations(resource: TfResource, shape: _DomainShape) -> dict[str, Location]:
    truststore = "mutual_tls_authentication.0"
    return {
        "domain_name": resource.where("domain_name"),
        "endpoint_type": shape.endpoint_where,
        **shape.locations,
        "certificate": resource.where(shape.certificate_path),
        "ownership_certificate": resource.where(shape.settings + "ownership_verification_certificate_arn"),
        "security_policy": resource.where(shape.settings + "security_policy"),
        "truststore": resource.where(truststore),
        "truststore_uri": resource.where(truststore + ".truststore_uri"),
        "truststore_version": resource.where(truststore + ".truststore_version"),
    }


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


def _api(resource: TfResource, index: ResourceIndex, pem: PemReader, fragment: Fragment) -> None:
    flag: Any = resource.get("disable_execute_api_endpoint")
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
        body_disable_execute_api_endpoint=_body_flag(resource),
    ))


def _body_flag(resource: TfResource) -> bool | Unknown | None:
    """``disableExecuteApiEndpoint`` of the API's OpenAPI ``body``: text, ``file()``, ``jsonencode()``."""
    body, where = resource.get("body"), resource.where("body")
    if isinstance(body, FileContent):
        body = _read_body_file(body.path, where)
    if isinstance(body, Encoded):
        body = body.value  # jsonencode of a value with unknown leaves: the structure still tells
    if body is None or isinstance(body, (str, dict, Unknown)):
        return execute_api_disabled_in_body(body, where)
    return as_unknown(body, where)  # a reference, a partly known template


def _read_body_file(path: Path, where: Location) -> str | Unknown:
    try:
        with path.open("rb") as stream:
            data = stream.read(MAX_BODY_FILE_BYTES + 1)
    except (OSError, ValueError):
        return Unknown("the OpenAPI body file cannot be read", where)
    text = decode_text(data) if len(data) <= MAX_BODY_FILE_BYTES else None
    return text if text is not None else Unknown("the OpenAPI body file is too large or not text", where)


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
    arn = parse_arn(account_from)
    if account is None and arn is not None:
        account = arn.account
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
