"""CloudFormation intrinsic functions, resolved as far as is knowable before deployment.

Resolution yields plain values, a ``ResourceRef`` for ``Ref``/``Fn::GetAtt`` of a resource,
``Parts`` for a string only partly known (``s3://<bucket ref>/truststore.pem``), ``NO_VALUE``
for ``AWS::NoValue``, or ``Unknown`` with the reason. ``Fn::If`` is decided from the
assumptions a caller passes; an undecided condition is recorded in ``undecided`` so the
caller can resolve again once for each branch.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from mtls_lint.model import Location, ResourceRef, Unknown
from mtls_lint.readers.structured import location_of

NO_VALUE = object()  # AWS::NoValue: the property is removed
MAX_RESOLVE_DEPTH = 40


@dataclass(frozen=True, slots=True)
class Parts:
    """A string with parts unknown before deployment, kept in order so its shape can still be read."""

    items: tuple[object, ...]  # str, ResourceRef or Unknown

    def describe(self) -> str:
        return "".join(p if isinstance(p, str) else "${" + _name_of(p) + "}" for p in self.items)


def _bucket_name(resource: object) -> str | None:
    """``Ref`` to a bucket with a literal ``BucketName`` is that name, known before deployment."""
    if isinstance(resource, dict) and resource.get("Type") == "AWS::S3::Bucket":
        props = resource.get("Properties")
        name = props.get("BucketName") if isinstance(props, dict) else None
        return name if isinstance(name, str) else None
    return None


def _name_of(part: object) -> str:
    if isinstance(part, ResourceRef):
        return part.name + (f".{part.attribute}" if part.attribute else "")
    return "?"


@dataclass(slots=True)
class TemplateScope:
    """What intrinsic functions in one template can see."""

    source: str  # the template's id (display path)
    path: str
    parameters: Mapping[str, object]
    resources: Mapping[str, object]
    mappings: Mapping[str, object]
    pseudo: Mapping[str, object]
    # Export name -> its value, resolved in the exporting template (set by the reader for the whole run).
    import_export: Callable[[str, Location], object] | None = None


@dataclass(slots=True)
class Resolver:
    scope: TemplateScope
    assumptions: Mapping[str, bool] = field(default_factory=dict)
    undecided: list[str] = field(default_factory=list)

    def resolve(self, value: object, where: Location, depth: int = 0) -> object:
        """Resolve one property value. ``where`` is the position reported when it stays unknown."""
        if depth > MAX_RESOLVE_DEPTH:
            return Unknown("intrinsic functions nested too deeply", where)
        where = location_of(value, where)
        if isinstance(value, dict):
            if len(value) == 1:
                (name, arg), = value.items()
                handler = _HANDLERS.get(name)
                if handler is not None:
                    return handler(self, arg, where, depth + 1)
            return value
        return value

    def text(self, value: object, where: Location, depth: int = 0) -> object:
        """Resolve a value used as a string: a str, Parts, or Unknown."""
        resolved = self.resolve(value, where, depth)
        if resolved is NO_VALUE:
            return resolved
        if isinstance(resolved, bool):
            return "true" if resolved else "false"
        if isinstance(resolved, (int, float)):
            return str(resolved)
        if isinstance(resolved, (str, Parts, Unknown)):
            return resolved
        if isinstance(resolved, ResourceRef):
            return Parts((resolved,))
        return Unknown("not a string value", where)

    # -- intrinsic functions ------------------------------------------------------------

    def ref(self, name: object, where: Location, depth: int) -> object:
        if not isinstance(name, str):
            return Unknown("Ref to a non-string name", where)
        if name in self.scope.pseudo:
            value = self.scope.pseudo[name]
            return Unknown(value.reason, where) if isinstance(value, Unknown) else value
        if name == "AWS::NoValue":
            return NO_VALUE
        if name.startswith("AWS::"):
            return Unknown(f"pseudo parameter {name} is known only at deployment", where)
        params = self.scope.parameters
        if name in params:
            spec = params[name]
            kind = spec.get("Type") if isinstance(spec, dict) else None
            if isinstance(kind, str) and kind.startswith("AWS::SSM::Parameter::Value"):
                # The default is the parameter's name in SSM, not its value.
                return Unknown(f"parameter {name} is read from SSM Parameter Store at deployment", where)
            if isinstance(spec, dict) and "Default" in spec:
                default = spec["Default"]
                kind = spec.get("Type", "String")
                if isinstance(kind, str) and "List" in kind and isinstance(default, str):
                    return [item.strip() for item in default.split(",")]
                return default
            return Unknown(f"parameter {name} has no default", where)
        if name in self.scope.resources:
            return _bucket_name(self.scope.resources[name]) or ResourceRef(self.scope.source, name)
        return Unknown(f"Ref to {name}, which is neither a parameter nor a resource", where)

    def get_att(self, arg: object, where: Location, depth: int) -> object:
        if isinstance(arg, str):
            arg = arg.split(".", 1)
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("malformed Fn::GetAtt", where)
        resource = self.resolve(arg[0], where, depth)
        attribute = self.resolve(arg[1], where, depth)
        if isinstance(resource, str) and isinstance(attribute, str) and resource in self.scope.resources:
            return ResourceRef(self.scope.source, resource, attribute)
        return Unknown(f"Fn::GetAtt of {resource!r} cannot be followed", where)

    def sub(self, arg: object, where: Location, depth: int) -> object:
        variables: Mapping[str, object] = {}
        if isinstance(arg, list) and len(arg) == 2 and isinstance(arg[1], dict):
            arg, variables = arg[0], arg[1]
        if not isinstance(arg, str):
            return Unknown("malformed Fn::Sub", where)
        items: list[object] = []
        for literal, expression in _split_sub(arg):
            if literal:
                items.append(literal)
            if expression is None:
                continue
            if expression in variables:
                items.append(self.text(variables[expression], where, depth))
            elif "." in expression and not expression.startswith("AWS::"):
                resource, _, attribute = expression.partition(".")
                items.append(self.text({"Fn::GetAtt": [resource, attribute]}, where, depth))
            else:
                items.append(self.text({"Ref": expression}, where, depth))
        return _concat(items)

    def join(self, arg: object, where: Location, depth: int) -> object:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("malformed Fn::Join", where)
        delimiter = self.resolve(arg[0], where, depth)
        values = self.resolve(arg[1], where, depth)
        if not isinstance(delimiter, str):
            return Unknown("Fn::Join delimiter unknown", where)
        if not isinstance(values, list):
            return values if isinstance(values, Unknown) else Unknown("Fn::Join of a non-list", where)
        items: list[object] = []
        for index, item in enumerate(values):
            if index and delimiter:
                items.append(delimiter)
            items.append(self.text(item, where, depth))
        return _concat(items)

    def if_(self, arg: object, where: Location, depth: int) -> object:
        if not isinstance(arg, list) or len(arg) != 3 or not isinstance(arg[0], str):
            return Unknown("malformed Fn::If", where)
        condition = arg[0]
        if condition not in self.assumptions:
            if condition not in self.undecided:
                self.undecided.append(condition)
            return Unknown(f"depends on condition {condition}", where)
        return self.resolve(arg[1] if self.assumptions[condition] else arg[2], where, depth)

    def import_value(self, arg: object, where: Location, depth: int) -> object:
        name = self.text(arg, where, depth)
        if not isinstance(name, str):
            return Unknown("Fn::ImportValue of a name unknown before deployment", where)
        if self.scope.import_export is None:
            return Unknown(f"Fn::ImportValue {name}: no export of that name among the inputs", where)
        return self.scope.import_export(name, where)

    def select(self, arg: object, where: Location, depth: int) -> object:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("malformed Fn::Select", where)
        index = self.resolve(arg[0], where, depth)
        values = self.resolve(arg[1], where, depth)
        try:
            position = int(index)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            return Unknown("Fn::Select index unknown", where)
        if isinstance(values, list) and 0 <= position < len(values):
            return self.resolve(values[position], where, depth)
        return values if isinstance(values, Unknown) else Unknown("Fn::Select out of range", where)

    def split(self, arg: object, where: Location, depth: int) -> object:
        if not isinstance(arg, list) or len(arg) != 2:
            return Unknown("malformed Fn::Split", where)
        delimiter = self.resolve(arg[0], where, depth)
        value = self.text(arg[1], where, depth)
        if isinstance(delimiter, str) and delimiter and isinstance(value, str):
            return value.split(delimiter)
        return Unknown("Fn::Split of a value unknown before deployment", where)

    def find_in_map(self, arg: object, where: Location, depth: int) -> object:
        if not isinstance(arg, list) or len(arg) < 3:
            return Unknown("malformed Fn::FindInMap", where)
        keys = [self.resolve(item, where, depth) for item in arg[:3]]
        node: object = self.scope.mappings
        for key in keys:
            if not isinstance(key, str) or not isinstance(node, dict) or key not in node:
                return Unknown("Fn::FindInMap key unknown before deployment", where)
            node = node[key]
        return self.resolve(node, where, depth)

    def unknowable(self, arg: object, where: Location, depth: int) -> object:
        return Unknown("value computed at deployment", where)


_HANDLERS: dict[str, Callable[[Resolver, object, Location, int], object]] = {
    "Ref": Resolver.ref,
    "Fn::GetAtt": Resolver.get_att,
    "Fn::Sub": Resolver.sub,
    "Fn::Join": Resolver.join,
    "Fn::If": Resolver.if_,
    "Fn::ImportValue": Resolver.import_value,
    "Fn::Select": Resolver.select,
    "Fn::Split": Resolver.split,
    "Fn::FindInMap": Resolver.find_in_map,
    "Fn::Base64": Resolver.unknowable,
    "Fn::GetAZs": Resolver.unknowable,
    "Fn::Cidr": Resolver.unknowable,
    "Fn::ToJsonString": Resolver.unknowable,
    "Fn::Length": Resolver.unknowable,
    "Fn::Transform": Resolver.unknowable,
}

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")


def _split_sub(text: str) -> list[tuple[str, str | None]]:
    """``a${X}b${!Y}`` -> [("a", "X"), ("b${Y}", None)]: ``${!Y}`` is the literal ``${Y}``."""
    out: list[tuple[str, str | None]] = []
    literal = ""
    position = 0
    for match in _SUB_VARIABLE.finditer(text):
        literal += text[position : match.start()]
        position = match.end()
        expression = match.group(1).strip()
        if expression.startswith("!"):
            literal += "${" + expression[1:] + "}"
            continue
        out.append((literal, expression))
        literal = ""
    literal += text[position:]
    out.append((literal, None))
    return out


def _concat(items: list[object]) -> object:
    """Join resolved pieces: a plain string when all are known, else Parts (or the Unknown)."""
    flat: list[object] = []
    for item in items:
        if isinstance(item, Parts):
            flat.extend(item.items)
        else:
            flat.append(item)
    if all(isinstance(item, str) for item in flat):
        return "".join(flat)  # type: ignore[arg-type]
    merged: list[object] = []
    for item in flat:
        if isinstance(item, str) and merged and isinstance(merged[-1], str):
            merged[-1] += item
        elif item != "":
            merged.append(item)
    return Parts(tuple(merged))
