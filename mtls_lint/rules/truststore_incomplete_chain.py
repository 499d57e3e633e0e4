"""## What it does
Reports a truststore certificate that is not self-signed and whose issuer is not in the truststore:
the chain stops before a root.

## Why is this bad?
"You must include the complete chain of trust, starting from the issuing CA certificate, up to the
root CA certificate, in your truststore." A truststore with only the issuing CA (or only the root
and not the intermediate) makes API Gateway reject the clients' certificates with `403`.

## Example
A truststore holding `CN=Corp Issuing CA`, issued by `CN=Corp Root CA`, without `CN=Corp Root CA`.

Use instead: `cat issuing-ca.pem root-ca.pem > truststore.pem`.

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
        subjects = {certificate.subject for certificate in bundle.certificates}
        for certificate in bundle.certificates:
            if not certificate.self_signed and certificate.issuer not in subjects:
                yield RULE.finding(
                    domain,
                    f"{certificate.subject} in the truststore {bundle.location.path} of {domain.resource} is issued "
                    f"by {certificate.issuer}, which is not in the truststore; include the chain up to the root",
                    at="truststore_uri", related=truststore_related(bundle),
                )


RULE = Rule(
    id="MTLS405", name="truststore-incomplete-chain", severity="error",
    summary="A truststore certificate's issuer is not in the truststore and it is not self-signed",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
