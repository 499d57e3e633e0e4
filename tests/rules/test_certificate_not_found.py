"""MTLS205 certificate-not-found."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.certificate_not_found import RULE
from testing.model_builders import certificate, context, domain, model

DELETED = "arn:aws:acm:us-east-1:111122223333:certificate/d3f1c0de-7a2b-4c9d-8e6f-5a4b3c2d1e0f"
LISTED = "arn:aws:acm:us-east-1:111122223333:certificate/0b5e2f4c-1d3a-4c8e-9f27-6a1b3c5d7e90"


def test_arn_missing_from_a_covering_inventory():
    listed = certificate(LISTED, origin="inventory", arn=LISTED, account="111122223333", region="us-east-1")
    m = model(listed, domain(certificate=DELETED, ownership_certificate=LISTED),
              covered={("111122223333", "us-east-1")})
    (finding,) = RULE.check(m, context())
    assert (finding.rule_id, finding.location, finding.resource) == (
        "MTLS205", Location("stacks/api.yaml", 6, 7), "ApiDomain")
    assert finding.message == (f"the server certificate {DELETED} of ApiDomain is not in the inventory of account "
                               "111122223333 in us-east-1; it was deleted or the ARN is wrong")


def test_near_miss_other_region_or_no_inventory():
    other_region = DELETED.replace("us-east-1", "eu-west-1")
    assert list(RULE.check(model(domain(certificate=other_region), covered={("111122223333", "us-east-1")}),
                           context())) == []
    assert list(RULE.check(model(domain(certificate=DELETED)), context())) == []
