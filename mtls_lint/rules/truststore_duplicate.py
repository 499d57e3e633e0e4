"""## What it does
Reports a truststore that holds the same certificate twice, or two different certificates with the
same subject DN (for example an expired CA certificate next to its renewal).

## Why is this bad?
Duplicates make the file larger and reviews harder. Two certificates with one subject but different
keys are worse: chain building by name may pick the wrong one, and a third-party test of API Gateway
observed duplicate subject DNs "Rejected at import" (not documented by AWS, hence a warning).

## Example
A truststore holding `CN=Corp Root CA` twice, or the 2016 and the 2026 `CN=Corp Root CA`.

Use instead: each CA once; when a CA is renewed with a new key, give the new certificate a distinct
subject (for example `CN=Corp Root CA G2`).

## References
- https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html
- https://github.com/boomtown15/serverless-samples-apigw-mtls-multi-tenant
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator

from mtls_lint.model import Model
from mtls_lint.rules._certificates import truststore_related, truststores
from mtls_lint.rules.base import Context, Finding, Rule


def check(model: Model, ctx: Context) -> Iterator[Finding]:
    for domain, bundle in truststores(model):
        copies = Counter(certificate.fingerprint for certificate in bundle.certificates)
        subjects: dict[str, set[str]] = defaultdict(set)
        for certificate in bundle.certificates:
            subjects[certificate.subject].add(certificate.fingerprint)
        where = f"in the truststore {bundle.location.path} of {domain.resource}"
        reported: set[str] = set()
        for certificate in bundle.certificates:
            if certificate.subject in reported:
                continue
            if len(subjects[certificate.subject]) > 1:
                message = (f"{len(subjects[certificate.subject])} different certificates have the subject "
                           f"{certificate.subject} {where}")
            elif copies[certificate.fingerprint] > 1:
                message = f"{certificate.subject} appears {copies[certificate.fingerprint]} times {where}"
            else:
                continue
            reported.add(certificate.subject)
            yield RULE.finding(domain, message, at="truststore_uri", related=truststore_related(bundle))


RULE = Rule(
    id="MTLS408", name="truststore-duplicate", severity="warning",
    summary="The same certificate, or two certificates with the same subject, appear in the truststore",
    check=check, doc=__doc__ or "", single_template=False,
    references=("https://docs.aws.amazon.com/apigateway/latest/developerguide/rest-api-mutual-tls.html",),
)
