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
from collections.abc import Callable, Iterator

import yaml

from mtls_lint.model import Location
from mtls_lint.readers.textio import LineIndex

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


# Compact block nesting (``- - - x``, ``? ? x``) nests without brackets or indentation.
_COMPACT_NESTING = re.compile(r"(?:[-?][ \t]+){%d}" % MAX_DEPTH)


def _check_flow_depth(text: str, path: str) -> None:
    """libyaml's composer recurses in C and crashes the interpreter near 30,000 nested levels.

    Brackets inside quoted strings are counted too; that only matters for a document
    that already nests absurdly deep, so the shortcut is safe. Block nesting by
    indentation cannot get that deep within MAX_BYTES; compact block nesting can.
    """
    too_deep = _COMPACT_NESTING.search(text)
    depth = 0
    for match in () if too_deep else _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                too_deep = match
                break
        elif depth:
            depth -= 1
    if too_deep:
        where = LineIndex(text, path).location(too_deep.start())
        raise DocumentError(f"nesting deeper than {MAX_DEPTH} levels", where)


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
                except Exception:  # noqa: BLE001 - PyYAML raises KeyError/IndexError on `!!bool maybe`
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
    """Parse JSON at C speed, with positions for the parts a reader will look at.

    Composing JSON through YAML costs about 0.6 s a megabyte. Here ``json.loads`` validates
    the text (and gives syntax errors their position), then a walk over the text in step
    with the values reads keys with the C ``scanstring`` and skips every value that needs
    no positions with the C ``raw_decode``. With ``positioned_resources``, only ``Resources``
    entries of those types are walked below their key: the rest of a large CDK template
    costs one C-speed skip.
    """
    if len(text) > MAX_BYTES:
        raise DocumentError(f"file is larger than {MAX_BYTES // (1024 * 1024)} MB", Location(path, 1, 1))
    _check_flow_depth(text, path)
    load_json_plain(text, path)
    return _JsonWalker(text, path, positioned_resources).document()


_WHITESPACE = re.compile(r"[ \t\n\r]*")


class _JsonWalker:
    """Walks text already known to be valid JSON, building LocDict/LocList where positions matter."""

    def __init__(self, text: str, path: str, positioned_resources: frozenset[str] | None) -> None:
        self.text = text
        self.path = path
        self.only = positioned_resources
        self.decoder = json.JSONDecoder()
        self._lines: LineIndex | None = None

    def location(self, offset: int) -> Location:
        if self._lines is None:  # built on first use: a JSON file with nothing relevant never pays
            self._lines = LineIndex(self.text, self.path)
        return self._lines.location(offset)

    def skip(self, pos: int) -> int:
        return _WHITESPACE.match(self.text, pos).end()  # type: ignore[union-attr]

    def document(self) -> object:
        start = self.skip(0)
        if self.text[start:start + 1] != "{":
            return self.value(start, depth=0)[0]
        return self.mapping(start, 0, self.top_entry)[0]

    def value(self, pos: int, depth: int) -> tuple[object, int]:
        pos = self.skip(pos)
        char = self.text[pos]
        if char == "{":
            return self.mapping(pos, depth)
        if char == "[":
            return self.sequence(pos, depth)
        return self.decoder.raw_decode(self.text, pos)

    def top_entry(self, key: str, pos: int, depth: int) -> tuple[object, int]:
        if key == "Resources" and self.only is not None and self.text[pos] == "{":
            return self.mapping(pos, depth, self.resource_entry)
        return self.value(pos, depth)

    def resource_entry(self, key: str, pos: int, depth: int) -> tuple[object, int]:
        """Resources of the wanted types get positions; the others are skipped at C speed."""
        resource, end = self.decoder.raw_decode(self.text, pos)
        kind = resource.get("Type") if isinstance(resource, dict) else None
        if isinstance(kind, str) and kind in (self.only or ()):
            return self.value(pos, depth)
        return resource, end

    def mapping(self, pos: int, depth: int, entry: Callable[[str, int, int], tuple[object, int]] | None = None
                ) -> tuple[LocDict, int]:
        out = LocDict(self.location(pos))
        pos = self.skip(pos + 1)
        if self.text[pos] == "}":
            return out, pos + 1
        while True:
            key, after_key = json.decoder.scanstring(self.text, pos + 1)  # type: ignore[attr-defined]
            out.key_locs[key] = self.location(pos)
            value_start = self.skip(self.skip(after_key) + 1)  # past the ':'
            out[key], pos = entry(key, value_start, depth + 1) if entry else self.value(value_start, depth + 1)
            pos = self.skip(pos)
            if self.text[pos] == "}":
                return out, pos + 1
            pos = self.skip(pos + 1)  # past the ','

    def sequence(self, pos: int, depth: int) -> tuple[LocList, int]:
        out = LocList(self.location(pos))
        pos = self.skip(pos + 1)
        if self.text[pos] == "]":
            return out, pos + 1
        while True:
            pos = self.skip(pos)
            out.item_locs.append(self.location(pos))
            item, pos = self.value(pos, depth + 1)
            out.append(item)
            pos = self.skip(pos)
            if self.text[pos] == "]":
                return out, pos + 1
            pos += 1
