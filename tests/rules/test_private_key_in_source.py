"""MTLS501 private-key-in-source."""
from __future__ import annotations

from mtls_lint.model import Location, PrivateKeyInfo
from mtls_lint.rules.private_key_in_source import RULE
from testing.certs import CANARY_MARKER
from testing.model_builders import PEM, certificate, context, key, model, pem


def test_committed_key_file():
    cert = certificate("aws_acm_certificate.secure", path="infra/main.tf", line=40, body=pem("import-canary-body.pem"),
                       private_key=key("import-canary-key.pem", committed=True))
    (finding,) = RULE.check(model(cert), context())
    assert (finding.rule_id, finding.severity, finding.location, finding.resource) == (
        "MTLS501", "warning", Location("infra/main.tf", 44, 7), "aws_acm_certificate.secure")
    assert finding.message == ("the private key of aws_acm_certificate.secure is committed to the repository "
                               "(in fixtures/pem/import-canary-key.pem); move it to a secret store and rotate it")
    key_lines = [line for line in (PEM / "import-canary-key.pem").read_text().splitlines() if "-----" not in line]
    assert CANARY_MARKER not in repr(finding) and not any(line in repr(finding) for line in key_lines)


def test_inline_key():
    inline = PrivateKeyInfo(location=Location("infra/main.tf", 44, 7), public_key_fingerprint="ab", committed=True)
    cert = certificate("aws_acm_certificate.secure", path="infra/main.tf", line=40, private_key=inline)
    (finding,) = RULE.check(model(cert), context())
    assert "(in infra/main.tf)" in finding.message


def test_near_miss_key_outside_the_tree():
    cert = certificate(private_key=key("import-canary-key.pem", committed=False))
    assert list(RULE.check(model(cert), context())) == []
