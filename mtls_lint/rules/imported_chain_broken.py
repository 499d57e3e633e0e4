"""## What it does
Checks that an imported certificate's chain links: the body's issuer is the subject of the first
chain certificate and that certificate's key verifies the body's signature, and so on up the chain
(each certificate's issuer is the next one's subject, and its signature verifies).

## Why is this bad?
ACM wants the chain in order ("If a certificate chain is included, the issuer must be the subject of
one of the certificates in the chain") and serves it as given: a chain from another CA, or a
look-alike intermediate with another key, makes clients fail to build a path to a trusted root,
or fails the import.

## Example
```hcl
resource "aws_acm_certificate" "partner" {
  certificate_body  = file("certs/partner.pem")         # issued by CN=Corp Issuing CA
  certificate_chain = file("certs/other-ca-chain.pem")  # starts with CN=Other Issuing CA
  private_key       = file("certs/partner.key")
}
```

Use instead: the chain the CA delivered with the certificate: issuing CA first, then each CA above
it, up to (optionally) the root.

## References
- https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model, PemCertificate
from mtls_lint.rules._certificates import leaf
from mtls_lint.rules.base import Context, Finding, Rule, related


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for cert in model.certificates:
        body = leaf(cert)
        if body is None or cert.chain is None or not cert.chain.certificates:
            continue
        problem = _first_broken_link([body, *cert.chain.certificates])
        if problem:
            yield RULE.finding(cert, f"the certificate chain of {cert.resource} does not link: {problem}",
                               at="chain", related=[related(cert, "the certificate body", at="body")])


def _first_broken_link(path: list[PemCertificate]) -> str | None:
    from mtls_lint import x509  # cryptography only when there is a chain to check

    for position, (child, parent) in enumerate(zip(path, path[1:], strict=False)):
        if child.self_signed:
            return None  # a root ends the chain; anything after it is not ACM's concern here
        what = "the certificate body" if position == 0 else f"chain certificate {position} ({child.subject})"
        if child.issuer != parent.subject:
            return f"{what} is issued by {child.issuer}, but the next chain certificate is {parent.subject}"
        if not x509.signature_verifies(child, parent):
            return f"the signature of {what} does not verify with the key of {parent.subject}"
    return None


RULE = Rule(
    id="MTLS208", name="imported-chain-broken", severity="warning",
    summary="An imported certificate's chain does not link to its body",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/acm/latest/userguide/import-certificate-prerequisites.html",),
)
