"""Every issue-2 rule fired and near-missed on CloudFormation and SAM fixtures, through the CLI.

Each case pins the complete list of findings (rule, file, line, resource): a finding that
appears or disappears fails the test. The fixtures' comments say which resource is the
near miss for which rule.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtls_lint.cli import main

REPO = Path(__file__).resolve().parents[2]
NOW = "2026-12-04T00:00:00Z"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    code = main([*args, "--format", "json", "--now", NOW])
    return code, json.loads(capsys.readouterr().out)


def brief(report: dict) -> list[tuple[str, str, int, str]]:  # type: ignore[type-arg]
    return [(f["rule_id"], f["location"]["path"], f["location"]["line"], f["resource"]) for f in report["findings"]]


CASES = {
    "good": (["fixtures/cfn/good_regional_mtls.yaml", "--region", "us-east-1"], []),
    "endpoint_and_policy": (["fixtures/cfn/endpoint_and_policy.yaml", "--region", "us-east-1"], [
        ("MTLS301", "fixtures/cfn/endpoint_and_policy.yaml", 18, "DefaultEdgeDomain"),
        ("MTLS301", "fixtures/cfn/endpoint_and_policy.yaml", 33, "ExplicitEdgeDomain"),
        ("MTLS302", "fixtures/cfn/endpoint_and_policy.yaml", 47, "LegacyPolicyDomain"),
        ("MTLS302", "fixtures/cfn/endpoint_and_policy.yaml", 59, "EnhancedPolicyDomain"),
        ("MTLS302", "fixtures/cfn/endpoint_and_policy.yaml", 69, "NoPolicyDomain"),
    ]),
    "private_ca_ownership": (["fixtures/cfn/private_ca_ownership.yaml", "--region", "us-east-1"], [
        ("MTLS103", "fixtures/cfn/private_ca_ownership.yaml", 44, "MissingOwnershipDomain"),
        ("MTLS104", "fixtures/cfn/private_ca_ownership.yaml", 44, "MissingOwnershipDomain"),
        ("MTLS303", "fixtures/cfn/private_ca_ownership.yaml", 44, "MissingOwnershipDomain"),
        ("MTLS103", "fixtures/cfn/private_ca_ownership.yaml", 58, "WithOwnershipDomain"),
        ("MTLS104", "fixtures/cfn/private_ca_ownership.yaml", 58, "WithOwnershipDomain"),
        ("MTLS103", "fixtures/cfn/private_ca_ownership.yaml", 70, "PrivateOwnershipDomain"),
        ("MTLS104", "fixtures/cfn/private_ca_ownership.yaml", 70, "PrivateOwnershipDomain"),
        ("MTLS304", "fixtures/cfn/private_ca_ownership.yaml", 71, "PrivateOwnershipDomain"),
        ("MTLS304", "fixtures/cfn/private_ca_ownership.yaml", 71, "PrivateOwnershipDomain"),
        ("MTLS104", "fixtures/cfn/private_ca_ownership.yaml", 84, "ShopDomain"),
        ("MTLS104", "fixtures/cfn/private_ca_ownership.yaml", 96, "BorrowedOwnershipDomain"),
        ("MTLS304", "fixtures/cfn/private_ca_ownership.yaml", 97, "BorrowedOwnershipDomain"),
    ]),
    "names_and_regions": (["fixtures/cfn/names_and_regions.yaml", "--region", "eu-west-1"], [
        ("MTLS102", "fixtures/cfn/names_and_regions.yaml", 24, "WildcardDomain"),
        ("MTLS105", "fixtures/cfn/names_and_regions.yaml", 37, "DeepDomain"),
        ("MTLS206", "fixtures/cfn/names_and_regions.yaml", 58, "ForeignCertificateDomain"),
    ]),
    "execute_api": (["fixtures/cfn/execute_api.yaml"], [
        ("MTLS305", "fixtures/cfn/execute_api.yaml", 37, "OpenApi"),
        ("MTLS305", "fixtures/cfn/execute_api.yaml", 50, "ExplicitlyOpenApi"),
    ]),
    "truststores": (["fixtures/cfn/truststores.yaml"], [
        ("MTLS306", "fixtures/cfn/truststores.yaml", 43, "HttpsUriDomain"),
        ("MTLS307", "fixtures/cfn/truststores.yaml", 57, "PinnedUnversionedDomain"),
        ("MTLS307", "fixtures/cfn/truststores.yaml", 70, "PinnedSuspendedDomain"),
        ("MTLS308", "fixtures/cfn/truststores.yaml", 82, "UnpinnedDomain"),
    ]),
    "domain_types": (["fixtures/cfn/domain_types.yaml"], [
        ("MTLS310", "fixtures/cfn/domain_types.yaml", 17, "TwoConfigurationsDomain"),
        ("MTLS310", "fixtures/cfn/domain_types.yaml", 25, "NoConfigurationDomain"),
    ]),
    "private_domain": (["fixtures/cfn/private_domain_mtls.yaml"], [
        ("MTLS309", "fixtures/cfn/private_domain_mtls.yaml", 16, "PrivateDomain"),
    ]),
    "conditions": (["fixtures/cfn/conditions.yaml"], [
        ("MTLS301", "fixtures/cfn/conditions.yaml", 29, "ApiDomain"),
    ]),
    "cross_stack": (["fixtures/cfn/cross_stack", "--region", "us-east-1"], [
        ("MTLS101", "fixtures/cfn/cross_stack/certificates.yaml", 23, "StoreDomain"),
        ("MTLS102", "fixtures/cfn/cross_stack/certificates.yaml", 23, "StoreDomain"),
        ("MTLS104", "fixtures/cfn/cross_stack/certificates.yaml", 23, "StoreDomain"),
        ("MTLS101", "fixtures/cfn/cross_stack/partner.yaml", 15, "PartnerDomain"),
        ("MTLS103", "fixtures/cfn/cross_stack/partner.yaml", 15, "PartnerDomain"),
        ("MTLS104", "fixtures/cfn/cross_stack/partner.yaml", 15, "PartnerDomain"),
        ("MTLS304", "fixtures/cfn/cross_stack/partner.yaml", 16, "PartnerDomain"),
        ("MTLS308", "fixtures/cfn/cross_stack/partner.yaml", 21, "PartnerDomain"),
        ("MTLS002", "fixtures/cfn/cross_stack/partner.yaml", 33, "UnknownImportDomain"),
    ]),
    "sam": (["fixtures/sam", "--region", "us-east-1"], [
        ("MTLS305", "fixtures/sam/api_domains.yaml", 21, "OrdersApi"),
        ("MTLS309", "fixtures/sam/api_domains.yaml", 44, "InternalApi"),
        ("MTLS302", "fixtures/sam/suppressed.yaml", 34, "CfnLintSuppressedDomain"),
    ]),
}


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


@pytest.mark.parametrize("case", sorted(CASES))
def test_findings(case: str, capsys: pytest.CaptureFixture[str]) -> None:
    args, expected = CASES[case]
    code, report = run(capsys, *args)
    assert brief(report) == expected
    assert code == (1 if any(f["severity"] in ("error", "warning") for f in report["findings"]) else 0)


def test_condition_is_named_in_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = run(capsys, "fixtures/cfn/conditions.yaml")
    assert report["findings"][0]["message"] == (
        "mTLS domain ApiDomain is EDGE; mutual TLS needs a REGIONAL endpoint (when IsProd is false)")


def test_mixed_issuers_reported_on_both_sides_with_the_other_as_related(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = run(capsys, "fixtures/cfn/cross_stack", "--region", "us-east-1", "--select", "MTLS101")
    store, partner = report["findings"]
    assert store["message"].startswith(
        "partner.example.com is certified by Amazon (WildcardCertificate) and by "
        "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555 "
        "(PartnerCertificate) in us-east-1")
    assert store["related"] == [{
        "location": {"path": "fixtures/cfn/cross_stack/partner.yaml", "line": 15, "column": 7},
        "resource": "PartnerDomain", "message": "the other certificate: PartnerCertificate on PartnerDomain"}]
    assert partner["related"][0]["location"] == {
        "path": "fixtures/cfn/cross_stack/certificates.yaml", "line": 23, "column": 7}


def test_import_without_its_export_is_unresolved_not_guessed(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = run(capsys, "fixtures/cfn/cross_stack/partner.yaml", "--region", "us-east-1")
    rules = [f["rule_id"] for f in report["findings"]]
    assert "MTLS101" not in rules  # the wildcard's stack is not in this run
    assert rules.count("MTLS002") == 3  # ownership certificate, truststore bucket, server certificate
    assert report["findings"][-1]["message"] == (
        "Fn::ImportValue some-stack-that-is-not-here: no export of that name among the inputs: "
        "the server certificate of UnknownImportDomain could not be checked")


def test_two_accounts_one_region_conflict(capsys: pytest.CaptureFixture[str]) -> None:
    code, report = run(capsys, "--config", "fixtures/cfn/two_accounts/.mtls-lint.yaml",
                       "fixtures/cfn/two_accounts", "--select", "MTLS101")
    assert code == 1
    assert brief(report) == [
        ("MTLS101", "fixtures/cfn/two_accounts/team_a.yaml", 15, "ApiDomain"),
        ("MTLS101", "fixtures/cfn/two_accounts/team_b.yaml", 24, "ApiDomain"),
    ]
    assert "arn:aws:acm-pca:us-east-1:222222222222:certificate-authority/" in report["findings"][0]["message"]


def test_other_regions_do_not_conflict(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f"sources:\n  - {{path: '**/team_a.yaml', account: '111111111111', region: us-east-1}}\n"
        f"  - {{path: '**/team_b.yaml', account: '222222222222', region: eu-west-1}}\n")
    code, report = run(capsys, "--config", str(config), "fixtures/cfn/two_accounts", "--select", "MTLS101,MTLS104")
    assert (code, report["findings"]) == (0, [])


def test_suppressed_findings_are_listed_apart(capsys: pytest.CaptureFixture[str]) -> None:
    _, report = run(capsys, "fixtures/sam/suppressed.yaml")
    assert [(f["rule_id"], f["location"]["line"], f["resource"]) for f in report["suppressed"]] == [
        ("MTLS102", 25, "ApprovedWildcardDomain"),
        ("MTLS102", 43, "CfnLintSuppressedDomain"),
    ]


def test_fingerprints_survive_line_moves(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    original = (REPO / "fixtures/cfn/endpoint_and_policy.yaml").read_text()
    moved = tmp_path / "endpoint_and_policy.yaml"
    moved.write_text(original.replace("Resources:\n", "Resources:\n\n\n", 1))
    _, before = run(capsys, str(moved))
    moved.write_text(original)
    _, after = run(capsys, str(moved))
    assert [f["fingerprint"] for f in before["findings"]] == [f["fingerprint"] for f in after["findings"]]
    assert [f["location"]["line"] for f in before["findings"]] != [f["location"]["line"] for f in after["findings"]]
