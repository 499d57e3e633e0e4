"""MTLS406 truststore-chain-too-long."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.truststore_chain_too_long import RULE
from testing.certs import Y2020, Y2036, make_chain, pem_bundle
from testing.model_builders import context, domain, model, pem, pem_bytes


def test_five_certificates():
    (finding,) = RULE.check(model(domain(truststore=pem("truststore-chain-too-long.pem"))), context())
    assert (finding.rule_id, finding.location) == ("MTLS406", Location("stacks/api.yaml", 8, 9))
    assert finding.message == ("the chain from CN=Deep Intermediate CA 4 to CN=Deep Root CA in the truststore "
                               "fixtures/pem/truststore-chain-too-long.pem of ApiDomain is 5 certificates long; "
                               "API Gateway accepts at most 4")


def test_near_miss_four_and_a_loop():
    four = make_chain(4, not_before=Y2020, not_after=Y2036, prefix="Four")
    assert list(RULE.check(model(domain(truststore=pem_bytes(pem_bundle(*four)))), context())) == []
    assert list(RULE.check(model(domain(truststore=pem("truststore-good.pem"))), context())) == []
