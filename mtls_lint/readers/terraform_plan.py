"""Terraform plan JSON reader (``terraform show -json plan.out``), format versions 0.1 to 1.2.

Values come from ``resource_changes[].change.after`` (falling back to ``planned_values``),
with ``after_unknown`` leaves as ``Unknown("known after apply")``. Values marked in
``after_sensitive`` are wrapped in ``Secret``: Terraform writes them in clear text (an
imported certificate's ``private_key``), and only the x509 helpers may look inside.
``prior_state`` adds what exists already and is not planned (data sources read at plan time).
Each record is located at the line where ``"address": "<address>"`` first appears in the file.
What each resource type means is decided in ``terraform_resources``, shared with the HCL reader.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from mtls_lint.model import Diagnostic, Fragment, Location, Text, Unknown
from mtls_lint.readers import ReadContext
from mtls_lint.readers.terraform_address import Address, parse_address
from mtls_lint.readers.terraform_plan_config import PlanConfiguration, refs_by_path
from mtls_lint.readers.terraform_resources import MAPPED_TYPES, map_resources
from mtls_lint.readers.terraform_values import KNOWN_AFTER_APPLY, Secret, TfResource

MAX_PLAN_BYTES = 512 * 1024 * 1024
_ADDRESS = re.compile(r'"address"\s*:\s*"((?:[^"\\]|\\.)*)"')
_GONE = ({"delete"}, {"forget"})


def read_terraform_plans(paths: Sequence[Path], ctx: ReadContext) -> Fragment:
    fragment = Fragment()
    for path in paths:
        fragment.extend(read_terraform_plan(Path(path), ctx))
    return fragment


def read_terraform_plan(path: Path, ctx: ReadContext) -> Fragment:
    shown = ctx.display(path)
    fragment = Fragment(files=[shown])
    document = _load(path, shown)
    if isinstance(document, Diagnostic):
        fragment.diagnostics.append(document)
        return fragment
    text, plan = document
    if not isinstance(plan, dict) or "format_version" not in plan:
        return fragment  # JSON, but not a plan: not ours to judge
    fragment.extend(map_resources(list(_resources(plan, text, path, shown, ctx)), ctx))
    return fragment


def _load(path: Path, shown: str) -> tuple[str, Any] | Diagnostic:
    def problem(message: str, line: int | None = None, column: int | None = None) -> Diagnostic:
        return Diagnostic("MTLS001", f"{shown}: {message}", Location(shown, line, column))

    try:
        if path.stat().st_size > MAX_PLAN_BYTES:
            return problem(f"the plan is larger than {MAX_PLAN_BYTES // (1024 * 1024)} MB; not read")
        data = path.read_bytes()
    except OSError:
        return problem("the plan cannot be read")
    text = decode_json_bytes(data)
    if isinstance(text, tuple):
        return problem(*text)
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as error:
        return problem(f"not valid JSON: {error.msg}", error.lineno, error.colno)
    except RecursionError:
        return problem("the JSON is nested too deeply")


def decode_json_bytes(data: bytes) -> str | tuple[str, int, int]:
    """Text of a JSON file: UTF-8 (with or without BOM) or UTF-16 with a BOM; else (message, line, col)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encoding, body = "utf-16", data
    else:
        encoding, body = "utf-8", data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        return body.decode(encoding)
    except UnicodeDecodeError as error:
        before = body[:error.start]
        line = before.count(b"\n") + 1 if encoding == "utf-8" else None
        column = len(before) - (before.rfind(b"\n") + 1) + 1 if encoding == "utf-8" else None
        return (f"not valid {encoding.upper()} text", line or 1, column or 1)


def address_lines(text: str) -> dict[str, tuple[int, int]]:
    """Where each ``"address": "..."`` first appears: one pass over the text."""
    found: dict[str, tuple[int, int]] = {}
    line, line_start, position = 1, 0, 0
    for match in _ADDRESS.finditer(text):
        start = match.start()
        newlines = text.count("\n", position, start)
        if newlines:
            line += newlines
            line_start = text.rfind("\n", position, start) + 1
        position = start
        try:
            address = json.loads(f'"{match.group(1)}"')
        except ValueError:
            continue
        found.setdefault(address, (line, start - line_start + 1))
    return found


def _modules(root: object) -> Iterator[dict[str, Any]]:
    """A values representation's modules: root, then child_modules, depth first."""
    pending = [root]
    while pending:
        module = pending.pop()
        if not isinstance(module, dict):
            continue
        yield module
        children = module.get("child_modules")
        if isinstance(children, list):
            pending.extend(reversed(children))


def _resources(plan: dict[str, Any], text: str, path: Path, shown: str, ctx: ReadContext) -> Iterator[TfResource]:
    # A deposed object (create_before_destroy) shares its address with the current one: not ours.
    changes = {c.get("address"): c for c in plan.get("resource_changes") or ()
               if isinstance(c, dict) and not c.get("deposed")}
    planned = [r for m in _modules(_get(plan, "planned_values", "root_module")) for r in m.get("resources") or ()
               if isinstance(r, dict)]
    prior = [r for m in _modules(_get(plan, "prior_state", "values", "root_module"))
             for r in m.get("resources") or () if isinstance(r, dict)]
    every = [r.get("address") for r in planned + prior] + list(changes)
    config = PlanConfiguration(plan.get("configuration"), plan.get("variables"),
                               (a for a in every if isinstance(a, str)), shown)
    lines = address_lines(text)
    seen: set[str] = set()
    for entry, existing in [(r, False) for r in planned] + [(r, True) for r in prior]:
        address_text = entry.get("address")
        if not isinstance(address_text, str) or address_text in seen or entry.get("type") not in MAPPED_TYPES:
            continue
        change = changes.get(address_text)
        change_body = change.get("change") if isinstance(change, dict) else None
        actions = set(change_body.get("actions") or ()) if isinstance(change_body, dict) else set()
        if existing and actions in _GONE:
            continue  # exists now, but this plan removes it
        address = parse_address(address_text)
        if address is None:
            continue
        seen.add(address_text)
        line, column = lines.get(address_text, (None, None))
        yield _resource(entry, change_body if not existing else None, address, config,
                        Location(shown, line, column), path, ctx)


def _unset_unconfigured(values: dict[str, Any], expressions: Mapping[str, Any], prefix: str = "") -> None:
    """Optional+computed arguments the configuration does not set are planned unknown: they are unset.

    Not "known after apply": no security_policy, no ownership certificate. Nested blocks are
    walked only when the configuration writes them (a ``dynamic`` block has no expressions).
    """
    for name, value in list(values.items()):
        path = prefix + name
        configured = any(p == path or p.startswith(path + ".") for p in expressions)
        if isinstance(value, Unknown) and not configured:
            values[name] = None
        elif isinstance(value, list) and configured:
            for index, item in enumerate(value):
                if isinstance(item, dict):
                    _unset_unconfigured(item, expressions, f"{path}.{index}.")


def _resource(entry: dict[str, Any], change: dict[str, Any] | None, address: Address, config: PlanConfiguration,
              where: Location, path: Path, ctx: ReadContext) -> TfResource:
    expressions = config.expressions(address)
    if isinstance(change, dict) and isinstance(change.get("after"), dict):
        values = merge(change.get("after"), change.get("after_unknown"), change.get("after_sensitive"), where)
    else:
        values = merge(entry.get("values") or {}, None, entry.get("sensitive_values"), where)
    if expressions is not None:
        _unset_unconfigured(values, expressions)
        key = values.get("private_key")
        if isinstance(key, Secret) and _written_in_configuration(expressions.get("private_key")):
            values["private_key"] = Secret(key.reveal(), committed=True)
    account, placed = ctx.placement(path)
    region: Text | None = placed
    provider_region = config.provider_setting(address, "region")
    if isinstance(values.get("region"), str):  # AWS provider v6: a region per resource
        region = values["region"]
    elif provider_region is not None:
        region = provider_region if isinstance(provider_region, str) else Unknown(
            "the provider's region is not known before apply", where)
    return TfResource(
        source=where.path, address=entry["address"], mode=address.mode, type=address.type, values=values,
        refs=refs_by_path(config, address, expressions or {}), location=where, account=account, region=region,
        base_dir=path.parent, files_must_exist=False)


def _written_in_configuration(expression: dict[str, Any] | None) -> bool:
    """A key written inline, or read with ``file()`` from the configuration's directory.

    Terraform shows ``file("${path.module}/key.pem")`` only as ``references: ["path.module"]``; a
    key from ``tls_private_key`` or a variable references those instead and is not in the repository.
    """
    if not isinstance(expression, dict):
        return False
    references = expression.get("references") or []
    return "constant_value" in expression or any(
        isinstance(r, str) and r.startswith("path.") for r in references)


def merge(after: Any, unknown: Any, sensitive: Any, where: Location) -> Any:
    """``after`` with ``after_unknown`` leaves as Unknown and ``after_sensitive`` leaves as Secret."""
    if unknown is True:
        return Unknown(KNOWN_AFTER_APPLY, where)
    if sensitive is True:
        return Secret(merge(after, unknown, None, where), committed=False)
    if isinstance(after, dict) or (after is None and isinstance(unknown, dict)):
        after = after or {}
        unknown = unknown if isinstance(unknown, dict) else {}
        sensitive = sensitive if isinstance(sensitive, dict) else {}
        return {key: merge(after.get(key), unknown.get(key), sensitive.get(key), where)
                for key in dict.fromkeys([*after, *unknown])}
    if isinstance(after, list) or (after is None and isinstance(unknown, list)):
        after = after or []
        unknown = unknown if isinstance(unknown, list) else []
        sensitive = sensitive if isinstance(sensitive, list) else []
        return [merge(after[i] if i < len(after) else None, unknown[i] if i < len(unknown) else None,
                      sensitive[i] if i < len(sensitive) else None, where)
                for i in range(max(len(after), len(unknown)))]
    return after


def _get(node: Any, *keys: str) -> Any:
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node
