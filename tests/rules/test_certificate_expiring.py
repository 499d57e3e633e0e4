"""MTLS202 certificate-expiring."""
from __future__ import annotations

import datetime as dt

from mtls_lint.model import AMAZON_ISSUED, IMPORTED, Location
from mtls_lint.rules.certificate_expiring import RULE
from testing.model_builders import certificate, context, domain, model, pem

ARN = "arn:aws:acm:us-east-1:111122223333:certificate/4f6a8b2c-3d5e-4a7f-8b9c-0d1e2f3a4b5c"
SOON = dt.datetime(2026, 12, 20, tzinfo=dt.timezone.utc)


def inventory_cert(**fields):
    return certificate(ARN, origin="inventory", arn=ARN, not_after=SOON, **fields)


def test_imported_certificate_expiring_within_the_horizon():
    (finding,) = RULE.check(model(inventory_cert(kind=IMPORTED), domain(certificate=ARN)), context())
    assert (finding.rule_id, finding.severity, finding.location) == (
        "MTLS202", "warning", Location("stacks/api.yaml", 6, 7))
    assert finding.message == (f"the server certificate {ARN} of ApiDomain expires on 2026-12-20 "
                               "and ACM will not renew it")


def test_ineligible_amazon_certificate_and_pem_body():
    cert = inventory_cert(kind=AMAZON_ISSUED, renewal_eligibility="INELIGIBLE")
    assert len(list(RULE.check(model(cert, domain(certificate=ARN)), context()))) == 1
    body = certificate("aws_acm_certificate.soon", path="infra/main.tf", line=1, body=pem("import-expiring-body.pem"))
    (finding,) = RULE.check(model(body), context())
    assert finding.location == Location("infra/main.tf", 3, 7)


def test_near_misses():
    renewable = inventory_cert(kind=AMAZON_ISSUED, renewal_eligibility="ELIGIBLE")
    assert list(RULE.check(model(renewable, domain(certificate=ARN)), context())) == []
    imported = inventory_cert(kind=IMPORTED)
    assert list(RULE.check(model(imported, domain(certificate=ARN)), context(expiry_days=15))) == []
    expired = certificate(ARN, origin="inventory", arn=ARN, kind=IMPORTED,
                          not_after=dt.datetime(2026, 12, 3, tzinfo=dt.timezone.utc))
    assert list(RULE.check(model(expired, domain(certificate=ARN)), context())) == []
