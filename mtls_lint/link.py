"""Join the fragments of every input into one Model.

Certificates are found by declaring resource and by ARN (declared, inventory, or a stub
for an ARN nothing else describes); buckets by resource and by name; APIs are attached to
the domains their mappings name. Everything is indexed once, so rules never loop over
all pairs.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from mtls_lint.model import (
    Api,
    ApiMapping,
    Bucket,
    Certificate,
    CustomDomain,
    Fragment,
    Location,
    Model,
    PemBundle,
    ResourceRef,
    Unknown,
    record_key,
)

ARN_PREFIX = "arn:"


def link_model(fragment: Fragment) -> Model:
    certificates = list(fragment.certificates)
    certificate_index: dict[object, list[Certificate]] = defaultdict(list)
    by_arn: dict[str, Certificate] = {}
    for cert in certificates:
        certificate_index[ResourceRef(cert.source, cert.resource)].append(cert)
        # An inventory entry describes an ARN best; declared ones only fill gaps.
        if isinstance(cert.arn, str) and (cert.origin == "inventory" or cert.arn not in by_arn):
            by_arn[cert.arn] = cert
    for domain in fragment.domains:
        for ref, where in ((domain.certificate, domain.where("certificate")),
                           (domain.ownership_certificate, domain.where("ownership_certificate"))):
            if isinstance(ref, str) and ref not in by_arn:
                by_arn[ref] = certificate_from_arn(ref, where)
                certificates.append(by_arn[ref])
    for arn, cert in by_arn.items():
        certificate_index[arn] = [cert]

    bucket_index: dict[object, list[Bucket]] = defaultdict(list)
    for bucket in fragment.buckets:
        bucket_index[ResourceRef(bucket.source, bucket.resource)].append(bucket)
        if isinstance(bucket.name, str):
            bucket_index[bucket.name].append(bucket)

    domains = [_with_truststore_content(domain, fragment.truststore_contents)
               for domain in _declared_over_existing(fragment.domains)]
    return Model(
        domains=tuple(domains),
        certificates=tuple(certificates),
        apis=tuple(fragment.apis),
        buckets=tuple(fragment.buckets),
        mappings=tuple(fragment.mappings),
        diagnostics=tuple(dict.fromkeys(fragment.diagnostics)),
        files=tuple(dict.fromkeys(fragment.files)),
        covered=frozenset(fragment.covered),
        certificate_index={key: tuple(value) for key, value in certificate_index.items()},
        bucket_index={key: tuple(value) for key, value in bucket_index.items()},
        domain_apis=_map_apis(domains, fragment.apis, fragment.mappings),
    )


def _declared_over_existing(domains: list[CustomDomain]) -> list[CustomDomain]:
    """A declared domain that the inventory also lists is one domain: the declared one is what will be.

    Otherwise a domain moving to a new certificate would conflict with its own current state.
    """
    declared = {(d.domain_name, _text(d.region), _text(d.account)) for d in domains if d.origin == "declared"}
    out = []
    for domain in domains:
        if domain.origin == "inventory" and isinstance(domain.domain_name, str):
            region, account = _text(domain.region), _text(domain.account)
            if any(name == domain.domain_name and (r is None or r == region) and (a is None or a == account)
                   for name, r, a in declared):
                continue
        out.append(domain)
    return out


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _with_truststore_content(domain: CustomDomain, contents: dict[str, PemBundle]) -> CustomDomain:
    """Attach a local copy of the truststore object (``--truststore``) to the domains that name its URI."""
    truststore = domain.truststore
    if not contents or truststore is None or truststore.content is not None:
        return domain
    uri = truststore.uri
    if not isinstance(uri, str) and isinstance(truststore.bucket, str) and isinstance(truststore.key, str):
        uri = f"s3://{truststore.bucket}/{truststore.key}"
    bundle = contents.get(uri) if isinstance(uri, str) else None
    if bundle is None:
        return domain
    return replace(domain, truststore=replace(truststore, content=bundle))


def _map_apis(domains: list[CustomDomain], apis: list[Api], mappings: list[ApiMapping]
              ) -> dict[tuple[str, str, str | None], tuple[tuple[Api, ApiMapping], ...]]:
    by_ref: dict[object, list[CustomDomain]] = defaultdict(list)
    for domain in domains:
        by_ref[ResourceRef(domain.source, domain.resource)].append(domain)
        if isinstance(domain.domain_name, str):
            by_ref[domain.domain_name].append(domain)
    api_by_ref: dict[object, list[Api]] = defaultdict(list)
    for api in apis:
        api_by_ref[ResourceRef(api.source, api.resource)].append(api)
    out: dict[tuple[str, str, str | None], list[tuple[Api, ApiMapping]]] = defaultdict(list)
    for mapping in mappings:
        domain_key = _key(mapping.domain)
        api_key = _key(mapping.api)
        if domain_key is None or api_key is None:
            continue
        for domain in by_ref.get(domain_key, ()):
            for api in api_by_ref.get(api_key, ()):
                if (api, mapping) not in out[record_key(domain)]:
                    out[record_key(domain)].append((api, mapping))
    return {key: tuple(value) for key, value in out.items()}


def _key(ref: object) -> object:
    if isinstance(ref, ResourceRef):
        return ResourceRef(ref.source, ref.name)
    if isinstance(ref, str):
        return ref.lower()
    return None


def certificate_from_arn(arn: str, where: Location) -> Certificate:
    """A certificate known only by its ARN: account and region come from the ARN itself."""
    parts = arn.split(":")
    region = parts[3] if len(parts) > 5 and parts[3] else None
    account = parts[4] if len(parts) > 5 and parts[4] else None
    service = parts[2] if len(parts) > 2 else ""
    kind: str | Unknown = Unknown(f"certificate {arn} is known only by its ARN")
    if service == "iam":
        kind = Unknown("an IAM server certificate, not an ACM certificate")
    return Certificate(
        resource=arn,
        location=where,
        source="",
        origin="arn",
        arn=arn,
        account=account,
        region=region,
        kind=kind,
        issuer=Unknown(f"issuer of {arn} unknown without an inventory"),
        names=Unknown(f"names of {arn} unknown without an inventory"),
    )
