"""Instances and bodies: ``count``/``for_each`` expansion and block-body evaluation.

Shared by resources and module calls. ``expand`` turns a block's ``count``/``for_each`` into
instances keyed as Terraform keys them; when the repetition is not known before apply, one
instance stands for all, with a ``condition`` that says so. ``body_values`` evaluates a body
into plain values (nested blocks become lists of dicts, ``dynamic`` blocks are expanded),
with the references and the position of every attribute path.
"""
from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from mtls_lint.model import Location, ResourceRef, Unknown
from mtls_lint.readers.hcl_ast import Attr, Block, Body, Traversal, Variable
from mtls_lint.readers.hcl_eval import (
    TOO_LARGE,
    Env,
    LazyObject,
    Value,
    evaluate,
    too_large,
)
from mtls_lint.readers.hcl_module import ResourceBlock
from mtls_lint.readers.terraform_address import UNKNOWN_KEY
from mtls_lint.readers.terraform_values import Encoded

T = TypeVar("T")
# Beyond this, instances are not expanded one by one (a configuration is not a load test).
MAX_INSTANCES = 1000
# Meta-arguments and blocks that are Terraform's, not the resource's.
META_ATTRIBUTES = frozenset({"count", "for_each", "provider", "depends_on"})
META_BLOCKS = frozenset({"lifecycle", "provisioner", "connection"})


@dataclass(slots=True)
class Expansion(Generic[T]):
    """The instances of one block: single, by count index, or by for_each key."""

    kind: str  # "single" | "count" | "each"
    items: list[tuple[object, T]]
    unknown: Unknown | None = None

    def members(self) -> list[T]:
        return [item for _, item in self.items]

    def reference(self, wrap: Callable[[T], Value], loc: Location) -> Value:
        """What a bare reference to the block means: the object, a list, or a map of them."""
        if self.kind == "single":
            return wrap(self.items[0][1])
        if self.kind == "count":
            return [wrap(item) for _, item in self.items]
        if self.unknown is not None:
            return Unknown(self.unknown.reason, loc)
        return {str(key): wrap(item) for key, item in self.items}


def expand(block: Block, env: Env, what: str,
           make: Callable[[object, Mapping[str, Value], str | None], T]) -> Expansion[T]:
    attributes = block.body.attributes
    if "count" in attributes:
        count = evaluate(attributes["count"].expr, env)
        number = count if isinstance(count, int) and not isinstance(count, bool) else None
        if isinstance(count, float) and count.is_integer():
            number = int(count)
        if number is None or number > MAX_INSTANCES:
            why = "unknown before apply" if number is None else f"{number}, not expanded one by one"
            condition = f"if the count of {what} ({why}) is at least 1"
            return Expansion("count", [(0, make(0, {"count": {"index": 0}}, condition))],
                             Unknown(f"the count of {what} is not known before apply", block.loc))
        return Expansion("count", [(i, make(i, {"count": {"index": i}}, None)) for i in range(max(number, 0))])
    if "for_each" in attributes:
        pairs = for_each_pairs(evaluate(attributes["for_each"].expr, env))
        if pairs is None or len(pairs) > MAX_INSTANCES:
            unknown = Unknown(f"the for_each of {what} is not known before apply", block.loc)
            condition = f"for each element of the for_each of {what} (unknown before apply)"
            each = {"each": {"key": unknown, "value": unknown}}
            return Expansion("each", [(UNKNOWN_KEY, make(UNKNOWN_KEY, each, condition))], unknown)
        return Expansion("each", [(key, make(key, {"each": {"key": key, "value": value}}, None))
                                  for key, value in pairs])
    return Expansion("single", [(None, make(None, {}, None))])


def for_each_pairs(value: Value) -> list[tuple[str, Value]] | None:
    """Keys and values of a for_each: a map (keys in lexical order) or a set of strings."""
    if isinstance(value, Mapping):
        return [(str(key), value[key]) for key in sorted(value)]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [(v, v) for v in sorted(set(value))]
    return None


@dataclass(slots=True)
class Evaluated:
    values: dict[str, Value] = field(default_factory=dict)
    refs: dict[str, tuple[ResourceRef, ...]] = field(default_factory=dict)
    locations: dict[str, Location] = field(default_factory=dict)


def body_values(body: Body, env: Env, *, top: bool, only: frozenset[str] | None = None) -> Evaluated:
    """Evaluate a body; with ``only``, just those top-level arguments and blocks (the rest is never read)."""
    out = Evaluated()
    out.values = _fill(body, env, "", out, top, only=only)
    return out


def _fill(body: Body, env: Env, prefix: str, out: Evaluated, top: bool,
          inherited: tuple[ResourceRef, ...] = (), only: frozenset[str] | None = None) -> dict[str, Value]:
    values: dict[str, Value] = {}
    for name, attribute in body.attributes.items():
        if (top and name in META_ATTRIBUTES) or (only is not None and name not in only):
            continue
        collected: list[ResourceRef] = list(inherited)
        values[name] = evaluate(attribute.expr, env.collecting(collected))
        out.refs[prefix + name] = tuple(dict.fromkeys(collected))
        out.locations[prefix + name] = attribute.loc
    for block in body.blocks:
        dynamic = block.type == "dynamic" and bool(block.labels)
        name = block.labels[0] if dynamic else block.type
        if (top and block.type in META_BLOCKS) or (only is not None and name not in only):
            continue
        refs: tuple[ResourceRef, ...] = inherited
        if dynamic:
            for_each: list[ResourceRef] = []
            generated = _dynamic(block, env.collecting(for_each))
            # What the iterator carries comes from for_each: its references count for the content.
            refs = inherited + tuple(for_each)
            if generated is None:
                values[name] = Unknown(f"the for_each of dynamic block {name} is not known before apply",
                                       block.loc)
                continue
        else:
            generated = [(block.body, env)]
        existing = values.setdefault(name, [])
        if not isinstance(existing, list):
            continue  # already unknown
        for content, scope in generated:
            path = f"{prefix}{name}.{len(existing)}"
            out.locations.setdefault(f"{prefix}{name}", block.loc)
            out.locations[path] = block.loc
            existing.append(_fill(content, scope, path + ".", out, False, refs))
    return values


def _dynamic(block: Block, env: Env) -> list[tuple[Body, Env]] | None:
    attributes = block.body.attributes
    content = next((b for b in block.body.blocks if b.type == "content"), None)
    if "for_each" not in attributes or content is None:
        return []
    collection = evaluate(attributes["for_each"].expr, env)
    if isinstance(collection, Mapping):
        pairs: list[tuple[Any, Value]] = [(k, collection[k]) for k in sorted(collection)]
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        return None
    iterator = block.labels[0]
    if "iterator" in attributes:
        iterator = traversal_name(attributes["iterator"].expr) or iterator
    scope = env.collecting([])  # the content's own references are collected per attribute
    return [(content.body, scope.bind({iterator: {"key": key, "value": value}})) for key, value in pairs]


def freeze(value: Value, loc: Location | None = None) -> Value:
    """Values leave the evaluator: objects standing for whole resources become Unknown.

    The copy expands what the evaluator shared, so a value beyond the size budget is not copied.
    """
    if too_large(value):
        return Unknown(TOO_LARGE, loc)
    try:
        return _freeze(value)
    except RecursionError:
        return Unknown("a value nested too deeply", loc)


def _freeze(value: Value) -> Value:
    if isinstance(value, LazyObject):
        return Unknown("a whole resource or module object")
    if isinstance(value, dict):
        return {key: _freeze(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_freeze(item) for item in value]
    if isinstance(value, Encoded):
        return Encoded(value.format, _freeze(value.value))
    return value


def traversal_name(expr: Any) -> str | None:
    """``aws`` or ``aws.west`` as written (provider references, iterator names)."""
    if isinstance(expr, Variable):
        return expr.name
    if isinstance(expr, Traversal) and isinstance(expr.root, Variable) and all(
            isinstance(step, Attr) for step in expr.steps):
        return ".".join([expr.root.name] + [step.name for step in expr.steps if isinstance(step, Attr)])
    return None


def provider_key(resource: ResourceBlock) -> str:
    """The provider configuration a resource uses: ``provider = aws.west``, else the type's prefix."""
    attribute = resource.block.body.attributes.get("provider")
    if attribute is not None:
        name = traversal_name(attribute.expr)
        if name:
            return name
    return resource.type.split("_", 1)[0]
