"""MTLS003 unreadable-certificate."""
from __future__ import annotations

from dataclasses import replace

from mtls_lint.model import Diagnostic, Location
from mtls_lint.rules.unreadable_certificate import RULE
from testing.certs import CANARY_MARKER
from testing.model_builders import certificate, context, key, model, pem


def findings(m):
    return list(RULE.check(m, context()))


def test_reader_diagnostics_become_findings():
    m = replace(model(), diagnostics=(
        Diagnostic("MTLS003", "certificate file certs/gone.pem does not exist", Location("infra/main.tf", 7, 3),
                   "aws_s3_object.ts"),
        Diagnostic("MTLS001", "not this rule", Location("x.yaml", 1, 1))))
    (finding,) = findings(m)
    assert (finding.rule_id, finding.severity, finding.location, finding.resource) == (
        "MTLS003", "error", Location("infra/main.tf", 7, 3), "aws_s3_object.ts")
    assert finding.message == "certificate file certs/gone.pem does not exist"


def test_body_that_is_not_a_certificate():
    cert = certificate("aws_acm_certificate.partner", path="infra/main.tf", line=3,
                       body=pem("truststore-der.pem"), chain=pem("import-chain.pem"))
    (finding,) = findings(model(cert))
    assert (finding.rule_id, finding.location, finding.resource) == (
        "MTLS003", Location("infra/main.tf", 5, 7), "aws_acm_certificate.partner")
    assert finding.message.startswith("the certificate body of aws_acm_certificate.partner "
                                      "(fixtures/pem/truststore-der.pem) is not a PEM certificate: DER, not PEM")


def test_encrypted_key_and_canary_stays_out():
    cert = certificate(body=pem("import-api-body.pem"), private_key=key("import-api-encrypted-key.pem"))
    (finding,) = findings(model(cert))
    assert finding.location == Location("stacks/api.yaml", 24, 7)
    assert finding.message == ("the private key of ApiCert (fixtures/pem/import-api-encrypted-key.pem) cannot be "
                               "imported: the private key is encrypted (ACM imports only unencrypted keys)")
    canary_in_body = certificate(body=pem("import-canary-key.pem"), private_key=key("import-canary-key.pem"))
    (only,) = findings(model(canary_in_body))
    assert "a private key (PRIVATE KEY block at line 1) is in the file" in only.message
    assert CANARY_MARKER not in only.message


def test_near_miss_clean_import():
    cert = certificate(body=pem("import-api-body.pem"), chain=pem("import-chain.pem"),
                       private_key=key("import-api-key.pem"))
    assert findings(model(cert)) == []
