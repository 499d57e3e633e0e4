"""The pipeline: discover -> read -> link -> check -> filter. The CLI, tests and integrations call ``lint``."""
from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Mapping, Sequence
from typing import TypeVar
from dataclasses import dataclass, field
from pathlib import Path

from mtls_lint.discover import Inputs, discover
from mtls_lint.link import link_model
from mtls_lint.model import Diagnostic, Fragment, Location, Model
from mtls_lint.readers import Placement, ReadContext
from mtls_lint.redact import redact
from mtls_lint.rules import Registry
from mtls_lint.rules.base import Context, Finding


T = TypeVar("T")


@dataclass(frozen=True, slots=True, kw_only=True)
class LintOptions:
    paths: Sequence[Path]
    cwd: Path
    now: dt.datetime
    expiry_days: int = 30
    account: str | None = None
    region: str | None = None
    placements: Sequence[Placement] = ()
    exclude: Sequence[str] = ()
    exclude_base: Path | None = None  # exclude patterns are relative to the config file's folder
    select: Sequence[str] = ("MTLS",)
    ignore: Sequence[str] = ()
    inventory: Sequence[Path] = ()
    truststores: Mapping[str, Path] = field(default_factory=dict)


@dataclass(slots=True)
class LintResult:
    findings: list[Finding]
    suppressed: list[Finding]
    files: int
    # Rules that crashed: the run goes on, and the CLI exits 2.
    internal_errors: list[str]
    model: Model


def lint(options: LintOptions, registry: Registry) -> LintResult:
    ctx = ReadContext(cwd=options.cwd, account=options.account, region=options.region,
                      placements=options.placements, truststores=options.truststores, roots=options.paths)
    errors: list[str] = []
    fragment = read_inputs(discover(options.paths, options.exclude_base or options.cwd, options.exclude), options, ctx, errors)
    model = link_model(fragment)
    check_ctx = Context(now=options.now, expiry_days=options.expiry_days)
    findings: list[Finding] = []
    for rule in registry:
        if not selected(rule.id, options.select, options.ignore):
            continue
        try:
            findings.extend(rule.check(model, check_ctx))
        except Exception as exc:  # a broken rule must not take the other rules down with it
            errors.append(f"rule {rule.id} ({rule.name}) failed: {type(exc).__name__}: {exc}")
    findings = [_redacted(finding) for finding in findings]
    kept, suppressed = _apply_suppressions(list(dict.fromkeys(findings)), model, fragment.file_ignores)
    return LintResult(sorted(kept, key=sort_key), sorted(suppressed, key=sort_key), len(model.files), errors, model)


def read_inputs(inputs: Inputs, options: LintOptions, ctx: ReadContext, errors: list[str]) -> Fragment:
    """Run every reader that has inputs, each file isolated from the others' failures."""
    fragment = Fragment()
    if inputs.templates:
        templates = [_template_input(path, text, ctx) for path, text in inputs.templates]
        fragment.extend(_isolated("CloudFormation", _reader("cloudformation", "read_templates"), templates, ctx,
                                  lambda item: item.display))
    for name, module, function, items in (
        ("Terraform", "terraform_hcl", "read_terraform_modules", inputs.terraform_modules),
        ("Terraform plan", "terraform_plan", "read_terraform_plans", inputs.plans),
        ("inventory", "inventory", "read_inventory", list(options.inventory)),
    ):
        if items:
            fragment.extend(_isolated(name, _reader(module, function), items, ctx, ctx.display))
    if options.truststores:
        try:
            fragment.extend(_read_truststore_copies(options.truststores, ctx))
        except Exception as exc:  # noqa: BLE001 - a bug of ours must not hide the other findings
            errors.append(f"reading truststore copies failed: {type(exc).__name__}: {exc}")
    return fragment


def _isolated(name: str, read: Callable[..., Fragment], items: Sequence[T], ctx: ReadContext,
              display: Callable[[T], str]) -> Fragment:
    """Read all items together; when the reader crashes, find the items that crash it.

    A crash is a bug of ours, but the input that triggers it is what the user can act on:
    it becomes MTLS001 on that file, and every other file is still read (together, so
    cross-file links such as exports survive).
    """
    try:
        return read(items, ctx)
    except Exception:  # noqa: BLE001 - isolate reader bugs to the inputs that trigger them
        pass
    fragment, readable = Fragment(), []
    for item in items:
        try:
            read([item], ctx)
            readable.append(item)
        except Exception as exc:  # noqa: BLE001
            where = Location(display(item), None, None)
            fragment.files.append(where.path)
            fragment.diagnostics.append(Diagnostic(
                "MTLS001", f"the {name} reader failed on this input ({type(exc).__name__}); this is a bug in "
                           f"mtls-lint, please report it with the file", where))
    try:
        fragment.extend(read(readable, ctx))
    except Exception:  # noqa: BLE001 - only together do they fail: read them one by one
        for item in readable:
            fragment.extend(read([item], ctx))
    return fragment


def _template_input(path: Path, text: str | None, ctx: ReadContext):  # type: ignore[no-untyped-def]
    from mtls_lint.readers.cloudformation import TemplateInput

    account, region = ctx.placement(path)
    return TemplateInput(path, ctx.display(path), account, region, text=text)


def _reader(module: str, function: str) -> Callable[..., Fragment]:
    """Readers are imported only when an input needs them (tree-sitter and cryptography cost start-up time)."""
    return getattr(importlib.import_module(f"mtls_lint.readers.{module}"), function)  # type: ignore[no-any-return]


def _read_truststore_copies(truststores: Mapping[str, Path], ctx: ReadContext) -> Fragment:
    from mtls_lint.readers.pem import read_pem_file

    fragment = Fragment()
    for uri, path in truststores.items():
        result = read_pem_file(path, ctx, pointed_from=Location(ctx.display(path), None, None))
        if isinstance(result, Diagnostic):
            fragment.diagnostics.append(result)
        else:
            fragment.truststore_contents[uri] = result
    return fragment


def _redacted(finding: Finding) -> Finding:
    return finding._replace(
        message=redact(finding.message),
        resource=redact(finding.resource) if finding.resource else finding.resource,
        related=tuple(r._replace(message=redact(r.message), resource=redact(r.resource) if r.resource else r.resource)
                      for r in finding.related),
    )


def selected(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """The most specific matching prefix decides; on a tie, ignore wins (as ruff does)."""
    def longest(prefixes: Sequence[str]) -> int:
        return max((len(p) for p in prefixes if rule_id.startswith(p.strip().upper())), default=-1)

    chosen = longest(select)
    return chosen >= 0 and chosen > longest(ignore)


def sort_key(finding: Finding) -> tuple[str, int, int, str, str]:
    loc = finding.location
    return (loc.path, loc.line or 0, loc.column or 0, finding.rule_id, finding.message)


def _apply_suppressions(findings: list[Finding], model: Model, file_ignores: Mapping[str, frozenset[str]]
                        ) -> tuple[list[Finding], list[Finding]]:
    by_record: dict[tuple[str, str], set[str]] = {}
    for record in (*model.domains, *model.certificates, *model.apis, *model.buckets, *model.mappings):
        if record.ignore:
            by_record.setdefault((record.location.path, record.resource), set()).update(record.ignore)
            by_record.setdefault((record.source, record.resource), set()).update(record.ignore)
    kept, suppressed = [], []
    for finding in findings:
        ids = set(file_ignores.get(finding.location.path, ()))
        if finding.resource is not None:
            ids |= by_record.get((finding.location.path, finding.resource), set())
        if any(finding.rule_id.startswith(prefix.upper()) for prefix in ids):
            suppressed.append(finding)
        else:
            kept.append(finding)
    return kept, suppressed
