"""Bytes to text and offsets to positions, the same way for every reader."""
from __future__ import annotations

import bisect
import re

from mtls_lint.model import Location

_NEWLINE = re.compile("\n")


def decode_text(data: bytes) -> str | None:
    """UTF-8 (with or without a BOM) or UTF-16 with a BOM, as Windows tools write JSON; None otherwise."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


class LineIndex:
    """Offsets of one text turned into 1-based line and column, in O(log n) each."""

    def __init__(self, text: str, path: str) -> None:
        self.path = path
        self._starts = [0] + [match.end() for match in _NEWLINE.finditer(text)]

    def location(self, offset: int) -> Location:
        line = bisect.bisect_right(self._starts, offset) - 1
        return Location(self.path, line + 1, offset - self._starts[line] + 1)
