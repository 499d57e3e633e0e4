"""## What it does
Reports a certificate ARN written on a custom domain (server or ownership verification) that the
inventory does not hold, when that inventory covers the ARN's account and region (a
`list-certificates` export or an `mtls_lint_inventory` bundle for that account and region).

## Why is this bad?
The certificate was deleted (or the ARN is mistyped). The deployment fails with a
`NotFoundException` or `BadRequestException`, and an existing domain can no longer be updated.

## Example
```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    RegionalCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/d3f1c0de-7a2b-4c9d-8e6f-5a4b3c2d1e0f
```
with `--inventory list-certificates-111122223333-us-east-1.json`, which does not list that ARN.

Use instead: the ARN of a certificate that exists (`aws acm list-certificates --includes
keyTypes=...` lists them all; a plain `list-certificates` hides EC and RSA-3072/4096 keys).

## References
- https://docs.aws.amazon.com/acm/latest/APIReference/API_ListCertificates.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._certificates import domain_certificates
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    if not model.covered:
        return
    for domain, cert, role, field_name in domain_certificates(model):
        # A stub made by link from a bare ARN: nothing among the inputs, inventory included, describes it.
        if cert.origin != "arn" or not isinstance(cert.account, str) or not isinstance(cert.region, str):
            continue
        if (cert.account, cert.region) in model.covered:
            yield RULE.finding(
                domain,
                f"the {role} certificate {cert.resource} of {domain.resource} is not in the inventory of account "
                f"{cert.account} in {cert.region}; it was deleted or the ARN is wrong",
                at=field_name,
            )


RULE = Rule(
    id="MTLS205", name="certificate-not-found", severity="error",
    summary="A referenced certificate ARN is missing from an inventory that covers its account and region",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/acm/latest/APIReference/API_ListCertificates.html",),
)
