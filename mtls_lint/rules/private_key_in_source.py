"""## What it does
Reports an imported certificate whose private key is committed to the repository: written inline in
the configuration, or read with `file()` from a file inside the scanned tree. The key's bytes are
never printed; the finding names the file only.

## Why is this bad?
Anyone who can read the repository, its forks, its CI logs or its history can impersonate the
domain. Removing the file later does not remove it from history: the key must be rotated.

## Example
```hcl
resource "aws_acm_certificate" "partner" {
  certificate_body = file("${path.module}/certs/partner.pem")
  private_key      = file("${path.module}/certs/partner.key")   # committed next to the code
}
```

Use instead: keep the key out of the repository, e.g. in AWS Secrets Manager or SSM Parameter Store
(SecureString), and read it at apply time:
```hcl
data "aws_secretsmanager_secret_version" "partner_key" {
  secret_id = "tls/partner/private-key"
}
resource "aws_acm_certificate" "partner" {
  certificate_body = file("${path.module}/certs/partner.pem")
  private_key      = data.aws_secretsmanager_secret_version.partner_key.secret_string
}
```

## References
- https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html
- https://docs.github.com/en/code-security/secret-scanning/about-secret-scanning
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for cert in model.certificates:
        key = cert.private_key
        if key is not None and key.committed:
            # The key's own location: a .tf file (inline), the key file (file()), or the plan, which holds it too.
            yield RULE.finding(cert, f"the private key of {cert.resource} is committed to the repository "
                                     f"(in {key.location.path}); "
                                     "move it to a secret store and rotate it", at="private_key")


RULE = Rule(
    id="MTLS501", name="private-key-in-source", severity="warning",
    summary="An imported certificate's private key is committed in the repository",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/secretsmanager/latest/userguide/intro.html",),
)
