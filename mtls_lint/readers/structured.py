"""YAML and JSON documents with line and column for every mapping key and sequence item.

PyYAML's C composer (when available) builds the node graph at C speed; we turn nodes
into dicts and lists that remember where each key and item was written. Aliases
are shared rather than copied, and the size they would expand to is bounded, so an
alias bomb costs nothing but a diagnostic. CloudFormation short-form tags
(``!Ref``, ``!Sub``, ...) become their long forms.
"""
from __future__ import annotations

import json
import re
from collections.abc import Iterator

import yaml

from mtls_lint.model import Location

try:  # the C composer is 10x faster; fall back to pure Python where libyaml is missing
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 20 * 1024 * 1024  # larger than any template CloudFormation accepts (1 MB) by far
MAX_DEPTH = 150
MAX_EXPANDED_NODES = 2_000_000


class LocDict(dict):  # type: ignore[type-arg]
    """A mapping that knows where it and each of its keys were written."""

    __slots__ = ("loc", "key_locs")

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.key_locs: dict[str, Location] = {}

    def key_loc(self, key: str) -> Location:
        return self.key_locs.get(key, self.loc)


class LocList(list):  # type: ignore[type-arg]
    """A sequence that knows where it and each of its items were written."""

    __slots__ = ("loc", "item_locs")

    def __init__(self, loc: Location) -> None:
        super().__init__()
        self.loc = loc
        self.item_locs: list[Location] = []


class DocumentError(Exception):
    """The document cannot be read; carries the position for an MTLS001 finding."""

    def __init__(self, message: str, location: Location) -> None:
        super().__init__(message)
        self.message = message
        self.location = location


def location_of(value: object, fallback: Location) -> Location:
    loc = getattr(value, "loc", None)
    return loc if isinstance(loc, Location) else fallback


def load_document(text: str, path: str) -> object:
    """Parse YAML or JSON text into LocDict/LocList/scalars. Raises DocumentError."""
    if len(text) > MAX_BYTES:
        raise DocumentError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB", Location(path, 1, 1))
    _check_flow_depth(text, path)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path, 1, 1)
        problem = exc.problem or exc.context or "syntax error"
        raise DocumentError(f"not valid YAML/JSON: {problem}", loc) from None
    except (yaml.YAMLError, ValueError, RecursionError) as exc:
        raise DocumentError(f"not valid YAML/JSON: {type(exc).__name__}", Location(path, 1, 1)) from None
    if root is None:
        return None
    _check_size(root, path)
    return _Converter(path).convert(root, 0)


def load_json_plain(text: str, path: str) -> object:
    """JSON YAML cannot read (tabs in odd places, huge keys): values without positions."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        line = getattr(exc, "lineno", 1)
        col = getattr(exc, "colno", 1)
        raise DocumentError(f"not valid JSON: {getattr(exc, 'msg', exc)}", Location(path, line, col)) from None


_BRACKETS = re.compile(r"[\[\]{}]")


def _check_flow_depth(text: str, path: str) -> None:
    """libyaml's composer recurses in C and crashes the interpreter near 30,000 nested brackets.

    Brackets inside quoted strings are counted too; that only matters for a document
    that already nests absurdly deep, so the shortcut is safe.
    """
    depth = 0
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - text.rfind("\n", 0, match.start())
                raise DocumentError(f"nesting deeper than {MAX_DEPTH} levels", Location(path, line, column))
        elif depth:
            depth -= 1


def _check_size(root: yaml.Node, path: str) -> None:
    """Reject documents whose aliases would expand beyond a sane size, or that nest too deeply."""
    weights: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        if key in weights and not done:
            continue
        if depth > MAX_DEPTH:
            m = node.start_mark
            raise DocumentError(f"nesting deeper than {MAX_DEPTH} levels", Location(path, m.line + 1, m.column + 1))
        children = list(_children(node))
        if not done:
            weights[key] = -1  # in progress: a cycle through an alias counts as too large
            stack.append((node, depth, True))
            stack.extend((child, depth + 1, False) for child in children if id(child) not in weights)
            continue
        total = 1
        for child in children:
            w = weights.get(id(child), 1)
            if w < 0:
                total = MAX_EXPANDED_NODES + 1
                break
            total += w
        weights[key] = total
        if total > MAX_EXPANDED_NODES:
            raise DocumentError(
                f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (YAML alias bomb?)", Location(path, 1, 1)
            )


def _children(node: yaml.Node) -> Iterator[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            yield k
            yield v
    elif isinstance(node, yaml.SequenceNode):
        yield from node.value


_SCALAR_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_TYPED_TAGS = {
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}


class _Converter:
    def __init__(self, path: str) -> None:
        self.path = path
        self.memo: dict[int, object] = {}

    def loc(self, node: yaml.Node) -> Location:
        m = node.start_mark
        return Location(self.path, m.line + 1, m.column + 1)

    def convert(self, node: yaml.Node, depth: int) -> object:
        key = id(node)
        if key in self.memo:  # an alias: share the converted value instead of copying it
            return self.memo[key]
        value = self._convert(node, depth)
        tag = node.tag
        if tag.startswith("!") and not tag.startswith("!!"):
            value = _long_form(tag[1:], value, self.loc(node))
        self.memo[key] = value
        return value

    def _convert(self, node: yaml.Node, depth: int) -> object:
        if isinstance(node, yaml.ScalarNode):
            if node.tag in _TYPED_TAGS:
                try:
                    return _SCALAR_CONSTRUCTOR.construct_object(node)
                except (yaml.YAMLError, ValueError):
                    return node.value
            return node.value
        if isinstance(node, yaml.SequenceNode):
            items = LocList(self.loc(node))
            for child in node.value:
                items.append(self.convert(child, depth + 1))
                items.item_locs.append(self.loc(child))
            return items
        mapping = LocDict(self.loc(node))
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                merged = self.convert(value_node, depth + 1)
                for source in merged if isinstance(merged, list) else [merged]:
                    if isinstance(source, LocDict):
                        for k, v in source.items():
                            mapping.setdefault(k, v)
                            mapping.key_locs.setdefault(k, source.key_loc(k))
                continue
            k = self.convert(key_node, depth + 1)
            k = k if isinstance(k, str) else str(k)
            mapping[k] = self.convert(value_node, depth + 1)
            mapping.key_locs[k] = self.loc(key_node)
        return mapping


def _long_form(tag: str, value: object, loc: Location) -> object:
    """``!Ref X`` -> ``{"Ref": "X"}``; ``!GetAtt A.B`` -> ``{"Fn::GetAtt": ["A", "B"]}``; ``!Sub`` -> ``Fn::Sub``."""
    if tag == "Ref":
        name = "Ref"
    elif tag == "Condition":
        name = "Condition"
    else:
        name = f"Fn::{tag}"
        if tag == "GetAtt" and isinstance(value, str):
            resource, _, attribute = value.partition(".")
            items = LocList(loc)
            items.extend([resource, attribute])
            items.item_locs.extend([loc, loc])
            value = items
    wrapped = LocDict(loc)
    wrapped[name] = value
    wrapped.key_locs[name] = loc
    return wrapped


def load_json_document(text: str, path: str, *, positioned_resources: frozenset[str] | None = None) -> object:
    """Parse JSON at C speed, then give positions to the parts a reader will look at.

    Composing JSON through YAML costs about 0.6 s a megabyte; ``json.loads`` costs 10 ms.
    Positions are recovered by walking the parsed values in document order and finding
    each key in the text after the previous one, which is exact for JSON as tools write
    it. With ``positioned_resources``, only the ``Resources`` entries of those types get
    positions below their own key (the rest of a large CDK template is never walked).
    """
    if len(text) > MAX_BYTES:
        raise DocumentError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB", Location(path, 1, 1))
    _check_flow_depth(text, path)
    value = load_json_plain(text, path)
    return _JsonPositions(text, path, positioned_resources).top(value)


class _JsonPositions:
    def __init__(self, text: str, path: str, positioned_resources: frozenset[str] | None) -> None:
        self.text = text
        self.path = path
        self.only = positioned_resources
        self._newlines: list[int] | None = None

    def location(self, offset: int) -> Location:
        import bisect

        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self.text)]
        line = bisect.bisect_left(self._newlines, offset)
        start = self._newlines[line - 1] + 1 if line else 0
        return Location(self.path, line + 1, offset - start + 1)

    def find_key(self, key: str, cursor: int) -> int:
        found = self.text.find(json.dumps(key), cursor)
        return found if found >= 0 else cursor

    def top(self, value: object) -> object:
        if not isinstance(value, dict):
            return value
        out = LocDict(Location(self.path, 1, 1))
        cursor = self.text.find("{")
        for key, item in value.items():
            cursor = self.find_key(key, cursor)
            out.key_locs[key] = self.location(cursor)
            if key == "Resources" and isinstance(item, dict) and self.only is not None:
                out[key], cursor = self.resources(item, cursor)
            else:
                out[key], cursor = self.walk(item, cursor)
        return out

    def resources(self, resources: dict, cursor: int) -> tuple[object, int]:  # type: ignore[type-arg]
        out = LocDict(self.location(cursor))
        for name, resource in resources.items():
            cursor = self.find_key(name, cursor)
            out.key_locs[name] = self.location(cursor)
            wanted = isinstance(resource, dict) and resource.get("Type") in (self.only or ())
            if wanted:
                out[name], cursor = self.walk(resource, cursor)
            else:
                out[name] = resource
        return out, cursor

    def walk(self, value: object, cursor: int) -> tuple[object, int]:
        if isinstance(value, dict):
            start = self.text.find("{", cursor)
            cursor = start if start >= 0 else cursor
            out = LocDict(self.location(cursor))
            for key, item in value.items():
                cursor = self.find_key(key, cursor)
                out.key_locs[key] = self.location(cursor)
                out[key], cursor = self.walk(item, cursor + len(key) + 2)
            return out, cursor
        if isinstance(value, list):
            start = self.text.find("[", cursor)
            cursor = start if start >= 0 else cursor
            items = LocList(self.location(cursor))
            for item in value:
                items.item_locs.append(self.location(cursor + 1))
                converted, cursor = self.walk(item, cursor + 1)
                items.append(converted)
            return items, cursor
        return value, cursor
