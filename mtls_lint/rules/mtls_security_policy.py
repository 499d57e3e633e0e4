"""## What it does
Reports an mTLS custom domain whose security policy is `TLS_1_0` or an enhanced `SecurityPolicy_*`
policy (error), and notes one that sets no security policy at all.

## Why is this bad?
Mutual TLS needs a minimum of TLS 1.2, and "you can't enable mutual TLS on a domain name that uses
an enhanced security policy". Without an explicit policy the domain depends on a default that differs
between APIs and tools, and drift goes unnoticed.

## Example
```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    SecurityPolicy: TLS_1_0
```

Use instead:
```yaml
ApiDomain:
  Type: AWS::ApiGateway::DomainName
  Properties:
    SecurityPolicy: TLS_1_2
```

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
- https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html
"""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._common import mtls_domains
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain in mtls_domains(model):
        policy = domain.security_policy
        if policy is None:
            yield RULE.finding(domain, f"mTLS domain {domain.resource} sets no security policy; set TLS_1_2",
                               at="security_policy", severity="note")
        elif policy == "TLS_1_0":
            yield RULE.finding(domain, f"mTLS domain {domain.resource} uses TLS_1_0; mutual TLS needs TLS_1_2",
                               at="security_policy")
        elif isinstance(policy, str) and policy.startswith("SecurityPolicy_"):
            yield RULE.finding(
                domain,
                f"mTLS domain {domain.resource} uses the enhanced security policy {policy}; mutual TLS "
                f"cannot be enabled with enhanced policies, use TLS_1_2",
                at="security_policy",
            )


RULE = Rule(
    id="MTLS302", name="mtls-security-policy", severity="error",
    summary="An mTLS domain's security policy is TLS_1_0 or an enhanced policy (note when unset)",
    check=check, doc=__doc__ or "",
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-custom-domain-tls-version.html",),
)
