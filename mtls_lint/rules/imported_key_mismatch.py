"""## What it does
Compares an imported certificate's private key with the public key in its body, by fingerprint of
the public key, and reports a key that belongs to another certificate. The key itself is never shown.

## Why is this bad?
"You must enter the private key that matches the certificate you are importing." ACM rejects the
import, so the apply fails halfway, often after the files were rotated by hand.

## Example
```hcl
resource "aws_acm_certificate" "partner" {
  certificate_body = file("certs/partner-2026.pem")
  private_key      = file("certs/partner-2025.key")   # last year's key
}
```

Use instead: the key generated with the certificate's signing request (`openssl x509 -noout -pubkey
-in cert.pem` and `openssl pkey -pubout -in key.pem` print the same public key).

## References
- https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._certificates import leaf
from mtls_lint.rules.base import Context, Finding, Rule, related


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for cert in model.certificates:
        body, key = leaf(cert), cert.private_key
        if body is None or key is None or key.public_key_fingerprint is None:
            continue
        if key.public_key_fingerprint != body.public_key_fingerprint:
            yield RULE.finding(
                cert,
                f"the private key of {cert.resource} ({key.location.path}) does not match the public key of its "
                f"certificate body ({body.subject}); ACM will refuse the import",
                at="private_key", related=[related(cert, "the certificate body", at="body")],
            )


RULE = Rule(
    id="MTLS207", name="imported-key-mismatch", severity="error",
    summary="An imported certificate's private key does not match its public key",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html",),
)
