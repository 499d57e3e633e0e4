"""MTLS209 certificate-key-algorithm."""
from __future__ import annotations

import pytest

from mtls_lint.model import AMAZON_ISSUED, IMPORTED, Location
from mtls_lint.rules.certificate_key_algorithm import RULE
from testing.model_builders import certificate, context, model, pem


@pytest.mark.parametrize(("body", "severity", "what"), [
    ("import-rsa1536-body.pem", "error", "RSA-1536"),
    ("import-ed25519-body.pem", "error", "Ed25519"),
    ("import-rsa1024-body.pem", "warning", "RSA-1024"),
])
def test_unimportable_and_weak_keys(body, severity, what):
    cert = certificate("aws_acm_certificate.x", path="infra/main.tf", line=30, body=pem(body))
    (finding,) = RULE.check(model(cert), context())
    assert (finding.rule_id, finding.severity, finding.location) == (
        "MTLS209", severity, Location("infra/main.tf", 32, 7))
    assert f"has a {what} key" in finding.message


def test_inventory_rsa_1024_import():
    arn = "arn:aws:acm:us-east-1:111122223333:certificate/legacy"
    cert = certificate(arn, origin="inventory", arn=arn, kind=IMPORTED, key_algorithm="RSA_1024", field_locations={})
    (finding,) = RULE.check(model(cert), context())
    assert (finding.severity, finding.location) == ("warning", Location("stacks/api.yaml", 20, 3))


def test_near_misses():
    supported = [certificate(body=pem(name)) for name in ("import-api-body.pem", "import-ec-p384-body.pem")]
    amazon = certificate("Amazon", kind=AMAZON_ISSUED, key_algorithm="RSA_1024")
    assert list(RULE.check(model(*supported, amazon), context())) == []
