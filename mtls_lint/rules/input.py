"""Rules that report what the readers met: inputs that cannot be read, references that cannot be followed."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from mtls_lint.model import Certificate, CustomDomain, Location, Model, Severity, Unknown
from mtls_lint.rules._common import server_certificate
from mtls_lint.rules.base import Context, Finding, Rule

UNPARSEABLE_DOC = """\
## What it does
Reports an input that claims to be a CloudFormation or SAM template, a CDK assembly, a Terraform
file or plan, but cannot be read: a syntax error, a bad encoding, a YAML alias bomb, nesting or size
beyond limits, or a SAM property that SAM's transform rejects.

## Why is this bad?
Nothing in an unreadable input can be checked, and CloudFormation, SAM or Terraform will reject it
at deployment anyway. The message says where reading stopped.

## Example
```yaml
Resources:
  ApiDomain:
    Type: AWS::ApiGateway::DomainName
    Properties: [
```

Use instead:
```yaml
Resources:
  ApiDomain:
    Type: AWS::ApiGateway::DomainName
    Properties:
      DomainName: api.example.com
```

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html
"""

UNRESOLVED_DOC = """\
## What it does
Notes a value that matters to a rule but cannot be known before deployment: a `Ref` to a parameter
without a default, an `Fn::ImportValue` with no matching export among the inputs, an ARN that Terraform
knows only after apply. The rules that needed the value stay silent instead of guessing.

## Why is this bad?
It is not wrong in itself; it tells you which checks could not run. Give the parameter a default,
lint the exporting stack in the same run, or pass an inventory, and the checks run.

## Example
```yaml
Parameters:
  CertArn:
    Type: String
Resources:
  ApiDomain:
    Type: AWS::ApiGateway::DomainName
    Properties:
      RegionalCertificateArn: !Ref CertArn
```

Use instead:
```yaml
Parameters:
  CertArn:
    Type: String
    Default: arn:aws:acm:us-east-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666
```

## References
- https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/parameters-section-structure.html
"""


def diagnostic_rule(*, id: str, severity: Severity, **fields: Any) -> Rule:
    """A rule whose findings are the readers' diagnostics with its ID (MTLS001, MTLS003)."""

    def check(model: Model, ctx: Context) -> Iterator[Finding]:
        for diagnostic in model.diagnostics:
            if diagnostic.rule_id == id:
                yield Finding(id, severity, diagnostic.message, diagnostic.location, diagnostic.resource)

    return Rule(id=id, severity=severity, check=check, **fields)


def check_unresolved(model: Model, ctx: Context) -> Iterator[Finding]:
    seen: set[tuple[Location, str]] = set()
    for domain in model.domains:
        if not domain.asks_for_mtls:
            continue
        for unknown, where, what in _unknowns(model, domain):
            location = unknown.location or where
            if (location, unknown.reason) in seen:
                continue
            seen.add((location, unknown.reason))
            finding = UNRESOLVED.finding(domain, f"{unknown.reason}: {what} could not be checked")
            yield finding._replace(location=location)


def _unknowns(model: Model, domain: CustomDomain) -> Iterator[tuple[Unknown, Location, str]]:
    truststore = domain.truststore
    fields = [
        (domain.domain_name, "domain_name", f"the domain name of {domain.resource}"),
        (domain.endpoint_type, "endpoint_type", f"the endpoint type of {domain.resource}"),
        (model.certificate(domain.certificate, domain), "certificate", f"the server certificate of {domain.resource}"),
        (model.certificate(domain.ownership_certificate, domain), "ownership_certificate",
         f"the ownership verification certificate of {domain.resource}"),
    ]
    # A URI built from a bucket reference is unknown as text, but its bucket and key are known: enough.
    if truststore is not None and (truststore.bucket is None or isinstance(truststore.bucket, Unknown)):
        fields.append((truststore.uri, "truststore_uri", f"the truststore of {domain.resource}"))
    for value, field, what in fields:
        if isinstance(value, Unknown):
            yield value, domain.where(field), what
    cert = server_certificate(model, domain)
    if isinstance(cert, Certificate) and cert.origin == "declared" and isinstance(cert.issuer, Unknown) \
            and cert.issuer.location is not None:
        yield cert.issuer, cert.location, f"the issuer of {cert.resource}"
    for api, _ in model.apis_of(domain):
        flag = api.execute_api_endpoint_disabled
        if isinstance(flag, Unknown):
            yield flag, api.where("disable_execute_api_endpoint"), f"the execute-api endpoint of {api.resource}"


UNPARSEABLE = diagnostic_rule(
    id="MTLS001", name="unparseable-input", severity="error",
    summary="An input that claims to be a template, plan, assembly or .tf file cannot be parsed",
    doc=UNPARSEABLE_DOC,
    references=("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-formats.html",),
)
UNRESOLVED = Rule(
    id="MTLS002", name="unresolved-reference", severity="note",
    summary="A reference a rule needs cannot be resolved before deployment, so the rule could not decide",
    check=check_unresolved, doc=UNRESOLVED_DOC,
    references=("https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html",),
)
