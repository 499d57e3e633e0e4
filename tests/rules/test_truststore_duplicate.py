"""MTLS408 truststore-duplicate."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.truststore_duplicate import RULE
from testing.model_builders import context, domain, model, pem


def test_same_certificate_twice():
    (finding,) = RULE.check(model(domain(truststore=pem("truststore-duplicate-certificate.pem"))), context())
    assert (finding.rule_id, finding.severity, finding.location) == (
        "MTLS408", "warning", Location("stacks/api.yaml", 8, 9))
    assert finding.message == ("CN=Corp Root CA,O=Example Corp appears 2 times in the truststore "
                               "fixtures/pem/truststore-duplicate-certificate.pem of ApiDomain")


def test_two_certificates_one_subject():
    (finding,) = RULE.check(model(domain(truststore=pem("truststore-duplicate-subject.pem"))), context())
    assert finding.message.startswith("2 different certificates have the subject CN=Corp Root CA,O=Example Corp ")


def test_near_miss():
    assert list(RULE.check(model(domain(truststore=pem("truststore-good.pem"))), context())) == []
