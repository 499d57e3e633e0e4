"""HCL syntax: ``.tf`` bytes -> blocks, attributes and expressions with exact positions.

Parsed with tree-sitter-hcl (C speed, error tolerant). The tree is turned into a small
typed AST that the evaluator reads; nothing here knows Terraform. tree-sitter is imported
on first use, so runs without ``.tf`` inputs never load it.

Two details of the grammar shape this module:

- Whitespace inside a template is not part of its ``template_literal`` tokens (``" a"``
  yields the token ``a``), so literal text is cut from the source between the holes
  (interpolations, directives) instead of being read from the tokens.
- Attribute expressions are converted on first use: most attributes of most files are
  never evaluated, and a walk that builds only blocks keeps a 900-file tree fast.
"""
from __future__ import annotations

import re
from typing import Any

from mtls_lint.model import Location
from mtls_lint.readers.hcl_ast import (
    EMPTY_BODY,
    Attr,
    Attribute,
    Block,
    Body,
    Call,
    Comment,
    Conditional,
    Expr,
    ForExpr,
    HclFile,
    HclSyntaxError,
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
from mtls_lint.readers.textio import LineIndex

_PARSER: Any = None


def _parser() -> Any:
    global _PARSER
    if _PARSER is None:
        import tree_sitter
        import tree_sitter_hcl

        _PARSER = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    return _PARSER


def parse_hcl(data: bytes, path: str) -> HclFile | HclSyntaxError:
    """Parse one HCL file; the first syntax error (with its exact position) instead of a tree."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        where = LineIndex(data[:error.start].decode("utf-8"), path).location(error.start)
        return HclSyntaxError("the file is not valid UTF-8", where)
    if data.startswith(b"\xef\xbb\xbf"):
        data = b"   " + data[3:]  # keep offsets and columns; a BOM is not HCL
    tree = _parser().parse(data)
    converter = _Converter(data, path)
    root = tree.root_node
    if root.has_error:
        return converter.first_error(root)
    body = EMPTY_BODY
    try:
        for child in root.children:  # comments before the first or after the last block sit here
            if child.type == "body":
                body = converter.body(child)
            elif child.type == "comment":
                converter.comment(child)
    except RecursionError:
        return HclSyntaxError("blocks are nested too deeply", Location(path, 1, 1))
    if converter.errors:  # what tree-sitter accepts but HCL does not (newline rules)
        return min(converter.errors, key=lambda e: (e.location.line or 0, e.location.column or 0))
    return HclFile(path, body, tuple(sorted(converter.comments)))


_OPERATORS = {"!", "-", "*", "/", "%", "+", ">", ">=", "<", "<=", "==", "!=", "&&", "||"}
_ESCAPES = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))|\$\$\{|%%\{", re.DOTALL)
_SIMPLE_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


class _Converter:
    """Turns the nodes of one file into the AST; knows the source for text and columns."""

    def __init__(self, data: bytes, path: str) -> None:
        self.data = data
        self.path = path
        self.ascii = data.isascii()
        self.comments: list[Comment] = []
        self.errors: list[HclSyntaxError] = []
        self._line_starts: list[int] | None = None

    # positions ---------------------------------------------------------------------------
    def loc(self, node: Any) -> Location:
        row, column = node.start_point
        return Location(self.path, row + 1, self._column(row, column))

    def _column(self, row: int, byte_column: int) -> int:
        if self.ascii:
            return byte_column + 1
        start = self._starts()[row]
        return len(self.data[start:start + byte_column].decode("utf-8", "replace")) + 1

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            self._line_starts = [0] + [m.end() for m in re.finditer(rb"\n", self.data)]
        return self._line_starts

    def first_error(self, root: Any) -> HclSyntaxError:
        """The first error node, by kind and position only: never its text (it may be a pasted key)."""
        cursor = [root]
        while cursor:
            node = cursor.pop()
            if node.is_missing:
                return HclSyntaxError(f"syntax error: missing {_describe(node.type)}", self.loc(node))
            if node.is_error:
                first = node.children[0] if node.children else None
                what = _describe(first.type) if first is not None and first.is_named else "input"
                return HclSyntaxError(f"syntax error: unexpected {what}", self.loc(node))
            cursor.extend(reversed([child for child in node.children if child.has_error or child.is_missing]))
        return HclSyntaxError("syntax error", Location(self.path, 1, 1))

    # structure ---------------------------------------------------------------------------
    def body(self, node: Any) -> Body:
        attributes: dict[str, Attribute] = {}
        blocks: list[Block] = []
        previous_end = -1
        for child in node.children:
            kind = child.type
            if kind in ("attribute", "block"):
                # tree-sitter ignores newlines; HCL ends every argument and block with one.
                if child.start_point[0] == previous_end:
                    self._error(f"missing newline before this {kind}", child)
                previous_end = child.end_point[0]
            if kind == "attribute":
                name = child.children[0].text.decode()
                if name in attributes:
                    self._error(f"this argument is already set at line {attributes[name].loc.line}", child)
                attributes[name] = Attribute(name, self.loc(child), child.children[-1], self)
            elif kind == "block":
                blocks.append(self.block(child))
            elif kind == "comment":
                self.comment(child)
        return Body(attributes, tuple(blocks))

    def _error(self, message: str, node: Any) -> None:
        self.errors.append(HclSyntaxError(f"syntax error: {message}", self.loc(node)))

    def block(self, node: Any) -> Block:
        labels: list[str] = []
        body = EMPTY_BODY
        row = node.start_point[0]
        for child in node.children[1:]:
            kind = child.type
            if kind == "block_start" and child.start_point[0] != row:
                self._error("neither an argument (missing '=') nor a block (its '{' must be on the same line)", node)
            if kind == "string_lit":
                label = self._string_lit(child)
                if label is None:
                    self._error("invalid Unicode escape in a block label", child)
                labels.append(label or "")
            elif kind == "identifier":
                labels.append(child.text.decode())
            elif kind == "body":
                body = self.body(child)
            elif kind == "comment":
                self.comment(child)
        return Block(node.children[0].text.decode(), tuple(labels), body, self.loc(node),
                     node.end_point[0] + 1)

    def comment(self, node: Any) -> None:
        text = self.data[node.start_byte:node.end_byte].decode("utf-8", "replace")
        self.comments.append(Comment(node.start_point[0] + 1, node.end_point[0] + 1, text))

    # expressions -------------------------------------------------------------------------
    def expression(self, node: Any) -> Expr:
        kind = node.type
        if kind == "expression":
            return self._sequence([c for c in node.children if c.type != "comment"], node)
        if kind == "conditional":
            condition, true, false = (self.expression(c) for c in node.children if c.type == "expression")
            return Conditional(condition, true, false, self.loc(node))
        if kind == "operation":
            return self.expression(node.children[0])
        if kind in ("binary_operation", "unary_operation"):
            return self._operation(node)
        if kind == "literal_value":
            return self._literal(node.children[0])
        if kind == "template_expr":
            return self._template(node.children[0])
        if kind == "collection_value":
            return self._collection(node.children[0])
        if kind == "variable_expr":
            return Variable(node.children[0].text.decode(), self.loc(node))
        if kind == "function_call":
            return self._call(node)
        if kind == "for_expr":
            return self._for(node.children[0])
        if kind in ("comment",):
            return Unsupported("comment", self.loc(node))
        return Unsupported(kind, self.loc(node))

    def _sequence(self, nodes: list[Any], anchor: Any) -> Expr:
        """A base term followed by postfix steps (get_attr, index, splat); parentheses unwrapped."""
        if not nodes:
            return Unsupported("empty expression", self.loc(anchor))
        if nodes[0].type == "(":
            closing = next(i for i, n in enumerate(nodes) if n.type == ")") if any(
                n.type == ")" for n in nodes) else len(nodes)
            base = self.expression(nodes[1])
            rest = nodes[closing + 1:]
        else:
            base = self.expression(nodes[0])
            rest = nodes[1:]
        steps = self._steps(rest)
        if not steps:
            return base
        return Traversal(base, tuple(steps), self.loc(anchor) if anchor is not None else base.loc)

    def _steps(self, nodes: list[Any]) -> list[Step]:
        steps: list[Step] = []
        for node in nodes:
            kind = node.type
            if kind == "get_attr":
                steps.append(Attr(node.children[-1].text.decode()))
            elif kind == "index":
                inner = node.children[0]
                if inner.type == "legacy_index":  # x.0: the digits are not in the tree, cut them from the source
                    end = node.next_sibling.start_byte if node.next_sibling is not None else node.parent.end_byte
                    digits = self.data[inner.start_byte + 1:end].decode().strip()
                    number = int(digits) if digits.isascii() and digits.isdigit() else digits
                    steps.append(Index(Literal(number, self.loc(node))))
                else:
                    key = next((c for c in inner.children if c.type == "expression"), None)
                    steps.append(Index(self.expression(key) if key is not None
                                       else Unsupported("index", self.loc(node))))
            elif kind == "splat":
                inner = node.children[0]
                steps.append(SplatStep(tuple(self._steps(inner.children[1:]))))
        return steps

    def _operation(self, node: Any) -> Expr:
        children = [c for c in node.children if c.type != "comment"]
        if node.type == "unary_operation":
            return Operation(children[0].type, (self._sequence(children[1:], node),), self.loc(node))
        split = next(i for i, c in enumerate(children) if i > 0 and not c.is_named and c.type in _OPERATORS)
        left = self._sequence(children[:split], children[0])
        right = self._sequence(children[split + 1:], children[split + 1])
        return Operation(children[split].type, (left, right), self.loc(node))

    def _literal(self, node: Any) -> Expr:
        kind = node.type
        loc = self.loc(node)
        if kind == "numeric_lit":
            text = node.text.decode()
            try:
                return Literal(int(text), loc)
            except ValueError:
                return Literal(float(text), loc)
        if kind == "bool_lit":
            return Literal(node.text.decode() == "true", loc)
        if kind == "null_lit":
            return Literal(None, loc)
        if kind == "string_lit":
            text = self._string_lit(node)
            return Literal(text, loc) if text is not None else Unsupported(_BAD_ESCAPE, loc)
        return Unsupported(kind, loc)

    def _string_lit(self, node: Any) -> str | None:
        # The quotes are one byte each; a string literal has no interpolation to cut around.
        text = self.data[node.start_byte + 1:node.end_byte - 1].decode("utf-8", "replace")
        return _unescape(text, quoted=True)

    def _template(self, node: Any) -> Expr:
        heredoc = node.type == "heredoc_template"
        children = node.children
        if heredoc:
            opener = children[0].text.decode() if children else "<<"
            idents = [i for i, c in enumerate(children) if c.type == "heredoc_identifier"]
            first = children[idents[0]] if idents else children[0]
            start = self.data.find(b"\n", first.end_byte) + 1
            end = self._line_start(children[idents[-1]].start_byte) if len(idents) > 1 else node.end_byte
            holes = [c for c in children[(idents[0] + 1 if idents else 1):(idents[-1] if len(idents) > 1 else None)]
                     if c.type in ("template_interpolation", "template_directive")]
            strip = opener == "<<-"
        else:
            start = children[0].end_byte
            end = children[-1].start_byte if children[-1].type == "quoted_template_end" else node.end_byte
            holes = [c for c in children if c.type in ("template_interpolation", "template_directive")]
            strip = False
        indent = self._heredoc_indent(start, end) if strip else 0
        parts: list[str | Expr | None] = []
        position = start
        for hole in holes:
            parts.append(self._text(position, hole.start_byte, quoted=not heredoc, indent=indent))
            if hole.type == "template_directive":
                parts.append(Unsupported("template directive", self.loc(hole)))
            else:
                inner = next((c for c in hole.children if c.type == "expression"), None)
                parts.append(self.expression(inner) if inner is not None
                             else Unsupported("empty interpolation", self.loc(hole)))
            position = hole.end_byte
        parts.append(self._text(position, end, quoted=not heredoc, indent=indent))
        if any(part is None for part in parts):
            return Unsupported(_BAD_ESCAPE, self.loc(node))
        return Template(tuple(p for p in parts if p != "" and p is not None), self.loc(node))

    def _line_start(self, offset: int) -> int:
        return self.data.rfind(b"\n", 0, offset) + 1

    def _heredoc_indent(self, start: int, end: int) -> int:
        lines = [line for line in self.data[start:end].split(b"\n") if line.strip()]
        return min((len(line) - len(line.lstrip(b" \t")) for line in lines), default=0)

    def _text(self, start: int, end: int, *, quoted: bool, indent: int) -> str | None:
        raw = self.data[start:end]
        if indent:
            at_line_start = start == self._line_start(start)
            lines = raw.split(b"\n")
            raw = b"\n".join(
                line[min(indent, len(line) - len(line.lstrip(b" \t"))):] if (i > 0 or at_line_start) else line
                for i, line in enumerate(lines))
        return _unescape(raw.decode("utf-8", "replace"), quoted=quoted)

    def _collection(self, node: Any) -> Expr:
        loc = self.loc(node)
        if node.type == "tuple":
            return TupleExpr(tuple(self.expression(c) for c in node.children if c.type == "expression"), loc)
        items: list[tuple[Expr, Expr]] = []
        for elem in node.children:
            if elem.type != "object_elem":
                continue
            key_node, value_node = [c for c in elem.children if c.type == "expression"][:2]
            key = self.expression(key_node)
            if isinstance(key, Variable):  # a bare word key is a string, not a reference
                key = Literal(key.name, key.loc)
            items.append((key, self.expression(value_node)))
        return ObjectExpr(tuple(items), loc)

    def _call(self, node: Any) -> Expr:
        args_node = next((c for c in node.children if c.type == "function_arguments"), None)
        args: tuple[Expr, ...] = ()
        expand = False
        if args_node is not None:
            args = tuple(self.expression(c) for c in args_node.children if c.type == "expression")
            expand = any(c.type == "ellipsis" for c in args_node.children)
        return Call(node.children[0].text.decode(), args, self.loc(node), expand)

    def _for(self, node: Any) -> Expr:
        intro = next(c for c in node.children if c.type == "for_intro")
        names = [c.text.decode() for c in intro.children if c.type == "identifier"]
        collection = self.expression(next(c for c in intro.children if c.type == "expression"))
        bodies = [c for c in node.children if c.type == "expression"]
        condition_node = next((c for c in node.children if c.type == "for_cond"), None)
        condition = None
        if condition_node is not None:
            condition = self.expression(next(c for c in condition_node.children if c.type == "expression"))
        is_object = node.type == "for_object_expr"
        key_var, value_var = (names[0], names[1]) if len(names) > 1 else (None, names[0])
        return ForExpr(key_var, value_var, collection,
                       self.expression(bodies[0]) if is_object else None,
                       self.expression(bodies[1] if is_object else bodies[0]), condition,
                       any(c.type == "ellipsis" for c in node.children), self.loc(node))


def _unescape(text: str, *, quoted: bool) -> str | None:
    """Escapes resolved; None when a ``\\u``/``\\U`` escape names no Unicode scalar value (HCL rejects it)."""
    if "\\" not in text and "$${" not in text and "%%{" not in text:
        return text
    invalid = False

    def replace(match: re.Match[str]) -> str:
        nonlocal invalid
        whole = match.group(0)
        if whole == "$${":
            return "${"
        if whole == "%%{":
            return "%{"
        if not quoted:
            return whole
        if match.group(1) or match.group(2):
            code = int(match.group(1) or match.group(2), 16)
            if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:  # beyond Unicode, or a lone surrogate
                invalid = True
                return ""
            return chr(code)
        return _SIMPLE_ESCAPES.get(match.group(3), whole)

    result = _ESCAPES.sub(replace, text)
    return None if invalid else result


def _describe(kind: str) -> str:
    """A grammar node kind in words (``quoted_template_end`` -> ``end of a quoted string``)."""
    return _KIND_WORDS.get(kind, kind.replace("_", " ") if kind[:1].isalpha() else repr(kind))


_BAD_ESCAPE = "a string with an invalid Unicode escape"
_KIND_WORDS = {
    "quoted_template_end": "end of a quoted string",
    "quoted_template_start": "start of a quoted string",
    "heredoc_identifier": "heredoc end marker",
    "identifier": "name",
    "ERROR": "input",
}
