"""## What it does
Follows each truststore certificate up through its issuers in the same truststore and reports a
chain of more than four certificates (counted from the lowest CA in the truststore to its root).

## Why is this bad?
"Certificates can have a maximum chain length of four." Client certificates issued under a deeper
hierarchy fail the handshake with `403`.

## Example
A truststore holding a root and four intermediates, each issued by the one above.

Use instead: have clients' certificates issued by a CA at most three levels below the root (root plus
three intermediates).

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model, PemCertificate
from mtls_lint.rules._certificates import truststore_related, truststores
from mtls_lint.rules.base import Context, Finding, Rule

MAX_CHAIN = 4


def chain_from(certificate: PemCertificate, by_subject: dict[str, PemCertificate]) -> list[PemCertificate]:
    """The certificate and its issuers found in the truststore, up to a root, a gap or a loop."""
    chain = [certificate]
    seen = {certificate.fingerprint}
    while not chain[-1].self_signed:
        parent = by_subject.get(chain[-1].issuer)
        if parent is None or parent.fingerprint in seen:
            break
        chain.append(parent)
        seen.add(parent.fingerprint)
    return chain


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain, bundle in truststores(model):
        by_subject: dict[str, PemCertificate] = {}
        for certificate in bundle.certificates:
            by_subject.setdefault(certificate.subject, certificate)
        issuers = {c.issuer for c in bundle.certificates if not c.self_signed}
        # Start only from the lowest certificates (nothing in the bundle names them as issuer): one
        # finding per over-long chain, not one per certificate on it.
        for certificate in bundle.certificates:
            if certificate.subject in issuers:
                continue
            chain = chain_from(certificate, by_subject)
            if len(chain) > MAX_CHAIN:
                yield RULE.finding(
                    domain,
                    f"the chain from {certificate.subject} to {chain[-1].subject} in the truststore "
                    f"{bundle.location.path} of {domain.resource} is {len(chain)} certificates long; "
                    f"API Gateway accepts at most {MAX_CHAIN}",
                    at="truststore_uri", related=truststore_related(bundle),
                )


RULE = Rule(
    id="MTLS406", name="truststore-chain-too-long", severity="error",
    summary="A truststore chain is longer than four certificates",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
