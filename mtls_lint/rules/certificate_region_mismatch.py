"""## What it does
Reports a regional custom domain whose certificate ARN (server or ownership verification) names
another region than the domain's.

## Why is this bad?
ACM certificates are regional. "For an API Gateway Regional custom domain name, you must request or
import the certificate in the same Region as your API." The domain fails to create.

## Example
```yaml
# deployed to eu-west-1
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    EndpointConfiguration: {Types: [REGIONAL]}
    RegionalCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666
```

Use instead: a certificate requested or imported in eu-west-1 (or `!Ref` a certificate declared in
the same stack).

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains-prerequisites.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import HTTP, Model
from mtls_lint.rules._common import ownership_certificate, server_certificate
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in model.domains:
        regional = domain.kind == HTTP or domain.endpoint_type == "REGIONAL"
        if not regional or not isinstance(domain.region, str):
            continue
        for cert, role, field in ((server_certificate(model, domain), "server", "certificate"),
                                  (ownership_certificate(model, domain), "ownership verification",
                                   "ownership_certificate")):
            if cert is None or not isinstance(cert.region, str) or cert.region == domain.region:
                continue
            yield RULE.finding(
                domain,
                f"the {role} certificate {cert.resource} is in {cert.region}, but regional domain "
                f"{domain.resource} is in {domain.region}; ACM certificates must be in the domain's region",
                at=field,
            )


RULE = Rule(
    id="MTLS206", name="certificate-region-mismatch", severity="error",
    summary="A regional domain's certificate ARN is in another region than the domain",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains-prerequisites.html",),
)
