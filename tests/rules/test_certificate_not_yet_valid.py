"""MTLS203 certificate-not-yet-valid."""
from __future__ import annotations

import datetime as dt

from mtls_lint.model import Location
from mtls_lint.rules.certificate_not_yet_valid import RULE
from testing.model_builders import certificate, context, domain, model, pem

ARN = "arn:aws:acm:us-east-1:111122223333:certificate/abc"


def test_future_body_on_a_domain_and_alone():
    used = certificate(arn=ARN, body=pem("import-not-yet-valid-body.pem"))
    (finding,) = RULE.check(model(used, domain(certificate=ARN)), context())
    assert (finding.rule_id, finding.severity, finding.location, finding.resource) == (
        "MTLS203", "error", Location("stacks/api.yaml", 6, 7), "ApiDomain")
    assert finding.message == "the server certificate ApiCert of ApiDomain is not valid until 2027-03-01"
    alone = certificate("aws_acm_certificate.future", path="infra/main.tf", line=8,
                        body=pem("import-not-yet-valid-body.pem"))
    (finding,) = RULE.check(model(alone), context())
    assert (finding.location, finding.message) == (
        Location("infra/main.tf", 10, 7),
        "the imported certificate aws_acm_certificate.future is not valid until 2027-03-01; ACM will not import it")


def test_near_miss_valid_from_now():
    cert = certificate(arn=ARN, not_before=dt.datetime(2026, 12, 4, tzinfo=dt.timezone.utc))
    assert list(RULE.check(model(cert, domain(certificate=ARN)), context())) == []
    assert list(RULE.check(model(certificate(body=pem("import-api-body.pem"))), context())) == []
