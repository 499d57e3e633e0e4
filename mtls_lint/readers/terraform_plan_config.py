"""A plan's ``configuration``: which resources an attribute refers to, and provider regions.

What is unknown at plan time (a domain's ``regional_certificate_arn`` before the certificate
exists) is linked through the configuration's expression ``references``. Three traps of the
format (``aws-mtls-facts.md`` section 6): the tree recurses through
``module_calls.<name>.module``; configuration addresses are module-relative; references are
unwrapped (``"var.x"``, ``"aws_s3_object.ts.key"``, ``"aws_s3_object.ts"``) and must be
followed through module call arguments and module outputs to absolute resource addresses.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, TypeGuard

from mtls_lint.model import ResourceRef, Unknown
from mtls_lint.readers.terraform_address import (
    Address,
    call_name,
    parent_module,
    split_module,
)

_PART = re.compile(r'([A-Za-z_][A-Za-z0-9_-]*)((?:\[(?:\d+|"(?:[^"\\]|\\.)*")\])?)')
_EXPRESSION_KEYS = frozenset({"references", "constant_value"})
MAX_DEPTH = 64


def is_expression(node: object) -> TypeGuard[dict[str, Any]]:
    return isinstance(node, dict) and set(node) <= _EXPRESSION_KEYS


def as_list(value: object) -> list[Any]:
    """A plan's list, or nothing: a plan is read as written, whatever shape it has."""
    return value if isinstance(value, list) else []


def _as_dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def flatten_expressions(expressions: object, prefix: str = "", depth: int = 0) -> dict[str, dict[str, Any]]:
    """``{"mutual_tls_authentication": [{"truststore_uri": {...}}]}`` -> ``{"...0.truststore_uri": {...}}``."""
    out: dict[str, dict[str, Any]] = {}
    if isinstance(expressions, dict) and depth <= MAX_DEPTH:
        for key, node in expressions.items():
            path = f"{prefix}{key}"
            if is_expression(node):
                out[path] = node
            elif isinstance(node, dict):  # a single-nested block
                out.update(flatten_expressions(node, f"{path}.0.", depth + 1))
            elif isinstance(node, list):
                for index, item in enumerate(node):
                    out.update(flatten_expressions(item, f"{path}.{index}.", depth + 1))
    return out


class PlanConfiguration:
    """Reference resolution over one plan's configuration tree and resource addresses."""

    def __init__(self, configuration: object, variables: object, addresses: Iterable[str], source: str) -> None:
        config = configuration if isinstance(configuration, dict) else {}
        self.root = config.get("root_module") if isinstance(config.get("root_module"), dict) else None
        providers = config.get("provider_config")
        self.providers: dict[str, Any] = providers if isinstance(providers, dict) else {}
        self.variables = variables if isinstance(variables, dict) else {}
        self.addresses = set(addresses)
        self.source = source
        self._resources: dict[tuple[str, str], dict[str, Any] | None] = {}

    # the tree ---------------------------------------------------------------------------
    def module(self, module: str) -> dict[str, Any] | None:
        """The configuration of a module instance (``module.a["x"].module.b``): keys do not matter."""
        node = self.root
        for segment in split_module(module):
            calls = node.get("module_calls") if isinstance(node, dict) else None
            call = calls.get(call_name(segment)) if isinstance(calls, dict) else None
            node = call.get("module") if isinstance(call, dict) else None
        return node if isinstance(node, dict) else None

    def call(self, module: str) -> dict[str, Any] | None:
        """The ``module_calls`` entry that made a module instance."""
        parent = self.module(parent_module(module))
        calls = parent.get("module_calls") if parent else None
        segments = split_module(module)
        call = calls.get(call_name(segments[-1])) if isinstance(calls, dict) and segments else None
        return call if isinstance(call, dict) else None

    def resource(self, address: Address) -> dict[str, Any] | None:
        key = (address.module, address.resource)
        if key not in self._resources:
            module = self.module(address.module)
            relative = address.resource[len(address.module) + 1:] if address.module else address.resource
            found = None
            for entry in as_list((module or {}).get("resources")):
                if isinstance(entry, dict) and entry.get("address") == relative:
                    found = entry
                    break
            self._resources[key] = found
        return self._resources[key]

    def expressions(self, address: Address) -> dict[str, dict[str, Any]] | None:
        entry = self.resource(address)
        return flatten_expressions(entry.get("expressions")) if entry is not None else None

    # references -------------------------------------------------------------------------
    def resolve(self, references: object, module: str, key: str, depth: int = 0) -> tuple[ResourceRef, ...]:
        """Absolute resource references for an expression's ``references`` in a module instance."""
        if not isinstance(references, list) or depth > MAX_DEPTH:
            return ()
        found: dict[tuple[str, str | None], ResourceRef] = {}
        for text in references:
            if isinstance(text, str):
                for ref in self._resolve_one(text, module, key, depth):
                    found.setdefault((ref.name, ref.attribute), ref)
        return tuple(found.values())

    def _resolve_one(self, text: str, module: str, key: str, depth: int) -> list[ResourceRef]:
        parts = [(m.group(1), m.group(2)) for m in _PART.finditer(text)]
        if not parts:
            return []
        head = parts[0][0]
        if head == "var" and len(parts) > 1:
            call = self.call(module) if module else None
            expression = _as_dict(_as_dict(call).get("expressions")).get(parts[1][0])
            if not module or not is_expression(expression):
                return []
            return list(self.resolve(expression.get("references"), parent_module(module), "", depth + 1))
        if head == "module" and len(parts) > 2:
            return self._module_output(parts, module, depth)
        if head in ("local", "count", "each", "path", "self", "terraform", "var", "module"):
            return []  # locals are not in the plan's configuration
        mode_parts = parts[1:] if head == "data" else parts
        if len(mode_parts) < 2:
            return []
        prefix = "data." if head == "data" else ""
        base = f"{module}." if module else ""
        relative = f"{prefix}{mode_parts[0][0]}.{mode_parts[1][0]}"
        attribute = mode_parts[2][0] if len(mode_parts) > 2 else None
        return [ResourceRef(self.source, address, attribute)
                for address in self._instances(base + relative, mode_parts[1][1], key)]

    def _module_output(self, parts: list[tuple[str, str]], module: str, depth: int) -> list[ResourceRef]:
        name, instance_key = parts[1]
        base = f"{module}.module.{name}" if module else f"module.{name}"
        call = _as_dict(_as_dict(self.module(module)).get("module_calls")).get(name)
        outputs = _as_dict(_as_dict(_as_dict(call).get("module")).get("outputs"))
        output = outputs.get(parts[2][0])
        expression = output.get("expression") if isinstance(output, dict) else None
        if not is_expression(expression):
            return []
        refs: list[ResourceRef] = []
        for child in self._module_instances(base, instance_key):
            refs.extend(self.resolve(expression.get("references"), child, "", depth + 1))
        return refs

    def _instances(self, address: str, key: str, referrer_key: str) -> list[str]:
        """``aws_x.y`` may stand for ``aws_x.y`` or its instances ``aws_x.y[0]``, ``aws_x.y["k"]``."""
        if key:
            return [address + key]
        if address in self.addresses:
            return [address]
        instances = sorted(a for a in self.addresses if a.startswith(address + "[") and "]." not in a[len(address):])
        if referrer_key and address + referrer_key in instances:
            return [address + referrer_key]  # aws_x.y[count.index] from an instance with the same key
        return instances

    def _module_instances(self, base: str, key: str) -> list[str]:
        if key:
            return [base + key]
        keyed = sorted({a[:a.index("]", len(base)) + 1] for a in self.addresses if a.startswith(base + "[")})
        return keyed or [base]

    # providers --------------------------------------------------------------------------
    def provider_setting(self, address: Address, name: str) -> Any:
        """A provider argument (``region``) for a resource: its constant, a root variable's value, or None."""
        entry = self.resource(address)
        key = entry.get("provider_config_key") if entry else None
        if not isinstance(key, str):
            key = address.type.split("_", 1)[0]
        provider = self.providers.get(key) or self.providers.get(key.rsplit(":", 1)[-1])
        expressions = provider.get("expressions") if isinstance(provider, dict) else None
        expression = expressions.get(name) if isinstance(expressions, dict) else None
        if not is_expression(expression):
            return None
        if "constant_value" in expression:
            return expression["constant_value"]
        for text in as_list(expression.get("references")):
            if isinstance(text, str) and text.startswith("var."):
                variable = self.variables.get(text[4:])
                if isinstance(variable, dict) and "value" in variable:
                    return variable["value"]
        return Unknown(f"the provider's {name} is not known before apply")


def refs_by_path(config: PlanConfiguration, address: Address,
                 expressions: Mapping[str, dict[str, Any]]) -> dict[str, tuple[ResourceRef, ...]]:
    refs: dict[str, tuple[ResourceRef, ...]] = {}
    for path, expression in expressions.items():
        resolved = config.resolve(expression.get("references"), address.module, address.key)
        if resolved:
            refs[path] = resolved
    return refs
