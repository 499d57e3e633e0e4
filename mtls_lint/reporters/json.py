"""The JSON report of contract.md: version 1, findings with related locations and fingerprints."""
from __future__ import annotations

import json
from typing import TextIO

from mtls_lint.model import Location
from mtls_lint.reporters import Report, counts, fingerprint
from mtls_lint.rules.base import Finding


def write(report: Report, stream: TextIO) -> None:
    totals = counts(report.findings)
    document = {
        "version": 1,
        "tool": {"name": "mtls-lint", "version": report.version},
        "findings": [_finding(f, report) for f in report.findings],
        "suppressed": [_finding(f, report) for f in report.suppressed],
        "summary": {"files": report.files, **totals},
    }
    json.dump(document, stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def _finding(finding: Finding, report: Report) -> dict[str, object]:
    rule = report.registry.get(finding.rule_id)
    return {
        "rule_id": finding.rule_id,
        "rule": rule.name if rule else None,
        "severity": finding.severity,
        "message": finding.message,
        "location": _location(finding.location),
        "resource": finding.resource,
        "related": [
            {"location": _location(r.location), "resource": r.resource, "message": r.message}
            for r in finding.related
        ],
        "fingerprint": fingerprint(finding),
    }


def _location(loc: Location) -> dict[str, object]:
    return {"path": loc.path, "line": loc.line, "column": loc.column}
