"""Reading resource properties through the intrinsic resolver, with positions."""
from __future__ import annotations

from dataclasses import dataclass, replace

from mtls_lint.model import Location, Record, ResourceRef, Truststore, Unknown
from mtls_lint.readers.cfn_intrinsics import NO_VALUE, Parts, Resolver
from mtls_lint.readers.s3uri import parse_s3_uri
from mtls_lint.readers.structured import LocDict, LocList, location_of


@dataclass(slots=True)
class Properties:
    """One mapping of properties, read through a resolver. Absent and ``AWS::NoValue`` read as None."""

    mapping: dict  # type: ignore[type-arg]
    resolver: Resolver
    fallback: Location

    def loc(self, key: str) -> Location:
        if isinstance(self.mapping, LocDict) and key in self.mapping.key_locs:
            return self.mapping.key_locs[key]
        return self.fallback

    def has(self, key: str) -> bool:
        return key in self.mapping and self.get(key) is not None

    def get(self, key: str) -> object:
        if key not in self.mapping:
            return None
        value = self.resolver.resolve(self.mapping[key], self.loc(key))
        return None if value is NO_VALUE else value

    def text(self, key: str) -> str | Unknown | None:
        """A string property: the string, None when absent, Unknown when not knowable now."""
        if key not in self.mapping:
            return None
        value = self.resolver.text(self.mapping[key], self.loc(key))
        if value is NO_VALUE or value == "":  # an empty string sets nothing, as in Terraform and the API
            return None
        return as_text(value, self.loc(key))

    def reference(self, key: str) -> str | ResourceRef | Unknown | None:
        """A property naming another resource: an ARN or name string, a ResourceRef, or Unknown."""
        value = self.get(key)
        if value == "":
            return None
        if value is None or isinstance(value, (str, ResourceRef, Unknown)):
            return value
        if isinstance(value, Parts) and len(value.items) == 1 and isinstance(value.items[0], ResourceRef):
            return value.items[0]
        return as_text(value, self.loc(key))

    def flag(self, key: str) -> bool | Unknown | None:
        value = self.get(key)
        if value is None or isinstance(value, (bool, Unknown)):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return Unknown(f"{key} is not a boolean", self.loc(key))

    def child(self, key: str) -> Properties | None:
        value = self.get(key)
        if isinstance(value, dict):
            return Properties(value, self.resolver, self.loc(key))
        return None

    def items(self, key: str) -> list[tuple[object, Location]] | Unknown | None:
        """A list property's items, each with its position; Unknown when the list itself is unresolved."""
        value = self.get(key)
        if value is None or isinstance(value, Unknown):
            return value
        if not isinstance(value, list):
            return Unknown(f"{key} is not a list", self.loc(key))
        locs = value.item_locs if isinstance(value, LocList) else []
        out = []
        for index, item in enumerate(value):
            where = locs[index] if index < len(locs) else self.loc(key)
            resolved = self.resolver.resolve(item, where)
            if resolved is not NO_VALUE:
                out.append((resolved, location_of(item, where)))
        return out


def as_text(value: object, where: Location) -> str | Unknown:
    if isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        return value
    if isinstance(value, Parts):
        # An unresolvable parameter or import inside says more than the whole string does.
        inner = next((item for item in value.items if isinstance(item, Unknown)), None)
        return inner or Unknown(f"known only at deployment: {value.describe()}", where)
    if isinstance(value, ResourceRef):
        return Unknown(f"known only at deployment: {value.name}", where)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return Unknown("not a string value", where)


def read_truststore(mtls: Properties, where: Location, *, keep_falsy_version: bool = True) -> Truststore | None:
    """``MutualTlsAuthentication`` -> Truststore; None when no truststore URI is set at all."""
    if not mtls.has("TruststoreUri"):
        return None
    raw = mtls.resolver.text(mtls.mapping["TruststoreUri"], mtls.loc("TruststoreUri"))
    uri = as_text(raw, mtls.loc("TruststoreUri"))
    bucket: str | ResourceRef | Unknown | None = None
    key: str | Unknown | None = None
    if isinstance(uri, str):
        parsed = parse_s3_uri(uri)
        if parsed is not None:
            bucket, key = parsed
    elif isinstance(raw, Parts):
        bucket, key = _bucket_and_key(raw, mtls.loc("TruststoreUri"))
    version: str | Unknown | None = None
    raw_version = mtls.get("TruststoreVersion")
    if raw_version is not None and raw_version != "" and (keep_falsy_version or raw_version):
        version = as_text(mtls.resolver.text(raw_version, mtls.loc("TruststoreVersion")), mtls.loc("TruststoreVersion"))
    return Truststore(location=where, uri=uri, bucket=bucket, key=key, version=version)


def _bucket_and_key(parts: Parts, where: Location) -> tuple[ResourceRef | str | Unknown | None, str | Unknown | None]:
    """``s3://`` + <bucket reference> + ``/key``: the shape CDK and Fn::Sub produce."""
    items = list(parts.items)
    if not items or not isinstance(items[0], str) or not items[0].startswith("s3://"):
        return None, None
    head = items[0][len("s3://"):]
    if "/" in head:  # s3://literal-bucket/<key partly unknown>
        bucket = head.partition("/")[0]
        return bucket, Unknown(f"truststore key known only at deployment: {parts.describe()}", where)
    if head:  # s3://prefix-<unknown>-suffix/...: the bucket name itself is partly unknown
        return Unknown(f"truststore bucket known only at deployment: {parts.describe()}", where), None
    if len(items) >= 2 and isinstance(items[1], ResourceRef):
        bucket_ref = ResourceRef(items[1].source, items[1].name)
        tail = items[2:]
        if len(tail) == 1 and isinstance(tail[0], str) and tail[0].startswith("/"):
            return bucket_ref, tail[0][1:]
        return bucket_ref, Unknown(f"truststore key known only at deployment: {parts.describe()}", where)
    return Unknown(f"truststore bucket known only at deployment: {parts.describe()}", where), None


def with_resource_condition(records: list[Record], resource: dict) -> list[Record]:  # type: ignore[type-arg]
    """A resource with its own ``Condition`` exists only when that condition is true: say so."""
    condition = resource.get("Condition")
    if not isinstance(condition, str):
        return records
    return [replace(r, condition=_join(f"{condition} is true", r.condition)) for r in records]


def _join(first: str, second: str | None) -> str:
    return f"{first}, {second}" if second else first
