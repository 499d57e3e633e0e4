"""MTLS409 truststore-size."""
from __future__ import annotations

from dataclasses import replace

from mtls_lint.model import Location
from mtls_lint.rules.truststore_size import LIMIT_BYTES, RULE
from testing.model_builders import context, domain, model, pem


def test_over_the_observed_limit():
    big = replace(pem("truststore-good.pem"), size=LIMIT_BYTES + 1)
    (finding,) = RULE.check(model(domain(truststore=big)), context())
    assert (finding.rule_id, finding.severity, finding.location) == (
        "MTLS409", "note", Location("stacks/api.yaml", 8, 9))
    assert finding.message == ("the truststore fixtures/pem/truststore-good.pem of ApiDomain is 1000 KB "
                               "(2 certificates); API Gateway was observed to reject truststores of 1,000 KB or more")


def test_near_miss_at_the_limit():
    at_limit = replace(pem("truststore-good.pem"), size=LIMIT_BYTES)
    assert list(RULE.check(model(domain(truststore=at_limit)), context())) == []
