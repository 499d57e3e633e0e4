"""## What it does
Reports a custom domain whose name is not covered by its server certificate's names (domain name and
subject alternative names, a wildcard covering exactly one label), or by its ownership verification
certificate's names.

## Why is this bad?
API Gateway refuses to create the domain, or puts it in `PENDING_CERTIFICATE_REIMPORT` when a
re-imported certificate no longer covers it; clients get a name mismatch.

## Example
```yaml
ApiCert:
  Type: AWS::CertificateManager::Certificate
  Properties: {DomainName: www.example.com, ValidationMethod: DNS}
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    RegionalCertificateArn: !Ref ApiCert
```

Use instead:
```yaml
ApiCert:
  Type: AWS::CertificateManager::Certificate
  Properties: {DomainName: api.example.com, ValidationMethod: DNS}
```

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains-prerequisites.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model, covers
from mtls_lint.rules._common import known_names, ownership_certificate, server_certificate
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in model.domains:
        name = domain.domain_name
        if not isinstance(name, str):
            continue
        for cert, role, field in ((server_certificate(model, domain), "server", "certificate"),
                                  (ownership_certificate(model, domain), "ownership verification",
                                   "ownership_certificate")):
            names = known_names(cert)
            if cert is None or cert.names_partial or not names or any(covers(candidate, name) for candidate in names):
                continue
            yield RULE.finding(
                domain,
                f"{name} is not covered by its {role} certificate {cert.resource} "
                f"(names: {', '.join(names)})",
                at=field,
            )


RULE = Rule(
    id="MTLS105", name="domain-not-covered", severity="error",
    summary="A custom domain's name is not covered by its server or ownership certificate",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/how-to-custom-domains-prerequisites.html",),
)
