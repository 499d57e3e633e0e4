"""MTLS204 certificate-not-issued."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.certificate_not_issued import RULE
from testing.model_builders import certificate, context, domain, model

ARN = "arn:aws:acm:us-east-1:111122223333:certificate/6d5c4b3a-2f1e-4d0c-9b8a-7f6e5d4c3b2a"


def test_revoked_certificate():
    cert = certificate(ARN, origin="inventory", arn=ARN, status="REVOKED", path="inv.json", line=40)
    (finding,) = RULE.check(model(cert, domain("HooksDomain", certificate=ARN, mtls=False)), context())
    assert (finding.rule_id, finding.location, finding.resource) == (
        "MTLS204", Location("stacks/api.yaml", 6, 7), "HooksDomain")
    assert finding.message == f"the server certificate {ARN} of HooksDomain has status REVOKED, not ISSUED"
    assert [r.location for r in finding.related] == [Location("inv.json", 40, 3)]


def test_near_miss_issued_or_unknown_status():
    for status in ("ISSUED", None):
        cert = certificate(ARN, origin="inventory", arn=ARN, status=status)
        assert list(RULE.check(model(cert, domain(certificate=ARN)), context())) == []
