"""## What it does
Warns when an API mapped to an mTLS custom domain keeps its default `execute-api` endpoint. Both the
`DisableExecuteApiEndpoint` property and the OpenAPI body's
`x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint` are read (SAM writes only the
latter).

## Why is this bad?
"By default, clients can invoke your API by using the execute-api endpoint that API Gateway generates
for your API. To ensure that clients can access your API only by using a custom domain name with
mutual TLS, disable the default execute-api endpoint." Otherwise clients bypass mTLS entirely.

## Example
```yaml
Api:
  Type: AWS::ApiGateway::RestApi
  Properties:
    Name: orders
```

Use instead:
```yaml
Api:
  Type: AWS::ApiGateway::RestApi
  Properties:
    Name: orders
    DisableExecuteApiEndpoint: true
```

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-disable-default-endpoint.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Api, CustomDomain, Model
from mtls_lint.rules._common import mtls_domains
from mtls_lint.rules.base import Context, Finding, Rule, related


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    open_apis: dict[int, tuple[Api, list[CustomDomain]]] = {}
    for domain in mtls_domains(model):
        for api, _mapping in model.apis_of(domain):
            if api.execute_api_endpoint_disabled is False:
                open_apis.setdefault(id(api), (api, []))[1].append(domain)
    for api, domains in open_apis.values():
        at = "disable_execute_api_endpoint" if api.disable_execute_api_endpoint is not None else \
            "body_disable_execute_api_endpoint" if api.body_disable_execute_api_endpoint is not None else None
        yield RULE.finding(
            api,
            f"API {api.resource} is served by mTLS domain {domains[0].resource} but keeps its default "
            f"execute-api endpoint, so clients can bypass mTLS; set DisableExecuteApiEndpoint to true",
            at=at,
            related=[related(domain, "the mTLS domain", at="truststore") for domain in domains],
        )


RULE = Rule(
    id="MTLS305", name="execute-api-endpoint-enabled", severity="warning",
    summary="An API mapped to an mTLS domain keeps its default execute-api endpoint",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
