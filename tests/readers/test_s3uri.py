"""mtls_lint.readers.s3uri: the truststore URI form API Gateway accepts."""
from __future__ import annotations

import pytest

from mtls_lint.readers.s3uri import parse_s3_uri


@pytest.mark.parametrize(("uri", "expected"), [
    ("s3://corp-truststores/api/truststore.pem", ("corp-truststores", "api/truststore.pem")),
    ("s3://b.with.dots/k", ("b.with.dots", "k")),
    ("s3://Legacy_Bucket/a b.pem", ("Legacy_Bucket", "a b.pem")),
    ("s3://bucket/dir/", ("bucket", "dir/")),
])
def test_valid(uri, expected):
    assert parse_s3_uri(uri) == expected


@pytest.mark.parametrize("uri", [
    "", "s3://", "s3://bucket", "s3://bucket/", "s3:///key", "S3://bucket/key", "s3:/bucket/key",
    "https://bucket.s3.amazonaws.com/key", "arn:aws:s3:::bucket/key", "s3://-bucket/key", "s3://bu cket/key",
    "s3://bucket/key\nmore", None, 42,
])
def test_invalid(uri):
    assert parse_s3_uri(uri) is None
