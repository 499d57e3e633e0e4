"""## What it does
Reports a truststore version pinned on a domain whose truststore bucket (when it is among the inputs)
does not have versioning `Enabled`.

## Why is this bad?
"To specify a version, you must have versioning enabled for the S3 bucket." Without versioning there
is no object version to pin, and the domain fails to create or update.

## Example
```yaml
TruststoreBucket:
  Type: AWS::S3::Bucket
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    MutualTlsAuthentication:
      TruststoreUri: !Sub s3://${TruststoreBucket}/truststore.pem
      TruststoreVersion: 3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY
```

Use instead:
```yaml
TruststoreBucket:
  Type: AWS::S3::Bucket
  Properties:
    VersioningConfiguration: {Status: Enabled}
```

## References
- https://docs.aws.amazon.com/apigateway/latest/api/API_MutualTlsAuthenticationInput.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules.base import Context, Finding, Rule, related


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in model.domains:
        truststore = domain.truststore
        # A version known only after apply (aws_s3_object.ts.version_id) is still a version set.
        if not domain.asks_for_mtls or truststore is None or truststore.version is None:
            continue
        bucket = model.bucket(truststore, domain)
        if bucket is None or bucket.versioning == "Enabled" or not (bucket.versioning is None
                                                                    or isinstance(bucket.versioning, str)):
            continue
        state = "has no versioning" if bucket.versioning is None else f"has versioning {bucket.versioning}"
        version = f"truststore version {truststore.version}" if isinstance(truststore.version, str) \
            else "a truststore version"
        yield RULE.finding(
            domain,
            f"{domain.resource} pins {version}, but bucket {bucket.resource} {state}; "
            f"enable versioning on the bucket",
            at="truststore_version",
            related=[related(bucket, "the truststore bucket", at="versioning")],
        )


RULE = Rule(
    id="MTLS307", name="truststore-version-unversioned-bucket", severity="error",
    summary="A truststore version is set but the truststore bucket is not versioned",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/api/API_MutualTlsAuthenticationInput.html",),
)
