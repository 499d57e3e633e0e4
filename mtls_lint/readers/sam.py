"""SAM ``AWS::Serverless::Api`` / ``AWS::Serverless::HttpApi`` read natively, so lines point at the SAM source.

SAM's own behaviour is reproduced where it matters to mTLS (aws-mtls-facts.md 3.8):
``Domain`` (also from ``Globals``) defaults to REGIONAL; ``EndpointConfiguration: PRIVATE``
renders a DomainNameV2 and silently drops ``MutualTlsAuthentication``; a falsy
``TruststoreVersion`` is dropped; ``DisableExecuteApiEndpoint`` lands in the OpenAPI body
only; a function event without an API id creates the implicit ``ServerlessRestApi`` /
``ServerlessHttpApi``, which takes the Globals.
"""
from __future__ import annotations

from collections.abc import Callable

from mtls_lint.model import HTTP, REST, REST_PRIVATE, Api, ApiMapping, CustomDomain, Diagnostic, Location, \
    Record, ResourceRef, Unknown
from mtls_lint.readers.cfn_intrinsics import Resolver, TemplateScope
from mtls_lint.readers.cfn_properties import Properties, read_truststore, with_resource_condition
from mtls_lint.readers.openapi import execute_api_disabled_in_body
from mtls_lint.readers.structured import LocDict

MTLS_FIELDS = ("TruststoreUri", "TruststoreVersion")
# SAM type -> (Globals section, implicit API name, event type, event property naming the API, domain kind)
_KINDS = {
    "AWS::Serverless::Api": ("Api", "ServerlessRestApi", "Api", "RestApiId", REST),
    "AWS::Serverless::HttpApi": ("HttpApi", "ServerlessHttpApi", "HttpApi", "ApiId", HTTP),
}

Variants = Callable[[Callable[[Resolver], list[Record]]], list[Record]]
BaseFor = Callable[..., dict]  # type: ignore[type-arg]


def read_sam(document: LocDict, scope: TemplateScope, base_for: BaseFor, variants: Variants
             ) -> tuple[list[Record], list[Diagnostic]]:
    resources = document.get("Resources")
    globals_ = document.get("Globals") if isinstance(document.get("Globals"), dict) else {}
    records: list[Record] = []
    diagnostics: list[Diagnostic] = []
    for sam_type, (section, implicit, event_type, id_key, kind) in _KINDS.items():
        defaults = globals_.get(section) if isinstance(globals_.get(section), dict) else {}
        apis = [(n, r) for n, r in resources.items() if isinstance(r, dict) and r.get("Type") == sam_type]
        if _has_implicit_api(resources, event_type, id_key) and implicit not in resources:
            apis.append((implicit, {"Type": sam_type, "Properties": {}}))
        for name, resource in apis:
            props = resource.get("Properties") if isinstance(resource.get("Properties"), dict) else {}
            merged = _merge(defaults, props)
            where = None if name in resources else (globals_.key_locs.get(section) if isinstance(globals_, LocDict)
                                                   else None)
            base = base_for(name, resource, where)
            reader = _SamApi(name, kind, merged, base, diagnostics)
            records += with_resource_condition(variants(reader.build), resource)
    return records, list(dict.fromkeys(diagnostics))


def _has_implicit_api(resources: dict, event_type: str, id_key: str) -> bool:  # type: ignore[type-arg]
    for resource in resources.values():
        if not isinstance(resource, dict) or resource.get("Type") != "AWS::Serverless::Function":
            continue
        props = resource.get("Properties")
        events = props.get("Events") if isinstance(props, dict) else None
        for event in (events or {}).values() if isinstance(events, dict) else ():
            if isinstance(event, dict) and event.get("Type") == event_type:
                event_props = event.get("Properties")
                if not (isinstance(event_props, dict) and id_key in event_props):
                    return True
    return False


def _merge(defaults: object, local: object) -> object:
    """SAM's Globals merge: maps merge key by key (local wins), anything else is replaced."""
    if not isinstance(defaults, dict) or not isinstance(local, dict):
        return local if local is not None else defaults
    merged = LocDict(local.loc if isinstance(local, LocDict) else getattr(defaults, "loc", Location("", None)))
    for source in (defaults, local):
        for key, value in source.items():
            merged[key] = _merge(merged.get(key), value) if key in merged else value
            if isinstance(source, LocDict):
                merged.key_locs[key] = source.key_loc(key)
    return merged


class _SamApi:
    def __init__(self, name: str, kind: str, props: object, base: dict, diagnostics: list[Diagnostic]) -> None:  # type: ignore[type-arg]
        self.name = name
        self.kind = kind
        self.props = props if isinstance(props, dict) else {}
        self.base = base
        self.diagnostics = diagnostics

    def build(self, resolver: Resolver) -> list[Record]:
        props = Properties(self.props, resolver, self.base["location"])
        records: list[Record] = [self._api(props)]
        domain = props.child("Domain")
        if domain is not None:
            records.append(self._domain(domain, props.loc("Domain")))
            ref = ResourceRef(self.base["source"], self.name)
            records.append(ApiMapping(**dict(self.base, location=props.loc("Domain")), domain=ref, api=ref))
        return records

    def _api(self, props: Properties) -> Api:
        # SAM writes DisableExecuteApiEndpoint into the OpenAPI body, never as the CFN property.
        flag = props.flag("DisableExecuteApiEndpoint")
        where = props.loc("DisableExecuteApiEndpoint")
        if flag is None:
            flag = execute_api_disabled_in_body(props.get("DefinitionBody"), props.loc("DefinitionBody"))
            where = props.loc("DefinitionBody")
        if flag is None and props.has("DefinitionUri"):
            flag = Unknown("the OpenAPI definition is a separate file (DefinitionUri)", props.loc("DefinitionUri"))
            where = props.loc("DefinitionUri")
        return Api(**self.base, kind=self.kind, body_disable_execute_api_endpoint=flag,
                   field_locations={"body_disable_execute_api_endpoint": where})

    def _domain(self, domain: Properties, where: Location) -> CustomDomain:
        endpoint = domain.text("EndpointConfiguration") or "REGIONAL"
        kind = REST_PRIVATE if endpoint == "PRIVATE" else self.kind
        truststore = self._truststore(domain)
        base = dict(self.base, location=where)
        name = domain.text("DomainName")
        mtls = domain.child("MutualTlsAuthentication") or domain
        return CustomDomain(
            **base,
            kind=kind,
            domain_name=name.lower() if isinstance(name, str) else name or Unknown("no DomainName", where),
            endpoint_type=endpoint,
            security_policy=domain.text("SecurityPolicy"),
            certificate=domain.reference("CertificateArn") or Unknown("no CertificateArn", where),
            ownership_certificate=domain.reference("OwnershipVerificationCertificateArn"),
            truststore=truststore,
            configuration_count=1 if self.kind == HTTP else None,
            field_locations={
                "domain_name": domain.loc("DomainName"),
                "endpoint_type": domain.loc("EndpointConfiguration"),
                "security_policy": domain.loc("SecurityPolicy"),
                "certificate": domain.loc("CertificateArn"),
                "ownership_certificate": domain.loc("OwnershipVerificationCertificateArn"),
                "truststore": domain.loc("MutualTlsAuthentication"),
                "truststore_uri": mtls.loc("TruststoreUri"),
                "truststore_version": mtls.loc("TruststoreVersion"),
            },
        )

    def _truststore(self, domain: Properties):  # type: ignore[no-untyped-def]
        if "MutualTlsAuthentication" not in domain.mapping:
            return None
        where = domain.loc("MutualTlsAuthentication")
        mtls = domain.child("MutualTlsAuthentication")
        if mtls is None:
            self._reject(f"SAM rejects Domain.MutualTlsAuthentication of {self.name}: it must be a map", where)
            return None
        unknown_fields = sorted(k for k in mtls.mapping if k not in MTLS_FIELDS)
        if unknown_fields:
            self._reject(f"SAM rejects Domain.MutualTlsAuthentication of {self.name}: unknown field "
                         f"{', '.join(unknown_fields)} (allowed: TruststoreUri, TruststoreVersion)",
                         mtls.loc(unknown_fields[0]))
        return read_truststore(mtls, where, keep_falsy_version=False)

    def _reject(self, message: str, where: Location) -> None:
        self.diagnostics.append(Diagnostic("MTLS001", message, where, self.name))
