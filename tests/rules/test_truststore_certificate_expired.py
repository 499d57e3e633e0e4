"""MTLS402 truststore-certificate-expired."""
from __future__ import annotations

import datetime as dt

from mtls_lint.model import Location
from mtls_lint.rules.truststore_certificate_expired import RULE
from testing.model_builders import context, domain, model, pem


def test_expired_ca():
    (finding,) = RULE.check(model(domain(truststore=pem("truststore-expired-ca.pem"))), context())
    assert (finding.rule_id, finding.severity, finding.location) == (
        "MTLS402", "error", Location("stacks/api.yaml", 8, 9))
    assert finding.message == ("CN=Expired Root CA in the truststore fixtures/pem/truststore-expired-ca.pem of "
                               "ApiDomain expired on 2025-06-01")


def test_near_miss_expiring_but_not_expired():
    assert list(RULE.check(model(domain(truststore=pem("truststore-expiring-ca.pem"))), context())) == []
    after = context(now=dt.datetime(2026, 12, 20, 0, 0, 1, tzinfo=dt.timezone.utc))
    assert len(list(RULE.check(model(domain(truststore=pem("truststore-expiring-ca.pem"))), after))) == 1
