"""## What it does
Reports an `AWS::ApiGatewayV2::DomainName` (Terraform `aws_apigatewayv2_domain_name`) that does not have
exactly one `DomainNameConfigurations` entry.

## Why is this bad?
API Gateway answers `BadRequestException: Invalid input. Expected one domain name configuration`.

## Example
```yaml
HttpDomain:
  Type: AWS::ApiGatewayV2::DomainName
  Properties:
    DomainName: api.example.com
    DomainNameConfigurations:
      - CertificateArn: !Ref ApiCert
      - CertificateArn: !Ref OtherCert
```

Use instead:
```yaml
HttpDomain:
  Type: AWS::ApiGatewayV2::DomainName
  Properties:
    DomainName: api.example.com
    DomainNameConfigurations:
      - CertificateArn: !Ref ApiCert
        EndpointType: REGIONAL
        SecurityPolicy: TLS_1_2
```

## References
- https://github.com/hashicorp/terraform-provider-aws/issues/18312
- https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/domainnames.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import HTTP, Model
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in model.domains:
        count = domain.configuration_count
        if domain.kind == HTTP and isinstance(count, int) and count != 1:
            yield RULE.finding(
                domain,
                f"{domain.resource} has {count} domain name configurations; API Gateway expects exactly one",
                at="configurations",
            )


RULE = Rule(
    id="MTLS310", name="http-domain-configuration-count", severity="error",
    summary="An HTTP API domain does not have exactly one domain name configuration",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/domainnames.html",),
)
