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
import os
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from mtls_lint.model import Diagnostic, Fragment, Location, Text, Unknown
from mtls_lint.readers import ReadContext
from mtls_lint.readers.textio import JsonProblem, load_json_bytes
from mtls_lint.readers.terraform_address import Address, parse_address
from mtls_lint.readers.terraform_plan_config import PlanConfiguration, as_list, refs_by_path
from mtls_lint.readers.terraform_resources import READ_ARGUMENTS, map_resources
from mtls_lint.readers.terraform_values import KNOWN_AFTER_APPLY, Secret, TfResource
from mtls_lint.readers.textio import LineIndex

# Plans of thousands of resources stay far below this; the text, its JSON value and the records
# each cost a multiple of the file in memory.
MAX_PLAN_BYTES = 200 * 1024 * 1024
# Nested blocks go a few levels deep; a value nested deeper than this is not one the mapping reads.
MAX_VALUE_DEPTH = 64
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
    def problem(message: str, where: Location | None = None) -> Diagnostic:
        return Diagnostic("MTLS001", f"{shown}: {message}", where or Location(shown))

    try:
        with path.open("rb") as stream:  # one open: the size is that of the file being read
            if os.fstat(stream.fileno()).st_size > MAX_PLAN_BYTES:
                return problem(f"the plan is larger than {MAX_PLAN_BYTES // (1024 * 1024)} MB; not read")
            data = stream.read(MAX_PLAN_BYTES + 1)
    except (OSError, ValueError):
        return problem("the plan cannot be read")
    if len(data) > MAX_PLAN_BYTES:  # grew while being read, or a special file that reports no size
        return problem(f"the plan is larger than {MAX_PLAN_BYTES // (1024 * 1024)} MB; not read")
    loaded = load_json_bytes(data, shown)
    if isinstance(loaded, JsonProblem):
        return problem(loaded.message, loaded.location)
    return loaded


def address_lines(text: str) -> dict[str, tuple[int, int]]:
    """Where each ``"address": "..."`` first appears: one pass over the text."""
    found: dict[str, tuple[int, int]] = {}
    lines = LineIndex(text, "")
    for match in _ADDRESS.finditer(text):
        try:
            address = json.loads(f'"{match.group(1)}"')
        except ValueError:
            continue
        if address not in found:
            location = lines.location(match.start())
            found[address] = (location.line or 1, location.column or 1)
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
    changes = {c["address"]: c for c in as_list(plan.get("resource_changes"))
               if isinstance(c, dict) and isinstance(c.get("address"), str) and not c.get("deposed")}
    planned = _entries(_get(plan, "planned_values", "root_module"))
    prior = _entries(_get(plan, "prior_state", "values", "root_module"))
    every = [r.get("address") for r in planned + prior] + list(changes)
    config = PlanConfiguration(plan.get("configuration"), plan.get("variables"),
                               (a for a in every if isinstance(a, str)), shown)
    lines = address_lines(text)
    seen: set[str] = set()
    for entry, existing in [(r, False) for r in planned] + [(r, True) for r in prior]:
        address_text, kind = entry.get("address"), entry.get("type")
        if not isinstance(address_text, str) or address_text in seen or not isinstance(kind, str) \
                or kind not in READ_ARGUMENTS:
            continue
        change = changes.get(address_text)
        change_body = change.get("change") if isinstance(change, dict) else None
        actions = {a for a in as_list(change_body.get("actions")) if isinstance(a, str)} if isinstance(
            change_body, dict) else set()
        if existing and actions in _GONE:
            continue  # exists now, but this plan removes it
        address = parse_address(address_text)
        if address is None:
            continue
        seen.add(address_text)
        line, column = lines.get(address_text, (None, None))
        yield _resource(entry, change_body if not existing else None, address, config,
                        Location(shown, line, column), path, ctx)


def _entries(root: object) -> list[dict[str, Any]]:
    """The resource objects of a values representation, whatever odd shapes surround them."""
    return [r for m in _modules(root) for r in as_list(m.get("resources")) if isinstance(r, dict)]


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
    names = READ_ARGUMENTS[address.type] | {"region"}
    if isinstance(change, dict) and isinstance(change.get("after"), dict):
        values = _values(change.get("after"), change.get("after_unknown"), change.get("after_sensitive"), names, where)
    else:
        values = _values(entry.get("values") or {}, None, entry.get("sensitive_values"), names, where)
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
    return "constant_value" in expression or any(
        isinstance(r, str) and r.startswith("path.") for r in as_list(expression.get("references")))


def _values(after: Any, unknown: Any, sensitive: Any, names: frozenset[str], where: Location) -> dict[str, Any]:
    """The arguments the mapping reads (``names``), merged; a resource entirely unknown or
    sensitive (``after_unknown: true``) has each of them known after apply."""
    if unknown is True or sensitive is True or not isinstance(after, dict):
        return {name: Unknown(KNOWN_AFTER_APPLY, where) for name in sorted(names)}
    unknown = unknown if isinstance(unknown, dict) else {}
    sensitive = sensitive if isinstance(sensitive, dict) else {}
    return {key: merge(after.get(key), unknown.get(key), sensitive.get(key), where)
            for key in dict.fromkeys([*after, *unknown]) if key in names}


def merge(after: Any, unknown: Any, sensitive: Any, where: Location, depth: int = 0) -> Any:
    """``after`` with ``after_unknown`` leaves as Unknown and ``after_sensitive`` leaves as Secret."""
    if unknown is True:
        return Unknown(KNOWN_AFTER_APPLY, where)
    if depth > MAX_VALUE_DEPTH:
        return Unknown(f"a value nested more than {MAX_VALUE_DEPTH} levels deep", where)
    if sensitive is True:
        return Secret(merge(after, unknown, None, where, depth), committed=False)
    if isinstance(after, dict) or (after is None and isinstance(unknown, dict)):
        after = after or {}
        unknown = unknown if isinstance(unknown, dict) else {}
        sensitive = sensitive if isinstance(sensitive, dict) else {}
        return {key: merge(after.get(key), unknown.get(key), sensitive.get(key), where, depth + 1)
                for key in dict.fromkeys([*after, *unknown])}
    if isinstance(after, list) or (after is None and isinstance(unknown, list)):
        after = after or []
        unknown = unknown if isinstance(unknown, list) else []
        sensitive = sensitive if isinstance(sensitive, list) else []
        return [merge(after[i] if i < len(after) else None, unknown[i] if i < len(unknown) else None,
                      sensitive[i] if i < len(sensitive) else None, where, depth + 1)
                for i in range(max(len(after), len(unknown)))]
    return after


def _get(node: Any, *keys: str) -> Any:
    for key in keys:
        node = node.get(key) if isinstance(node, dict) else None
    return node
