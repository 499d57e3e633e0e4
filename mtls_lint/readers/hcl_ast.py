"""The HCL syntax tree the evaluator reads: blocks, attributes and expressions with positions.

Built by ``hcl_syntax`` from tree-sitter's tree; plain data, independent of tree-sitter, so the
evaluator and its tests need no parser.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from mtls_lint.model import Location


class _ExpressionSource(Protocol):
    def expression(self, node: Any) -> Expr: ...

# --- expressions -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Literal:
    value: str | int | float | bool | None
    loc: Location


@dataclass(frozen=True, slots=True)
class Template:
    """A quoted or heredoc template: literal text and interpolated expressions, in order."""

    parts: tuple[str | Expr, ...]
    loc: Location


@dataclass(frozen=True, slots=True)
class Variable:
    """A bare identifier at the root of a traversal: ``var``, ``aws_s3_bucket``, ``each``."""

    name: str
    loc: Location


@dataclass(frozen=True, slots=True)
class Attr:
    name: str


@dataclass(frozen=True, slots=True)
class Index:
    key: Expr


@dataclass(frozen=True, slots=True)
class SplatStep:
    """``[*]`` or ``.*``: the following steps apply to every element."""

    steps: tuple[Step, ...]


Step = Attr | Index | SplatStep


@dataclass(frozen=True, slots=True)
class Traversal:
    root: Expr
    steps: tuple[Step, ...]
    loc: Location


@dataclass(frozen=True, slots=True)
class Call:
    name: str
    args: tuple[Expr, ...]
    loc: Location
    expand_final: bool = False  # f(list...)


@dataclass(frozen=True, slots=True)
class TupleExpr:
    items: tuple[Expr, ...]
    loc: Location


@dataclass(frozen=True, slots=True)
class ObjectExpr:
    items: tuple[tuple[Expr, Expr], ...]
    loc: Location


@dataclass(frozen=True, slots=True)
class Conditional:
    condition: Expr
    true: Expr
    false: Expr
    loc: Location


@dataclass(frozen=True, slots=True)
class Operation:
    operator: str
    operands: tuple[Expr, ...]  # one for unary, two for binary
    loc: Location


@dataclass(frozen=True, slots=True)
class ForExpr:
    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # None for a tuple ``[for ...]``
    value: Expr
    condition: Expr | None
    grouping: bool
    loc: Location


@dataclass(frozen=True, slots=True)
class Unsupported:
    """Syntax the evaluator does not model (template directives); evaluates to Unknown."""

    what: str
    loc: Location


Expr = (Literal | Template | Variable | Traversal | Call | TupleExpr | ObjectExpr | Conditional | Operation
        | ForExpr | Unsupported)

# --- structure -------------------------------------------------------------------------------


class Attribute:
    """``name = expression``. The expression is built from the tree on first access."""

    __slots__ = ("_converter", "_expr", "_node", "loc", "name")

    def __init__(self, name: str, loc: Location, node: Any, converter: _ExpressionSource) -> None:
        self.name = name
        self.loc = loc
        self._node = node
        self._converter: _ExpressionSource | None = converter
        self._expr: Expr | None = None

    @property
    def expr(self) -> Expr:
        if self._expr is None:
            assert self._converter is not None
            try:
                self._expr = self._converter.expression(self._node)
            except RecursionError:
                self._expr = Unsupported("an expression nested this deeply", self.loc)
            self._node = self._converter = None  # the tree is no longer needed for this one
        return self._expr

    def __repr__(self) -> str:
        return f"Attribute({self.name!r}, {self.loc!r})"


@dataclass(frozen=True, slots=True)
class Body:
    attributes: Mapping[str, Attribute]
    blocks: tuple[Block, ...]


@dataclass(frozen=True, slots=True)
class Block:
    type: str
    labels: tuple[str, ...]
    body: Body
    loc: Location
    end_line: int


class Comment(NamedTuple):
    line: int
    end_line: int
    text: str


@dataclass(frozen=True, slots=True)
class HclFile:
    path: str
    body: Body
    comments: tuple[Comment, ...]


class HclSyntaxError(NamedTuple):
    message: str
    location: Location


EMPTY_BODY = Body({}, ())
