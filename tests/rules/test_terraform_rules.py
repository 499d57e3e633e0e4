"""Rules on Terraform input, through the CLI, from the HCL configuration and from its real plan.

The plans in fixtures/tfplan were made by ``terraform plan`` + ``terraform show -json`` from the
configurations in fixtures/terraform (tests/tools/tfplan/make_plans.py). Each case pins every
finding (rule, file, line, address); differences between the two forms are explained inline.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtls_lint.cli import main

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-12-04T00:00:00Z"
CANARY = "MTLSLINTxCANARYxPRIVATExKEYxDOxNOTxLEAKx"

HCL = "fixtures/terraform/{}"
PLAN = "fixtures/tfplan/{}.json"

EXPECTED: dict[str, dict[str, list[tuple[str, int, str]]]] = {
    "good_regional_mtls": {"hcl": [], "plan": []},
    "edge_mtls": {
        "hcl": [
            ("MTLS301", 37, "aws_api_gateway_domain_name.legacy"),
            ("MTLS302", 40, "aws_api_gateway_domain_name.legacy"),
            ("MTLS301", 54, "aws_api_gateway_domain_name.edge"),
        ],
        # In the plan a resource is located at its address; both findings of legacy share that line.
        "plan": [
            ("MTLS301", 55, "aws_api_gateway_domain_name.edge"),
            ("MTLS301", 101, "aws_api_gateway_domain_name.legacy"),
            ("MTLS302", 101, "aws_api_gateway_domain_name.legacy"),
        ],
    },
    "imported_no_ownership": {
        "hcl": [
            ("MTLS501", 8, "aws_acm_certificate.imported"),
            ("MTLS103", 39, "aws_api_gateway_domain_name.imported"),
            ("MTLS303", 39, "aws_api_gateway_domain_name.imported"),
        ],
        "plan": [
            ("MTLS501", 8, "aws_acm_certificate.imported"),
            ("MTLS103", 39, "aws_api_gateway_domain_name.imported"),
            ("MTLS303", 39, "aws_api_gateway_domain_name.imported"),
        ],
    },
    "mixed_issuers": {
        "hcl": [
            ("MTLS101", 57, "aws_api_gateway_domain_name.api"),
            ("MTLS104", 57, "aws_api_gateway_domain_name.api"),
            ("MTLS101", 74, "aws_apigatewayv2_domain_name.partners"),
            ("MTLS102", 74, "aws_apigatewayv2_domain_name.partners"),
            ("MTLS103", 74, "aws_apigatewayv2_domain_name.partners"),
            ("MTLS104", 74, "aws_apigatewayv2_domain_name.partners"),
        ],
        "plan": [
            ("MTLS101", 134, "aws_api_gateway_domain_name.api"),
            ("MTLS104", 134, "aws_api_gateway_domain_name.api"),
            ("MTLS101", 213, "aws_apigatewayv2_domain_name.partners"),
            ("MTLS102", 213, "aws_apigatewayv2_domain_name.partners"),
            ("MTLS103", 213, "aws_apigatewayv2_domain_name.partners"),
            ("MTLS104", 213, "aws_apigatewayv2_domain_name.partners"),
        ],
    },
    "module_child": {
        "hcl": [("MTLS305", 51, 'module.domains["orders"].aws_apigatewayv2_api.this[0]')],
        # Locals are not in the plan JSON: the certificate ARN the child gets through a local is unknown.
        "plan": [
            ("MTLS002", 154, 'module.domains["billing"].aws_api_gateway_domain_name.this'),
            ("MTLS002", 270, 'module.domains["orders"].aws_api_gateway_domain_name.this'),
            ("MTLS305", 325, 'module.domains["orders"].aws_apigatewayv2_api.this[0]'),
        ],
    },
    "suppressed": {
        "hcl": [("MTLS102", 72, "aws_api_gateway_domain_name.status")],
        # Terraform drops comments: suppressions cannot reach a plan.
        "plan": [
            ("MTLS102", 53, "aws_api_gateway_domain_name.admin"),
            ("MTLS102", 99, "aws_api_gateway_domain_name.api"),
            ("MTLS102", 145, "aws_api_gateway_domain_name.status"),
        ],
    },
    "tls_imported": {
        "hcl": [
            ("MTLS101", 117, "aws_api_gateway_domain_name.api"),
            ("MTLS104", 117, "aws_api_gateway_domain_name.api"),
            ("MTLS101", 132, "aws_api_gateway_domain_name.www"),
            ("MTLS103", 132, "aws_api_gateway_domain_name.www"),
            ("MTLS104", 132, "aws_api_gateway_domain_name.www"),
        ],
        "plan": [
            ("MTLS101", 120, "aws_api_gateway_domain_name.api"),
            ("MTLS104", 120, "aws_api_gateway_domain_name.api"),
            ("MTLS101", 166, "aws_api_gateway_domain_name.www"),
            ("MTLS103", 166, "aws_api_gateway_domain_name.www"),
            ("MTLS104", 166, "aws_api_gateway_domain_name.www"),
        ],
    },
    "truststore_issues": {
        "hcl": [
            ("MTLS402", 49, "aws_api_gateway_domain_name.legacy_clients"),
            ("MTLS308", 63, "aws_api_gateway_domain_name.partners"),
            ("MTLS407", 64, "aws_api_gateway_domain_name.partners"),
            ("MTLS306", 78, "aws_api_gateway_domain_name.reports"),
        ],
        # The expired CA comes from `source = "./expired_ca.pem"`, relative to where terraform ran,
        # which a plan does not record; the leaf comes from `content`, which the plan carries.
        "plan": [
            ("MTLS308", 103, "aws_api_gateway_domain_name.partners"),
            ("MTLS407", 103, "aws_api_gateway_domain_name.partners"),
            ("MTLS306", 150, "aws_api_gateway_domain_name.reports"),
        ],
    },
    "certificate_lifecycle": {
        # Every server certificate is imported (MTLS103) and every key is in the repository (MTLS501);
        # `valid` is the near miss for MTLS201-209.
        "hcl": [
            ('MTLS501', 54, 'aws_acm_certificate.expired'),
            ('MTLS501', 61, 'aws_acm_certificate.expiring'),
            ('MTLS501', 68, 'aws_acm_certificate.not_yet_valid'),
            ('MTLS207', 75, 'aws_acm_certificate.key_mismatch'),
            ('MTLS501', 75, 'aws_acm_certificate.key_mismatch'),
            ('MTLS501', 83, 'aws_acm_certificate.broken_chain'),
            ('MTLS208', 85, 'aws_acm_certificate.broken_chain'),
            ('MTLS501', 90, 'aws_acm_certificate.rsa1536'),
            ('MTLS209', 91, 'aws_acm_certificate.rsa1536'),
            ('MTLS501', 97, 'aws_acm_certificate.rsa1024'),
            ('MTLS209', 98, 'aws_acm_certificate.rsa1024'),
            ('MTLS501', 105, 'aws_acm_certificate.valid'),
            ('MTLS103', 112, 'aws_api_gateway_domain_name.expired'),
            ('MTLS201', 112, 'aws_api_gateway_domain_name.expired'),
            ('MTLS103', 128, 'aws_api_gateway_domain_name.expiring'),
            ('MTLS202', 128, 'aws_api_gateway_domain_name.expiring'),
            ('MTLS103', 144, 'aws_api_gateway_domain_name.not_yet_valid'),
            ('MTLS203', 144, 'aws_api_gateway_domain_name.not_yet_valid'),
            ('MTLS103', 160, 'aws_api_gateway_domain_name.key_mismatch'),
            ('MTLS103', 176, 'aws_api_gateway_domain_name.broken_chain'),
            ('MTLS103', 192, 'aws_api_gateway_domain_name.rsa1536'),
            ('MTLS103', 208, 'aws_api_gateway_domain_name.rsa1024'),
            ('MTLS103', 225, 'aws_api_gateway_domain_name.valid'),
        ],
        "plan": [
            ('MTLS208', 8, 'aws_acm_certificate.broken_chain'),
            ('MTLS501', 8, 'aws_acm_certificate.broken_chain'),
            ('MTLS501', 33, 'aws_acm_certificate.expired'),
            ('MTLS501', 58, 'aws_acm_certificate.expiring'),
            ('MTLS207', 83, 'aws_acm_certificate.key_mismatch'),
            ('MTLS501', 83, 'aws_acm_certificate.key_mismatch'),
            ('MTLS501', 108, 'aws_acm_certificate.not_yet_valid'),
            ('MTLS209', 179, 'aws_acm_certificate.rsa1024'),
            ('MTLS501', 179, 'aws_acm_certificate.rsa1024'),
            ('MTLS209', 204, 'aws_acm_certificate.rsa1536'),
            ('MTLS501', 204, 'aws_acm_certificate.rsa1536'),
            ('MTLS501', 229, 'aws_acm_certificate.valid'),
            ('MTLS103', 267, 'aws_api_gateway_domain_name.broken_chain'),
            ('MTLS103', 313, 'aws_api_gateway_domain_name.expired'),
            ('MTLS201', 313, 'aws_api_gateway_domain_name.expired'),
            ('MTLS103', 359, 'aws_api_gateway_domain_name.expiring'),
            ('MTLS202', 359, 'aws_api_gateway_domain_name.expiring'),
            ('MTLS103', 405, 'aws_api_gateway_domain_name.key_mismatch'),
            ('MTLS103', 451, 'aws_api_gateway_domain_name.not_yet_valid'),
            ('MTLS203', 451, 'aws_api_gateway_domain_name.not_yet_valid'),
            ('MTLS103', 497, 'aws_api_gateway_domain_name.rsa1024'),
            ('MTLS103', 543, 'aws_api_gateway_domain_name.rsa1536'),
            ('MTLS103', 589, 'aws_api_gateway_domain_name.valid'),
        ],
    },
    "names_and_regions": {
        "hcl": [
            ('MTLS310', 35, 'aws_apigatewayv2_domain_name.two_configs'),
            ('MTLS105', 66, 'aws_api_gateway_domain_name.uncovered'),
            ('MTLS206', 98, 'aws_api_gateway_domain_name.cross_region'),
            ('MTLS304', 131, 'aws_api_gateway_domain_name.partners'),
            ('MTLS302', 181, 'aws_api_gateway_domain_name.enhanced'),
            ('MTLS301', 200, 'aws_api_gateway_domain_name.internal'),
        ],
        # Terraform itself refuses two domain_name_configuration blocks, so MTLS310 (hcl_only/) is HCL-only.
        "plan": [
            ('MTLS206', 139, 'aws_api_gateway_domain_name.cross_region'),
            ('MTLS302', 186, 'aws_api_gateway_domain_name.enhanced'),
            ('MTLS301', 232, 'aws_api_gateway_domain_name.internal'),
            ('MTLS304', 278, 'aws_api_gateway_domain_name.partners'),
            ('MTLS105', 417, 'aws_api_gateway_domain_name.uncovered'),
        ],
    },
    "truststore_content": {
        "hcl": [
            ('MTLS403', 133, 'aws_api_gateway_domain_name.expiring'),
            ('MTLS404', 148, 'aws_api_gateway_domain_name.rsa1024'),
            ('MTLS404', 163, 'aws_api_gateway_domain_name.sha1'),
            ('MTLS405', 178, 'aws_api_gateway_domain_name.incomplete'),
            ('MTLS406', 193, 'aws_api_gateway_domain_name.deep'),
            ('MTLS408', 208, 'aws_api_gateway_domain_name.duplicate'),
            ('MTLS401', 223, 'aws_api_gateway_domain_name.key_inside'),
            ('MTLS401', 238, 'aws_api_gateway_domain_name.der'),
        ],
        # The DER truststore needs `source` (file() refuses non-UTF-8), a path the plan cannot resolve.
        "plan": [
            ('MTLS406', 69, 'aws_api_gateway_domain_name.deep'),
            ('MTLS408', 161, 'aws_api_gateway_domain_name.duplicate'),
            ('MTLS403', 207, 'aws_api_gateway_domain_name.expiring'),
            ('MTLS405', 299, 'aws_api_gateway_domain_name.incomplete'),
            ('MTLS401', 345, 'aws_api_gateway_domain_name.key_inside'),
            ('MTLS404', 391, 'aws_api_gateway_domain_name.rsa1024'),
            ('MTLS404', 437, 'aws_api_gateway_domain_name.sha1'),
        ],
    },
    "update_existing": {
        "hcl": [("MTLS307", 50, "aws_api_gateway_domain_name.api")],
        "plan": [("MTLS307", 90, "aws_api_gateway_domain_name.api")],
    },
}


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def lint(capsys: pytest.CaptureFixture[str], path: str, *extra: str) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    code = main([path, "--now", NOW, "--format", "json", *extra])
    captured = capsys.readouterr()
    return code, json.loads(captured.out), captured.out + captured.err


@pytest.mark.parametrize("form", ["hcl", "plan"])
@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_findings(scenario: str, form: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = (HCL if form == "hcl" else PLAN).format(scenario)
    _, report, _ = lint(capsys, path)
    got = [(f["rule_id"], f["location"]["line"], f["resource"]) for f in report["findings"]]
    assert got == EXPECTED[scenario][form]
    assert all(f["location"]["path"].startswith(path) for f in report["findings"])


def test_mixed_issuers_related_across_resource_types(capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = lint(capsys, HCL.format("mixed_issuers"), "--select", "MTLS101")
    api, partners = report["findings"]
    assert api["related"][0]["resource"] == "aws_apigatewayv2_domain_name.partners"
    assert partners["related"][0]["resource"] == "aws_api_gateway_domain_name.api"


def test_suppressed_hcl_findings_are_listed(capsys: pytest.CaptureFixture[str]) -> None:
    _, report, _ = lint(capsys, HCL.format("suppressed"))
    assert sorted(f["resource"] for f in report["suppressed"]) == [
        "aws_api_gateway_domain_name.admin", "aws_api_gateway_domain_name.api"]


@pytest.mark.parametrize("path", [HCL.format("imported_no_ownership"), PLAN.format("imported_no_ownership"),
                                  "fixtures/tfplan/utf16_bom.json"])
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_private_key_never_printed(path: str, fmt: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    key_lines = {line for line in (REPO / "fixtures/terraform/imported_no_ownership").glob("*key*.pem")
                 for line in line.read_text().splitlines() if line and not line.startswith("-----")}
    assert key_lines, "the canary key fixture is missing"
    main([path, "--now", NOW, "--format", fmt])
    captured = capsys.readouterr()
    output = captured.out + captured.err
    assert CANARY not in output
    assert not any(line in output for line in key_lines)


def test_invalid_hcl_is_mtls001_with_its_position(capsys: pytest.CaptureFixture[str]) -> None:
    code, report, output = lint(capsys, "fixtures/terraform/invalid")
    finding, = report["findings"]
    assert (code, finding["rule_id"], finding["location"]["path"], finding["location"]["line"]) == (
        1, "MTLS001", "fixtures/terraform/invalid/main.tf", 9)
    assert "Traceback" not in output


def test_utf16_plan_reads_like_its_utf8_twin(capsys: pytest.CaptureFixture[str]) -> None:
    code, report, _ = lint(capsys, "fixtures/tfplan/utf16_bom.json")
    assert (code, report["findings"], report["summary"]["files"]) == (0, [], 1)
