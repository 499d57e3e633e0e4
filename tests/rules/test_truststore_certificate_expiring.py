"""MTLS403 truststore-certificate-expiring."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.truststore_certificate_expiring import RULE
from testing.model_builders import context, domain, model, pem


def test_expiring_ca():
    (finding,) = RULE.check(model(domain(truststore=pem("truststore-expiring-ca.pem"))), context())
    assert (finding.rule_id, finding.severity, finding.location) == (
        "MTLS403", "warning", Location("stacks/api.yaml", 8, 9))
    assert finding.message == ("CN=Expiring Root CA in the truststore fixtures/pem/truststore-expiring-ca.pem of "
                               "ApiDomain expires on 2026-12-20")


def test_near_misses():
    m = model(domain(truststore=pem("truststore-expiring-ca.pem")))
    assert list(RULE.check(m, context(expiry_days=15))) == []  # 2026-12-20 is 16 days away
    assert list(RULE.check(model(domain(truststore=pem("truststore-expired-ca.pem"))), context())) == []
    assert list(RULE.check(model(domain(truststore=pem("truststore-good.pem"))), context())) == []
