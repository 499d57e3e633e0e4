"""## What it does
Reports a certificate used by a custom domain (server or ownership verification) that expires within
`--expiry-days` (default 30) of `--now` and that ACM will not renew: an imported certificate, or one
the inventory marks `RenewalEligibility: INELIGIBLE`.

## Why is this bad?
"ACM does not provide managed renewal for imported certificates." Nobody renews it unless someone
remembers; when it lapses, clients fail the handshake and, for an ownership verification
certificate, "all updates to the domain name will be locked".

## Example
```hcl
resource "aws_acm_certificate" "partner" {
  certificate_body = file("certs/partner.pem")   # NotAfter 2026-12-20, --now 2026-12-04
}
```

Use instead: re-import a renewed certificate under the same ARN before it expires (keep the same
issuer, as API Gateway requires for a re-import), or move the domain to an ACM-issued certificate,
which ACM renews.

## References
- https://docs.aws.amazon.com/acm/latest/userguide/import-reimport.html
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import IMPORTED, Certificate, Model
from mtls_lint.rules._certificates import (
    certificate_related, day, domain_certificates, horizon, now, standalone_imports, validity,
)
from mtls_lint.rules.base import Context, Finding, Rule


def not_renewed(cert: Certificate) -> bool:
    """ACM will not renew it: imported (or carrying a PEM body), or marked ineligible."""
    return cert.kind == IMPORTED or cert.body is not None or cert.renewal_eligibility == "INELIGIBLE"


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    start, end = now(ctx), horizon(ctx)
    for domain, cert, role, field_name in domain_certificates(model):
        _, not_after = validity(cert)
        if not_after is not None and start <= not_after <= end and not_renewed(cert):
            yield RULE.finding(
                domain,
                f"the {role} certificate {cert.resource} of {domain.resource} expires on {day(not_after)} "
                f"and ACM will not renew it",
                at=field_name, related=certificate_related(cert, "the expiring certificate"),
            )
    for cert in standalone_imports(model):
        _, not_after = validity(cert)
        if not_after is not None and start <= not_after <= end:
            yield RULE.finding(cert, f"the imported certificate {cert.resource} expires on {day(not_after)} "
                                     "and ACM will not renew it", at="body")


RULE = Rule(
    id="MTLS202", name="certificate-expiring", severity="warning",
    summary="A certificate ACM will not renew expires within --expiry-days",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/acm/latest/userguide/import-reimport.html",),
)
