"""The pipeline: discover -> read -> link -> check -> filter. The CLI, tests and integrations call ``lint``."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtls_lint.discover import Inputs, discover
from mtls_lint.link import link_model
from mtls_lint.model import Fragment, Location, Model
from mtls_lint.readers import Placement, ReadContext
from mtls_lint.rules import Registry
from mtls_lint.rules.base import Context, Finding


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
    fragment = read_inputs(discover(options.paths, options.cwd, options.exclude), options, ctx)
    model = link_model(fragment)
    check_ctx = Context(now=options.now, expiry_days=options.expiry_days)
    findings: list[Finding] = []
    errors: list[str] = []
    for rule in registry:
        if not selected(rule.id, options.select, options.ignore):
            continue
        try:
            findings.extend(rule.check(model, check_ctx))
        except Exception as exc:  # a broken rule must not take the other rules down with it
            errors.append(f"rule {rule.id} ({rule.name}) failed: {type(exc).__name__}: {exc}")
    kept, suppressed = _apply_suppressions(_unique(findings), model, fragment.file_ignores)
    return LintResult(sorted(kept, key=sort_key), sorted(suppressed, key=sort_key), len(model.files), errors, model)


def read_inputs(inputs: Inputs, options: LintOptions, ctx: ReadContext) -> Fragment:
    fragment = Fragment()
    if inputs.templates:
        from mtls_lint.readers.cloudformation import TemplateInput, read_templates

        templates = []
        for path, text in inputs.templates:
            account, region = ctx.placement(path)
            templates.append(TemplateInput(path, ctx.display(path), account, region, text=text))
        fragment.extend(read_templates(templates, ctx))
    if inputs.terraform_modules:
        from mtls_lint.readers.terraform_hcl import read_terraform_modules

        fragment.extend(read_terraform_modules(inputs.terraform_modules, ctx))
    if inputs.plans:
        from mtls_lint.readers.terraform_plan import read_terraform_plans

        fragment.extend(read_terraform_plans(inputs.plans, ctx))
    if options.inventory:
        from mtls_lint.readers.inventory import read_inventory

        fragment.extend(read_inventory(options.inventory, ctx))
    if options.truststores:
        fragment.extend(_read_truststore_copies(options.truststores, ctx))
    return fragment


def _read_truststore_copies(truststores: Mapping[str, Path], ctx: ReadContext) -> Fragment:
    from mtls_lint.readers.pem import read_pem_file

    fragment = Fragment()
    for uri, path in truststores.items():
        result = read_pem_file(path, ctx, pointed_from=Location(ctx.display(path), None, None))
        if isinstance(result, tuple):  # a Diagnostic (NamedTuple)
            fragment.diagnostics.append(result)  # type: ignore[arg-type]
        else:
            fragment.truststore_contents[uri] = result
    return fragment


def selected(rule_id: str, select: Sequence[str], ignore: Sequence[str]) -> bool:
    """The most specific matching prefix decides; on a tie, ignore wins (as ruff does)."""
    def longest(prefixes: Sequence[str]) -> int:
        return max((len(p) for p in prefixes if rule_id.startswith(p.strip().upper())), default=-1)

    chosen = longest(select)
    return chosen >= 0 and chosen > longest(ignore)


def sort_key(finding: Finding) -> tuple[str, int, int, str, str]:
    loc = finding.location
    return (loc.path, loc.line or 0, loc.column or 0, finding.rule_id, finding.message)


def _unique(findings: list[Finding]) -> list[Finding]:
    return list(dict.fromkeys(findings))


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
