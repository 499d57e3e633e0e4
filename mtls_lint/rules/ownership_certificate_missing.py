"""## What it does
Reports an mTLS custom domain whose server certificate is imported into ACM or issued by an ACM
Private CA but that sets no ownership verification certificate.

## Why is this bad?
"To use a certificate imported into ACM or a certificate from AWS Certificate Manager Private
Certificate Authority with mutual TLS, API Gateway needs an ownershipVerificationCertificate issued by
ACM." Without it the call fails with `BadRequestException: Missing ownershipVerificationCertificate`.

## Example
```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    RegionalCertificateArn: !Ref PrivateCaCert
    MutualTlsAuthentication: {TruststoreUri: s3://corp-truststores/api/truststore.pem}
```

Use instead:
```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    RegionalCertificateArn: !Ref PrivateCaCert
    OwnershipVerificationCertificateArn: !Ref PublicAcmCert
    MutualTlsAuthentication: {TruststoreUri: s3://corp-truststores/api/truststore.pem}
```

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import IMPORTED, PRIVATE, Model
from mtls_lint.rules._common import mtls_domains, server_certificate
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in mtls_domains(model):
        cert = server_certificate(model, domain)
        if cert is None or cert.kind not in (IMPORTED, PRIVATE) or domain.ownership_certificate is not None:
            continue
        origin = "imported certificate" if cert.kind == IMPORTED else "ACM Private CA certificate"
        yield RULE.finding(
            domain,
            f"mTLS domain {domain.resource} uses the {origin} {cert.resource} but sets no ownership "
            f"verification certificate (API Gateway: Missing ownershipVerificationCertificate)",
            at="certificate",
        )


RULE = Rule(
    id="MTLS303", name="ownership-certificate-missing", severity="error",
    summary="An mTLS domain with an imported or Private CA certificate has no ownership verification certificate",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
