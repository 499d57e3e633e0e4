"""## What it does
Flags an mTLS custom domain whose server certificate has a wildcard name (`*.example.com`).

## Why is this bad?
AWS recommends against wildcard certificates on mTLS domains: they cause ownership-verification
problems, and a wildcard from one issuer blocks every name under it for certificates from any other
issuer in the region (see MTLS101).

## Example
```yaml
ApiCert:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: "*.example.com"
    ValidationMethod: DNS
```

Use instead:
```yaml
ApiCert:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
    ValidationMethod: DNS
```

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
- https://repost.aws/knowledge-center/api-gateway-mutual-tls-certificate-errors
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._common import known_names, mtls_domains, server_certificate
from mtls_lint.rules.base import Context, Finding, Rule, related


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in mtls_domains(model):
        cert = server_certificate(model, domain)
        wildcards = [name for name in known_names(cert) if name.startswith("*.")]
        if cert is None or not wildcards:
            continue
        yield RULE.finding(
            domain,
            f"the server certificate {cert.resource} of mTLS domain {domain.resource} has the wildcard name "
            f"{wildcards[0]}; use a certificate for the exact domain name",
            at="certificate",
            related=[related(cert, "the wildcard certificate", at="names")] if cert.origin == "declared" else [],
        )


RULE = Rule(
    id="MTLS102", name="wildcard-certificate", severity="warning",
    summary="An mTLS domain's server certificate has a wildcard name",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
