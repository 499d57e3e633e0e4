"""## What it does
Reports a truststore certificate without `basicConstraints CA:TRUE`: a leaf (client or server)
certificate, or an old certificate without the extension.

## Why is this bad?
A truststore is "a trusted list of certificates from Certificate Authorities". A leaf certificate
there usually means the wrong file was concatenated (a client certificate instead of its issuer), and
clients issued by the real CA get `403`. AWS does not document whether API Gateway rejects non-CA
entries outright, hence a warning.

## Example
A truststore holding `CN=Corp Root CA` and `CN=client1.example.com` (CA:FALSE).

Use instead: the issuing CA and the CAs above it only.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._certificates import truststore_related, truststores
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain, bundle in truststores(model):
        for certificate in bundle.certificates:
            if certificate.is_ca is True:
                continue
            why = "is not a CA (CA:FALSE)" if certificate.is_ca is False else "has no basicConstraints extension"
            yield RULE.finding(
                domain,
                f"{certificate.subject} in the truststore {bundle.location.path} of {domain.resource} {why}; "
                "a truststore holds CA certificates",
                at="truststore_uri", related=truststore_related(bundle),
            )


RULE = Rule(
    id="MTLS407", name="truststore-non-ca-certificate", severity="warning",
    summary="A truststore certificate is not a CA (no basicConstraints CA:TRUE)",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
