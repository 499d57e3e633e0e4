"""## What it does
Reports a certificate in a truststore that is expired at `--now`.

## Why is this bad?
API Gateway only warns about it ("Mutual TLS is still enabled, but some clients might not be able to
access your API"), and only when the domain is created or updated: "API Gateway doesn't notify you if
a previously uploaded certificate expires." Clients whose certificates chain through it get `403`.

## Example
A truststore holding `CN=Partner Root CA` with NotAfter 2025-06-01, linted with
`--now 2026-12-04T00:00:00Z`.

Use instead: replace the CA certificate with its renewed version, upload the new truststore to S3
and update the domain (pin the new `TruststoreVersion`).

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._certificates import day, now, truststore_related, truststores
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    instant = now(ctx)
    for domain, bundle in truststores(model):
        for certificate in bundle.certificates:
            if certificate.not_after < instant:
                yield RULE.finding(
                    domain,
                    f"{certificate.subject} in the truststore {bundle.location.path} of {domain.resource} "
                    f"expired on {day(certificate.not_after)}",
                    at="truststore_uri", related=truststore_related(bundle),
                )


RULE = Rule(
    id="MTLS402", name="truststore-certificate-expired", severity="error",
    summary="A certificate in the truststore is expired",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
