"""## What it does
Reports mutual TLS asked for where API Gateway does not support it: an `AWS::ApiGateway::DomainNameV2`
(private custom domain), or a SAM `Domain` with `EndpointConfiguration: PRIVATE`.

## Why is this bad?
"Mutual TLS isn't supported for private APIs." `AWS::ApiGateway::DomainNameV2` has no
`MutualTlsAuthentication` property, and SAM silently drops it for PRIVATE domains: the template
deploys, and the domain has no mTLS at all.

## Example
```yaml
Api:
  Type: AWS::Serverless::Api
  Properties:
    Domain:
      DomainName: api.internal.example.com
      EndpointConfiguration: PRIVATE
      MutualTlsAuthentication: {TruststoreUri: s3://corp-truststores/api/truststore.pem}
```

Use instead: a REGIONAL domain for mTLS, or a private domain without mTLS (authenticate clients
another way, for example with a resource policy or a Lambda authorizer).

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import REST_PRIVATE, Model
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in model.domains:
        if domain.kind == REST_PRIVATE and domain.asks_for_mtls:
            yield RULE.finding(
                domain,
                f"{domain.resource} is a private custom domain, where mutual TLS is not supported; "
                f"its truststore is ignored",
                at="truststore",
            )


RULE = Rule(
    id="MTLS309", name="mtls-unsupported-domain-type", severity="error",
    summary="mTLS is asked for on a private custom domain, where API Gateway does not support it",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
