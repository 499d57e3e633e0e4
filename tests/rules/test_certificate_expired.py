"""MTLS201 certificate-expired."""
from __future__ import annotations

import datetime as dt

from mtls_lint.model import Location
from mtls_lint.rules.certificate_expired import RULE
from testing.model_builders import certificate, context, domain, model, pem

ARN = "arn:aws:acm:us-east-1:111122223333:certificate/1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9"
UTC = dt.timezone.utc


def test_expired_inventory_certificate_on_a_domain():
    cert = certificate(ARN, origin="inventory", arn=ARN, path="inv.json", line=9,
                       not_after=dt.datetime(2025, 6, 1, tzinfo=UTC))
    dom = domain(certificate=ARN)
    (finding,) = RULE.check(model(cert, dom), context())
    assert (finding.rule_id, finding.severity, finding.location, finding.resource) == (
        "MTLS201", "error", Location("stacks/api.yaml", 6, 7), "ApiDomain")
    assert finding.message == f"the server certificate {ARN} of ApiDomain expired on 2025-06-01"
    assert finding.related[0].location == Location("inv.json", 9, 3)


def test_expired_pem_body_as_ownership_certificate():
    cert = certificate(body=pem("import-expired-body.pem"), arn=ARN)
    server = certificate("ServerCert", arn="arn:aws:acm:us-east-1:111122223333:certificate/ok",
                         not_after=dt.datetime(2027, 1, 1, tzinfo=UTC))
    dom = domain(certificate=server.arn, ownership_certificate=ARN)
    (finding,) = RULE.check(model(cert, server, dom), context())
    assert finding.location == Location("stacks/api.yaml", 7, 7)
    assert finding.message == "the ownership verification certificate ApiCert of ApiDomain expired on 2025-06-01"


def test_unused_expired_import_is_reported_on_the_certificate():
    cert = certificate("aws_acm_certificate.old", path="infra/main.tf", line=3, body=pem("import-expired-body.pem"))
    (finding,) = RULE.check(model(cert), context())
    assert (finding.location, finding.resource) == (Location("infra/main.tf", 5, 7), "aws_acm_certificate.old")
    assert finding.message.endswith("expired on 2025-06-01; ACM will not import it")


def test_near_miss_expires_after_now():
    cert = certificate(ARN, origin="inventory", arn=ARN, not_after=dt.datetime(2026, 12, 4, 0, 0, 1, tzinfo=UTC))
    assert list(RULE.check(model(cert, domain(certificate=ARN)), context())) == []
    assert list(RULE.check(model(certificate(body=pem("import-expiring-body.pem"))), context())) == []
