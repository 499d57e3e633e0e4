"""## What it does
Warns when the truststore bucket is versioned but the domain pins no truststore version.

## Why is this bad?
API Gateway reads the truststore when the domain is created or updated; uploading a new object does
nothing until the domain is updated ("upload a new version to S3, and then update your custom domain
name to use the new version"). Without a pinned version, which truststore is live is not reviewable
and a change to it never shows in a deployment diff.

## Example
```yaml
MutualTlsAuthentication:
  TruststoreUri: !Sub s3://${TruststoreBucket}/truststore.pem
```

Use instead:
```yaml
MutualTlsAuthentication:
  TruststoreUri: !Sub s3://${TruststoreBucket}/truststore.pem
  TruststoreVersion: 3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY
```

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules.base import Context, Finding, Rule, related


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in model.domains:
        truststore = domain.truststore
        if not domain.is_mtls or truststore is None or truststore.version is not None:
            continue
        bucket = model.bucket(truststore, domain)
        if bucket is not None and bucket.versioning == "Enabled":
            yield RULE.finding(
                domain,
                f"{domain.resource} pins no truststore version although bucket {bucket.resource} is versioned; "
                f"a new upload is not picked up until the domain is updated",
                at="truststore",
                related=[related(bucket, "the versioned truststore bucket", at="versioning")],
            )


RULE = Rule(
    id="MTLS308", name="truststore-version-unpinned", severity="warning",
    summary="The truststore bucket is versioned but no truststore version is pinned",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
