"""CloudFormation and SAM templates (YAML or JSON) -> model fragments.

All templates of a run are read together so that ``Fn::ImportValue`` can be matched to
``Outputs.*.Export.Name`` of the other templates. ``Fn::If`` in a property the reader
uses makes one record per branch combination, labelled with the conditions, so rules
look at both branches without knowing that conditions exist.
"""
from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from mtls_lint.model import Api, ApiMapping, Bucket, Certificate, CustomDomain, Diagnostic, Fragment, Location, \
    Record, Unknown
from mtls_lint.readers import ReadContext
from mtls_lint.readers.cfn_intrinsics import Resolver, TemplateScope
from mtls_lint.readers.cfn_properties import Properties, with_resource_condition
from mtls_lint.readers.cfn_resources import BUILDERS
from mtls_lint.readers.structured import DocumentError, LocDict, load_document, load_json_document

MAX_IMPORT_CHAIN = 25  # exports importing exports, deeper than any real stack set
MAX_CONDITIONS = 3  # 2**3 variants of one resource at most; more conditions stay unknown
SAM_TYPES = ("AWS::Serverless::Api", "AWS::Serverless::HttpApi")
RELEVANT_TYPES = frozenset(BUILDERS) | frozenset(SAM_TYPES)
# Cheap pre-filter: a template mentioning none of these is not parsed at all.
MENTIONS_RELEVANT = re.compile(r"AWS::(?:ApiGateway|ApiGatewayV2|CertificateManager|S3|Serverless)::")


@dataclass(frozen=True, slots=True)
class TemplateInput:
    """One template to read; CDK passes the stack's account, region and name explicitly."""

    path: Path
    display: str
    account: str | None = None
    region: str | None = None
    stack_name: str | None = None
    text: str | None = None  # already read by discovery


@dataclass(slots=True)
class _Template:
    input: TemplateInput
    document: LocDict
    scope: TemplateScope = field(init=False)


def read_cloudformation(paths: Sequence[Path], ctx: ReadContext) -> Fragment:
    """Read plain template files; account and region come from the context's placements."""
    inputs = []
    for path in paths:
        account, region = ctx.placement(path)
        inputs.append(TemplateInput(path, ctx.display(path), account, region))
    return read_templates(inputs, ctx)


def read_templates(inputs: Sequence[TemplateInput], ctx: ReadContext) -> Fragment:
    fragment = Fragment()
    templates: list[_Template] = []
    for item in inputs:
        loaded = _load(item, fragment)
        if loaded is not None:
            templates.append(loaded)
    exports = _Exports(templates)
    for template in templates:
        template.scope.import_export = exports.lookup
    for template in templates:
        _TemplateReader(template, fragment).read()
    return fragment


def _load(item: TemplateInput, fragment: Fragment) -> _Template | None:
    try:
        text = item.text if item.text is not None else _read_text(item.path)
    except (OSError, UnicodeDecodeError) as exc:
        reason = "not UTF-8 text" if isinstance(exc, UnicodeDecodeError) else exc.strerror or "unreadable"
        fragment.diagnostics.append(Diagnostic("MTLS001", f"cannot read template: {reason}", Location(item.display, 1, 1)))
        return None
    if item.path.suffix == ".template" and not text.strip():
        fragment.diagnostics.append(Diagnostic("MTLS001", "empty template", Location(item.display, 1, 1)))
        fragment.files.append(item.display)
        return None
    if not MENTIONS_RELEVANT.search(text):
        return None
    try:
        document = _parse(item, text)
    except DocumentError as exc:
        fragment.diagnostics.append(Diagnostic("MTLS001", exc.message, exc.location))
        fragment.files.append(item.display)
        return None
    if not is_template(document):
        return None
    assert isinstance(document, LocDict)
    fragment.files.append(item.display)
    template = _Template(item, document)
    template.scope = _scope(item, document)
    return template


def _parse(item: TemplateInput, text: str) -> object:
    """JSON at C speed when it looks like JSON; flow-style YAML also starts with '{', so fall back."""
    if _looks_like_json(item.path, text):
        try:
            return load_json_document(text, item.display, positioned_resources=RELEVANT_TYPES)
        except DocumentError:
            if item.path.suffix == ".json":
                raise
    return load_document(text, item.display)


def _read_text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    return data.decode("utf-8")


def _looks_like_json(path: Path, text: str) -> bool:
    return path.suffix == ".json" or text.lstrip()[:1] == "{"


def is_template(document: object) -> bool:
    """A mapping with ``AWSTemplateFormatVersion``, or with ``Resources`` whose entries have ``Type``."""
    if not isinstance(document, dict):
        return False
    if "AWSTemplateFormatVersion" in document:
        return True
    resources = document.get("Resources")
    return isinstance(resources, dict) and any(isinstance(r, dict) and "Type" in r for r in resources.values())


def _scope(item: TemplateInput, document: LocDict) -> TemplateScope:
    def section(name: str) -> dict:  # type: ignore[type-arg]
        value = document.get(name)
        return value if isinstance(value, dict) else {}

    where = Location(item.display, 1, 1)
    region = item.region
    pseudo: dict[str, object] = {
        "AWS::Region": region or Unknown("AWS::Region is not known: pass --region or set it in the config", where),
        "AWS::AccountId": item.account or Unknown("AWS::AccountId is not known: pass --account", where),
        "AWS::Partition": _partition(region),
        "AWS::URLSuffix": "amazonaws.com.cn" if (region or "").startswith("cn-") else "amazonaws.com",
        "AWS::StackName": item.stack_name or Unknown("AWS::StackName is known only at deployment", where),
    }
    return TemplateScope(
        source=item.display,
        path=item.display,
        parameters=section("Parameters"),
        resources=section("Resources"),
        mappings=section("Mappings"),
        pseudo=pseudo,
    )


def _partition(region: str | None) -> str:
    if region and region.startswith("cn-"):
        return "aws-cn"
    if region and region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


class _Exports:
    """``Outputs.*.Export.Name`` of every template in the run, resolved on demand, cycle-safe."""

    def __init__(self, templates: Sequence[_Template]) -> None:
        self.table: dict[str, tuple[_Template, object, Location]] = {}
        self.in_progress: set[str] = set()
        for template in templates:
            outputs = template.document.get("Outputs")
            if not isinstance(outputs, dict):
                continue
            for output_name, output in outputs.items():
                if not isinstance(output, dict) or not isinstance(output.get("Export"), dict):
                    continue
                where = outputs.key_locs.get(output_name, template.document.loc) if isinstance(outputs, LocDict) \
                    else template.document.loc
                name = Resolver(template.scope).text(output["Export"].get("Name"), where)
                if isinstance(name, str) and "Value" in output:
                    self.table.setdefault(name, (template, output["Value"], where))

    def lookup(self, name: str, where: Location) -> object:
        entry = self.table.get(name)
        if entry is None:
            return Unknown(f"Fn::ImportValue {name}: no export of that name among the inputs", where)
        if name in self.in_progress:
            return Unknown(f"Fn::ImportValue {name}: exports refer to each other in a cycle", where)
        if len(self.in_progress) >= MAX_IMPORT_CHAIN:
            return Unknown(f"Fn::ImportValue {name}: a chain of more than {MAX_IMPORT_CHAIN} exports", where)
        template, value, export_where = entry
        self.in_progress.add(name)
        try:
            return Resolver(template.scope).resolve(value, export_where)
        finally:
            self.in_progress.discard(name)


class _TemplateReader:
    def __init__(self, template: _Template, fragment: Fragment) -> None:
        self.template = template
        self.fragment = fragment
        self.display = template.input.display
        self.document = template.document

    def read(self) -> None:
        ignores = metadata_ignores(self.document.get("Metadata"))
        if ignores:
            self.fragment.file_ignores[self.display] = ignores
        resources = self.document.get("Resources")
        if not isinstance(resources, dict):
            if "Resources" in self.document:
                self.fragment.diagnostics.append(Diagnostic(
                    "MTLS001", "Resources must be a mapping of logical IDs to resources",
                    self.document.key_loc("Resources")))
            return
        for name, resource in resources.items():
            if not isinstance(resource, dict):
                continue
            kind = resource.get("Type")
            builder = BUILDERS.get(kind) if isinstance(kind, str) else None
            if builder is not None:
                self._add(self._variants(name, resource, builder))
        if any(isinstance(r, dict) and r.get("Type") in SAM_TYPES or _is_sam_function(r) for r in resources.values()):
            from mtls_lint.readers.sam import read_sam

            records, diagnostics = read_sam(self.document, self.template.scope, self.base_for, self.variants)
            self._add(records)
            self.fragment.diagnostics.extend(diagnostics)

    def base_for(self, name: str, resource: dict, location: Location | None = None) -> dict:  # type: ignore[type-arg]
        resources = self.document["Resources"]
        where = location or (resources.key_locs.get(name) if isinstance(resources, LocDict) else None) \
            or Location(self.display, None, None)
        inputs = self.template.input
        return {
            "resource": name,
            "location": where,
            "source": self.display,
            "account": inputs.account,
            "region": inputs.region,
            "ignore": metadata_ignores(resource.get("Metadata")),
        }

    def _variants(self, name: str, resource: dict, builder: Callable) -> list[Record]:  # type: ignore[type-arg]
        base = self.base_for(name, resource)
        props = resource.get("Properties")
        props = props if isinstance(props, dict) else {}

        def build(resolver: Resolver) -> list[Record]:
            return builder(Properties(props, resolver, base["location"]), base)

        return with_resource_condition(self.variants(build), resource)

    def variants(self, build: Callable[[Resolver], list[Record]]) -> list[Record]:
        """Build once; when an undecided Fn::If was met, build again for each branch combination.

        A record every branch builds alike is kept once, with no condition in its label.
        """
        resolver = Resolver(self.template.scope)
        records = build(resolver)
        if not resolver.undecided:
            return records
        conditions = resolver.undecided[:MAX_CONDITIONS]
        branches: list[tuple[str, list[Record]]] = []
        for values in itertools.product((True, False), repeat=len(conditions)):
            assumptions = dict(zip(conditions, values))
            label = ", ".join(f"{c} is {'true' if v else 'false'}" for c, v in assumptions.items())
            branches.append((label, build(Resolver(self.template.scope, assumptions))))
        out: list[Record] = []
        for label, built in branches:
            for record in built:
                if all(record in other for _, other in branches):
                    if record not in out:
                        out.append(record)
                elif replace(record, condition=label) not in out:
                    out.append(replace(record, condition=label))
        return out

    def _add(self, records: list[Record]) -> None:
        for record in records:
            if isinstance(record, CustomDomain):
                self.fragment.domains.append(record)
            elif isinstance(record, Certificate):
                self.fragment.certificates.append(record)
            elif isinstance(record, Api):
                self.fragment.apis.append(record)
            elif isinstance(record, ApiMapping):
                self.fragment.mappings.append(record)
            elif isinstance(record, Bucket):
                self.fragment.buckets.append(record)


def _is_sam_function(resource: object) -> bool:
    return isinstance(resource, dict) and resource.get("Type") == "AWS::Serverless::Function"


def metadata_ignores(metadata: object) -> frozenset[str]:
    """Rule IDs suppressed by ``Metadata: {mtls-lint: {ignore: [...]}}`` or cfn-lint's ``ignore_checks``.

    cfn-lint IDs of our plugin rules (``W9102``) map back to ``MTLS102``.
    """
    if not isinstance(metadata, dict):
        return frozenset()
    ids: set[str] = set()
    ours = metadata.get("mtls-lint")
    if isinstance(ours, dict) and isinstance(ours.get("ignore"), list):
        ids.update(str(item).strip() for item in ours["ignore"] if isinstance(item, str))
    cfn_lint = metadata.get("cfn-lint")
    config = cfn_lint.get("config") if isinstance(cfn_lint, dict) else None
    checks = config.get("ignore_checks") if isinstance(config, dict) else None
    if isinstance(checks, list):
        for check in checks:
            if isinstance(check, str) and re.fullmatch(r"[EWI]9\d{3}", check):
                ids.add("MTLS" + check[2:])
    return frozenset(ids)
