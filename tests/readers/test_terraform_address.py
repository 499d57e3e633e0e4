"""Terraform addresses and plan-configuration references (terraform_address, terraform_plan_config)."""
from __future__ import annotations

import pytest

from mtls_lint.model import ResourceRef
from mtls_lint.readers.terraform_address import (
    UNKNOWN_KEY,
    Address,
    key_suffix,
    parent_module,
    parse_address,
    split_module,
)
from mtls_lint.readers.terraform_plan_config import (
    PlanConfiguration,
    flatten_expressions,
)


@pytest.mark.parametrize(("key", "suffix"), [(None, ""), (0, "[0]"), ("eu", '["eu"]'), ('a"b', '["a\\"b"]'),
                                             (UNKNOWN_KEY, "[*]")])
def test_key_suffix(key, suffix):
    assert key_suffix(key) == suffix


@pytest.mark.parametrize(("text", "address"), [
    ("aws_s3_bucket.b", Address("", "managed", "aws_s3_bucket", "b", "")),
    ("data.aws_acm_certificate.eu", Address("", "data", "aws_acm_certificate", "eu", "")),
    ('module.a["x.y"].module.b[0].aws_acm_certificate.this[1]',
     Address('module.a["x.y"].module.b[0]', "managed", "aws_acm_certificate", "this", "[1]")),
    ("module.a", None),
    ("not an address", None),
])
def test_parse_address(text, address):
    assert parse_address(text) == address


def test_module_paths():
    assert split_module('module.a["x.y"].module.b[0]') == ['module.a["x.y"]', "module.b[0]"]
    assert parent_module('module.a["x.y"].module.b[0]') == 'module.a["x.y"]'
    assert parent_module("module.a") == ""


def test_flatten_expressions():
    flat = flatten_expressions({
        "domain_name": {"references": ["var.d"]},
        "mutual_tls_authentication": [{"truststore_uri": {"constant_value": "s3://b/k"}}],
        "timeouts": {"create": {"constant_value": "5m"}},
        "tags": {},
    })
    assert flat == {"domain_name": {"references": ["var.d"]},
                    "mutual_tls_authentication.0.truststore_uri": {"constant_value": "s3://b/k"},
                    "timeouts.0.create": {"constant_value": "5m"}, "tags": {}}


CONFIGURATION = {
    "provider_config": {"aws": {"name": "aws", "expressions": {"region": {"references": ["var.region"]}}}},
    "root_module": {
        "resources": [{"address": "aws_acm_certificate.c", "mode": "managed", "type": "aws_acm_certificate",
                       "name": "c", "provider_config_key": "aws", "expressions": {}}],
        "module_calls": {"child": {
            "source": "./child",
            "expressions": {"arn": {"references": ["aws_acm_certificate.c.arn", "aws_acm_certificate.c"]}},
            "module": {
                "resources": [{"address": "aws_api_gateway_domain_name.d", "mode": "managed",
                               "type": "aws_api_gateway_domain_name", "name": "d", "provider_config_key": "aws",
                               "expressions": {"regional_certificate_arn": {"references": ["var.arn"]}}},
                              {"address": "aws_acm_certificate.own", "mode": "managed",
                               "type": "aws_acm_certificate", "name": "own", "expressions": {}}],
                "outputs": {"own": {"expression": {"references": ["aws_acm_certificate.own[0].arn"]}}},
            },
        }},
    },
}


def config() -> PlanConfiguration:
    addresses = ["aws_acm_certificate.c", 'module.child["a"].aws_api_gateway_domain_name.d',
                 'module.child["a"].aws_acm_certificate.own[0]', "aws_x.n[0]", "aws_x.n[1]"]
    return PlanConfiguration(CONFIGURATION, {"region": {"value": "eu-north-1"}}, addresses, "plan.json")


def test_variables_are_followed_through_the_module_call():
    resolved = config().resolve(["var.arn"], 'module.child["a"]', "")
    assert resolved == (ResourceRef("plan.json", "aws_acm_certificate.c", "arn"),
                        ResourceRef("plan.json", "aws_acm_certificate.c", None))


def test_module_outputs_are_followed_into_each_instance():
    resolved = config().resolve(["module.child.own"], "", "")
    assert resolved == (ResourceRef("plan.json", 'module.child["a"].aws_acm_certificate.own[0]', "arn"),)


def test_counted_resources_prefer_the_referrer_key():
    plan = config()
    assert [r.name for r in plan.resolve(["aws_x.n"], "", "[1]")] == ["aws_x.n[1]"]
    assert [r.name for r in plan.resolve(["aws_x.n"], "", "")] == ["aws_x.n[0]", "aws_x.n[1]"]
    assert plan.resolve(["local.x", "each.key", "count.index", "path.module"], "", "") == ()


def test_provider_region_from_a_root_variable():
    address = parse_address('module.child["a"].aws_api_gateway_domain_name.d')
    assert config().provider_setting(address, "region") == "eu-north-1"
