"""mtls_lint.readers.terraform_certificates: ACM certificates and data sources, as both readers see them."""
from __future__ import annotations

import datetime as dt
import json

from mtls_lint.model import AMAZON, AMAZON_ISSUED, Location, Unknown
from mtls_lint.readers import ReadContext
from mtls_lint.readers.terraform_hcl import read_terraform_modules
from mtls_lint.readers.terraform_plan import read_terraform_plans

DATA = ('data "aws_acm_certificate" "shared" {\n  domain   = "example.com"\n  types    = ["AMAZON_ISSUED"]\n'
        '  statuses = ["ISSUED"]\n}\n'
        'resource "aws_api_gateway_domain_name" "api" {\n  domain_name              = "api.example.com"\n'
        "  regional_certificate_arn = data.aws_acm_certificate.shared.arn\n}\n")


def test_a_data_source_lookup_does_not_know_the_certificate_s_other_names(tmp_path):
    """The lookup matches on ``domain``; the certificate found may carry SANs (no false MTLS105)."""
    (tmp_path / "main.tf").write_text(DATA)
    (certificate,) = read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path)).certificates
    assert (certificate.names, certificate.names_partial) == (("example.com",), True)
    assert (certificate.kind, certificate.issuer) == (AMAZON_ISSUED, AMAZON)


def test_certificate_dates_and_placement_from_a_plan(tmp_path):
    arn = "arn:aws:acm:eu-west-1:111122223333:certificate/abc"
    after = {"domain_name": "api.example.com", "arn": arn, "not_before": "2026-01-01T00:00:00Z",
             "not_after": "2027-01-01T00:00:00+00:00", "status": "ISSUED", "type": "AMAZON_ISSUED"}
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": "aws_acm_certificate.c", "mode": "managed", "type": "aws_acm_certificate", "name": "c",
         "values": after}]}}}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    (certificate,) = read_terraform_plans([tmp_path / "plan.json"], ReadContext(cwd=tmp_path)).certificates
    utc = dt.timezone.utc
    assert (certificate.not_before, certificate.not_after) == (dt.datetime(2026, 1, 1, tzinfo=utc),
                                                               dt.datetime(2027, 1, 1, tzinfo=utc))
    assert (certificate.arn, certificate.account, certificate.region) == (arn, "111122223333", "eu-west-1")
    assert (certificate.names, certificate.status) == (("api.example.com",), "ISSUED")
