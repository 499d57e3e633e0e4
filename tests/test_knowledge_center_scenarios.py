"""The knowledge-center failures end to end through the CLI: templates checked against an inventory.

api.example.com: Amazon (the new template) vs an imported certificate from Example Corp (an existing
domain) vs another account's imported wildcard *.example.com, all in us-east-1; a revoked, a deleted
and an expired imported certificate. Conflicts are reported on both sides, the other as related.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from mtls_lint.cli import main

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = "fixtures/cfn/inventory_scenarios/new_domains.yaml"
INVENTORY = sorted(str(p.relative_to(REPO)) for p in (REPO / "fixtures/inventory").glob("*.json"))
NEW_ACM = "arn:aws:acm:us-east-1:111122223333:certificate/0b5e2f4c-1d3a-4c8e-9f27-6a1b3c5d7e90"
PARTNER_IMPORT = "arn:aws:acm:us-east-1:111122223333:certificate/4f6a8b2c-3d5e-4a7f-8b9c-0d1e2f3a4b5c"
OTHER_ACCOUNT_WILDCARD = "arn:aws:acm:us-east-1:444455556666:certificate/3c4d5e6f-7a8b-4c9d-a0e1-f2a3b4c5d6e7"


@pytest.fixture()
def report(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> dict:  # type: ignore[type-arg]
    monkeypatch.chdir(REPO)
    args = [TEMPLATE, "--account", "111122223333", "--region", "us-east-1", "--now", "2026-12-04T00:00:00Z",
            "--format", "json"]
    for path in INVENTORY:
        args += ["--inventory", path]
    assert main(args) == 1
    return json.loads(capsys.readouterr().out)  # type: ignore[no-any-return]


def on(report: dict, path: str, rule_id: str) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in report["findings"] if f["location"]["path"] == path and f["rule_id"] == rule_id]


def test_acm_vs_imported_same_subject_reported_on_both_sides(report: dict) -> None:  # type: ignore[type-arg]
    new = on(report, TEMPLATE, "MTLS101")
    assert [(f["location"]["line"], f["resource"]) for f in new] == [(14, "NewApiDomain"), (14, "NewApiDomain")]
    assert new[0]["message"] == (
        f"api.example.com is certified by Amazon ({NEW_ACM}) and by Example Corp ({PARTNER_IMPORT}) in us-east-1; "
        "API Gateway allows one issuer per subject for mTLS domains")
    assert new[0]["related"] == [{
        "location": {"path": "fixtures/inventory/apigateway-get-domain-names.json", "line": 4, "column": 13},
        "resource": "api-partner.example.com",
        "message": f"the other certificate: {PARTNER_IMPORT} on api-partner.example.com"}]
    existing, = on(report, "fixtures/inventory/apigateway-get-domain-names.json", "MTLS101")
    assert existing["resource"] == "api-partner.example.com"
    assert existing["related"][0]["location"] == {"path": TEMPLATE, "line": 14, "column": 7}


def test_other_account_wildcard_covering_the_name(report: dict) -> None:  # type: ignore[type-arg]
    wildcard = on(report, TEMPLATE, "MTLS101")[1]
    assert wildcard["message"] == (
        f"api.example.com is certified by Amazon ({NEW_ACM}) and by Example Corp ({OTHER_ACCOUNT_WILDCARD}) in "
        "us-east-1 (accounts 111122223333 and 444455556666); API Gateway allows one issuer per subject for mTLS "
        "domains")
    bundle = on(report, "fixtures/inventory/bundle-444455556666-us-east-1.json", "MTLS101")
    assert [f["message"].split(" is certified")[0] for f in bundle] == ["api.example.com", "internal.example.com"]
    assert all(f["resource"] == "portal.example.com" for f in bundle)


def test_revoked_deleted_and_expired(report: dict) -> None:  # type: ignore[type-arg]
    brief = [(f["rule_id"], f["location"]["line"], f["resource"]) for f in report["findings"]
             if f["location"]["path"] == TEMPLATE and f["rule_id"] in ("MTLS201", "MTLS204", "MTLS205")]
    assert brief == [
        ("MTLS204", 27, "HooksDomain"),
        ("MTLS205", 39, "DeletedCertificateDomain"),
        ("MTLS201", 48, "LegacyDomain"),
        ("MTLS204", 48, "LegacyDomain"),
    ]
    deleted, = on(report, TEMPLATE, "MTLS205")
    assert deleted["message"].startswith(
        "the server certificate arn:aws:acm:us-east-1:111122223333:certificate/d3f1c0de-7a2b-4c9d-8e6f-5a4b3c2d1e0f "
        "of DeletedCertificateDomain is not in the inventory of account 111122223333 in us-east-1")


def test_without_inventory_nothing_is_guessed(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    main([TEMPLATE, "--region", "us-east-1", "--format", "json", "--now", "2026-12-04T00:00:00Z"])
    assert json.loads(capsys.readouterr().out)["findings"] == []


def test_truststore_copy_from_the_command_line(capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code = main(["fixtures/cfn/good_regional_mtls.yaml", "--now", "2026-12-04T00:00:00Z", "--format", "json",
                 "--truststore",
                 "s3://corp-truststores-111122223333/api/truststore.pem=fixtures/pem/truststore-expired-ca.pem"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1
    assert [(f["rule_id"], f["location"]["line"], f["resource"]) for f in findings] == [
        ("MTLS402", 37, "ApiDomain")]
    assert findings[0]["related"][0]["location"]["path"] == "fixtures/pem/truststore-expired-ca.pem"


def test_missing_truststore_copy_is_mtls003(capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    code = main(["fixtures/cfn/good_regional_mtls.yaml", "--format", "json",
                 "--truststore", "s3://corp-truststores-111122223333/api/truststore.pem=missing.pem"])
    finding, = json.loads(capsys.readouterr().out)["findings"]
    assert (code, finding["rule_id"], finding["location"]["path"]) == (1, "MTLS003", "missing.pem")


def test_certificate_type_from_the_inventory_when_the_template_has_only_an_arn(
        capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    path = "fixtures/cfn/inventory_scenarios/by_arn_only.yaml"
    base = [path, "--region", "us-east-1", "--now", "2026-12-04T00:00:00Z", "--format", "json",
            "--select", "MTLS103,MTLS303,MTLS304"]
    main(base)
    assert json.loads(capsys.readouterr().out)["findings"] == []  # without an inventory: unknown, silent
    main(base + ["--inventory", "fixtures/inventory/describe-certificate-imported-other-ca.json",
                 "--inventory", "fixtures/inventory/describe-certificate-private-ca.json"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert [(f["rule_id"], f["location"]["line"], f["resource"]) for f in findings] == [
        ("MTLS103", 13, "PartnerDomain"),
        ("MTLS303", 13, "PartnerDomain"),
        ("MTLS103", 24, "InternalDomain"),
        ("MTLS304", 25, "InternalDomain"),
    ]
