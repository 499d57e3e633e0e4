"""Report formats: one module each, one signature ``write(report, stream)``, chosen by name."""
from __future__ import annotations

import hashlib
import importlib
from collections.abc import Sequence
from typing import NamedTuple, TextIO

from mtls_lint.rules import Registry
from mtls_lint.rules.base import Finding

# Format name -> module; later formats plug in here.
FORMATS: dict[str, str] = {
    "text": "mtls_lint.reporters.text",
    "json": "mtls_lint.reporters.json",
}


class Report(NamedTuple):
    findings: Sequence[Finding]
    suppressed: Sequence[Finding]
    files: int
    registry: Registry
    version: str
    color: bool = False


def write_report(fmt: str, report: Report, stream: TextIO) -> None:
    module = importlib.import_module(FORMATS[fmt])
    module.write(report, _Escaping(stream))


class _Escaping:
    """Writes text that any UTF-8 stream accepts: a lone surrogate from an input becomes ``\\ud800``."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def write(self, text: str) -> int:
        return self.stream.write(text.encode("utf-8", "backslashreplace").decode("utf-8"))


def fingerprint(finding: Finding) -> str:
    """Stable across runs and line moves: rule, file, resource and message, never the position."""
    key = "\x1f".join((finding.rule_id, finding.location.path, finding.resource or "", finding.message))
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def counts(findings: Sequence[Finding]) -> dict[str, int]:
    totals = {"error": 0, "warning": 0, "note": 0}
    for finding in findings:
        totals[finding.severity] += 1
    return totals
