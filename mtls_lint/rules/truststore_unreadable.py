"""## What it does
Reports a truststore whose content (from `--truststore`, config `truststores`, a Terraform
`aws_s3_object` or a CDK asset) is not a clean PEM bundle of certificates: no certificate at all,
DER instead of PEM, text between the certificate blocks, a block that does not parse, or a private
key inside. Text before the first and after the last block (as `openssl x509 -text` writes) is fine.

## Why is this bad?
"Truststores are text files with a .pem file extension", a list of PEM certificates. API Gateway
rejects a truststore it cannot parse, and a private key in the truststore is a leaked secret: the
truststore is readable by whoever can read the bucket.

## Example
```
-----BEGIN CERTIFICATE-----
MIIC...
-----END CERTIFICATE-----
copied from the wiki on 2026-03-01
-----BEGIN CERTIFICATE-----
MIID...
-----END CERTIFICATE-----
```

Use instead: certificate blocks only (`cat issuing-ca.pem root-ca.pem > truststore.pem`), and keep
private keys out of the file.

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
        if bundle.problems:
            yield RULE.finding(
                domain,
                f"the truststore {bundle.location.path} of {domain.resource} is not a clean PEM bundle of "
                f"certificates: {'; '.join(bundle.problems)}",
                at="truststore_uri", related=truststore_related(bundle),
            )


RULE = Rule(
    id="MTLS401", name="truststore-unreadable", severity="error",
    summary="The truststore is not a PEM bundle of certificates",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
