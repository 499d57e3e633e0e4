"""Small model builders for rule tests: records with fixed locations, linked the way a run links them."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from mtls_lint.link import link_model
from mtls_lint.model import (
    REST, Certificate, CustomDomain, Fragment, Location, Model, PemBundle, PrivateKeyInfo, Truststore,
)
from mtls_lint.rules.base import Context

REPO = Path(__file__).resolve().parents[1]
PEM = REPO / "fixtures" / "pem"
NOW = dt.datetime(2026, 12, 4, tzinfo=dt.timezone.utc)
TEMPLATE = "stacks/api.yaml"
TRUSTSTORE_URI = "s3://corp-truststores/api/truststore.pem"


def context(now: dt.datetime = NOW, expiry_days: int = 30) -> Context:
    return Context(now=now, expiry_days=expiry_days)


def certificate(resource: str = "ApiCert", *, line: int = 20, path: str = TEMPLATE, **fields: Any) -> Certificate:
    fields.setdefault("source", path)
    fields.setdefault("field_locations", {"body": Location(path, line + 2, 7), "chain": Location(path, line + 3, 7),
                                          "private_key": Location(path, line + 4, 7)})
    return Certificate(resource=resource, location=Location(path, line, 3), **fields)


def domain(resource: str = "ApiDomain", *, line: int = 5, path: str = TEMPLATE, truststore: PemBundle | None = None,
           mtls: bool = True, **fields: Any) -> CustomDomain:
    """A regional REST domain; ``truststore`` is its truststore's content."""
    fields.setdefault("source", path)
    fields.setdefault("kind", REST)
    fields.setdefault("endpoint_type", "REGIONAL")
    fields.setdefault("domain_name", "api.example.com")
    fields.setdefault("field_locations", {
        "certificate": Location(path, line + 1, 7), "ownership_certificate": Location(path, line + 2, 7),
        "truststore_uri": Location(path, line + 3, 9)})
    if mtls:
        fields.setdefault("truststore", Truststore(location=Location(path, line + 3, 9), uri=TRUSTSTORE_URI,
                                                   bucket="corp-truststores", key="api/truststore.pem",
                                                   content=truststore))
    return CustomDomain(resource=resource, location=Location(path, line, 3), **fields)


def model(*records: Certificate | CustomDomain, covered: set[tuple[str, str]] | None = None) -> Model:
    fragment = Fragment(certificates=[r for r in records if isinstance(r, Certificate)],
                        domains=[r for r in records if isinstance(r, CustomDomain)], covered=covered or set())
    return link_model(fragment)


def pem(name: str) -> PemBundle:
    """A checked-in PEM fixture, located where a run would show it."""
    from mtls_lint import x509

    return x509.load_pem_bundle((PEM / name).read_bytes(), Location(f"fixtures/pem/{name}", 1, 1))


def pem_bytes(data: bytes, path: str = "certs/truststore.pem") -> PemBundle:
    from mtls_lint import x509

    return x509.load_pem_bundle(data, Location(path, 1, 1))


def key(name: str, *, committed: bool = False) -> PrivateKeyInfo:
    from mtls_lint import x509

    return x509.read_private_key((PEM / name).read_bytes(), Location(f"fixtures/pem/{name}", 1, 1),
                                 committed=committed)
