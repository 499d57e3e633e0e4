"""CloudFormation resource types -> model records. One function per type, all alike in shape.

Each builder takes the resource's ``Properties`` view and the record fields every record
shares (name, location, source, account, region, suppressions) and returns records.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from mtls_lint.model import (
    AMAZON,
    AMAZON_ISSUED,
    HTTP,
    PRIVATE,
    REST,
    REST_PRIVATE,
    Api,
    ApiMapping,
    Bucket,
    Certificate,
    CustomDomain,
    Location,
    Record,
    Unknown,
)
from mtls_lint.readers.cfn_properties import Properties, as_text, read_truststore
from mtls_lint.readers.openapi import execute_api_disabled_in_body

Builder = Callable[[Properties, dict], list[Record]]  # type: ignore[type-arg]


def rest_domain(props: Properties, base: dict) -> list[Record]:  # type: ignore[type-arg]
    """AWS::ApiGateway::DomainName. Without EndpointConfiguration the domain is EDGE."""
    endpoint, endpoint_loc = _endpoint_type(props, default="EDGE")
    certificate_key = "RegionalCertificateArn" if props.has("RegionalCertificateArn") else "CertificateArn"
    domain = _domain(props, base, REST, endpoint, endpoint_loc, props, certificate_key)
    return [replace(domain, endpoint_type_implied=not props.has("EndpointConfiguration"))]


def private_domain(props: Properties, base: dict) -> list[Record]:  # type: ignore[type-arg]
    """AWS::ApiGateway::DomainNameV2: a private custom domain, where mTLS is not supported."""
    endpoint, endpoint_loc = _endpoint_type(props, default="PRIVATE")
    return [_domain(props, base, REST_PRIVATE, endpoint, endpoint_loc, props, "CertificateArn")]


def http_domain(props: Properties, base: dict) -> list[Record]:  # type: ignore[type-arg]
    """AWS::ApiGatewayV2::DomainName: settings live in the (single) DomainNameConfigurations entry."""
    configurations = props.items("DomainNameConfigurations")
    count: int | Unknown = 0
    first = Properties({}, props.resolver, props.loc("DomainNameConfigurations"))
    if isinstance(configurations, Unknown):
        count = configurations
    elif configurations:
        count = len(configurations)
        value, where = configurations[0]
        if isinstance(value, dict):
            first = Properties(value, props.resolver, where)
    endpoint = first.text("EndpointType")
    domain = _domain(props, base, HTTP, endpoint if endpoint is not None else "REGIONAL",
                     first.loc("EndpointType"), first, "CertificateArn")
    locations = dict(domain.field_locations, configurations=props.loc("DomainNameConfigurations"))
    return [replace(domain, configuration_count=count, field_locations=locations)]


def _domain(props: Properties, base: dict, kind: str, endpoint: object, endpoint_loc: Location,  # type: ignore[type-arg]
            settings: Properties, certificate_key: str) -> CustomDomain:
    mtls = props.child("MutualTlsAuthentication")
    truststore = read_truststore(mtls, props.loc("MutualTlsAuthentication")) if mtls else None
    locations = {
        "domain_name": props.loc("DomainName"),
        "endpoint_type": endpoint_loc,
        "security_policy": settings.loc("SecurityPolicy"),
        "certificate": settings.loc(certificate_key),
        "ownership_certificate": settings.loc("OwnershipVerificationCertificateArn"),
        "truststore": props.loc("MutualTlsAuthentication"),
    }
    if mtls is not None:
        locations["truststore_uri"] = mtls.loc("TruststoreUri")
        locations["truststore_version"] = mtls.loc("TruststoreVersion")
    return CustomDomain(
        **base,
        kind=kind,
        domain_name=_lower(props.text("DomainName"), props.loc("DomainName")),
        endpoint_type=endpoint,  # type: ignore[arg-type]
        security_policy=settings.text("SecurityPolicy"),
        certificate=settings.reference(certificate_key) or Unknown("no certificate ARN set", base["location"]),
        ownership_certificate=settings.reference("OwnershipVerificationCertificateArn"),
        truststore=truststore,
        field_locations=locations,
    )


def _endpoint_type(props: Properties, *, default: str) -> tuple[object, Location]:
    config = props.child("EndpointConfiguration")
    if config is None:
        if props.has("EndpointConfiguration"):
            return Unknown("EndpointConfiguration unknown before deployment", props.loc("EndpointConfiguration")), \
                props.loc("EndpointConfiguration")
        return default, props.loc("EndpointConfiguration")
    types = config.items("Types")
    where = config.loc("Types")
    if isinstance(types, Unknown):
        return types, where
    if not types:
        return default, where
    return as_text(types[0][0], types[0][1]), where


def certificate(props: Properties, base: dict) -> list[Record]:  # type: ignore[type-arg]
    """AWS::CertificateManager::Certificate: Amazon-issued, or private when it names a Private CA.

    CloudFormation cannot import certificates, so a declared one is never IMPORTED.
    """
    names: list[str] = []
    unknown_names: Unknown | None = None
    domain_name = props.text("DomainName")
    sans = props.items("SubjectAlternativeNames")
    values = [(domain_name, props.loc("DomainName"))]
    if isinstance(sans, Unknown):
        unknown_names = sans
    elif sans:
        values += [(as_text(value, where), where) for value, where in sans]
    for value, where in values:
        if isinstance(value, str):
            if value.lower() not in names:
                names.append(value.lower())
        elif isinstance(value, Unknown):
            unknown_names = unknown_names or value
    authority = props.reference("CertificateAuthorityArn")
    if authority is None:
        kind, issuer = AMAZON_ISSUED, AMAZON
    else:
        kind, issuer = PRIVATE, authority if isinstance(authority, str) else Unknown(
            "Private CA ARN known only at deployment", props.loc("CertificateAuthorityArn"))
    return [Certificate(
        **base,
        names=unknown_names if unknown_names is not None and not names else tuple(names),
        kind=kind,
        issuer=issuer,  # type: ignore[arg-type]
        key_algorithm=_text_or_none(props.text("KeyAlgorithm")),
        field_locations={"names": props.loc("DomainName"), "issuer": props.loc("CertificateAuthorityArn")},
    )]


def rest_api(props: Properties, base: dict) -> list[Record]:  # type: ignore[type-arg]
    return [_api(props, base, REST)]


def http_api(props: Properties, base: dict) -> list[Record]:  # type: ignore[type-arg]
    return [_api(props, base, HTTP)]


def _api(props: Properties, base: dict, kind: str) -> Api:  # type: ignore[type-arg]
    body_flag_value = execute_api_disabled_in_body(props.get("Body"), props.loc("Body"))
    if body_flag_value is None and props.has("BodyS3Location"):
        body_flag_value = Unknown("the OpenAPI definition is in S3 (BodyS3Location)", props.loc("BodyS3Location"))
    return Api(
        **base,
        kind=kind,
        disable_execute_api_endpoint=props.flag("DisableExecuteApiEndpoint"),
        body_disable_execute_api_endpoint=body_flag_value,
        field_locations={
            "disable_execute_api_endpoint": props.loc("DisableExecuteApiEndpoint"),
            "body_disable_execute_api_endpoint": props.loc("Body"),
        },
    )


def base_path_mapping(props: Properties, base: dict) -> list[Record]:  # type: ignore[type-arg]
    """AWS::ApiGateway::BasePathMapping(V2): DomainName (or DomainNameArn) + RestApiId."""
    domain = props.reference("DomainName") if props.has("DomainName") else props.reference("DomainNameArn")
    return [_mapping(base, domain, props.reference("RestApiId"))]


def api_mapping(props: Properties, base: dict) -> list[Record]:  # type: ignore[type-arg]
    return [_mapping(base, props.reference("DomainName"), props.reference("ApiId"))]


def _mapping(base: dict, domain: object, api: object) -> ApiMapping:  # type: ignore[type-arg]
    return ApiMapping(
        **base,
        domain=domain if domain is not None else Unknown("no domain name", base["location"]),  # type: ignore[arg-type]
        api=api if api is not None else Unknown("no API", base["location"]),  # type: ignore[arg-type]
    )


def bucket(props: Properties, base: dict) -> list[Record]:  # type: ignore[type-arg]
    versioning = props.child("VersioningConfiguration")
    status = versioning.text("Status") if versioning else None
    if versioning is None and props.has("VersioningConfiguration"):
        status = Unknown("VersioningConfiguration unknown before deployment", props.loc("VersioningConfiguration"))
    return [Bucket(
        **base,
        name=props.text("BucketName"),
        versioning=status,
        field_locations={"versioning": props.loc("VersioningConfiguration")},
    )]


BUILDERS: dict[str, Builder] = {
    "AWS::ApiGateway::DomainName": rest_domain,
    "AWS::ApiGateway::DomainNameV2": private_domain,
    "AWS::ApiGatewayV2::DomainName": http_domain,
    "AWS::CertificateManager::Certificate": certificate,
    "AWS::ApiGateway::RestApi": rest_api,
    "AWS::ApiGatewayV2::Api": http_api,
    "AWS::ApiGateway::BasePathMapping": base_path_mapping,
    "AWS::ApiGateway::BasePathMappingV2": base_path_mapping,
    "AWS::ApiGatewayV2::ApiMapping": api_mapping,
    "AWS::S3::Bucket": bucket,
}


def _lower(value: str | Unknown | None, where: Location) -> str | Unknown:
    if value is None:
        return Unknown("no domain name set", where)
    return value.lower() if isinstance(value, str) else value


def _text_or_none(value: object) -> str | None:
    return value if isinstance(value, str) else None
