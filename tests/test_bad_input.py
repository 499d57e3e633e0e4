"""Bad input never crashes: a malformed template is MTLS001 with a location; a bad command line is one line on stderr."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtls_lint.cli import main

ROOT = Path(__file__).resolve().parents[1]
BAD = ROOT / "fixtures" / "bad"
GOOD = ROOT / "fixtures" / "readers" / "partner_domain.yaml"
NOW = "2026-12-04T00:00:00Z"


@pytest.fixture
def lint(tmp_path, capsys, monkeypatch):  # type: ignore[no-untyped-def]
    """Run main() on paths with a JSON report and an empty config; return (exit status, report, stdout, stderr)."""
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "empty-config.yaml"
    config.write_text("")

    def run(*paths: Path | str, extra: tuple[str, ...] = ()):  # type: ignore[no-untyped-def]
        report_path = tmp_path / "report.json"
        report_path.unlink(missing_ok=True)
        status = main([*map(str, paths), "--format", f"json={report_path}", "--now", NOW, "--config", str(config),
                       *extra])
        out, err = capsys.readouterr()
        assert "Traceback" not in out and "Traceback" not in err
        report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else None
        return status, report, out, err

    return run


def mtls001(report: dict) -> list[dict]:  # type: ignore[type-arg]
    return [f for f in report["findings"] if f["rule_id"] == "MTLS001"]


def assert_one_mtls001(report: dict, path_end: str, line: int | None = None, column: int | None = None) -> dict:  # type: ignore[type-arg]
    (finding,) = mtls001(report)
    location = finding["location"]
    assert location["path"].endswith(path_end)
    assert isinstance(location["line"], int) and location["line"] >= 1
    assert isinstance(location["column"], int) and location["column"] >= 1
    if line is not None:
        assert (location["line"], location["column"]) == (line, column)
    assert finding["severity"] == "error" and finding["rule"] == "unparseable-input"
    return finding


# -- checked-in malformed templates ---------------------------------------------------------------------

def test_yaml_syntax_error(lint):
    status, report, _, _ = lint(BAD / "yaml_syntax.yaml")
    assert status == 1
    finding = assert_one_mtls001(report, "fixtures/bad/yaml_syntax.yaml", 9, 6)
    assert finding["message"] == "not valid YAML/JSON: did not find expected key"


def test_json_syntax_error(lint):
    status, report, _, _ = lint(BAD / "json_syntax.json")
    assert status == 1
    finding = assert_one_mtls001(report, "fixtures/bad/json_syntax.json", 10, 7)
    assert finding["message"] == "not valid JSON: Expecting property name enclosed in double quotes"


def test_bytes_that_are_not_utf8(lint):
    status, report, _, _ = lint(BAD / "windows_1252.yaml")
    assert status == 1
    finding = assert_one_mtls001(report, "fixtures/bad/windows_1252.yaml")
    assert finding["message"] == "cannot read template: not UTF-8 text"


def test_resources_that_are_a_list(lint):
    status, report, _, _ = lint(BAD / "resources_list.yaml")
    assert status == 1
    assert_one_mtls001(report, "fixtures/bad/resources_list.yaml")


def test_empty_template_file(lint):
    status, report, _, _ = lint(BAD / "empty.template")
    assert status == 1
    assert_one_mtls001(report, "fixtures/bad/empty.template")


def test_malformed_templates_do_not_hide_good_ones(lint):
    _, alone, _, _ = lint(GOOD)
    status, report, _, _ = lint(BAD, GOOD)
    assert status == 1
    paths = sorted(f["location"]["path"].rsplit("/", 1)[-1] for f in mtls001(report))
    assert paths == ["empty.template", "json_syntax.json", "resources_list.yaml", "windows_1252.yaml",
                     "yaml_syntax.yaml"]
    good = [f for f in report["findings"] if f["location"]["path"].endswith("partner_domain.yaml")]
    assert good == alone["findings"]


# -- generated large inputs ---------------------------------------------------------------------------

def alias_bomb() -> str:
    lines = ['AWSTemplateFormatVersion: "2010-09-09"', "Metadata:",
             '  lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for i in range(1, 10):
        lines.append(f"  lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * 9)}]")
    lines += ["Resources:", "  PartnerDomain:", "    Type: AWS::ApiGateway::DomainName", "    Properties:",
              "      DomainName: partner.example.com", "      Tags: *lol9"]
    return "\n".join(lines) + "\n"


def test_yaml_alias_bomb(lint, tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text(alias_bomb())
    status, report, _, _ = lint(bomb)
    assert status == 1
    finding = assert_one_mtls001(report, "bomb.yaml", 1, 1)
    assert "alias" in finding["message"]


@pytest.mark.parametrize(("name", "body"), [
    ("flow.yaml", lambda n: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  PartnerDomain:\n'
                            "    Type: AWS::ApiGateway::DomainName\n    Metadata: " + "[" * n + "]" * n + "\n"),
    ("deep.json", lambda n: '{"AWSTemplateFormatVersion": "2010-09-09", "Resources": {"PartnerDomain": '
                            '{"Type": "AWS::ApiGateway::DomainName", "Metadata": ' + "[" * n + "]" * n + "}}}"),
    ("mixed.yaml", lambda n: 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  PartnerDomain:\n'
                             "    Type: AWS::ApiGateway::DomainName\n    Metadata: " + "{a: " * n + "1" + "}" * n + "\n"),
])
def test_nesting_100000_deep(lint, tmp_path, name, body):
    deep = tmp_path / name
    deep.write_text(body(100_000))
    status, report, _, _ = lint(deep)
    assert status == 1
    finding = assert_one_mtls001(report, name)
    assert finding["message"].startswith("nesting deeper than")
    assert finding["location"]["line"] in (1, 5)


def test_block_sequence_nesting_100000_deep_in_a_subprocess(tmp_path):
    deep = tmp_path / "block.yaml"
    deep.write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  PartnerDomain:\n'
                    "    Type: AWS::ApiGateway::DomainName\n    Metadata:\n      " + "- " * 100_000 + "x\n")
    (tmp_path / "empty-config.yaml").write_text("")
    result = subprocess.run([sys.executable, "-m", "mtls_lint", str(deep), "--format", "json", "--now", NOW,
                             "--config", str(tmp_path / "empty-config.yaml")],
                            capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert result.returncode == 1, f"exit status {result.returncode}"
    assert "Traceback" not in result.stderr
    assert [f["rule_id"] for f in json.loads(result.stdout)["findings"]] == ["MTLS001"]


# -- the command line itself --------------------------------------------------------------------------

def test_missing_path_is_exit_2_with_one_line(lint, tmp_path):
    status, report, out, err = lint(tmp_path / "no-such-template.yaml")
    assert status == 2
    assert report is None and out == ""
    assert err.count("\n") == 1
    assert err.startswith("mtls-lint: error: ") and "no-such-template.yaml" in err


@pytest.mark.parametrize("now", [
    "yesterday",
    "2026-13-01T00:00:00Z",
    "",  # an unset CI variable must not silently mean the wall clock
])
def test_bad_now_is_exit_2(lint, now):
    status, _, _, err = lint(GOOD, extra=("--now", now))
    assert status == 2
    assert err.count("\n") == 1 and "--now" in err


def test_unknown_format_is_exit_2(lint):
    status, report, out, err = lint(GOOD, extra=("--format", "xml"))
    assert status == 2
    assert report is None and out == ""
    assert err.count("\n") == 1 and "unknown format 'xml'" in err


def test_config_with_an_unknown_key_is_exit_2(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    config = tmp_path / "lint.yaml"
    config.write_text("fail_on: error\n")  # the key is fail-on
    assert main([str(GOOD), "--config", str(config), "--now", NOW]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "unknown key 'fail_on'" in err
    assert "Traceback" not in out + err


@pytest.mark.parametrize(("name", "text"), [
    (".mtls-lint.yaml", "ignore: [MTLS104]\nexpiry_days: 30\n"),
    ("pyproject.toml", '[project]\nname = "infra"\n\n[tool.mtls-lint]\nfail-on = "error"\nselects = ["MTLS1"]\n'),
])
def test_searched_config_with_an_unknown_key_is_exit_2(tmp_path, capsys, monkeypatch, name, text):
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path)
    assert main([str(GOOD), "--now", NOW]) == 2
    out, err = capsys.readouterr()
    assert err.count("\n") == 1 and "unknown key" in err
    assert "Traceback" not in out + err


def test_good_template_for_contrast(lint):
    status, report, _, err = lint(GOOD, extra=("--region", "eu-west-1", "--account", "111122223333"))
    assert status in (0, 1) and err == ""
    assert mtls001(report) == []
    assert report["summary"]["files"] == 1
