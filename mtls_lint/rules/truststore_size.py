"""## What it does
Notes a truststore file larger than 1,000 KB.

## Why is this bad?
AWS publishes no truststore size or certificate-count quota, but a third-party measurement found
API Gateway accepting truststores only below about 1,000 KB (929 certificates at 999 KB). A larger
file may be rejected at deployment; this is an observed limit, hence a note.

## Example
A truststore concatenating a whole public CA bundle (`/etc/ssl/certs/ca-certificates.crt`).

Use instead: only the CAs that issue your clients' certificates; split tenants across domains if
they need different CAs.

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
- https://github.com/boomtown15/serverless-samples-apigw-mtls-multi-tenant
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._certificates import truststore_related, truststores
from mtls_lint.rules.base import Context, Finding, Rule

LIMIT_BYTES = 1000 * 1024


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain, bundle in truststores(model):
        if bundle.size > LIMIT_BYTES:
            yield RULE.finding(
                domain,
                f"the truststore {bundle.location.path} of {domain.resource} is {bundle.size // 1024} KB "
                f"({len(bundle.certificates)} certificates); API Gateway was observed to reject truststores "
                "of 1,000 KB or more",
                at="truststore_uri", related=truststore_related(bundle),
            )


RULE = Rule(
    id="MTLS409", name="truststore-size", severity="note",
    summary="The truststore is over 1,000 KB (an observed, undocumented service limit)",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
