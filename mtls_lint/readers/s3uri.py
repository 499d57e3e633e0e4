"""Parsing truststore URIs of the form ``s3://bucket/key`` (shared by every reader).

API Gateway takes exactly this form (``truststoreUri``: "for example
s3://bucket-name/key-name"); an ``https://`` object URL, an ARN or a bucket
without a key is not accepted, and MTLS306 reports it. The bucket check is
deliberately lenient (legacy us-east-1 buckets may hold upper case and
underscores): it rejects only what can never be a bucket name.
"""
from __future__ import annotations

import re

_BUCKET = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,254}")


def parse_s3_uri(uri: str) -> tuple[str, str] | None:
    """``(bucket, key)`` for ``s3://bucket/key``; None for anything else (never raises)."""
    if not isinstance(uri, str) or not uri.startswith("s3://"):
        return None
    bucket, slash, key = uri[len("s3://"):].partition("/")
    if not slash or not key or not _BUCKET.fullmatch(bucket):
        return None
    if any(ch in key for ch in "\r\n\t\0"):
        return None
    return bucket, key
