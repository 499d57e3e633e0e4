"""MTLS404 truststore-weak-algorithm."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.truststore_weak_algorithm import RULE
from testing.certs import Y2020, Y2036, make_ca, rsa_key
from testing.model_builders import context, domain, model, pem, pem_bytes


def test_rsa_1024_and_sha1():
    weak_key, = RULE.check(model(domain(truststore=pem("truststore-rsa1024.pem"))), context())
    assert (weak_key.rule_id, weak_key.location) == ("MTLS404", Location("stacks/api.yaml", 8, 9))
    assert weak_key.message.startswith("CN=Weak RSA-1024 Root CA in the truststore fixtures/pem/truststore-rsa1024.pem "
                                       "of ApiDomain has an RSA-1024 key; ")
    sha1, = RULE.check(model(domain(truststore=pem("truststore-sha1.pem"))), context())
    assert "has a SHA1 signature;" in sha1.message


def test_both_weaknesses_in_one_message():
    both = make_ca("Old Weak CA", not_before=Y2020, not_after=Y2036, key=rsa_key(1024), hash_name="sha1")
    finding, = RULE.check(model(domain(truststore=pem_bytes(both.pem))), context())
    assert "has an RSA-1024 key and a SHA1 signature;" in finding.message


def test_near_misses():
    for name in ("truststore-good.pem", "truststore-ec.pem"):
        assert list(RULE.check(model(domain(truststore=pem(name))), context())) == []
