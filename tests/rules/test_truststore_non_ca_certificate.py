"""MTLS407 truststore-non-ca-certificate."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.truststore_non_ca_certificate import RULE
from testing.certs import Y2020, Y2036, make_certificate
from testing.model_builders import context, domain, model, pem, pem_bytes


def test_leaf_in_truststore():
    (finding,) = RULE.check(model(domain(truststore=pem("truststore-leaf.pem"))), context())
    assert (finding.rule_id, finding.severity, finding.location) == (
        "MTLS407", "warning", Location("stacks/api.yaml", 8, 9))
    assert finding.message == ("CN=client1.example.com in the truststore fixtures/pem/truststore-leaf.pem of ApiDomain "
                               "is not a CA (CA:FALSE); a truststore holds CA certificates")


def test_certificate_without_basic_constraints():
    bare = make_certificate("Bare CA", not_before=Y2020, not_after=Y2036, ca=None)
    (finding,) = RULE.check(model(domain(truststore=pem_bytes(bare.pem))), context())
    assert "has no basicConstraints extension" in finding.message


def test_near_miss():
    assert list(RULE.check(model(domain(truststore=pem("truststore-good.pem"))), context())) == []
