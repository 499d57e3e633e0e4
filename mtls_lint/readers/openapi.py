"""OpenAPI bodies: whether a definition turns off an API's default ``execute-api`` endpoint.

``x-amazon-apigateway-endpoint-configuration.disableExecuteApiEndpoint`` in a REST or HTTP API's
body (CloudFormation ``Body``, SAM ``DefinitionBody``, Terraform ``body``). The body may be a
mapping already, or JSON or YAML text; text is read with the shared structured loaders, so an
alias bomb or a body nested beyond their limits costs a bounded amount of work and gives Unknown.
Nothing of the body is ever quoted in a reason.
"""
from __future__ import annotations

from collections.abc import Mapping

from mtls_lint.model import Location, Unknown
from mtls_lint.readers.structured import DocumentError, load_document, load_json_plain

EXTENSION = "x-amazon-apigateway-endpoint-configuration"
FLAG = "disableExecuteApiEndpoint"


def execute_api_disabled_in_body(body: object, where: Location) -> bool | Unknown | None:
    """The body's ``disableExecuteApiEndpoint``: True/False, None when the body does not set it,
    Unknown when it cannot be told (an unknown value, a body that does not parse)."""
    if body is None or isinstance(body, Unknown):
        return body
    document = _parse(body, where) if isinstance(body, str) else body
    if isinstance(document, Unknown) or not isinstance(document, Mapping):
        return document if isinstance(document, Unknown) else None  # a list or a scalar is no OpenAPI body
    config = document.get(EXTENSION)
    if config is None or isinstance(config, Unknown):
        return config
    if not isinstance(config, Mapping):
        return Unknown(f"{EXTENSION} in the OpenAPI body is not a mapping", where)
    value = config.get(FLAG)
    if value is None or isinstance(value, (bool, Unknown)):
        return value
    return Unknown(f"{FLAG} in the OpenAPI body is not a literal boolean", where)


def _parse(text: str, where: Location) -> object:
    if not text.strip():
        return None
    try:
        return load_json_plain(text, where.path)
    except DocumentError:
        pass
    try:
        return load_document(text, where.path)
    except DocumentError:
        return Unknown("the OpenAPI body is neither JSON nor YAML within the reader's limits", where)
