"""Bytes to text, offsets to positions, JSON exports and timestamps: the same way for every reader."""
from __future__ import annotations

import bisect
import datetime as dt
import json
import re
from typing import Any, NamedTuple

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


class JsonProblem(NamedTuple):
    """Why a JSON file cannot be read, for an MTLS001 finding; reads after "is" (``x.json is ...``)."""

    message: str
    location: Location


_LONG_NUMBER = re.compile(r"\d{4301,}")


def load_json_bytes(data: bytes, path: str) -> tuple[str, Any] | JsonProblem:
    """A JSON export's text (UTF-8, UTF-16 with a BOM) and value; or what is wrong with it, and where.

    Shared by the inventory and plan readers. Every failure of ``json.loads`` is a problem with a
    position, including those it reports as plain ValueError (an integer of more than 4,300 digits).
    """
    text = decode_text(data)
    if text is None:
        return _undecodable(data, path)
    try:
        return text, json.loads(text)
    except json.JSONDecodeError as error:
        return JsonProblem(f"not valid JSON: {error.msg}", Location(path, error.lineno, error.colno))
    except RecursionError:
        return JsonProblem("nested too deeply to be read", Location(path))
    except ValueError:
        number = _LONG_NUMBER.search(text)
        where = LineIndex(text, path).location(number.start()) if number else Location(path)
        return JsonProblem("not readable: a number has more than 4300 digits", where)


def _undecodable(data: bytes, path: str) -> JsonProblem:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return JsonProblem("not valid UTF-16 text", Location(path, 1, 1))
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    try:
        body.decode("utf-8")
    except UnicodeDecodeError as error:
        before = body[:error.start].decode("utf-8")
        return JsonProblem("not valid UTF-8 text", LineIndex(before, path).location(len(before)))
    return JsonProblem("not valid UTF-8 text", Location(path, 1, 1))  # pragma: no cover - decode_text agreed


def parse_timestamp(value: Any) -> dt.datetime | None:
    """Epoch seconds (the AWS CLI's default rendering) or ISO-8601 text, as an aware UTC datetime."""
    if isinstance(value, bool):
        return None
    try:
        if isinstance(value, (int, float)):
            return dt.datetime.fromtimestamp(value, dt.timezone.utc)
        if isinstance(value, str):
            text = value.strip()
            try:
                return dt.datetime.fromtimestamp(float(text), dt.timezone.utc)
            except ValueError:
                pass
            if text.endswith(("Z", "z")):
                text = text[:-1] + "+00:00"  # Python 3.10's fromisoformat does not take "Z"
            parsed = dt.datetime.fromisoformat(text)
            return parsed.replace(tzinfo=dt.timezone.utc) if parsed.tzinfo is None else parsed.astimezone(
                dt.timezone.utc)
    except (ValueError, OverflowError, OSError):
        return None
    return None
