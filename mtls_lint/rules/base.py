"""What a rule is, what it reports, and what it is told about the run.

A rule is data plus one generator: ``check(model, ctx) -> Iterable[Finding]``. Built-in
rules and third-party rules (entry points ``mtls_lint.rules``) are the same kind of object.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from mtls_lint.model import Location, Model, Record, Severity

RULE_ID = re.compile(r"MTLS\d{3}")
RULE_NAME = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


class Related(NamedTuple):
    location: Location
    resource: str | None
    message: str


class Finding(NamedTuple):
    rule_id: str
    severity: Severity
    message: str
    location: Location
    resource: str | None = None
    related: tuple[Related, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """What every rule may know about the run besides the model."""

    now: dt.datetime
    expiry_days: int = 30
    options: Mapping[str, object] = field(default_factory=dict)


Check = Callable[[Model, Context], Iterable[Finding]]


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """One rule of the catalog. ``doc`` is its documentation page (ruff's headings)."""

    id: str
    name: str
    severity: Severity
    summary: str
    check: Check
    references: Sequence[str] = ()
    doc: str = ""
    # True when the rule can be decided from one template alone (it runs in the cfn-lint plugin).
    single_template: bool = True

    def finding(self, record: Record, message: str, *, at: str | None = None, severity: Severity | None = None,
                related: Iterable[Related] = ()) -> Finding:
        """A finding on ``record``, at one of its properties when ``at`` names a model field.

        A record built from one branch of an ``Fn::If`` says which branch in the message.
        """
        if record.condition:
            message = f"{message} (when {record.condition})"
        return Finding(
            rule_id=self.id,
            severity=severity or self.severity,
            message=message,
            location=record.where(at) if at else record.location,
            resource=record.resource,
            related=tuple(related),
        )


def related(record: Record, message: str, *, at: str | None = None) -> Related:
    return Related(record.where(at) if at else record.location, record.resource, message)
