"""mtls_lint.readers.terraform_resources: what resources mean, the same for HCL and plans."""
from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from mtls_lint.model import Fragment, Location, ResourceRef, Unknown
from mtls_lint.readers import ReadContext
from mtls_lint.readers.terraform_hcl import _Run, read_terraform_modules
from mtls_lint.readers.terraform_plan import read_terraform_plans
from mtls_lint.readers.terraform_resources import MAPPED_TYPES, READ_ARGUMENTS

BUCKETS = ('resource "aws_s3_bucket" "ts" {\n  bucket = "corp-truststores"\n}\n'
           'resource "aws_s3_bucket" "gen" {\n  bucket_prefix = "ts-"\n}\n'
           'variable "scheme" {}\nvariable "key" {}\n')


def read_hcl(tmp_path: Path, text: str, **files: str) -> Fragment:
    (tmp_path / "main.tf").write_text(text)
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    return read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path, roots=(tmp_path,)))


def read_plan(tmp_path: Path, kind: str, after: dict) -> Fragment:  # type: ignore[type-arg]
    address = f"{kind}.x"
    plan = {"format_version": "1.2",
            "planned_values": {"root_module": {"resources": [
                {"address": address, "mode": "managed", "type": kind, "name": "x", "values": after}]}},
            "resource_changes": [{"address": address, "change": {"actions": ["create"], "after": after}}]}
    (tmp_path / "plan.json").write_text(json.dumps(plan))
    return read_terraform_plans([tmp_path / "plan.json"], ReadContext(cwd=tmp_path))


def domain_with_uri(uri: str) -> str:
    return (BUCKETS + 'resource "aws_api_gateway_domain_name" "d" {\n  domain_name = "api.example.com"\n'
            f"  mutual_tls_authentication {{\n    truststore_uri = {uri}\n  }}\n}}\n")


URI_AT = Location("main.tf", 12, 5)


@pytest.mark.parametrize(("uri", "expected"), [
    # Certainly not s3://bucket/key: MTLS306 must judge it, whatever bucket it mentions.
    ('"https://${aws_s3_bucket.ts.bucket}.s3.amazonaws.com/x.pem"',
     ("https://corp-truststores.s3.amazonaws.com/x.pem", None, None)),
    ('"https://${aws_s3_bucket.gen.id}.s3.amazonaws.com/x.pem"',
     ("https://${...}.s3.amazonaws.com/x.pem", None, None)),
    ('"arn:aws:s3:::${aws_s3_bucket.gen.id}/x.pem"', ("arn:aws:s3:::${...}/x.pem", None, None)),
    ('"s3:///${aws_s3_bucket.gen.id}"', ("s3:///${...}", None, None)),  # no bucket at all
    ('"s3://two words/${var.key}"', ("s3://two words/${...}", None, None)),
    # The s3:// shape: the bucket is resolved.
    ('"s3://${aws_s3_bucket.ts.bucket}/x.pem"',
     ("s3://corp-truststores/x.pem", ResourceRef(".", "aws_s3_bucket.ts"), "x.pem")),
    ('"s3://${aws_s3_bucket.gen.id}/x.pem"',
     (Unknown("partly aws_s3_bucket.gen.id is known after apply", URI_AT), ResourceRef(".", "aws_s3_bucket.gen"),
      "x.pem")),
    ('"s3://corp-truststores/${var.key}"',
     (Unknown("partly var.key has no default and no value in the configuration", URI_AT), "corp-truststores",
      Unknown("the truststore key is known after apply", URI_AT))),
    # Not known well enough to judge.
    ('"${var.scheme}://b/x.pem"',
     (Unknown("partly var.scheme has no default and no value in the configuration", URI_AT),
      Unknown("the truststore bucket is known after apply", URI_AT),
      Unknown("the truststore key is known after apply", URI_AT))),
    ("var.key", (Unknown("var.key has no default and no value in the configuration", Location("main.tf", 12, 22)),) * 3),
])
def test_truststore_uri_shapes(tmp_path, uri, expected):
    (domain,) = read_hcl(tmp_path, domain_with_uri(uri)).domains
    truststore = domain.truststore
    assert (truststore.uri, truststore.bucket, truststore.key) == expected


@pytest.mark.parametrize("bucket", ["[]", "{ a = 1 }", '["b"]'])
def test_an_s3_object_bucket_that_is_not_text_names_no_bucket(tmp_path, bucket):
    text = (f'resource "aws_s3_object" "o" {{\n  bucket = {bucket}\n  key    = "k"\n  content = "x"\n}}\n'
            'resource "aws_api_gateway_domain_name" "d" {\n  domain_name = "a.example.com"\n'
            '  mutual_tls_authentication {\n    truststore_uri = "s3://b/k"\n  }\n}\n')
    (domain,) = read_hcl(tmp_path, text).domains
    assert (domain.truststore.bucket, domain.truststore.content) == ("b", None)


EMPTY_REST = {"domain_name": "api.example.com", "regional_certificate_arn": "arn:aws:acm:us-east-1:1:certificate/a",
              "security_policy": "", "ownership_verification_certificate_arn": "",
              "endpoint_configuration": [{"types": ["REGIONAL"]}],
              "mutual_tls_authentication": [{"truststore_uri": "s3://b/k", "truststore_version": ""}]}
EMPTY_HTTP = {"domain_name": "api.example.com",
              "domain_name_configuration": [{"certificate_arn": "arn:aws:acm:us-east-1:1:certificate/a",
                                             "endpoint_type": "REGIONAL", "security_policy": "",
                                             "ownership_verification_certificate_arn": ""}],
              "mutual_tls_authentication": [{"truststore_uri": "s3://b/k", "truststore_version": ""}]}


def _hcl(kind: str, values: dict) -> str:  # type: ignore[type-arg]
    def body(mapping: dict, indent: str) -> str:  # type: ignore[type-arg]
        lines = []
        for key, value in mapping.items():
            if isinstance(value, list) and value and isinstance(value[0], dict):
                lines.append(f"{indent}{key} {{\n{body(value[0], indent + '  ')}{indent}}}\n")
            else:
                lines.append(f"{indent}{key} = {json.dumps(value)}\n")
        return "".join(lines)
    return f'resource "{kind}" "x" {{\n{body(values, "  ")}}}\n'


@pytest.mark.parametrize("reader", ["hcl", "plan"])
@pytest.mark.parametrize(("kind", "values"), [("aws_api_gateway_domain_name", EMPTY_REST),
                                              ("aws_apigatewayv2_domain_name", EMPTY_HTTP)], ids=["rest", "http"])
def test_empty_strings_are_unset(tmp_path, reader, kind, values):
    fragment = read_hcl(tmp_path, _hcl(kind, values)) if reader == "hcl" else read_plan(tmp_path, kind, values)
    (domain,) = fragment.domains
    assert (domain.security_policy, domain.ownership_certificate, domain.truststore.version) == (None, None, None)
    assert domain.certificate == "arn:aws:acm:us-east-1:1:certificate/a"


API = ('resource "aws_api_gateway_rest_api" "a" {{\n  name = "a"\n  body = {}\n}}\n'
       'resource "aws_s3_object" "spec" {{\n  bucket = "b"\n  key    = "openapi.json"\n}}\n')


@pytest.mark.parametrize(("body", "files", "flag"), [
    ('jsonencode({"x-amazon-apigateway-endpoint-configuration" = {disableExecuteApiEndpoint = true}, '
     "paths = aws_lambda_function.f.arn})", {}, True),
    ('file("openapi.yaml")', {"openapi.yaml": "x-amazon-apigateway-endpoint-configuration:\n"
                                              "  disableExecuteApiEndpoint: false\n"}, False),
    ('file("missing.yaml")', {}, Unknown("the OpenAPI body file cannot be read", Location("main.tf", 3, 3))),
    ('"' + "[" * 1500 + '"', {},
     Unknown("the OpenAPI body is neither JSON nor YAML within the reader's limits", Location("main.tf", 3, 3))),
    ("aws_s3_object.spec.body", {}, Unknown("aws_s3_object.spec.body is known after apply", Location("main.tf", 3, 3))),
])
def test_openapi_body_flag(tmp_path, body, files, flag):
    (api,) = read_hcl(tmp_path, API.format(body), **files).apis
    assert api.body_disable_execute_api_endpoint == flag


LAUGHS = "locals {\n  l0 = [\"x\", \"y\"]\n" + "".join(
    f"  l{i + 1} = [local.l{i}, local.l{i}]\n" for i in range(25)) + "}\n"


def test_arguments_the_mapping_does_not_read_are_never_evaluated(tmp_path):
    (tmp_path / "main.tf").write_text(LAUGHS + 'resource "aws_s3_bucket" "b" {\n  bucket = "b"\n'
                                      "  tags   = { t = jsonencode(local.l25) }\n}\n")
    start = time.monotonic()
    (resource,) = _Run(tmp_path, ReadContext(cwd=tmp_path), {}).resources()
    assert time.monotonic() - start < 5  # it took 93 s and 800 MB when tags were evaluated
    assert dict(resource.values) == {"bucket": "b"}


def test_a_read_argument_beyond_the_size_budget_is_unknown(tmp_path):
    start = time.monotonic()
    fragment = read_hcl(tmp_path, LAUGHS + 'resource "aws_s3_bucket" "b" {\n  bucket = jsonencode(local.l25)\n}\n'
                        'resource "aws_s3_bucket" "c" {\n  bucket = local.l25\n}\n')
    assert time.monotonic() - start < 5
    names = {b.resource: b.name for b in fragment.buckets}
    assert names == {"aws_s3_bucket.b": Unknown("expression too large", Location("main.tf", 30, 12)),
                     "aws_s3_bucket.c": Unknown("expression too large", Location("main.tf", 33, 3))}


def test_every_mapped_type_declares_what_it_reads():
    assert MAPPED_TYPES == frozenset(READ_ARGUMENTS)
    assert "tags" not in frozenset().union(*READ_ARGUMENTS.values())
