"""mtls_lint.readers.hcl_syntax: tree-sitter-hcl -> blocks, attributes, expressions, exact positions."""
from __future__ import annotations

import subprocess
import sys

import pytest

from mtls_lint.model import Location
from mtls_lint.readers.hcl_ast import (
    Attr,
    Call,
    Conditional,
    ForExpr,
    HclFile,
    HclSyntaxError,
    Index,
    Literal,
    ObjectExpr,
    Operation,
    SplatStep,
    Template,
    Traversal,
    Unsupported,
    Variable,
)
from mtls_lint.readers.hcl_syntax import parse_hcl


def parse(text: str | bytes) -> HclFile:
    result = parse_hcl(text.encode() if isinstance(text, str) else text, "main.tf")
    assert isinstance(result, HclFile), result
    return result


def expr(source: str):
    return parse(f"x = {source}\n").body.attributes["x"].expr


def test_blocks_labels_attributes_and_positions():
    parsed = parse(
        '# leading comment\n'
        'resource "aws_s3_bucket" "ts" {\n'
        '  bucket = "b"\n'
        '\n'
        '  versioning_configuration {\n'
        '    status = "Enabled" # trailing\n'
        '  }\n'
        '}\n'
        'locals {\n'
        '  a = 1\n'
        '}\n')
    resource, local_block = parsed.body.blocks
    assert (resource.type, resource.labels) == ("resource", ("aws_s3_bucket", "ts"))
    assert resource.loc == Location("main.tf", 2, 1)
    assert resource.end_line == 8
    assert resource.body.attributes["bucket"].loc == Location("main.tf", 3, 3)
    nested = resource.body.blocks[0]
    assert (nested.type, nested.loc, nested.end_line) == ("versioning_configuration", Location("main.tf", 5, 3), 7)
    assert nested.body.attributes["status"].loc == Location("main.tf", 6, 5)
    assert local_block.body.attributes["a"].expr == Literal(1, Location("main.tf", 10, 7))
    assert [(c.line, c.text) for c in parsed.comments] == [(1, "# leading comment"), (6, "# trailing")]


def test_columns_count_characters_not_bytes():
    parsed = parse('locals {\n  name = "café" # é\n  next = "x"\n}\n')
    attributes = parsed.body.blocks[0].body.attributes
    assert attributes["name"].expr == Literal("café", Location("main.tf", 2, 10))
    assert attributes["next"].loc == Location("main.tf", 3, 3)


@pytest.mark.parametrize(("source", "value"), [
    ('"  two  spaces "', "  two  spaces "),
    (r'"a\nb\t\"c\" \\ \u00e9"', 'a\nb\t"c" \\ é'),
    ('"$${not} %%{this}"', "${not} %{this}"),
    ('""', ""),
    ("1.5", 1.5),
    ("42", 42),
    ("true", True),
    ("null", None),
])
def test_literals(source, value):
    assert expr(source).value == value


def test_template_keeps_text_between_interpolations():
    template = expr('"s3://${aws_s3_bucket.ts.bucket}/${local.key} "')
    assert isinstance(template, Template)
    assert template.parts[0] == "s3://"
    assert template.parts[2] == "/"
    assert template.parts[4] == " "
    bucket = template.parts[1]
    assert bucket == Traversal(Variable("aws_s3_bucket", Location("main.tf", 1, 13)),
                               (Attr("ts"), Attr("bucket")), Location("main.tf", 1, 13))


def test_heredocs_plain_and_indented():
    plain = parse("x = <<EOT\n  a ${b}\n  c\nEOT\n").body.attributes["x"].expr
    assert isinstance(plain, Template)
    assert plain.parts[0] == "  a " and plain.parts[2] == "\n  c\n"
    indented = parse("x = <<-EOT\n    -----BEGIN X-----\n      body $${y}\n    -----END X-----\n  EOT\n")
    assert indented.body.attributes["x"].expr.parts == ("-----BEGIN X-----\n  body ${y}\n-----END X-----\n",)


def test_expression_shapes():
    assert isinstance(expr("var.a ? 1 : 2"), Conditional)
    operation = expr('var.a == "x" && !var.b')
    assert isinstance(operation, Operation) and operation.operator == "&&"
    assert operation.operands[1].operator == "!"
    call = expr('file("${path.module}/cert.pem")')
    assert isinstance(call, Call) and call.name == "file" and isinstance(call.args[0], Template)
    assert expr("f(a, b...)").expand_final is True
    obj = expr('{ a = 1, "b" = 2, (local.k) = 3 }')
    assert isinstance(obj, ObjectExpr)
    assert [k.value if isinstance(k, Literal) else k for k, _ in obj.items][:2] == ["a", "b"]
    indexed = expr('aws_x.y["k"].arn')
    assert indexed.steps == (Attr("y"), Index(Literal("k", Location("main.tf", 1, 13))), Attr("arn"))
    legacy = expr("aws_x.y.0.arn")
    assert legacy.steps[1] == Index(Literal(0, legacy.steps[1].key.loc))
    splat = expr("aws_x.y[*].arn")
    assert splat.steps == (Attr("y"), SplatStep((Attr("arn"),)))
    loop = expr("{ for k, v in var.m : k => v if v != null }")
    assert isinstance(loop, ForExpr) and (loop.key_var, loop.value_var) == ("k", "v") and loop.condition
    assert isinstance(expr('"%{ if a }x%{ endif }"').parts[0], Unsupported)


def test_expressions_are_built_on_first_use():
    attribute = parse("x = var.a\n").body.attributes["x"]
    assert attribute._expr is None
    assert attribute.expr is attribute.expr  # built once


@pytest.mark.parametrize(("source", "message", "line", "column"), [
    ('resource "a" "b" {\n  x = 1\n', "syntax error: missing '}'", 3, 1),
    ('resource "a" "b" {\n  x = \n}\n', "syntax error: unexpected name", 2, 3),
    ('resource "a" "b" {\n  security_policy "TLS_1_2"\n\n  nested {\n    a = 1\n  }\n}\n',
     "syntax error: neither an argument (missing '=') nor a block (its '{' must be on the same line)", 2, 3),
    ('locals {\n  a = 1 b = 2\n}\n', "syntax error: missing newline before this attribute", 2, 9),
    ('locals {\n  a = 1\n  a = 2\n}\n', "syntax error: this argument is already set at line 2", 3, 3),
    ('locals {\n  k = "abc\n}\n', "syntax error: unexpected name", 1, 1),
    ('resource "a" "\\U0011FFFF" {\n}\n', "syntax error: invalid Unicode escape in a block label", 1, 14),
    (b'x = "\xff"\n', "the file is not valid UTF-8", 1, 6),
])
def test_syntax_errors_have_exact_positions(source, message, line, column):
    result = parse_hcl(source.encode() if isinstance(source, str) else source, "bad.tf")
    assert result == HclSyntaxError(message, Location("bad.tf", line, column))


def test_a_bom_is_not_a_syntax_error():
    parsed = parse(b'\xef\xbb\xbfx = "a"\n')
    assert parsed.body.attributes["x"].loc == Location("main.tf", 1, 4)


def test_tree_sitter_is_imported_only_when_a_file_is_parsed():
    code = ("import sys\n"
            "import mtls_lint.readers.terraform_hcl, mtls_lint.readers.terraform_plan\n"
            "assert 'tree_sitter' not in sys.modules\n"
            "from mtls_lint.readers.hcl_syntax import parse_hcl\n"
            "parse_hcl(b'x = 1\\n', 'a.tf')\n"
            "assert 'tree_sitter' in sys.modules\n"
            "assert 'cryptography' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True)


KEY_LINES = ("MIIEvgIBADANBgkqhkiG9w0BAQEFAASCBKgwggSkAgEAAoIBAQC7NZnOYxKe1o0Y\n"
             "xLYC3g/spmcEPuD5j06sKRXeFl/Ur/Df8dO1tyeU2RBq7kRmSUNvnkbF7US6bbwb\n")


@pytest.mark.parametrize(("source", "line", "column"), [
    ('resource "c" "c" {\n  private_key = \n' + KEY_LINES + "}\n", 4, 1),  # the key on the lines after '='
    ('resource "c" "c" {\n  private_key = -----BEGIN PRIVATE KEY-----\n' + KEY_LINES + "}\n", 1, 1),
    ('locals {\n  k = 1\n}\n' + KEY_LINES, 4, 1),  # pasted at the end of a file
    ('resource "c" "c" {\n  private_key = "x" ' + KEY_LINES + "}\n", 1, 1),
])
def test_syntax_errors_never_quote_the_source(source, line, column):
    result = parse_hcl(source.encode(), "bad.tf")
    assert result == HclSyntaxError("syntax error: unexpected name", Location("bad.tf", line, column))
    for fragment in ("MIIE", "xLYC", "PRIVATE", "BEGIN"):
        assert fragment not in result.message


@pytest.mark.parametrize("escape", ["\\UFFFFFFFF", "\\U00110000", "\\uD800", "\\uDFFF"])
def test_an_escape_that_is_no_unicode_character_is_unsupported(escape):
    for source in (f'"a{escape}b"', f'"${{x}}{escape}"', f'"{escape}"'):
        value = expr(source)
        assert value == Unsupported("a string with an invalid Unicode escape", Location("main.tf", 1, 5)), source


def test_valid_unicode_escapes():
    assert expr('"\\u00e9\\U0001F600"') == Literal("\u00e9\U0001F600", Location("main.tf", 1, 5))
