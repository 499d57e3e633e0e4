"""MTLS405 truststore-incomplete-chain."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.truststore_incomplete_chain import RULE
from testing.model_builders import context, domain, model, pem


def test_issuing_ca_without_its_root():
    (finding,) = RULE.check(model(domain(truststore=pem("truststore-incomplete-chain.pem"))), context())
    assert (finding.rule_id, finding.location) == ("MTLS405", Location("stacks/api.yaml", 8, 9))
    assert finding.message == ("CN=Corp Issuing CA,O=Example Corp in the truststore "
                               "fixtures/pem/truststore-incomplete-chain.pem of ApiDomain is issued by "
                               "CN=Corp Root CA,O=Example Corp, which is not in the truststore; include the chain up "
                               "to the root")


def test_near_misses():
    for name in ("truststore-good.pem", "truststore-expired-ca.pem", "truststore-chain-too-long.pem"):
        assert list(RULE.check(model(domain(truststore=pem(name))), context())) == []
