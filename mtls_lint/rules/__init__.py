"""The rule registry: built-in rules listed explicitly, third-party rules from entry points.

Both go through ``register``, which validates before any work is done (as pluggy does), so a
broken plugin stops the run with one line instead of a traceback halfway through.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterable, Iterator

from mtls_lint.errors import PluginError
from mtls_lint.model import SEVERITIES
from mtls_lint.rules.base import RULE_ID, RULE_NAME, Rule

ENTRY_POINT_GROUP = "mtls_lint.rules"

# (module, attribute) of every built-in rule, in catalog order.
BUILTIN: tuple[tuple[str, str], ...] = (
    ("input", "UNPARSEABLE"),
    ("input", "UNRESOLVED"),
    ("unreadable_certificate", "RULE"),
    ("mixed_issuer_subject", "RULE"),
    ("wildcard_certificate", "RULE"),
    ("non_acm_server_certificate", "RULE"),
    ("issuers_mixed_in_region", "RULE"),
    ("domain_not_covered", "RULE"),
    ("certificate_expired", "RULE"),
    ("certificate_expiring", "RULE"),
    ("certificate_not_yet_valid", "RULE"),
    ("certificate_not_issued", "RULE"),
    ("certificate_not_found", "RULE"),
    ("certificate_region_mismatch", "RULE"),
    ("imported_key_mismatch", "RULE"),
    ("imported_chain_broken", "RULE"),
    ("certificate_key_algorithm", "RULE"),
    ("mtls_endpoint_not_regional", "RULE"),
    ("mtls_security_policy", "RULE"),
    ("ownership_certificate_missing", "RULE"),
    ("ownership_certificate_invalid", "RULE"),
    ("execute_api_endpoint_enabled", "RULE"),
    ("truststore_uri_invalid", "RULE"),
    ("truststore_version_unversioned_bucket", "RULE"),
    ("truststore_version_unpinned", "RULE"),
    ("mtls_unsupported_domain_type", "RULE"),
    ("http_domain_configuration_count", "RULE"),
    ("truststore_unreadable", "RULE"),
    ("truststore_certificate_expired", "RULE"),
    ("truststore_certificate_expiring", "RULE"),
    ("truststore_weak_algorithm", "RULE"),
    ("truststore_incomplete_chain", "RULE"),
    ("truststore_chain_too_long", "RULE"),
    ("truststore_non_ca_certificate", "RULE"),
    ("truststore_duplicate", "RULE"),
    ("truststore_size", "RULE"),
    ("private_key_in_source", "RULE"),
)


class Registry:
    """Rules by ID, in a stable order (by ID)."""

    def __init__(self) -> None:
        self._rules: dict[str, Rule] = {}
        self._names: dict[str, str] = {}

    def register(self, rule: object, origin: str = "mtls-lint") -> None:
        if not isinstance(rule, Rule):
            raise PluginError(f"{origin}: {rule!r} is not an mtls_lint.rules.base.Rule")
        problem = _validate(rule)
        if problem:
            raise PluginError(f"{origin}: rule {rule.id or '?'}: {problem}")
        if rule.id in self._rules:
            raise PluginError(f"{origin}: rule ID {rule.id} is already registered")
        if rule.name in self._names:
            raise PluginError(f"{origin}: rule name {rule.name} is already used by {self._names[rule.name]}")
        self._rules[rule.id] = rule
        self._names[rule.name] = rule.id

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._rules.values(), key=lambda rule: rule.id))

    def __len__(self) -> int:
        return len(self._rules)

    def get(self, rule_id: str) -> Rule | None:
        return self._rules.get(rule_id.upper())


def _validate(rule: Rule) -> str | None:
    if not RULE_ID.fullmatch(rule.id or ""):
        return "the ID must look like MTLS123"
    if not RULE_NAME.fullmatch(rule.name or ""):
        return "the name must be lower-case words joined by '-'"
    if rule.severity not in SEVERITIES:
        return f"the severity must be one of {', '.join(SEVERITIES)}"
    if not rule.summary:
        return "a one-line summary is required"
    if not callable(rule.check):
        return "check must be callable"
    return None


def builtin_rules() -> Iterator[Rule]:
    for module_name, attribute in BUILTIN:
        module = importlib.import_module(f"mtls_lint.rules.{module_name}")
        yield getattr(module, attribute)


def load_registry(*, plugins: bool = True) -> Registry:
    registry = Registry()
    for rule in builtin_rules():
        registry.register(rule)
    if plugins:
        for rule, origin in _plugin_rules():
            registry.register(rule, origin)
    return registry


def _plugin_rules() -> Iterator[tuple[object, str]]:
    from importlib.metadata import entry_points

    for entry_point in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda ep: ep.name):
        dist = entry_point.dist.name if entry_point.dist else "?"
        origin = f"plugin {dist} (entry point {entry_point.name})"
        try:
            loaded = entry_point.load()
        except Exception as exc:  # any import-time failure of someone else's code
            raise PluginError(f"{origin} failed to load: {type(exc).__name__}: {exc}") from None
        for rule in _as_rules(loaded):
            yield rule, origin


def _as_rules(loaded: object) -> Iterable[object]:
    """An entry point may name a Rule, an iterable of Rules, or a module with RULE or RULES."""
    if isinstance(loaded, Rule):
        return [loaded]
    for attribute in ("RULES", "RULE"):
        value = getattr(loaded, attribute, None)
        if value is not None and not isinstance(loaded, (list, tuple)):
            return _as_rules(value)
    if isinstance(loaded, (list, tuple, set, frozenset)):
        return list(loaded)
    return [loaded]
