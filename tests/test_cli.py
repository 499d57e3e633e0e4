"""The command line as contract.md fixes it: options, exit codes, report shapes, configuration."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from mtls_lint.cli import main

REPO = Path(__file__).resolve().parents[1]
EDGE = "fixtures/cfn/endpoint_and_policy.yaml"
GOOD = "fixtures/cfn/good_regional_mtls.yaml"


@pytest.fixture(autouse=True)
def _repo_cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    monkeypatch.delenv("NO_COLOR", raising=False)


def test_text_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([EDGE, "--select", "MTLS301"]) == 1
    assert capsys.readouterr().out == (
        "fixtures/cfn/endpoint_and_policy.yaml:18:3: MTLS301 [error] mTLS domain DefaultEdgeDomain is EDGE "
        "(no endpoint configuration means EDGE); mutual TLS needs a REGIONAL endpoint (DefaultEdgeDomain)\n"
        "fixtures/cfn/endpoint_and_policy.yaml:33:9: MTLS301 [error] mTLS domain ExplicitEdgeDomain is EDGE; "
        "mutual TLS needs a REGIONAL endpoint (ExplicitEdgeDomain)\n"
        "2 errors, 0 warnings, 0 notes in 1 file\n"
    )


def test_clean_run_exits_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([GOOD]) == 0
    assert capsys.readouterr().out == "0 errors, 0 warnings, 0 notes in 1 file\n"


JSON_SCHEMA = {
    "type": "object",
    "required": ["version", "tool", "findings", "summary"],
    "properties": {
        "version": {"const": 1},
        "tool": {"type": "object", "required": ["name", "version"]},
        "summary": {"type": "object", "required": ["files", "error", "warning", "note"]},
        "findings": {"type": "array", "items": {
            "type": "object",
            "required": ["rule_id", "rule", "severity", "message", "location", "resource", "related", "fingerprint"],
            "properties": {
                "severity": {"enum": ["error", "warning", "note"]},
                "location": {"type": "object", "required": ["path", "line", "column"]},
                "fingerprint": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
            },
        }},
    },
}


def test_json_report_shape_and_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([EDGE, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    jsonschema.validate(report, JSON_SCHEMA)
    assert report["tool"] == {"name": "mtls-lint", "version": "0.1.0"}
    assert report["summary"] == {"files": 1, "error": 4, "warning": 0, "note": 1}
    first = report["findings"][0]
    assert (first["rule_id"], first["rule"], first["location"]) == (
        "MTLS301", "mtls-endpoint-not-regional", {"path": EDGE, "line": 18, "column": 3})


def test_output_is_deterministic(capsys: pytest.CaptureFixture[str]) -> None:
    main(["fixtures", "--format", "json", "--now", "2026-12-04T00:00:00Z"])
    first = capsys.readouterr().out
    main(["fixtures", "--format", "json", "--now", "2026-12-04T00:00:00Z"])
    assert capsys.readouterr().out == first


def test_formats_to_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "report.json"
    assert main([EDGE, "--format", f"json={out}", "--format", "text"]) == 1
    assert json.loads(out.read_text())["summary"]["error"] == 4
    assert capsys.readouterr().out.endswith("4 errors, 0 warnings, 1 note in 1 file\n")


@pytest.mark.parametrize(("args", "message"), [
    (["no/such/path"], "path no/such/path does not exist"),
    (["--format", "xml", GOOD], "unknown format 'xml' (choose from text, json)"),
    (["--format", "json", "--format", "text", GOOD],
     "at most one --format may write to standard output; give the others =FILE"),
    (["--now", "yesterday", GOOD], "--now takes an ISO-8601 instant such as 2026-12-04T00:00:00Z, got 'yesterday'"),
    (["--fail-on", "fatal", GOOD], "argument --fail-on: invalid choice: 'fatal' (choose from 'error', 'warning', "
                                   "'note', 'never')"),
    (["--truststore", "truststore.pem", GOOD], "--truststore takes S3URI=PATH, got 'truststore.pem'"),
    (["--inventory", "missing.json", GOOD], "inventory file missing.json does not exist"),
    (["--config", "missing.yaml", GOOD], "config file missing.yaml does not exist"),
])
def test_usage_errors_are_one_line_and_exit_2(args: list[str], message: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(args) == 2
    assert capsys.readouterr().err == f"mtls-lint: error: {message}\n"


@pytest.mark.parametrize(("fail_on", "code"), [("error", 1), ("warning", 1), ("note", 1), ("never", 0)])
def test_fail_on(fail_on: str, code: int, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([EDGE, "--fail-on", fail_on]) == code


def test_fail_on_error_ignores_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["fixtures/cfn/execute_api.yaml", "--fail-on", "error"]) == 0
    assert main(["fixtures/cfn/execute_api.yaml"]) == 1


@pytest.mark.parametrize(("select", "ignore", "expected"), [
    ("MTLS3", None, ["MTLS301", "MTLS301", "MTLS302", "MTLS302", "MTLS302"]),
    ("MTLS3", "MTLS302", ["MTLS301", "MTLS301"]),
    (None, "MTLS3", []),
    ("MTLS302", "MTLS3", ["MTLS302", "MTLS302", "MTLS302"]),  # the more specific prefix wins
])
def test_select_and_ignore(select: str | None, ignore: str | None, expected: list[str],
                           capsys: pytest.CaptureFixture[str]) -> None:
    args = [EDGE, "--format", "json"] + (["--select", select] if select else []) + (
        ["--ignore", ignore] if ignore else [])
    main(args)
    assert [f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"]] == expected


def test_config_file_is_found_upward(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / ".mtls-lint.yaml").write_text(f"paths: ['{REPO / EDGE}']\nignore: [MTLS302]\nfail-on: never\n")
    nested = tmp_path / "a" / "b"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    assert main(["--format", "json"]) == 0
    assert {f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"MTLS301"}


def test_pyproject_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.mtls-lint]\nselect = ['MTLS302']\n")
    monkeypatch.chdir(tmp_path)
    main([str(REPO / EDGE), "--format", "json"])
    assert {f["rule_id"] for f in json.loads(capsys.readouterr().out)["findings"]} == {"MTLS302"}


@pytest.mark.parametrize(("text", "message"), [
    ("colour: always\n", "unknown key 'colour'"),
    ("fail-on: sometimes\n", "fail-on must be one of error, warning, note, never"),
    ("sources: {path: x}\n", "sources must be a list of {path, account, region}"),
    ("paths: [\n", "not valid YAML"),
])
def test_bad_config_exits_2(text: str, message: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    config = tmp_path / "bad.yaml"
    config.write_text(text)
    assert main(["--config", str(config), GOOD]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mtls-lint: error: {config}: ") and message in err and err.count("\n") == 1


def test_account_and_region_flags_reach_pseudo_parameters(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    template = tmp_path / "t.yaml"
    template.write_text(
        "Resources:\n"
        "  Domain:\n"
        "    Type: AWS::ApiGateway::DomainName\n"
        "    Properties:\n"
        "      DomainName: api.example.com\n"
        "      RegionalCertificateArn: !Sub arn:aws:acm:us-west-2:${AWS::AccountId}:certificate/abc\n"
        "      EndpointConfiguration: {Types: [REGIONAL]}\n")
    main([str(template), "--account", "111122223333", "--region", "eu-west-1", "--format", "json"])
    finding, = json.loads(capsys.readouterr().out)["findings"]
    assert finding["rule_id"] == "MTLS206"
    assert "arn:aws:acm:us-west-2:111122223333:certificate/abc is in us-west-2" in finding["message"]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == "mtls-lint 0.1.0\n"


def test_help_returns_zero(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    assert "--fail-on" in capsys.readouterr().out


def test_python_dash_m(tmp_path: Path) -> None:
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "mtls_lint", "--version"], capture_output=True, text=True,
                            cwd=REPO, check=False)
    assert (result.returncode, result.stdout) == (0, "mtls-lint 0.1.0\n")
