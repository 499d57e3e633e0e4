"""## What it does
Finds two server certificates of mTLS custom domains in the same region whose names overlap (equal,
or a wildcard `*.example.com` and a name one label under it) but that come from different issuers:
Amazon, an ACM Private CA, or the CA that signed an imported certificate. Certificates from every
input, in any account, and the inventory's existing mTLS domains all count.

## Why is this bad?
For mutual TLS, API Gateway allows one issuer per certificate subject in a region. The second domain
fails to create or update with "The certificate subject <subject> conflicts with an existing
certificate from a different issuer." Accounts of one organisation conflict too, so the clash often
shows up only when another team deploys.

## Example
```yaml
# stack A
ApiCert:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: api.example.com
# stack B, same region
PartnerCert:
  Type: AWS::CertificateManager::Certificate
  Properties:
    DomainName: "*.example.com"
    CertificateAuthorityArn: arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555
```

Use instead: get every certificate for `example.com` names used by mTLS domains in the region from
one issuer (for example, both from ACM, or both from the same Private CA).

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html#rest-api-mutual-tls-conflict
- https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-mutual-tls.html
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from mtls_lint.model import Certificate, CustomDomain, Model, parent_of
from mtls_lint.rules._common import (
    issuer_identities,
    known_issuer,
    known_names,
    mtls_domains,
    region_group,
    region_text,
    server_certificate,
)
from mtls_lint.rules.base import Context, Finding, Rule, related

Entry = tuple[CustomDomain, Certificate, str]  # domain, its server certificate, that certificate's issuer


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    # (region, name) -> entries certifying exactly that name; (region, parent) -> wildcard entries.
    exact: dict[tuple[tuple[str, str], str], list[Entry]] = defaultdict(list)
    wildcards: dict[tuple[tuple[str, str], str], list[Entry]] = defaultdict(list)
    servers = [(domain, server_certificate(model, domain)) for domain in mtls_domains(model)]
    identity = issuer_identities(i for _, cert in servers if (i := known_issuer(cert)) is not None)
    for domain, cert in servers:
        issuer = known_issuer(cert)
        if cert is None or issuer is None:
            continue
        region = region_group(model, domain)
        for name in known_names(cert):
            exact[(region, name)].append((domain, cert, issuer))
            if name.startswith("*."):
                wildcards[(region, name[2:])].append((domain, cert, issuer))
    reported: set[tuple[int, int]] = set()  # (domain, the other certificate): one finding each
    for (region, name), entries in sorted(exact.items()):
        others = list(entries)
        if not name.startswith("*."):
            others += wildcards.get((region, parent_of(name)), [])
        for mine in entries:
            for theirs in others:
                # Fn::If branches of one domain are alternatives, never deployed together.
                if identity[mine[2]] == identity[theirs[2]] or _same_resource(mine[0], theirs[0]):
                    continue
                for a, b in ((mine, theirs), (theirs, mine)):
                    if (id(a[0]), id(b[1])) not in reported:
                        reported.add((id(a[0]), id(b[1])))
                        yield _finding(a, b, name, model.region_of(a[0]))


def _same_resource(a: CustomDomain, b: CustomDomain) -> bool:
    return (a.source, a.resource) == (b.source, b.resource)


def _finding(mine: Entry, theirs: Entry, name: str, region: str | None) -> Finding:
    domain, cert, issuer = mine
    other_domain, other_cert, other_issuer = theirs
    accounts = ""
    if isinstance(domain.account, str) and isinstance(other_domain.account, str) \
            and domain.account != other_domain.account:
        accounts = f" (accounts {domain.account} and {other_domain.account})"
    message = (f"{name} is certified by {issuer} ({cert.resource}) and by {other_issuer} "
               f"({other_cert.resource}) {region_text(region)}{accounts}; API Gateway allows one issuer per "
               f"subject for mTLS domains")
    return RULE.finding(domain, message, at="certificate", related=[
        related(other_domain, f"the other certificate: {other_cert.resource} on {other_domain.resource}",
                at="certificate")])


RULE = Rule(
    id="MTLS101", name="mixed-issuer-subject", severity="error",
    summary="Two mTLS domains in one region have overlapping certificate names from different issuers",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
