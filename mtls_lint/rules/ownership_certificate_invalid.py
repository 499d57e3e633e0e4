"""## What it does
Reports an ownership verification certificate that is not a public ACM-issued certificate, or that is
the server certificate of another mTLS custom domain.

## Why is this bad?
The ownership verification certificate must be "the public certificate issued by ACM to validate
ownership of your custom domain", and "cannot be used as a server certificate for another mutual TLS
domain in API Gateway". Either mistake fails the deployment.

## Example
```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    RegionalCertificateArn: !Ref PrivateCaCert
    OwnershipVerificationCertificateArn: !Ref PrivateCaCert
```

Use instead:
```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    RegionalCertificateArn: !Ref PrivateCaCert
    OwnershipVerificationCertificateArn: !Ref PublicAcmCert   # DNS-validated, not used elsewhere
```

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import AMAZON_ISSUED, Certificate, CustomDomain, Model
from mtls_lint.rules._common import mtls_domains, ownership_certificate, server_certificate
from mtls_lint.rules.base import Context, Finding, Rule, related


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    servers: dict[int, list[CustomDomain]] = {}
    for domain in mtls_domains(model):
        cert = server_certificate(model, domain)
        if cert is not None:
            servers.setdefault(id(cert), []).append(domain)
    for domain in model.domains:
        cert = ownership_certificate(model, domain)
        if cert is None:
            continue
        if isinstance(cert.kind, str) and cert.kind != AMAZON_ISSUED:
            yield RULE.finding(
                domain,
                f"the ownership verification certificate {cert.resource} of {domain.resource} is "
                f"{_kind(cert)}; it must be a public certificate issued by ACM",
                at="ownership_certificate",
            )
        others = [other for other in servers.get(id(cert), ()) if other.resource != domain.resource]
        if others:
            names = ", ".join(sorted({other.resource for other in others}))
            yield RULE.finding(
                domain,
                f"the ownership verification certificate {cert.resource} of {domain.resource} is the server "
                f"certificate of mTLS domain {names}; it cannot serve as both",
                at="ownership_certificate",
                related=[related(other, "uses it as its server certificate", at="certificate") for other in others],
            )


def _kind(cert: Certificate) -> str:
    return {"IMPORTED": "imported", "PRIVATE": "issued by an ACM Private CA"}.get(str(cert.kind), str(cert.kind))


RULE = Rule(
    id="MTLS304", name="ownership-certificate-invalid", severity="error",
    summary="The ownership verification certificate is not public ACM-issued, or serves another mTLS domain",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
