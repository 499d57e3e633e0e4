"""## What it does
Reports a certificate in a truststore that expires within `--expiry-days` (default 30) of `--now`.

## Why is this bad?
When it lapses, clients chaining through it get `403`, and API Gateway will not tell you: it warns
about truststore certificates only when the domain is updated ("API Gateway doesn't notify you if a
previously uploaded certificate expires").

## Example
A truststore holding `CN=Partner Root CA` with NotAfter 2026-12-20, linted with
`--now 2026-12-04T00:00:00Z` and the default 30-day horizon.

Use instead: add the CA's renewed certificate to the truststore now (old and new side by side),
upload it and update the domain; drop the old one after it expires.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._certificates import day, horizon, now, truststore_related, truststores
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    start, end = now(ctx), horizon(ctx)
    for domain, bundle in truststores(model):
        for certificate in bundle.certificates:
            if start <= certificate.not_after <= end:
                yield RULE.finding(
                    domain,
                    f"{certificate.subject} in the truststore {bundle.location.path} of {domain.resource} "
                    f"expires on {day(certificate.not_after)}",
                    at="truststore_uri", related=truststore_related(bundle),
                )


RULE = Rule(
    id="MTLS403", name="truststore-certificate-expiring", severity="warning",
    summary="A certificate in the truststore expires within --expiry-days",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
