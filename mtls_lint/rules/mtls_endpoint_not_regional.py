"""## What it does
Reports an mTLS custom domain whose endpoint is EDGE or PRIVATE. A raw CloudFormation
`AWS::ApiGateway::DomainName` or Terraform `aws_api_gateway_domain_name` without an endpoint
configuration is EDGE; SAM and CDK default to REGIONAL.

## Why is this bad?
"To configure mutual TLS for a REST API, you must use a Regional custom domain name." Mutual TLS is
not supported on edge-optimized or private endpoints, so the deployment fails.

## Example
```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    CertificateArn: !Ref ApiCert
    MutualTlsAuthentication:
      TruststoreUri: s3://corp-truststores/api/truststore.pem
```

Use instead:
```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    DomainName: api.example.com
    EndpointConfiguration:
      Types: [REGIONAL]
    RegionalCertificateArn: !Ref ApiCert
    SecurityPolicy: TLS_1_2
    MutualTlsAuthentication:
      TruststoreUri: s3://corp-truststores/api/truststore.pem
```

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._common import mtls_domains
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in mtls_domains(model):
        endpoint = domain.endpoint_type
        if endpoint in ("EDGE", "PRIVATE"):
            implied = " (no endpoint configuration means EDGE)" if domain.endpoint_type_implied else ""
            yield RULE.finding(
                domain,
                f"mTLS domain {domain.resource} is {endpoint}{implied}; mutual TLS needs a REGIONAL endpoint",
                at="endpoint_type",
            )


RULE = Rule(
    id="MTLS301", name="mtls-endpoint-not-regional", severity="error",
    summary="An mTLS domain is EDGE or PRIVATE",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
