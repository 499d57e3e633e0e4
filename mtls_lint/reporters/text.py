"""``path:line:col: MTLS101 [error] message (resource)`` a finding, then a one-line summary."""
from __future__ import annotations

from typing import TextIO

from mtls_lint.reporters import Report, counts
from mtls_lint.rules.base import Finding

_COLORS = {"error": "\033[31m", "warning": "\033[33m", "note": "\033[36m"}
_RESET = "\033[0m"


def write(report: Report, stream: TextIO) -> None:
    for finding in report.findings:
        stream.write(format_finding(finding, report.color) + "\n")
    totals = counts(report.findings)
    files = report.files
    stream.write(f"{_plural(totals['error'], 'error')}, {_plural(totals['warning'], 'warning')}, "
                 f"{_plural(totals['note'], 'note')} in {_plural(files, 'file')}\n")


def format_finding(finding: Finding, color: bool = False) -> str:
    loc = finding.location
    where = loc.path
    if loc.line is not None:
        where += f":{loc.line}" + (f":{loc.column}" if loc.column is not None else "")
    severity = f"[{finding.severity}]"
    if color:
        severity = f"{_COLORS[finding.severity]}{severity}{_RESET}"
    resource = f" ({finding.resource})" if finding.resource else ""
    return f"{where}: {finding.rule_id} {severity} {finding.message}{resource}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" + ("" if count == 1 else "s")
