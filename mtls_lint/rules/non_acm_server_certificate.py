"""## What it does
Notes an mTLS custom domain whose server certificate is imported into ACM or issued by an ACM Private CA.

## Why is this bad?
It works, with an ownership verification certificate (MTLS303), but AWS recommends ACM-issued
certificates for all mTLS domains in a region: imported certificates are not renewed by ACM, and
mixing issuers in a region invites "certificate subject conflicts" (MTLS101, MTLS104).

## Example
```yaml
ApiCert:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
    CertificateAuthorityArn: arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555
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
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import IMPORTED, PRIVATE, Model
from mtls_lint.rules._common import mtls_domains, server_certificate
from mtls_lint.rules.base import Context, Finding, Rule

_WHAT = {IMPORTED: "imported into ACM", PRIVATE: "issued by an ACM Private CA"}


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in mtls_domains(model):
        cert = server_certificate(model, domain)
        if cert is not None and cert.kind in _WHAT:
            yield RULE.finding(
                domain,
                f"the server certificate {cert.resource} of mTLS domain {domain.resource} is "
                f"{_WHAT[cert.kind]}; AWS recommends ACM-issued certificates for mTLS domains",  # type: ignore[index]
                at="certificate",
            )


RULE = Rule(
    id="MTLS103", name="non-acm-server-certificate", severity="note",
    summary="An mTLS domain's server certificate is imported or from a Private CA",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
