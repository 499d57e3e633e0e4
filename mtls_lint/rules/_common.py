"""Small questions many rules ask of the model."""
from __future__ import annotations

from collections.abc import Iterator

from mtls_lint.model import Certificate, CustomDomain, Model, Unknown


def mtls_domains(model: Model) -> Iterator[CustomDomain]:
    """Custom domains with a truststore on a kind of domain that supports mTLS."""
    return (domain for domain in model.domains if domain.is_mtls)


def server_certificate(model: Model, domain: CustomDomain) -> Certificate | None:
    """The domain's server certificate when it is known, else None (rules stay silent on unknowns)."""
    cert = model.certificate(domain.certificate)
    return cert if isinstance(cert, Certificate) else None


def ownership_certificate(model: Model, domain: CustomDomain) -> Certificate | None:
    cert = model.certificate(domain.ownership_certificate)
    return cert if isinstance(cert, Certificate) else None


def known_names(cert: Certificate | None) -> tuple[str, ...]:
    if cert is None or isinstance(cert.names, Unknown):
        return ()
    return cert.names


def known_issuer(cert: Certificate | None) -> str | None:
    if cert is None or not isinstance(cert.issuer, str):
        return None
    return cert.issuer


def region_text(region: str | None) -> str:
    return f"in {region}" if region else "in the same region"
