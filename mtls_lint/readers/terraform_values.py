"""What both Terraform readers hand to the shared mapping: one resource instance and its values.

The HCL reader evaluates expressions and the plan reader reads ``after`` values, but they
produce the same ``TfResource`` so that one resource type is interpreted in one place
(``terraform_resources``). Attribute values are plain Python data (nested blocks are lists
of dicts) whose leaves may also be:

- ``Unknown``: not known before apply (plan ``after_unknown``, a variable without a value);
- ``ResourceRef``: a computed attribute of another resource (``aws_acm_certificate.x.arn``);
- ``Partial``: a template with some unknown pieces (``"s3://${aws_s3_bucket.b.id}/ts.pem"``);
- ``FileContent``: ``file(path)``, read only by the consumer that needs it (a PEM reader);
- ``Encoded``: ``jsonencode`` of a value with unknown leaves (an OpenAPI ``body``);
- ``Secret``: a sensitive value (a private key); its ``repr`` never shows it.

Attribute paths are dotted, with block indexes: ``mutual_tls_authentication.0.truststore_uri``.
"""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mtls_lint.model import Location, ResourceRef, Text, Unknown

KNOWN_AFTER_APPLY = "known after apply"


@dataclass(frozen=True, slots=True)
class Partial:
    """A string template whose pieces are not all known."""

    parts: tuple[str | Unknown | ResourceRef, ...]
    loc: Location | None = None


@dataclass(frozen=True, slots=True)
class FileContent:
    """The content of a file named in the configuration; the bytes are read only where needed."""

    path: Path
    loc: Location  # where the configuration names the file


@dataclass(frozen=True, slots=True)
class Encoded:
    """``jsonencode(value)`` where the value has unknown leaves: the structure is still useful."""

    format: str
    value: Any


class Secret:
    """A sensitive value. Only the private-key reader unwraps it; it never prints."""

    __slots__ = ("_value", "committed")

    def __init__(self, value: Any, *, committed: bool) -> None:
        self._value = value
        self.committed = committed  # written inline in a source file of the repository

    def reveal(self) -> Any:
        return self._value

    def __repr__(self) -> str:
        return "<sensitive>"

    __str__ = __repr__

    def __reduce__(self) -> Any:  # never pickled or copied out with its content
        raise TypeError("a sensitive value cannot be serialised")


@dataclass(frozen=True, slots=True, kw_only=True)
class TfResource:
    """One resource or data source instance, as either reader sees it."""

    source: str  # the root module directory or plan file: ResourceRef.source of everything in it
    address: str  # absolute: module.edge.aws_acm_certificate.this[0]
    mode: str  # "managed" | "data"
    type: str
    values: Mapping[str, Any]
    # Resources each attribute path refers to (absolute addresses), as Terraform's plan lists them.
    refs: Mapping[str, tuple[ResourceRef, ...]] = field(default_factory=dict)
    location: Location
    field_locations: Mapping[str, Location] = field(default_factory=dict)
    account: Text | None = None
    region: Text | None = None
    ignore: frozenset[str] = frozenset()
    condition: str | None = None
    base_dir: Path | None = None  # relative file paths (aws_s3_object.source) resolve here
    files_must_exist: bool = True  # a plan may be read far from the files it was made with

    def where(self, path: str) -> Location:
        return self.field_locations.get(path, self.location)

    def get(self, path: str) -> Any:
        """The value at a dotted path (``a.0.b``); None when absent."""
        value: Any = self.values
        for part in path.split("."):
            if isinstance(value, Mapping):
                value = value.get(part)
            elif isinstance(value, list) and part.isdigit():
                value = value[int(part)] if int(part) < len(value) else None
            else:
                return None
        return value

    def references(self, path: str) -> tuple[ResourceRef, ...]:
        """References of an attribute path and of everything below it."""
        direct = self.refs.get(path)
        if direct is not None:
            return direct
        prefix = path + "."
        found: list[ResourceRef] = []
        for key, refs in self.refs.items():
            if key.startswith(prefix):
                found.extend(refs)
        return tuple(found)


# Arguments whose text must never be kept in the clear, whichever reader saw them.
SENSITIVE_ARGUMENTS = frozenset({"private_key", "certificate_private_key"})


def protect(values: dict[str, Any], *, committed: bool) -> dict[str, Any]:
    """Wrap sensitive arguments written in the configuration (an inline or file() private key)."""
    for name in SENSITIVE_ARGUMENTS & values.keys():
        if isinstance(values[name], (str, FileContent)):
            values[name] = Secret(values[name], committed=committed)
    return values


def as_text(value: Any, where: Location | None) -> Text | None:
    """A string attribute for the model: known text, None when unset, else an explicit Unknown."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return as_unknown(value, where)


def as_optional_text(value: Any, where: Location | None) -> Text | None:
    """An optional string argument: providers store an unset one as "" in state."""
    return None if value == "" else as_text(value, where)


def as_unknown(value: Any, where: Location | None) -> Unknown:
    """Why a value is not usable as a plain value, without ever quoting the value itself."""
    if isinstance(value, Unknown):
        return value if value.location is not None or where is None else Unknown(value.reason, where)
    if isinstance(value, ResourceRef):
        attribute = f".{value.attribute}" if value.attribute else ""
        return Unknown(f"{value.name}{attribute} is {KNOWN_AFTER_APPLY}", where)
    if isinstance(value, Partial):
        unknown = next((p for p in value.parts if not isinstance(p, str)), None)
        inner = as_unknown(unknown, where) if unknown is not None else None
        return Unknown(f"partly {inner.reason}" if inner else "partly unknown", where)
    if isinstance(value, Secret):
        return Unknown("sensitive value", where)
    if isinstance(value, FileContent):
        return Unknown("file content", where)
    return Unknown(f"a {type(value).__name__} where a single value was expected", where)


def is_known(value: Any) -> bool:
    """True when a value holds no unknown piece anywhere."""
    if isinstance(value, (Unknown, ResourceRef, Partial, Encoded, Secret, FileContent)):
        return False
    if isinstance(value, Mapping):
        return all(is_known(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return all(is_known(v) for v in value)
    return True
