"""MTLS207 imported-key-mismatch."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.imported_key_mismatch import RULE
from testing.certs import CANARY_MARKER
from testing.model_builders import PEM, certificate, context, key, model, pem


def test_key_of_another_certificate():
    cert = certificate("aws_acm_certificate.api", path="infra/main.tf", line=10, body=pem("import-api-body.pem"),
                       private_key=key("import-mismatched-key.pem"))
    (finding,) = RULE.check(model(cert), context())
    assert (finding.rule_id, finding.severity, finding.location, finding.resource) == (
        "MTLS207", "error", Location("infra/main.tf", 14, 7), "aws_acm_certificate.api")
    assert finding.message == ("the private key of aws_acm_certificate.api (fixtures/pem/import-mismatched-key.pem) "
                               "does not match the public key of its certificate body (CN=api.example.com); "
                               "ACM will refuse the import")
    assert finding.related[0].location == Location("infra/main.tf", 12, 7)


def test_canary_key_mismatch_never_prints_the_key():
    cert = certificate(body=pem("import-api-body.pem"), private_key=key("import-canary-key.pem"))
    (finding,) = RULE.check(model(cert), context())
    key_lines = [line for line in (PEM / "import-canary-key.pem").read_text().splitlines() if "-----" not in line]
    text = repr(finding)
    assert CANARY_MARKER not in text and not any(line in text for line in key_lines)


def test_near_misses():
    matching = certificate(body=pem("import-canary-body.pem"), private_key=key("import-canary-key.pem"))
    unreadable = certificate(body=pem("import-api-body.pem"), private_key=key("import-api-encrypted-key.pem"))
    no_body = certificate(private_key=key("import-api-key.pem"))
    assert list(RULE.check(model(matching, unreadable, no_body), context())) == []
