"""The Terraform functions people use around certificates, truststores and API bodies.

``file()`` does not read: it returns a ``FileContent`` naming the file, so a certificate is
read by the PEM reader (with MTLS003 when it is missing) and a private key only by the
x509 helpers. ``jsonencode`` of a value with unknown leaves keeps the structure
(``Encoded``), because an OpenAPI body whose integrations are unknown still says whether
the execute-api endpoint is disabled. Any other function is Unknown.
"""
from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path

from mtls_lint.model import Location, Unknown
from mtls_lint.readers.hcl_eval import (
    MAX_NODES,
    MAX_TEXT,
    TOO_LARGE,
    Env,
    Value,
    template_string,
    too_large,
    unknown_of,
    unresolved,
)
from mtls_lint.readers.terraform_values import Encoded, FileContent, is_known

Function = Callable[[list[Value], Env, Location], Value]


def call_function(name: str, args: list[Value], env: Env, loc: Location) -> Value:
    if name.startswith("provider::"):
        return Unknown(f"provider function {name} is not evaluated", loc)
    function = _FUNCTIONS.get(name)
    if function is None:
        return Unknown(f"function {name}() is not evaluated", loc)
    if name not in _DECIDE_FOR_THEMSELVES:
        for arg in args:
            if unresolved(arg) if name not in _ELEMENTS_MAY_BE_UNKNOWN else _opaque(arg):
                return unknown_of(arg, loc)
    if name in _EXPANDING and too_large(args):
        return Unknown(TOO_LARGE, loc)
    try:
        result = function(args, env, loc)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError, ArithmeticError, RecursionError):
        return Unknown(f"{name}() with arguments it does not accept", loc)
    if isinstance(result, (str, list, dict)) and len(result) > (MAX_TEXT if isinstance(result, str) else MAX_NODES):
        return Unknown(TOO_LARGE, loc)
    return result


def _file(args: list[Value], env: Env, loc: Location) -> Value:
    (path,) = args
    if not isinstance(path, str):
        return Unknown("file() of a path that is not text", loc)
    resolved = Path(path)
    if not resolved.is_absolute():
        resolved = env.base_dir / resolved  # Terraform resolves paths from the root module directory
    return FileContent(resolved, loc)


def _jsonencode(args: list[Value], env: Env, loc: Location) -> Value:
    (value,) = args
    if isinstance(value, Unknown):
        return value
    if not is_known(value):
        return Encoded("json", value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


def _jsondecode(args: list[Value], env: Env, loc: Location) -> Value:
    (text,) = args
    try:
        return json.loads(text)
    except (json.JSONDecodeError, TypeError):
        return Unknown("jsondecode() of text that is not JSON", loc)


def _format(args: list[Value], env: Env, loc: Location) -> Value:
    spec, *values = args
    out: list[str] = []
    position = 0
    chars = iter(spec)
    length = 0
    for char in chars:
        if char != "%":
            out.append(char)
            continue
        verb = next(chars, None)
        if verb is None:
            return Unknown("format() with a lone '%' at the end", loc)
        if verb == "%":
            out.append("%")
            continue
        if verb not in "sdv" or position >= len(values):
            return Unknown("format() with a verb it does not evaluate", loc)
        text = template_string(values[position])
        if text is None:
            return Unknown("format() of a value that is not text", loc)
        length += len(text)
        if length > MAX_TEXT:  # the same argument may be used many times over
            return Unknown(TOO_LARGE, loc)
        out.append(text)
        position += 1
    return "".join(out)


def _lookup(args: list[Value], env: Env, loc: Location) -> Value:
    mapping, key, *default = args
    if not isinstance(mapping, Mapping):
        return unknown_of(mapping, loc, "lookup() in a value that is not a map")
    if key in mapping:
        return mapping[key]
    return default[0] if default else Unknown("lookup() of a missing key", loc)


def _try(args: list[Value], env: Env, loc: Location) -> Value:
    # Our evaluation never fails, it turns errors into Unknown: the first resolved value wins.
    for arg in args:
        if not isinstance(arg, Unknown):
            return arg
    return Unknown("try() where no argument is known", loc)


def _coalesce(args: list[Value], env: Env, loc: Location) -> Value:
    for arg in args:
        if unresolved(arg):
            return unknown_of(arg, loc)
        if arg is not None and arg != "":
            return arg
    return Unknown("coalesce() of only null or empty values", loc)


def _can(args: list[Value], env: Env, loc: Location) -> Value:
    return Unknown("can() is not evaluated", loc) if isinstance(args[0], Unknown) else True


def _toset(args: list[Value], env: Env, loc: Location) -> Value:
    (items,) = args
    unique = list(dict.fromkeys(json.dumps(i, sort_keys=True) for i in items))
    values = [json.loads(i) for i in unique]
    # Terraform orders a set of strings lexically; for_each keys follow that order.
    return sorted(values) if all(isinstance(v, str) for v in values) else values


def _one(args: list[Value], env: Env, loc: Location) -> Value:
    (items,) = args
    if len(items) > 1:
        return Unknown("one() of a list with more than one element", loc)
    return items[0] if items else None


def _flatten(args: list[Value], env: Env, loc: Location) -> Value:
    (items,) = args
    if not isinstance(items, list):
        return Unknown("flatten() of a value that is not a list", loc)
    out: list[Value] = []
    pending = [iter(items)]
    while pending:  # iterative: nesting depth costs no stack
        item = next(pending[-1], _END)
        if item is _END:
            pending.pop()
        elif isinstance(item, list):
            pending.append(iter(item))
        else:
            out.append(item)
    return out


def _merge(args: list[Value], env: Env, loc: Location) -> Value:
    merged: dict[str, Value] = {}
    for arg in args:
        if arg is not None:
            merged.update(arg)
    return merged


def _replace(args: list[Value], env: Env, loc: Location) -> Value:
    text, old, new = args
    if old.startswith("/") and old.endswith("/") and len(old) > 1:
        return Unknown("replace() with a regular expression is not evaluated", loc)
    if len(text) + (text.count(old) if old else len(text) + 1) * len(new) > MAX_TEXT:
        return Unknown(TOO_LARGE, loc)
    return text.replace(old, new)


def _join(args: list[Value], env: Env, loc: Location) -> Value:
    separator, items = args
    texts = [template_string(item) or "" for item in items]
    if sum(map(len, texts)) + len(separator) * len(texts) > MAX_TEXT:
        return Unknown(TOO_LARGE, loc)
    return separator.join(texts)


def _element(args: list[Value], env: Env, loc: Location) -> Value:
    items, index = args
    if not isinstance(items, list) or not items:
        return unknown_of(items, loc, "element() of an empty list or of a value that is not a list")
    return items[int(index) % len(items)]


def _tostring(args: list[Value], env: Env, loc: Location) -> Value:
    text = template_string(args[0])
    return args[0] if args[0] is None else (text if text is not None else Unknown("tostring() of a collection", loc))


_FUNCTIONS: dict[str, Function] = {
    "file": _file,
    "filebase64": lambda a, e, loc: Unknown("filebase64() content is not read", loc),
    "templatefile": lambda a, e, loc: Unknown("templatefile() is not evaluated", loc),
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "format": _format,
    "lower": lambda a, e, loc: a[0].lower(),
    "upper": lambda a, e, loc: a[0].upper(),
    "trimspace": lambda a, e, loc: a[0].strip(),
    "trimprefix": lambda a, e, loc: a[0].removeprefix(a[1]),
    "trimsuffix": lambda a, e, loc: a[0].removesuffix(a[1]),
    "replace": _replace,
    "join": _join,
    "split": lambda a, e, loc: a[1].split(a[0]),
    "concat": lambda a, e, loc: [x for items in a for x in items],
    "tolist": lambda a, e, loc: list(a[0]),
    "toset": _toset,
    "tomap": lambda a, e, loc: dict(a[0]),
    "tostring": _tostring,
    "lookup": _lookup,
    "try": _try,
    "coalesce": _coalesce,
    "can": _can,
    "element": _element,
    "length": lambda a, e, loc: len(a[0]),
    "merge": _merge,
    "keys": lambda a, e, loc: sorted(a[0]),
    "values": lambda a, e, loc: [a[0][k] for k in sorted(a[0])],
    "contains": lambda a, e, loc: a[1] in a[0],
    "one": _one,
    "flatten": _flatten,
    "compact": lambda a, e, loc: [x for x in a[0] if x not in (None, "")],
    "distinct": lambda a, e, loc: list(dict.fromkeys(a[0])),
    "basename": lambda a, e, loc: Path(a[0]).name,
    "dirname": lambda a, e, loc: str(Path(a[0]).parent),
    "startswith": lambda a, e, loc: a[0].startswith(a[1]),
    "endswith": lambda a, e, loc: a[0].endswith(a[1]),
}
# Functions that decide for themselves what an unknown argument means.
_DECIDE_FOR_THEMSELVES = {"jsonencode", "try", "coalesce", "can"}
# Collection functions whose result is known when the collection is, whatever its elements.
_ELEMENTS_MAY_BE_UNKNOWN = {"length", "tolist", "concat", "toset", "merge", "one", "element", "lookup",
                            "flatten", "compact", "keys"}


# Functions that walk or copy their arguments' elements: held to the size budget before they run.
_EXPANDING = {"jsonencode", "flatten", "toset", "distinct", "concat", "merge", "values", "keys", "contains",
              "compact", "tolist", "tomap", "join", "one"}
_END = object()


def _opaque(value: Value) -> bool:
    return unresolved(value) and not isinstance(value, (list, dict))
