"""Evaluating HCL expressions as far as they can be known before ``terraform apply``.

Literals, templates, operators, conditionals, ``for`` expressions, collections, traversals
and the functions of ``hcl_functions`` are evaluated. What the names mean (``var``,
``local``, resources, modules) is the Terraform layer's business: it passes an ``Env``
whose ``lookup`` resolves a root name, and whose resource objects (``LazyObject``) record
the references they hand out in ``Env.refs``, as Terraform's plan lists ``references``.

Anything that cannot be known becomes ``Unknown(reason, location)``; evaluation never raises.

Values may share structure (``[local.l, local.l]`` holds one list twice), so a few lines of
locals can stand for a value of 2**26 leaves. Whatever walks or copies a value (``freeze``,
``jsonencode``, ``flatten``, ``toset``...) first checks it against a size budget (``too_large``),
and templates, ``for`` expressions and function results are held to the same limits: beyond them
a value is ``Unknown("expression too large")``, never a hang.
"""
from __future__ import annotations

import operator
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from mtls_lint.model import Location, ResourceRef, Unknown
from mtls_lint.readers.hcl_ast import (
    Attr,
    Call,
    Conditional,
    Expr,
    ForExpr,
    Index,
    Literal,
    ObjectExpr,
    Operation,
    SplatStep,
    Step,
    Template,
    Traversal,
    TupleExpr,
    Unsupported,
    Variable,
)
from mtls_lint.readers.terraform_values import Encoded, FileContent, Partial, Secret

Value = Any

# Far beyond any value the mapping reads (names, ARNs, OpenAPI bodies), small enough to be cheap.
MAX_NODES = 100_000  # elements, entries and leaves of one value, counted as if shared parts were copied
MAX_TEXT = 8_000_000  # characters of one string, or of all the strings of one value
MAX_INT_BITS = 4096  # numbers beyond this are not configuration (and cannot be printed in decimal)
TOO_LARGE = "expression too large"


def too_large(value: Value, limit: int = MAX_NODES) -> bool:
    """Whether a value would exceed the node or text budget once expanded; stops counting at the limit."""
    budget, text = limit, MAX_TEXT
    pending = [value]
    while pending:
        item = pending.pop()
        budget -= 1
        if budget < 0:
            return True
        if isinstance(item, str):
            text -= len(item)
            if text < 0:
                return True
        elif isinstance(item, Mapping):
            pending.extend(item.values())
        elif isinstance(item, (list, tuple)):
            pending.extend(item)
        elif isinstance(item, Encoded):
            pending.append(item.value)
    return False


class LazyObject:
    """An object whose attributes are computed on demand: a resource instance, a module's outputs."""

    __slots__ = ()

    def get(self, name: str, loc: Location, env: Env) -> Value:
        raise NotImplementedError


class Env:
    """Where an expression is evaluated: name lookup, iterator bindings, the reference collector."""

    __slots__ = ("base_dir", "lookup", "names", "refs")

    def __init__(self, lookup: Callable[[str, Location, Env], Value], base_dir: Path,
                 names: Mapping[str, Value] | None = None, refs: list[ResourceRef] | None = None) -> None:
        self.lookup = lookup
        self.names: Mapping[str, Value] = names or {}
        self.base_dir = base_dir
        self.refs = refs

    def bind(self, names: Mapping[str, Value]) -> Env:
        return Env(self.lookup, self.base_dir, {**self.names, **names}, self.refs)

    def collecting(self, refs: list[ResourceRef]) -> Env:
        return Env(self.lookup, self.base_dir, self.names, refs)

    def note(self, refs: list[ResourceRef] | tuple[ResourceRef, ...]) -> None:
        if self.refs is not None:
            self.refs.extend(refs)


def unresolved(value: Value) -> bool:
    """A value that is not (entirely) known here."""
    return isinstance(value, (Unknown, ResourceRef, Partial, Encoded, Secret, FileContent, LazyObject))


def unknown_of(value: Value, loc: Location, what: str = "") -> Unknown:
    if isinstance(value, Unknown):
        return value
    if isinstance(value, ResourceRef):
        attribute = f".{value.attribute}" if value.attribute else ""
        return Unknown(f"{value.name}{attribute} is known after apply", loc)
    return Unknown(what or "not known before apply", loc)


def evaluate(expr: Expr, env: Env) -> Value:
    handler = _HANDLERS.get(type(expr))
    if handler is None:
        return Unknown(f"{type(expr).__name__} is not evaluated", getattr(expr, "loc", None))
    try:
        return handler(expr, env)
    except RecursionError:
        return Unknown("expression nested too deeply", expr.loc)


def _literal(expr: Literal, env: Env) -> Value:
    return expr.value


def _variable(expr: Variable, env: Env) -> Value:
    if expr.name in env.names:
        return env.names[expr.name]
    return env.lookup(expr.name, expr.loc, env)


def template_string(value: Value) -> str | None:
    """A value as it reads inside ``"${...}"``, or None when it is not a primitive."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, str):
        return value
    return None


def _template(expr: Template, env: Env) -> Value:
    if len(expr.parts) == 1 and not isinstance(expr.parts[0], str):
        return evaluate(expr.parts[0], env)  # "${x}" is x itself, whatever its type
    pieces: list[str | Unknown | ResourceRef] = []
    for part in expr.parts:
        value = part if isinstance(part, str) else evaluate(part, env)
        text = template_string(value)
        if text is not None:
            pieces.append(text)
        elif isinstance(value, Partial):
            pieces.extend(value.parts)
        elif isinstance(value, (Unknown, ResourceRef)):
            pieces.append(value)
        elif value is None:
            return Unknown("null inside a template", expr.loc)
        else:
            pieces.append(unknown_of(value, expr.loc, "a value that is not text inside a template"))
    if sum(len(p) for p in pieces if isinstance(p, str)) > MAX_TEXT:
        return Unknown(TOO_LARGE, expr.loc)
    if all(isinstance(p, str) for p in pieces):
        return "".join(p for p in pieces if isinstance(p, str))
    merged: list[str | Unknown | ResourceRef] = []
    for piece in pieces:  # join adjacent text so a consumer can split "s3://" + bucket + "/key"
        if isinstance(piece, str) and merged and isinstance(merged[-1], str):
            merged[-1] += piece
        else:
            merged.append(piece)
    return Partial(tuple(merged), expr.loc)


def _traversal(expr: Traversal, env: Env) -> Value:
    return apply_steps(evaluate(expr.root, env), expr.steps, env, expr.loc)


def apply_steps(value: Value, steps: tuple[Step, ...], env: Env, loc: Location) -> Value:
    for position, step in enumerate(steps):
        if isinstance(step, SplatStep):
            rest = step.steps + steps[position + 1:]
            if isinstance(value, (Unknown, ResourceRef, Partial)):
                return unknown_of(value, loc)
            if value is None:
                return []
            items = value if isinstance(value, list) else [value]
            return [apply_steps(item, rest, env, loc) for item in items]
        value = _step(value, step, env, loc)
    return value


def _step(value: Value, step: Attr | Index, env: Env, loc: Location) -> Value:
    if isinstance(step, Attr):
        if isinstance(value, LazyObject):
            return value.get(step.name, loc, env)
        if isinstance(value, Mapping):
            return value.get(step.name, Unknown(f"no attribute {step.name!r}", loc))
        if isinstance(value, ResourceRef) and value.attribute is not None:
            return Unknown(f"{value.name}.{value.attribute}.{step.name} is known after apply", loc)
        if isinstance(value, Unknown):
            return value
        return unknown_of(value, loc, f"attribute {step.name!r} of a value that has none")
    key = evaluate(step.key, env)
    if isinstance(value, (Unknown, ResourceRef, Partial)) or unresolved(key):
        return unknown_of(value if unresolved(value) else key, loc)
    if isinstance(value, list):
        index = _as_index(key)
        if index is None or not 0 <= index < len(value):
            return Unknown("index out of range", loc)
        return value[index]
    if isinstance(value, Mapping):
        text = template_string(key)
        if text is None or text not in value:
            return Unknown("no such key", loc)
        return value[text]
    if isinstance(value, LazyObject):
        text = template_string(key)
        return value.get(text, loc, env) if text is not None else Unknown("bad key", loc)
    return Unknown("index into a value that has no elements", loc)


def _as_index(key: Value) -> int | None:
    if isinstance(key, bool):
        return None
    if isinstance(key, int):
        return key
    if isinstance(key, float) and key.is_integer():
        return int(key)
    if isinstance(key, str) and key.isascii() and key.isdigit():  # "²" is a digit, but no number
        return int(key)
    return None


def _call(expr: Call, env: Env) -> Value:
    from mtls_lint.readers.hcl_functions import call_function

    args = [evaluate(arg, env) for arg in expr.args]
    if expr.expand_final and args:
        last = args.pop()
        if not isinstance(last, list):
            return unknown_of(last, expr.loc, "a spread argument that is not a list")
        args.extend(last)
    return call_function(expr.name, args, env, expr.loc)


def _tuple(expr: TupleExpr, env: Env) -> Value:
    return [evaluate(item, env) for item in expr.items]


def _object(expr: ObjectExpr, env: Env) -> Value:
    result: dict[str, Value] = {}
    for key_expr, value_expr in expr.items:
        key = template_string(evaluate(key_expr, env))
        if key is None:
            return Unknown("an object key that is not known", key_expr.loc)
        result[key] = evaluate(value_expr, env)
    return result


def truth(value: Value) -> bool | None:
    """A condition's value: True, False, or None when it is not known."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value in ("true", "false"):
        return value == "true"
    return None


def _conditional(expr: Conditional, env: Env) -> Value:
    condition = truth(evaluate(expr.condition, env))
    if condition is True:
        return evaluate(expr.true, env)
    if condition is False:
        return evaluate(expr.false, env)
    # Unknown condition: the result is still known when both branches agree.
    true, false = evaluate(expr.true, env), evaluate(expr.false, env)
    if not unresolved(true) and true == false:
        return true
    return Unknown("a condition not known before apply", expr.loc)


_ARITHMETIC: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add, "-": operator.sub, "*": operator.mul, "/": operator.truediv, "%": operator.mod,
    ">": operator.gt, ">=": operator.ge, "<": operator.lt, "<=": operator.le,
}


def _operation(expr: Operation, env: Env) -> Value:
    values = [evaluate(operand, env) for operand in expr.operands]
    op = expr.operator
    if op in ("&&", "||"):
        left, right = truth(values[0]), truth(values[1])
        if op == "&&" and (left is False or right is False):
            return False
        if op == "||" and (left is True or right is True):
            return True
        if left is None or right is None:
            return Unknown("a condition not known before apply", expr.loc)
        return left and right if op == "&&" else left or right
    if op in ("==", "!=") and None in values and any(isinstance(v, (ResourceRef, Partial)) for v in values):
        # An attribute another resource computes (an ARN, an id) is never null once applied.
        return op == "!="
    for value in values:
        if unresolved(value):
            return unknown_of(value, expr.loc)
    if len(values) == 1:
        if op == "!":
            flag = truth(values[0])
            return Unknown("not a bool", expr.loc) if flag is None else not flag
        number = _number(values[0])
        return Unknown("not a number", expr.loc) if number is None else -number
    if op in ("==", "!="):
        equal = values[0] == values[1] and type(values[0]) is type(values[1]) or (
            _number(values[0]) is not None and _number(values[0]) == _number(values[1]))
        return equal if op == "==" else not equal
    left_number, right_number = _number(values[0]), _number(values[1])
    if left_number is None or right_number is None:
        return Unknown("arithmetic on a value that is not a number", expr.loc)
    try:
        result = _ARITHMETIC[op](left_number, right_number)
    except (ArithmeticError, KeyError):  # division by zero, int / int beyond a float
        return Unknown("arithmetic that cannot be evaluated", expr.loc)
    if isinstance(result, float) and result.is_integer() and op != "/":
        result = int(result)
    if isinstance(result, int) and not isinstance(result, bool) and result.bit_length() > MAX_INT_BITS:
        return Unknown("a number too large to evaluate", expr.loc)
    return result


def _number(value: Value) -> int | float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            try:
                return float(value)
            except ValueError:
                return None
    return None


def _for(expr: ForExpr, env: Env) -> Value:
    collection = evaluate(expr.collection, env)
    if isinstance(collection, Mapping):
        pairs = [(k, collection[k]) for k in sorted(collection)]
    elif isinstance(collection, list):
        pairs = list(enumerate(collection))
    else:
        return unknown_of(collection, expr.loc, "a for expression over a value that is not a collection")
    items: list[Value] = []
    keyed: dict[str, Value] = {}
    for key, value in pairs:
        names = {expr.value_var: value}
        if expr.key_var:
            names[expr.key_var] = key
        scope = env.bind(names)
        if expr.condition is not None:
            keep = truth(evaluate(expr.condition, scope))
            if keep is None:
                return Unknown("a for expression filter not known before apply", expr.loc)
            if not keep:
                continue
        result = evaluate(expr.value, scope)
        if len(items) + len(keyed) >= MAX_NODES:
            return Unknown(TOO_LARGE, expr.loc)
        if expr.key is None:
            items.append(result)
            continue
        name = template_string(evaluate(expr.key, scope))
        if name is None:
            return Unknown("a for expression key not known before apply", expr.loc)
        if expr.grouping:
            keyed.setdefault(name, []).append(result)
        else:
            keyed[name] = result
    return items if expr.key is None else keyed


def _unsupported(expr: Unsupported, env: Env) -> Value:
    return Unknown(f"{expr.what} is not evaluated", expr.loc)


_HANDLERS: dict[type, Callable[[Any, Env], Value]] = {
    Literal: _literal, Template: _template, Variable: _variable, Traversal: _traversal, Call: _call,
    TupleExpr: _tuple, ObjectExpr: _object, Conditional: _conditional, Operation: _operation,
    ForExpr: _for, Unsupported: _unsupported,
}
