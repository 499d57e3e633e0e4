"""## What it does
Reports a truststore URI that is not of the form `s3://bucket/key`.

## Why is this bad?
API Gateway reads the truststore from "an Amazon S3 URL that specifies the truststore for mutual TLS
authentication, for example s3://bucket-name/key-name". An `https://` object URL, an ARN, a bucket
without a key or a leftover placeholder fails the deployment.

## Example
```yaml
MutualTlsAuthentication:
  TruststoreUri: https://corp-truststores.s3.amazonaws.com/api/truststore.pem
```

Use instead:
```yaml
MutualTlsAuthentication:
  TruststoreUri: s3://corp-truststores/api/truststore.pem
```

## References
- https://docs.aws.amazon.com/apigateway/latest/api/API_MutualTlsAuthenticationInput.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in model.domains:
        truststore = domain.truststore
        if domain.asks_for_mtls and truststore is not None and isinstance(truststore.uri, str) \
                and truststore.bucket is None:
            yield RULE.finding(
                domain,
                f"truststore URI {truststore.uri!r} of {domain.resource} is not of the form s3://bucket/key",
                at="truststore_uri",
            )


RULE = Rule(
    id="MTLS306", name="truststore-uri-invalid", severity="error",
    summary="The truststore URI is not of the form s3://bucket/key",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/api/API_MutualTlsAuthenticationInput.html",),
)
