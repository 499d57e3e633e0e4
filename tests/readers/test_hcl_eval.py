"""mtls_lint.readers.hcl_eval / hcl_functions: what can be known before apply, and Unknown otherwise."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mtls_lint.model import Location, ResourceRef, Unknown
from mtls_lint.readers.hcl_eval import Env, LazyObject, evaluate, too_large
from mtls_lint.readers.hcl_syntax import parse_hcl
from mtls_lint.readers.terraform_values import Encoded, FileContent, Partial

BASE = Path("/repo/infra")


class _Resources(LazyObject):
    """``aws_x.<name>.<attribute>``: computed attributes become references, and are recorded."""

    def __init__(self, type_name: str) -> None:
        self.type_name = type_name

    def get(self, name, loc, env):
        outer = self

        class _Instance(LazyObject):
            def get(self, attribute, loc, env):
                ref = ResourceRef("src", f"{outer.type_name}.{name}", attribute)
                env.note([ref])
                return {"bucket": "my-bucket"}.get(attribute, ref)
        return _Instance()


ROOTS = {
    "var": {"name": "api", "zone": "example.com", "list": ["b", "a", "b"], "map": {"k": "v"}, "n": 2,
            "unknown": Unknown("var.unknown has no value"), "flag": True},
    "local": {"key": "truststore.pem"},
    "path": {"module": "."},
}


def lookup(name, loc, env):
    if name in ROOTS:
        return ROOTS[name]
    return _Resources(name)


def run(source: str, refs: list | None = None):
    parsed = parse_hcl(f"x = {source}\n".encode(), "main.tf")
    return evaluate(parsed.body.attributes["x"].expr, Env(lookup, BASE, refs=refs))


@pytest.mark.parametrize(("source", "value"), [
    ('"${var.name}.${var.zone}"', "api.example.com"),
    ('"${var.n}"', 2),  # a lone interpolation is the value itself
    ('"n=${var.n} ${var.flag}"', "n=2 true"),
    ("var.n * 3 + 1", 7),
    ("10 / 4", 2.5),
    ('var.flag ? "REGIONAL" : "EDGE"', "REGIONAL"),
    ('var.n > 1 && var.name != "x"', True),
    ("var.unknown ? 1 : 1", 1),  # both branches agree
    ("[for s in var.list : upper(s) if s != \"a\"]", ["B", "B"]),
    ("{ for k, v in var.map : v => k }", {"v": "k"}),
    ("toset(var.list)", ["a", "b"]),  # a set of strings iterates in lexical order
    ('lookup(var.map, "k", "d")', "v"),
    ('lookup(var.map, "z", "d")', "d"),
    ('try(var.unknown, "fallback")', "fallback"),
    ('coalesce("", var.name)', "api"),
    ('format("%s-%d", var.name, var.n)', "api-2"),
    ('join(",", concat(var.list, ["c"]))', "b,a,b,c"),
    ('replace("a.b", ".", "-")', "a-b"),
    ("length(var.list)", 3),
    ('element(["x", "y"], 3)', "y"),
    ('merge({ a = 1 }, { b = 2 })', {"a": 1, "b": 2}),
    ('jsondecode("{\\"a\\": [1]}")', {"a": [1]}),
    ("var.list[1]", "a"),
    ('var.map["k"]', "v"),
    ("aws_s3_bucket.ts.bucket", "my-bucket"),
])
def test_known_values(source, value):
    assert run(source) == value


def test_unknowns_say_why():
    assert run("var.unknown").reason == "var.unknown has no value"
    assert run("var.list[9]").reason == "index out of range"
    assert run('templatefile("x.tpl", {})').reason == "templatefile() is not evaluated"
    assert run("sha256(var.name)").reason == "function sha256() is not evaluated"
    assert run('!var.flag || var.unknown == "x"').reason == "a condition not known before apply"
    assert run("var.flag || var.unknown") is True
    assert run("var.unknown ? 1 : 2").reason == "a condition not known before apply"
    assert run('"%{ if var.flag }x%{ endif }"').reason == "template directive is not evaluated"
    assert run("upper(aws_acm_certificate.c.arn)").reason == "aws_acm_certificate.c.arn is known after apply"


def test_references_to_computed_attributes_are_refs_and_are_recorded():
    refs: list[ResourceRef] = []
    assert run("aws_acm_certificate.c.arn", refs) == ResourceRef("src", "aws_acm_certificate.c", "arn")
    assert refs == [ResourceRef("src", "aws_acm_certificate.c", "arn")]


def test_computed_attributes_are_never_null():
    assert run("aws_acm_certificate.c.arn == null") is False
    assert run("aws_acm_certificate.c.arn != null") is True


def test_partly_known_template_keeps_its_pieces():
    value = run('"s3://${aws_s3_bucket.b.id}/${local.key}"')
    assert value == Partial(("s3://", ResourceRef("src", "aws_s3_bucket.b", "id"), "/truststore.pem"),
                            Location("main.tf", 1, 5))


def test_file_names_the_file_and_reads_nothing():
    value = run('file("${path.module}/cert.pem")')
    assert value == FileContent(BASE / "./cert.pem", Location("main.tf", 1, 5))
    assert run('file("/abs/key.pem")').path == Path("/abs/key.pem")


def test_jsonencode_known_and_partly_known():
    assert json.loads(run('jsonencode({ b = 1, a = [true, null] })')) == {"a": [True, None], "b": 1}
    partly = run('jsonencode({ "x-amazon-apigateway-endpoint-configuration" = { disableExecuteApiEndpoint = true }, '
                 "uri = aws_lambda_function.f.invoke_arn })")
    assert isinstance(partly, Encoded)
    assert partly.value["x-amazon-apigateway-endpoint-configuration"] == {"disableExecuteApiEndpoint": True}
    assert partly.value["uri"] == ResourceRef("src", "aws_lambda_function.f", "invoke_arn")


def test_splat_and_spread():
    ROOTS["local"]["items"] = [{"id": 1}, {"id": 2}]
    try:
        assert run("local.items[*].id") == [1, 2]
        assert run("local.items.*.id") == [1, 2]
        assert run('concat(["x"], [local.items[*].id]...)') == ["x", 1, 2]
    finally:
        del ROOTS["local"]["items"]


def test_deep_nesting_does_not_raise():
    assert isinstance(run("[" * 300 + "]" * 300), (list, Unknown))


def _doubled(levels: int) -> list:
    """``[l, l]`` ``levels`` times over: 2**levels leaves once expanded, a few objects in memory."""
    value: list = ["x", "y"]
    for _ in range(levels):
        value = [value, value]
    return value


@pytest.fixture()
def big_values():
    ROOTS["local"].update(laughs=_doubled(25), text="a" * 5_000_000, wide=list(range(60_000)))
    yield
    for name in ("laughs", "text", "wide"):
        del ROOTS["local"][name]


AT = Location("main.tf", 1, 5)


@pytest.mark.parametrize(("source", "reason"), [
    ('format("abc%")', "format() with a lone '%' at the end"),
    ("element([], 0)", "element() of an empty list or of a value that is not a list"),
    ('["a"]["²"]', "index out of range"),
    ('["a"]["0"]', None),
    ("1" + "0" * 400 + " / 3", "arithmetic that cannot be evaluated"),
    ("1" + "0" * 1000 + " * " + "1" + "0" * 1000, "a number too large to evaluate"),
    ('lookup({a = 1}, "-----BEGIN PRIVATE KEY-----")', "lookup() of a missing key"),
    ('element(["a"], 1.0e308 * 10)', "element() with arguments it does not accept"),  # int(inf)
])
def test_odd_arguments_are_unknown_not_exceptions(source, reason):
    value = run(source)
    if reason is None:
        assert value == "a"
    else:
        assert isinstance(value, Unknown) and value.reason == reason


@pytest.mark.parametrize("source", [
    "jsonencode(local.laughs)", "flatten(local.laughs)", "toset(local.laughs)", "concat(local.laughs, [1])",
    '"${local.text}${local.text}"', 'join("", [local.text, local.text])', 'format("%s%s", local.text, local.text)',
    'replace(local.text, "a", "aa")', "flatten([for a in local.wide : local.wide])",
    "flatten([for a in local.wide : [a, a]])",
])
def test_values_beyond_the_size_budget_are_unknown(big_values, source):
    start = time.monotonic()
    assert run(source) == Unknown("expression too large", AT)
    assert time.monotonic() - start < 5


def test_values_within_the_budget_are_evaluated(big_values):
    assert run("length(local.laughs)") == 2  # shared structure is fine as long as nothing expands it
    assert run("length(flatten([local.wide, [1]]))") == 60_001
    assert len(run('"${local.text}"')) == 5_000_000


def test_too_large_counts_shared_parts_as_copies():
    assert too_large(_doubled(20)) is True
    assert too_large(_doubled(10)) is False
    assert too_large(["a" * 5_000_000, "b" * 5_000_000]) is True
    assert too_large(Encoded("json", _doubled(20))) is True


def test_flatten_of_deep_nesting_needs_no_stack():
    deep: list = ["x"]
    for _ in range(5000):
        deep = [deep]
    ROOTS["local"]["deep"] = deep
    try:
        assert run("flatten(local.deep)") == ["x"]
    finally:
        del ROOTS["local"]["deep"]
