"""## What it does
Notes when the mTLS custom domains of one region use server certificates from more than one issuer,
even where no names overlap yet.

## Why is this bad?
API Gateway allows one issuer per certificate subject among mTLS domains of a region. Domains of a
shared parent domain that use different issuers today conflict as soon as a new certificate, or a
wildcard, covers a name another issuer already certified (MTLS101).

## Example
```yaml
OrdersCert:
  Type: AWS::CertificateManager::Certificate
  Properties: {DomainName: orders.example.com, ValidationMethod: DNS}
BillingCert:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: billing.example.com
    CertificateAuthorityArn: arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555
```

Use instead: one issuer for every mTLS domain's server certificate in the region.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from mtls_lint.model import CustomDomain, Model
from mtls_lint.rules._common import (
    issuer_identities,
    known_issuer,
    mtls_domains,
    region_group,
    region_text,
    server_certificate,
)
from mtls_lint.rules.base import Context, Finding, Rule, related


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    by_region: dict[object, list[tuple[CustomDomain, str]]] = defaultdict(list)
    issuers = [(domain, known_issuer(server_certificate(model, domain))) for domain in mtls_domains(model)]
    identity = issuer_identities(issuer for _, issuer in issuers if issuer is not None)
    for domain, issuer in issuers:
        if issuer is not None:
            by_region[region_group(model, domain)].append((domain, identity[issuer]))
    for group in by_region.values():
        for domain, issuer in group:
            # Fn::If branches of one domain are alternatives: they do not mix issuers with each other.
            others: dict[str, CustomDomain] = {}
            for other, other_issuer in group:
                if other_issuer != issuer and (other.source, other.resource) != (domain.source, domain.resource):
                    others.setdefault(other_issuer, other)
            if not others:
                continue
            names = sorted(others)
            yield RULE.finding(
                domain,
                f"mTLS domains {region_text(model.region_of(domain))} use server certificates from "
                f"{len(names) + 1} issuers; {domain.resource} uses {issuer}, others use {', '.join(names)}",
                at="certificate",
                related=[related(others[name], f"uses {name}", at="certificate") for name in names],
            )


RULE = Rule(
    id="MTLS104", name="issuers-mixed-in-region", severity="note",
    summary="mTLS domains in one region use server certificates from more than one issuer",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
