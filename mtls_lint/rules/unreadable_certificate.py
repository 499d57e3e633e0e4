"""## What it does
Reports a PEM file the configuration points at that cannot serve as a certificate: the file is
missing, unreadable, empty or too large (`file()`, `aws_s3_object.source`, `--truststore`, config
`truststores`), an imported certificate's body or chain holds no certificate (DER, a private key,
text), or its private key cannot be used (encrypted, OpenSSH format, not a key). The key's content
is never shown.

## Why is this bad?
ACM imports only PEM: "The certificate, private key, and certificate chain must be PEM-encoded" and
"The private key must be unencrypted". A missing file fails the plan; a file that is not a
certificate fails the import or the upload, and every check of its content is skipped.

## Example
```hcl
resource "aws_acm_certificate" "partner" {
  certificate_body = file("certs/partner.der")
  private_key      = file("certs/partner-encrypted.key")
}
```

Use instead:
```hcl
resource "aws_acm_certificate" "partner" {
  certificate_body  = file("certs/partner.pem")     # openssl x509 -inform der -in partner.der -out partner.pem
  certificate_chain = file("certs/partner-chain.pem")
  private_key       = file("certs/partner.key")     # openssl pkey -in partner-encrypted.key -out partner.key
}
```

## References
- https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for diagnostic in model.diagnostics:
        if diagnostic.rule_id == RULE.id:
            yield Finding(RULE.id, RULE.severity, diagnostic.message, diagnostic.location, diagnostic.resource)
    for cert in model.certificates:
        for part, field_name in (("body", "body"), ("chain", "chain")):
            bundle = getattr(cert, field_name)
            if bundle is not None and not bundle.certificates:
                yield RULE.finding(
                    cert,
                    f"the certificate {part} of {cert.resource} ({bundle.location.path}) is not a PEM certificate: "
                    f"{'; '.join(bundle.problems) or 'no certificate'}",
                    at=field_name,
                )
        key = cert.private_key
        if key is not None and key.problem is not None:
            yield RULE.finding(cert, f"the private key of {cert.resource} ({key.location.path}) cannot be imported: "
                                     f"{key.problem}", at="private_key")


RULE = Rule(
    id="MTLS003", name="unreadable-certificate", severity="error",
    summary="A PEM the configuration points at is missing, empty or not a certificate",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html",),
)
