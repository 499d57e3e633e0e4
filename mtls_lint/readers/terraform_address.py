"""Terraform addresses: formatting instance keys and splitting absolute addresses.

Both readers name records by absolute address (``module.edge["eu"].aws_acm_certificate.this[0]``),
and link joins ``ResourceRef`` names to record names by string equality, so the format must
be exactly Terraform's: ``[0]`` for count, ``["key"]`` for for_each.
"""
from __future__ import annotations

import json
import re
from typing import NamedTuple

# An instance whose count or for_each is not known before apply (one record stands for all).
UNKNOWN_KEY = object()

_SEGMENT = re.compile(r'\.?([A-Za-z_][A-Za-z0-9_-]*)((?:\[(?:\d+|"(?:[^"\\]|\\.)*"|\*)\])?)')


def key_suffix(key: object) -> str:
    if key is None:
        return ""
    if key is UNKNOWN_KEY:
        return "[*]"
    if isinstance(key, int) and not isinstance(key, bool):
        return f"[{key}]"
    return f"[{json.dumps(str(key), ensure_ascii=False)}]"


class Address(NamedTuple):
    module: str  # "" for the root, else "module.a.module.b[0]"
    mode: str  # "managed" | "data"
    type: str
    name: str
    key: str  # the instance suffix as written: "", "[0]", '["k"]'

    @property
    def resource(self) -> str:
        """The address without the instance key (what configuration references name)."""
        local = f"{self.type}.{self.name}" if self.mode == "managed" else f"data.{self.type}.{self.name}"
        return f"{self.module}.{local}" if self.module else local


def parse_address(address: str) -> Address | None:
    """Split an absolute resource address; None when it is not one."""
    segments = [(m.group(1), m.group(2)) for m in _SEGMENT.finditer(address)]
    if "".join(("." if i else "") + n + k for i, (n, k) in enumerate(segments)) != address:
        return None
    module: list[str] = []
    i = 0
    while i + 1 < len(segments) and segments[i][0] == "module" and not segments[i][1]:
        name, key = segments[i + 1]
        module.append(f"module.{name}{key}")
        i += 2
    rest = segments[i:]
    mode = "managed"
    if rest and rest[0] == ("data", ""):
        mode, rest = "data", rest[1:]
    if len(rest) != 2 or rest[0][1]:
        return None
    return Address(".".join(module), mode, rest[0][0], rest[1][0], rest[1][1])


def parent_module(module: str) -> str:
    """``module.a.module.b[0]`` -> ``module.a``."""
    parts = split_module(module)
    return ".".join(parts[:-1])


def split_module(module: str) -> list[str]:
    """``module.a.module.b[0]`` -> ``["module.a", "module.b[0]"]`` (keys may hold dots)."""
    if not module:
        return []
    parts = [m.group(0).lstrip(".") for m in _SEGMENT.finditer(module)]
    return [f"{parts[i]}.{parts[i + 1]}" for i in range(0, len(parts) - 1, 2)]


def call_name(segment: str) -> str:
    """``module.b[0]`` -> ``b``."""
    return segment[len("module."):].split("[", 1)[0]
