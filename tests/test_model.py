"""Name overlap and coverage, the definitions every subject rule relies on (rules.md, Terms)."""
from __future__ import annotations

import pytest

from mtls_lint.model import REST, REST_PRIVATE, CustomDomain, Location, Truststore, Unknown, covers, overlap

LOC = Location("t.yaml", 1, 1)


@pytest.mark.parametrize(("a", "b", "expected"), [
    ("api.example.com", "api.example.com", True),
    ("*.example.com", "api.example.com", True),
    ("api.example.com", "*.example.com", True),
    ("*.example.com", "*.example.com", True),
    ("*.example.com", "a.b.example.com", False),  # one label only
    ("*.example.com", "example.com", False),
    ("*.a.example.com", "*.example.com", False),
    ("api.example.com", "www.example.com", False),
])
def test_overlap(a: str, b: str, expected: bool) -> None:
    assert overlap(a, b) is expected


@pytest.mark.parametrize(("certificate_name", "domain", "expected"), [
    ("api.example.com", "api.example.com", True),
    ("*.example.com", "api.example.com", True),
    ("*.example.com", "example.com", False),
    ("*.example.com", "a.b.example.com", False),
    ("api.example.com", "*.example.com", False),
])
def test_covers(certificate_name: str, domain: str, expected: bool) -> None:
    assert covers(certificate_name, domain) is expected


def _domain(**changes: object) -> CustomDomain:
    return CustomDomain(resource="D", location=LOC, source="t.yaml", **changes)  # type: ignore[arg-type]


def test_mtls_needs_a_truststore_uri_and_a_supporting_domain_kind() -> None:
    truststore = Truststore(location=LOC, uri="s3://b/k", bucket="b", key="k")
    assert _domain(truststore=truststore).is_mtls
    assert not _domain().is_mtls
    assert not _domain(truststore=Truststore(location=LOC, uri="")).asks_for_mtls
    unknown = Truststore(location=LOC, uri=Unknown("parameter X has no default"))
    assert _domain(truststore=unknown).is_mtls
    private = _domain(kind=REST_PRIVATE, truststore=truststore)
    assert private.asks_for_mtls and not private.is_mtls
    assert _domain(kind=REST).where("certificate") == LOC
