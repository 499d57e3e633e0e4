"""## What it does
Reports a certificate used by a custom domain (server or ownership verification) whose status in the
inventory is not `ISSUED`: `REVOKED`, `EXPIRED`, `INACTIVE`, `FAILED`, `VALIDATION_TIMED_OUT` or
`PENDING_VALIDATION`.

## Why is this bad?
API Gateway serves, and verifies ownership with, issued certificates only. A revoked certificate is
refused by clients that check revocation; one still pending validation or timed out cannot be
attached at all ("ACM makes repeated attempts to validate a certificate for 72 hours and then times
out").

## Example
```json
{"Certificate": {"CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/6d5c4b3a-...",
                 "DomainName": "revoked.example.com", "Status": "REVOKED",
                 "RevocationReason": "KEY_COMPROMISE"}}
```
with a domain whose `RegionalCertificateArn` is that ARN.

Use instead: request or import a new certificate and point the domain at it; for
`PENDING_VALIDATION`, complete the DNS validation first.

## References
- https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._certificates import certificate_related, domain_certificates
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain, cert, role, field_name in domain_certificates(model):
        if cert.status is not None and cert.status != "ISSUED":
            yield RULE.finding(
                domain,
                f"the {role} certificate {cert.resource} of {domain.resource} has status {cert.status}, not ISSUED",
                at=field_name, related=certificate_related(cert, f"the certificate ({cert.status})"),
            )


RULE = Rule(
    id="MTLS204", name="certificate-not-issued", severity="error",
    summary="The inventory gives a certificate used by a domain a status other than ISSUED",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/acm/latest/APIReference/API_CertificateDetail.html",),
)
