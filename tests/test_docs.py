"""The rule catalog: registry vs spec/rules.md, rule pages complete and in sync with rules/."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from mtls_lint.cli import main
from mtls_lint.docs import page_name, render_page
from mtls_lint.rules import load_registry

REPO = Path(__file__).resolve().parents[1]
SPEC = REPO.parent / "shared" / "spec" / "rules.md"
HEADINGS = ("## What it does", "## Why is this bad?", "## Example", "Use instead", "## References")
REGISTRY = list(load_registry(plugins=False))


def spec_catalog() -> dict[str, tuple[str, str]]:
    if not SPEC.is_file():
        pytest.skip("../shared/spec/rules.md is not beside the checkout")
    rows = re.findall(r"^\| (MTLS\d{3}) \| ([a-z0-9-]+) \| (error|warning|note) \|", SPEC.read_text(), re.M)
    return {rule_id: (name, severity) for rule_id, name, severity in rows}


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda rule: rule.id)
def test_rule_matches_the_catalog(rule) -> None:  # type: ignore[no-untyped-def]
    assert spec_catalog()[rule.id] == (rule.name, rule.severity)


def test_every_catalog_rule_is_implemented() -> None:
    assert sorted(spec_catalog()) == sorted(rule.id for rule in REGISTRY)


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda rule: rule.id)
def test_rule_page_has_every_heading(rule) -> None:  # type: ignore[no-untyped-def]
    positions = [rule.doc.find(heading) for heading in HEADINGS]
    assert -1 not in positions, f"{rule.id} misses {HEADINGS[positions.index(-1)]}"
    assert positions == sorted(positions), f"{rule.id}: headings out of order"
    assert "https://" in rule.doc.split("## References", 1)[1]


@pytest.mark.parametrize("rule", REGISTRY, ids=lambda rule: rule.id)
def test_rules_folder_is_up_to_date(rule) -> None:  # type: ignore[no-untyped-def]
    page = REPO / "rules" / page_name(rule)
    assert page.is_file(), f"run: python -m mtls_lint.docs rules/ ({page} is missing)"
    assert page.read_text(encoding="utf-8") == render_page(rule), "run: python -m mtls_lint.docs rules/"


def test_no_stale_pages() -> None:
    expected = {page_name(rule) for rule in REGISTRY}
    assert {p.name for p in (REPO / "rules").glob("*.md")} - {"README.md"} == expected


def test_explain_prints_the_page(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--explain", "mtls301"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("# MTLS301: mtls-endpoint-not-regional\n")
    assert "## Why is this bad?" in out


def test_explain_unknown_rule_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--explain", "MTLS999"]) == 2
    assert capsys.readouterr().err == "mtls-lint: error: no rule 'MTLS999'; see --list-rules\n"


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--list-rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(REGISTRY)
    assert re.fullmatch(r"MTLS101  mixed-issuer-subject\s+error\s+Two mTLS domains .+", lines[3])
