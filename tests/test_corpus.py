"""Smoke test over the shared corpus of real-world inputs (``<repo>/../shared/corpus``; skipped when absent).

Every file is linted on its own through ``mtls_lint.cli.main``: no crash, exit status 0 or 1, a JSON
report. The SAM templates with mutual TLS (and the CloudFormation that SAM renders from two of them)
have their findings pinned: rule, line and resource, checked by eye against the template and rules.md.
"""
from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import tempfile
from pathlib import Path
from typing import NamedTuple

import pytest

from mtls_lint.cli import main

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
NOW = "2026-12-04T00:00:00Z"

if not CORPUS.is_dir():
    pytest.skip(f"no corpus at {CORPUS}", allow_module_level=True)

SAM = "sam/aws__serverless-application-model__tests__translator__input__"
CFN = "cfn/aws__serverless-application-model__tests__translator__output__"


class Run(NamedTuple):
    status: int
    report: dict  # type: ignore[type-arg]
    stdout: str
    stderr: str


@functools.lru_cache(maxsize=None)
def lint(*paths: str, extra: tuple[str, ...] = ()) -> Run:
    """main() on corpus-relative paths, run from the corpus root so reported paths are corpus-relative."""
    with tempfile.TemporaryDirectory() as tmp:
        report_path = Path(tmp) / "report.json"
        config = Path(tmp) / "empty-config.yaml"
        config.write_text("")
        out, err = io.StringIO(), io.StringIO()
        cwd = os.getcwd()
        os.chdir(CORPUS)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                status = main([*paths, "--format", f"json={report_path}", "--now", NOW, "--config", str(config),
                               *extra])
        finally:
            os.chdir(cwd)
        report = json.loads(report_path.read_text(encoding="utf-8")) if report_path.exists() else {}
    return Run(status, report, out.getvalue(), err.getvalue())


def corpus_files() -> list[object]:
    params: list[object] = []
    for path in sorted(p for p in CORPUS.rglob("*") if p.is_file()):
        rel = path.relative_to(CORPUS).as_posix()
        params.append(pytest.param(rel, id=rel.split("__")[-1] if "__" in rel else rel))
    return params


@pytest.mark.parametrize("rel", corpus_files())
def test_every_file_is_read_without_a_crash(rel):
    run = lint(rel)
    assert run.status in (0, 1), run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr == ""
    assert run.report["version"] == 1
    for finding in run.report["findings"]:
        assert finding["location"]["path"] == rel
        assert finding["rule_id"].startswith("MTLS")


def test_the_whole_corpus_in_one_run():
    run = lint(".")
    assert run.status in (0, 1), run.stderr
    assert "Traceback" not in run.stdout + run.stderr
    assert run.stderr == ""
    assert run.report["summary"]["files"] >= len(EXPECTED)


def test_all_templates_in_one_run():
    """The SAM and CloudFormation folders together: the same findings as file by file (nothing links across)."""
    together = lint("sam", "cfn")
    assert together.status == 1
    one_by_one = []
    for folder in ("cfn", "sam"):
        for path in sorted((CORPUS / folder).rglob("*")):
            if path.is_file():
                one_by_one += lint(path.relative_to(CORPUS).as_posix()).report["findings"]
    key = lambda f: (f["location"]["path"], f["location"]["line"] or 0, f["location"]["column"] or 0, f["rule_id"])  # noqa: E731
    assert sorted(together.report["findings"], key=key) == sorted(one_by_one, key=key)


# -- pinned findings ---------------------------------------------------------------------------------------

EXPECTED: dict[str, list[tuple[str, int, str]]] = {
    # Globals HttpApi Domain, DisableExecuteApiEndpoint: true; the truststore URI is not s3://bucket/key
    SAM + "api_with_basic_custom_domain_http.yaml": [
        ("MTLS306", 17, "MyApi"),
    ],
    # DisableExecuteApiEndpoint: false (line 56); the TruststoreUri parameter default is not an S3 URI.
    # The MTLS002 note: !Sub 'example-${AWS::Region}.com' with no --region.
    SAM + "api_with_basic_custom_domain_intrinsics_http.yaml": [
        ("MTLS305", 56, "MyApi"),
        ("MTLS002", 58, "MyApi"),
        ("MTLS306", 63, "MyApi"),
    ],
    # Globals Api Domain on the implicit ServerlessRestApi (written at Globals.Api, line 10);
    # domain name and certificate are parameters without default; TruststoreVersion: 0 is dropped by SAM
    SAM + "api_with_custom_domains_regional.yaml": [
        ("MTLS305", 10, "ServerlessRestApi"),
        ("MTLS002", 13, "ServerlessRestApi"),
        ("MTLS002", 15, "ServerlessRestApi"),
        ("MTLS306", 18, "ServerlessRestApi"),
    ],
    SAM + "api_with_custom_domains_regional_ownership_verification.yaml": [
        ("MTLS305", 12, "ServerlessRestApi"),
        ("MTLS002", 15, "ServerlessRestApi"),
        ("MTLS002", 17, "ServerlessRestApi"),
        ("MTLS306", 20, "ServerlessRestApi"),
        ("MTLS002", 30, "ServerlessRestApi"),
    ],
    SAM + "http_api_with_custom_domains_regional.yaml": [
        ("MTLS002", 13, "MyApi"),
        ("MTLS002", 15, "MyApi"),
        ("MTLS306", 18, "MyApi"),
        ("MTLS305", 57, "MyApi"),
    ],
    SAM + "http_api_with_custom_domains_regional_ownership_verification.yaml": [
        ("MTLS002", 15, "MyApi"),
        ("MTLS002", 17, "MyApi"),
        ("MTLS306", 20, "MyApi"),
        ("MTLS002", 30, "MyApi"),
        ("MTLS305", 61, "MyApi"),
    ],
    # SAM's transform rejects these; nothing else is an mTLS domain (no TruststoreUri / not a map)
    SAM + "error_api_mtls_configuration_invalid_field.yaml": [
        ("MTLS001", 13, "MyApi"),
    ],
    SAM + "error_httpapi_mtls_configuration_invalid_type.yaml": [
        ("MTLS001", 11, "MyApi"),
    ],
    # near misses: no mTLS at all
    SAM + "api_custom_domain_private_endpoint_full.yaml": [],
    SAM + "api_with_custom_domain_security_policy_edge.yaml": [],
    SAM + "websocket_api_custom_domains_regional.yaml": [],
    # what SAM renders from two of the inputs above: the same rules fire on the rendered resources
    CFN + "api_with_custom_domains_regional.json": [
        ("MTLS002", 19, "ApiGatewayDomainName1a01391c0c"),
        ("MTLS306", 28, "ApiGatewayDomainName1a01391c0c"),
        ("MTLS002", 30, "ApiGatewayDomainName1a01391c0c"),
        ("MTLS305", 161, "ServerlessRestApi"),
    ],
    CFN + "http_api_with_custom_domains_regional_ownership_verification.json": [
        ("MTLS002", 22, "ApiGatewayDomainNameV21b946f6d8f"),
        ("MTLS002", 27, "ApiGatewayDomainNameV21b946f6d8f"),
        ("MTLS002", 31, "ApiGatewayDomainNameV21b946f6d8f"),
        ("MTLS306", 38, "ApiGatewayDomainNameV21b946f6d8f"),
        ("MTLS305", 46, "MyApi"),
    ],
}


@pytest.mark.parametrize("rel", sorted(EXPECTED), ids=lambda rel: rel.split("__")[-1])
def test_pinned_findings(rel):
    assert (CORPUS / rel).is_file(), f"{rel} is no longer in the corpus"
    run = lint(rel)
    got = [(f["rule_id"], f["location"]["line"], f["resource"]) for f in run.report["findings"]]
    assert got == EXPECTED[rel]
    assert run.status == (1 if any(rule in ("MTLS001", "MTLS305", "MTLS306") for rule, _, _ in got) else 0)


def test_every_sam_file_with_mutual_tls_is_pinned():
    for path in (CORPUS / "sam").glob("*.yaml"):
        if "MutualTlsAuthentication" in path.read_text(encoding="utf-8"):
            assert path.relative_to(CORPUS).as_posix() in EXPECTED


def test_truststore_version_zero_is_dropped_so_no_versioning_rule_fires():
    run = lint(SAM + "api_with_custom_domains_regional.yaml", extra=("--select", "MTLS307,MTLS308"))
    assert run.report["findings"] == []


def test_with_a_region_the_region_note_goes_away():
    run = lint(SAM + "api_with_basic_custom_domain_intrinsics_http.yaml", extra=("--region", "us-east-1"))
    assert [(f["rule_id"], f["location"]["line"]) for f in run.report["findings"]] == [("MTLS305", 56), ("MTLS306", 63)]


def test_region_note_points_at_the_domain_name():
    run = lint(SAM + "api_with_basic_custom_domain_intrinsics_http.yaml")
    (note,) = [f for f in run.report["findings"] if f["rule_id"] == "MTLS002"]
    assert note["location"]["line"] == 58
