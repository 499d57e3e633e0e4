"""## What it does
Reports an imported certificate whose key ACM cannot import: RSA of a size other than 1024, 2048,
3072 or 4096 bits, an elliptic curve other than P-256, P-384 or P-521, or another key type (Ed25519,
DSA). RSA-1024 imports but is weak, and is reported as a warning. Read from the PEM body, or from the
inventory's `KeyAlgorithm` for certificates already imported.

## Why is this bad?
ACM imports "RSA 1024/2048/3072/4096" and "ECDSA 256, 384, 521" keys only; anything else fails the
import. RSA-1024 is below every current baseline (API Gateway itself asks for RSA-2048 or stronger
in truststores).

## Example
```hcl
resource "aws_acm_certificate" "partner" {
  certificate_body = file("certs/partner-ed25519.pem")
  private_key      = file("certs/partner-ed25519.key")
}
```

Use instead: a certificate with an RSA-2048 (or larger) or ECDSA P-256/P-384 key.

## References
- https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import IMPORTED, Certificate, Model, PemCertificate, Severity
from mtls_lint.rules._certificates import leaf
from mtls_lint.rules.base import Context, Finding, Rule

IMPORTABLE_RSA = {1024, 2048, 3072, 4096}
IMPORTABLE_CURVES = {"secp256r1": "P-256", "secp384r1": "P-384", "secp521r1": "P-521"}
# ACM KeyAlgorithm values (normalised by the inventory reader) that import, and the weak one.
IMPORTABLE_KEY_ALGORITHMS = {"RSA_1024", "RSA_2048", "RSA_3072", "RSA_4096",
                             "EC_prime256v1", "EC_secp384r1", "EC_secp521r1"}


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for cert in model.certificates:
        verdict = _from_body(leaf(cert)) if cert.body is not None else _from_inventory(cert)
        if verdict is None:
            continue
        description, severity = verdict
        if severity == "warning":
            message = f"the imported certificate {cert.resource} has a {description} key; use RSA-2048 or stronger"
        else:
            message = (f"the imported certificate {cert.resource} has a {description} key, which ACM cannot import "
                       "(RSA 1024-4096 or ECDSA P-256/P-384/P-521 only)")
        yield RULE.finding(cert, message, at="body" if cert.body is not None else None, severity=severity)


def _from_body(body: PemCertificate | None) -> tuple[str, Severity] | None:
    if body is None:
        return None
    if body.key_type == "RSA":
        if body.key_size == 1024:
            return "RSA-1024", "warning"
        return None if body.key_size in IMPORTABLE_RSA else (f"RSA-{body.key_size}", "error")
    if body.key_type == "EC":
        return None if body.curve in IMPORTABLE_CURVES else (f"EC {body.curve}", "error")
    return body.key_type, "error"


def _from_inventory(cert: Certificate) -> tuple[str, Severity] | None:
    # What ACM already holds was importable; only its weak RSA-1024 is worth saying.
    if cert.kind == IMPORTED and cert.key_algorithm == "RSA_1024":
        return "RSA-1024", "warning"
    return None


RULE = Rule(
    id="MTLS209", name="certificate-key-algorithm", severity="error",
    summary="An imported certificate's key is one ACM cannot import (warning for RSA-1024)",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html",),
)
