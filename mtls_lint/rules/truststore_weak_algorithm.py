"""## What it does
Reports a truststore certificate with a key below RSA-2048 or ECDSA-256 (or a DSA key), or signed
with a hash weaker than SHA-256 (SHA-1, MD5, SHA-224).

## Why is this bad?
API Gateway supports "SHA-256 or stronger; RSA-2048 or stronger; ECDSA-256 or stronger" in the
truststore. A client whose certificate "doesn't use a supported algorithm" fails the TLS handshake
with `403`.

## Example
A truststore holding an RSA-1024 root, or a root signed with `sha1WithRSAEncryption`.

Use instead: a CA with an RSA-2048 (or larger) or ECDSA P-256/P-384 key, signed with SHA-256 or
stronger.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
- https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model, PemCertificate
from mtls_lint.rules._certificates import truststore_related, truststores
from mtls_lint.rules.base import Context, Finding, Rule

WEAK_HASHES = {"md2", "md4", "md5", "sha1", "sha224"}


def weakness(certificate: PemCertificate) -> str | None:
    """What is too weak about a certificate, or None."""
    found = []
    key_type, size = certificate.key_type, certificate.key_size
    if key_type == "RSA" and size is not None and size < 2048:
        found.append(f"an RSA-{size} key")
    elif key_type == "EC" and size is not None and size < 256:
        found.append(f"an EC key of {size} bits ({certificate.curve})")
    elif key_type == "DSA":
        found.append("a DSA key")
    if certificate.signature_hash in WEAK_HASHES:
        found.append(f"a {certificate.signature_hash.upper()} signature")
    return " and ".join(found) or None


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain, bundle in truststores(model):
        for certificate in bundle.certificates:
            weak = weakness(certificate)
            if weak:
                yield RULE.finding(
                    domain,
                    f"{certificate.subject} in the truststore {bundle.location.path} of {domain.resource} has {weak}; "
                    "API Gateway needs SHA-256 or stronger, RSA-2048 or stronger, ECDSA-256 or stronger",
                    at="truststore_uri", related=truststore_related(bundle),
                )


RULE = Rule(
    id="MTLS404", name="truststore-weak-algorithm", severity="error",
    summary="A truststore certificate has a key below RSA-2048/ECDSA-256 or a hash weaker than SHA-256",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
