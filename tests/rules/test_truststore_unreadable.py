"""MTLS401 truststore-unreadable."""
from __future__ import annotations

import pytest

from mtls_lint.model import Location
from mtls_lint.rules.truststore_unreadable import RULE
from testing.certs import CANARY_MARKER
from testing.model_builders import context, domain, model, pem


@pytest.mark.parametrize(("name", "problem"), [
    ("truststore-der.pem", "DER, not PEM"),
    ("truststore-garbage-between.pem", "text between blocks (line "),
    ("truststore-private-key.pem", "a private key (PRIVATE KEY block at line "),
    ("not-a-certificate.pem", "no PEM certificate block"),
])
def test_problem_bundles(name, problem):
    (finding,) = RULE.check(model(domain(truststore=pem(name))), context())
    assert (finding.rule_id, finding.severity, finding.location, finding.resource) == (
        "MTLS401", "error", Location("stacks/api.yaml", 8, 9), "ApiDomain")
    assert finding.message.startswith(f"the truststore fixtures/pem/{name} of ApiDomain is not a clean PEM bundle "
                                      f"of certificates: {problem}")
    assert finding.related[0].location == Location(f"fixtures/pem/{name}", 1, 1)
    assert CANARY_MARKER not in repr(finding)


def test_near_misses():
    clean = [domain(f"D{i}", truststore=pem(name))
             for i, name in enumerate(("truststore-good.pem", "truststore-crlf-with-text.pem"))]
    no_mtls = domain("Plain", mtls=False)
    assert list(RULE.check(model(*clean, no_mtls), context())) == []
