"""## What it does
Reports a certificate whose NotBefore is after `--now`: one used by a custom domain (server or
ownership verification), or an imported certificate declared in the inputs.

## Why is this bad?
ACM refuses the import: "The current time must be between the Not Before and Not After certificate
fields." A domain pointed at such a certificate cannot be created, and clients would reject it anyway.

## Example
```hcl
resource "aws_acm_certificate" "partner" {
  certificate_body = file("certs/partner.pem")   # NotBefore 2027-03-01, --now 2026-12-04
  private_key      = file("certs/partner.key")
}
```

Use instead: wait until the certificate is valid before importing it, or have the CA issue it with
a NotBefore in the past.

## References
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
        not_before, _ = validity(cert)
        if not_before is not None and not_before > instant:
            yield RULE.finding(
                domain,
                f"the {role} certificate {cert.resource} of {domain.resource} is not valid until {day(not_before)}",
                at=field_name, related=certificate_related(cert, "the certificate that is not yet valid"),
            )
    for cert in standalone_imports(model):
        not_before, _ = validity(cert)
        if not_before is not None and not_before > instant:
            yield RULE.finding(cert, f"the imported certificate {cert.resource} is not valid until "
                                     f"{day(not_before)}; ACM will not import it", at="body")


RULE = Rule(
    id="MTLS203", name="certificate-not-yet-valid", severity="error",
    summary="A certificate's NotBefore is after --now",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html",),
)
