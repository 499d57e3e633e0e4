"""## What it does
Reports a certificate used by a custom domain, as its server or its ownership verification
certificate, whose NotAfter is past at `--now`. The date comes from the inventory (`NotAfter`) or from
the certificate's PEM body. An imported certificate that is expired but used by no domain is reported
on the certificate itself: ACM refuses to import it.

## Why is this bad?
Clients refuse an expired server certificate, so every call to the domain fails. For an expired
ownership verification certificate AWS warns that "all updates to the domain name will be locked"
until it is replaced. ACM does not renew imported certificates, and it will not import one outside
its validity period ("The current time must be between the Not Before and Not After certificate
fields").

## Example
```hcl
resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "old.example.com"
  regional_certificate_arn = aws_acm_certificate.old.arn   # certificate_body expired 2025-06-01
}
```

Use instead: import (or request) a current certificate and point the domain at it.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
- https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._certificates import (
    certificate_related, day, domain_certificates, now, standalone_imports, validity,
)
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    instant = now(ctx)
    for domain, cert, role, field_name in domain_certificates(model):
        _, not_after = validity(cert)
        if not_after is not None and not_after < instant:
            yield RULE.finding(
                domain,
                f"the {role} certificate {cert.resource} of {domain.resource} expired on {day(not_after)}",
                at=field_name, related=certificate_related(cert, "the expired certificate"),
            )
    for cert in standalone_imports(model):
        _, not_after = validity(cert)
        if not_after is not None and not_after < instant:
            yield RULE.finding(cert, f"the imported certificate {cert.resource} expired on {day(not_after)}; "
                                     "ACM will not import it", at="body")


RULE = Rule(
    id="MTLS201", name="certificate-expired", severity="error",
    summary="A certificate used by a custom domain is past its NotAfter date",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html",),
)
