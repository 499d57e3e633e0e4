"""Small questions many rules ask of the model."""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from mtls_lint.model import AMAZON, Certificate, CustomDomain, Model, Unknown


def mtls_domains(model: Model) -> Iterator[CustomDomain]:
    """Custom domains with a truststore on a kind of domain that supports mTLS."""
    return (domain for domain in model.domains if domain.is_mtls)


def server_certificate(model: Model, domain: CustomDomain) -> Certificate | None:
    """The domain's server certificate when it is known, else None (rules stay silent on unknowns)."""
    cert = model.certificate(domain.certificate, domain)
    return cert if isinstance(cert, Certificate) else None


def ownership_certificate(model: Model, domain: CustomDomain) -> Certificate | None:
    cert = model.certificate(domain.ownership_certificate, domain)
    return cert if isinstance(cert, Certificate) else None


def known_names(cert: Certificate | None) -> tuple[str, ...]:
    if cert is None or isinstance(cert.names, Unknown):
        return ()
    return cert.names


def known_issuer(cert: Certificate | None) -> str | None:
    if cert is None or not isinstance(cert.issuer, str):
        return None
    return cert.issuer


def region_group(model: Model, domain: CustomDomain) -> tuple[str, str]:
    """Domains that certainly deploy to one region: the same known region, or the same source.

    A template or module whose region is unknown still deploys all its domains to one
    region; two sources of unknown region may not share one, and a rule never guesses.
    """
    region = model.region_of(domain)
    return ("region", region) if region else ("source", domain.source)


def region_text(region: str | None) -> str:
    return f"in {region}" if region else "in the same region"


_DN_NAME = re.compile(r"(?:^|,)\s*(?:CN|O)=((?:\\.|[^,])*)")


def issuer_identities(issuers: Iterable[str]) -> dict[str, str]:
    """One identity per issuer, so one CA seen two ways counts once.

    ACM's DescribeCertificate gives an imported certificate's issuer as a bare name
    ("Example Corp"), while the PEM gives the full DN ("CN=Corp Issuing CA,O=Example Corp").
    A bare name equal to the CN or O of exactly one DN of the run is taken as that DN.
    """
    issuers = set(issuers)
    by_name: dict[str, set[str]] = {}
    for issuer in issuers:
        for name in _DN_NAME.findall(issuer):
            by_name.setdefault(name.replace("\\", "").strip().lower(), set()).add(issuer)
    identities = {}
    for issuer in issuers:
        matches = by_name.get(issuer.strip().lower(), set()) if "=" not in issuer and issuer != AMAZON else set()
        identities[issuer] = next(iter(matches)) if len(matches) == 1 else issuer
    return identities
