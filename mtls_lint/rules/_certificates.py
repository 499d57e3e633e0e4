"""Questions the certificate-content rules (MTLS2xx, MTLS4xx, MTLS501) ask of the model.

Everything here reads the neutral model only (``PemBundle``, ``PemCertificate``,
``Certificate`` dates and status), so a rule works for any reader that fills those fields.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from mtls_lint.model import Certificate, CustomDomain, Model, PemBundle, PemCertificate
from mtls_lint.rules.base import Context, Related, related

# Which of a domain's certificates, and the domain field that names it.
ROLES = (("server", "certificate"), ("ownership verification", "ownership_certificate"))


def domain_certificates(model: Model) -> Iterator[tuple[CustomDomain, Certificate, str, str]]:
    """(domain, certificate, role, field) for every custom domain's server and ownership certificate."""
    for domain in model.domains:
        for role, field_name in ROLES:
            cert = model.certificate(getattr(domain, field_name), domain)
            if isinstance(cert, Certificate):
                yield domain, cert, role, field_name


def standalone_imports(model: Model) -> Iterator[Certificate]:
    """Certificates with a PEM body that no domain uses: an import that fails fails on its own."""
    used = {id(cert) for _, cert, _, _ in domain_certificates(model)}
    return (cert for cert in model.certificates if cert.body is not None and id(cert) not in used)


def leaf(cert: Certificate) -> PemCertificate | None:
    """The first certificate of an imported certificate's body."""
    if cert.body is None or not cert.body.certificates:
        return None
    return cert.body.certificates[0]


def validity(cert: Certificate) -> tuple[dt.datetime | None, dt.datetime | None]:
    """NotBefore and NotAfter: the inventory's or the declaration's, else the PEM body's."""
    body = leaf(cert)
    not_before = cert.not_before or (body.not_before if body else None)
    not_after = cert.not_after or (body.not_after if body else None)
    return not_before, not_after


def now(ctx: Context) -> dt.datetime:
    """``--now`` as an aware UTC instant (a naive value is read as UTC)."""
    value = ctx.now
    return value.replace(tzinfo=dt.timezone.utc) if value.tzinfo is None else value


def horizon(ctx: Context) -> dt.datetime:
    return now(ctx) + dt.timedelta(days=ctx.expiry_days)


def day(value: dt.datetime) -> str:
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%d")


def certificate_related(cert: Certificate, message: str, *, at: str | None = None) -> list[Related]:
    """The certificate as a related location, unless it is known only by an ARN written on the domain."""
    if cert.origin == "arn":
        return []
    return [related(cert, message, at=at)]


def truststores(model: Model) -> Iterator[tuple[CustomDomain, PemBundle]]:
    """Every domain asking for mTLS whose truststore content is available."""
    for domain in model.domains:
        truststore = domain.truststore
        if domain.asks_for_mtls and truststore is not None and truststore.content is not None:
            yield domain, truststore.content


def truststore_related(bundle: PemBundle) -> list[Related]:
    return [Related(bundle.location, None, f"the truststore file {bundle.location.path}")]

