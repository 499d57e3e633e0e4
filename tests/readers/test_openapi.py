"""mtls_lint.readers.openapi: disableExecuteApiEndpoint of an OpenAPI body, for every reader."""
from __future__ import annotations

import json
import time

import pytest

from mtls_lint.model import Location, Unknown
from mtls_lint.readers.openapi import execute_api_disabled_in_body

WHERE = Location("main.tf", 3, 3)
DISABLED = {"openapi": "3.0.1", "x-amazon-apigateway-endpoint-configuration": {"disableExecuteApiEndpoint": True}}


@pytest.mark.parametrize(("body", "flag"), [
    (DISABLED, True),
    (json.dumps(DISABLED), True),
    (json.dumps(DISABLED, indent="\t"), True),
    ("openapi: 3.0.1\nx-amazon-apigateway-endpoint-configuration:\n  disableExecuteApiEndpoint: false\n", False),
    ({"openapi": "3.0.1"}, None),
    ("openapi: 3.0.1\n", None),
    ({"x-amazon-apigateway-endpoint-configuration": {}}, None),
    (None, None),
    ("", None),
    ("[1, 2]", None),  # not an OpenAPI document: it sets nothing
    (["x"], None),
])
def test_flag_from_mappings_json_and_yaml(body, flag):
    assert execute_api_disabled_in_body(body, WHERE) is flag


def test_unknown_values_stay_unknown():
    unknown = Unknown("var.body has no value")
    assert execute_api_disabled_in_body(unknown, WHERE) is unknown
    inner = Unknown("known after apply")
    assert execute_api_disabled_in_body({"x-amazon-apigateway-endpoint-configuration": inner}, WHERE) is inner
    assert execute_api_disabled_in_body(
        {"x-amazon-apigateway-endpoint-configuration": {"disableExecuteApiEndpoint": inner}}, WHERE) is inner


@pytest.mark.parametrize(("body", "reason"), [
    ({"x-amazon-apigateway-endpoint-configuration": {"disableExecuteApiEndpoint": "true"}},
     "disableExecuteApiEndpoint in the OpenAPI body is not a literal boolean"),
    ({"x-amazon-apigateway-endpoint-configuration": ["x"]},
     "x-amazon-apigateway-endpoint-configuration in the OpenAPI body is not a mapping"),
    ("{ not: json: nor: yaml", "the OpenAPI body is neither JSON nor YAML within the reader's limits"),
    ("[" * 5000 + "]" * 5000, "the OpenAPI body is neither JSON nor YAML within the reader's limits"),
    ("[" * 1200, "the OpenAPI body is neither JSON nor YAML within the reader's limits"),
    ("a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8)),
     "the OpenAPI body is neither JSON nor YAML within the reader's limits"),  # an alias bomb
])
def test_what_cannot_be_told_is_unknown_and_never_quoted(body, reason):
    start = time.monotonic()
    assert execute_api_disabled_in_body(body, WHERE) == Unknown(reason, WHERE)
    assert time.monotonic() - start < 5
