"""A small certificate factory for tests and fixtures (test-only; imports ``cryptography`` freely).

Every date is passed in: nothing here reads the clock, so a certificate made for
``--now 2026-12-04T00:00:00Z`` stays expired, expiring or valid forever.

    root = make_ca("Test Root CA", not_before=Y2020, not_after=Y2036)
    leaf = make_leaf("api.example.com", issuer=root, not_before=Y2026, not_after=Y2027)
    pem_bundle(root, leaf)
"""
from __future__ import annotations

import base64
import datetime as dt
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, field

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey

UTC = dt.timezone.utc
# Dates around the fixtures' "--now 2026-12-04T00:00:00Z".
NOW = dt.datetime(2026, 12, 4, tzinfo=UTC)
Y2015 = dt.datetime(2015, 1, 1, tzinfo=UTC)
Y2020 = dt.datetime(2020, 1, 1, tzinfo=UTC)
Y2025 = dt.datetime(2025, 6, 1, tzinfo=UTC)  # expired by NOW
Y2026 = dt.datetime(2026, 1, 1, tzinfo=UTC)
EXPIRING = dt.datetime(2026, 12, 20, tzinfo=UTC)  # 16 days after NOW: inside a 30-day horizon
Y2027 = dt.datetime(2027, 12, 1, tzinfo=UTC)
Y2036 = dt.datetime(2036, 1, 1, tzinfo=UTC)
FUTURE = dt.datetime(2027, 3, 1, tzinfo=UTC)  # not yet valid at NOW

# Marker written into the canary private key's PEM text (see ``canary_key_pem``).
CANARY_MARKER = "MTLSLINTxCANARYxPRIVATExKEYxDOxNOTxLEAKx"

_CURVES = {"P-256": ec.SECP256R1, "P-384": ec.SECP384R1, "P-521": ec.SECP521R1}
# DER of the signature AlgorithmIdentifier OIDs, for re-signing with hashes cryptography refuses.
_SHA256_WITH_RSA = bytes.fromhex("06092a864886f70d01010b")
_SHA1_WITH_RSA = bytes.fromhex("06092a864886f70d010105")


@dataclass(frozen=True)
class Issued:
    """A certificate and the private key of its subject."""

    certificate: x509.Certificate
    key: PrivateKey = field(repr=False)

    @property
    def pem(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.PEM)

    @property
    def der(self) -> bytes:
        return self.certificate.public_bytes(serialization.Encoding.DER)

    @property
    def key_pem(self) -> bytes:
        return key_pem(self.key)

    @property
    def subject(self) -> x509.Name:
        return self.certificate.subject


def rsa_key(bits: int = 2048) -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=bits)


def ec_key(curve: str = "P-256") -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(_CURVES[curve]())


def ed25519_key() -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.generate()


def key_pem(key: PrivateKey) -> bytes:
    """An unencrypted PKCS#8 PEM private key."""
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def encrypted_key_pem(key: PrivateKey, password: bytes = b"secret") -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.BestAvailableEncryption(password))


def name(common_name: str, organization: str | None = None) -> x509.Name:
    """``O=organization, CN=common_name`` in DER order, so RFC 4514 reads ``CN=...,O=...``."""
    attributes = [x509.NameAttribute(NameOID.COMMON_NAME, common_name)]
    if organization:
        attributes.insert(0, x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    return x509.Name(attributes)


def make_certificate(
    subject: str | x509.Name,
    *,
    not_before: dt.datetime,
    not_after: dt.datetime,
    issuer: Issued | None = None,
    key: PrivateKey | None = None,
    ca: bool | None = False,
    sans: Sequence[str] = (),
    hash_name: str = "sha256",
    serial: int = 1000,
    path_length: int | None = None,
    client: bool = False,
) -> Issued:
    """One certificate. ``issuer=None`` makes it self-signed; ``ca=None`` leaves out basicConstraints.

    ``hash_name="sha1"`` re-signs with SHA-1 (RSA signers only), which cryptography no longer signs with.
    """
    key = key if key is not None else rsa_key()
    subject_name = subject if isinstance(subject, x509.Name) else name(subject)
    signer = issuer.key if issuer is not None else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject_name)
        .issuer_name(issuer.subject if issuer is not None else subject_name)
        .public_key(key.public_key())
        .serial_number(serial)
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if ca is not None:
        builder = builder.add_extension(x509.BasicConstraints(ca=ca, path_length=path_length if ca else None),
                                        critical=True)
    if ca:
        builder = builder.add_extension(
            x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False), critical=True)
    elif ca is False:
        usage = ExtendedKeyUsageOID.CLIENT_AUTH if client else ExtendedKeyUsageOID.SERVER_AUTH
        builder = builder.add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
    if sans:
        builder = builder.add_extension(x509.SubjectAlternativeName([x509.DNSName(s) for s in sans]),
                                        critical=False)
    if issuer is not None:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()), critical=False)
    if isinstance(signer, ed25519.Ed25519PrivateKey):
        return Issued(builder.sign(signer, None), key)
    algorithm = {"sha384": hashes.SHA384(), "sha512": hashes.SHA512()}.get(hash_name, hashes.SHA256())
    certificate = builder.sign(signer, algorithm)
    if hash_name == "sha1":
        certificate = _resign_sha1(certificate, signer)
    return Issued(certificate, key)


def make_ca(common_name: str, *, not_before: dt.datetime, not_after: dt.datetime, issuer: Issued | None = None,
            key: PrivateKey | None = None, serial: int = 1, **options: object) -> Issued:
    return make_certificate(common_name, not_before=not_before, not_after=not_after, issuer=issuer, key=key,
                            ca=True, serial=serial, **options)  # type: ignore[arg-type]


def make_leaf(common_name: str, *, issuer: Issued, not_before: dt.datetime, not_after: dt.datetime,
              sans: Sequence[str] | None = None, key: PrivateKey | None = None, serial: int = 100,
              **options: object) -> Issued:
    """A server leaf whose SANs default to its common name (as a public CA would issue it)."""
    return make_certificate(common_name, issuer=issuer, not_before=not_before, not_after=not_after,
                            sans=[common_name] if sans is None else sans, key=key, serial=serial,
                            **options)  # type: ignore[arg-type]


def make_chain(length: int, *, not_before: dt.datetime, not_after: dt.datetime, prefix: str = "Test",
               key_factory: object = None) -> list[Issued]:
    """A root and ``length - 1`` intermediates, root first; each signs the next."""
    make_key = key_factory if callable(key_factory) else ec_key  # EC keys: fast to generate
    chain = [make_ca(f"{prefix} Root CA", not_before=not_before, not_after=not_after, key=make_key(), serial=1)]
    for depth in range(1, length):
        chain.append(make_ca(f"{prefix} Intermediate CA {depth}", issuer=chain[-1], not_before=not_before,
                             not_after=not_after, key=make_key(), serial=depth + 1))
    return chain


def pem_bundle(*issued: Issued, separator: bytes = b"") -> bytes:
    """Concatenated PEM certificates, as a truststore or an ACM chain is written."""
    return separator.join(item.pem for item in issued)


def _resign_sha1(certificate: x509.Certificate, signer: PrivateKey) -> x509.Certificate:
    """The same certificate signed with SHA-1: swap the algorithm OIDs and sign the new TBS."""
    if not isinstance(signer, rsa.RSAPrivateKey):
        raise ValueError("SHA-1 re-signing is implemented for RSA signers only")
    der = certificate.public_bytes(serialization.Encoding.DER)
    tbs = certificate.tbs_certificate_bytes.replace(_SHA256_WITH_RSA, _SHA1_WITH_RSA)
    signature = signer.sign(tbs, padding.PKCS1v15(), hashes.SHA1())  # same length: the modulus size
    der = der.replace(_SHA256_WITH_RSA, _SHA1_WITH_RSA).replace(certificate.signature, signature)
    return x509.load_der_x509_certificate(der)


def canary_key_pem(key: rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey) -> bytes:
    """A working PKCS#8 PEM key whose base64 text contains ``CANARY_MARKER``.

    The marker's bytes ride in a PKCS#8 attribute (an OCTET STRING under a private OID), padded so
    they start on a base64 boundary and within one 64-column line: grep for the marker to prove the
    key never reaches an output.
    """
    pkcs8 = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    body = _der_body(pkcs8)
    marker = base64.b64decode(CANARY_MARKER)
    for filler in range(64):
        attribute = _tlv(0x30, bytes.fromhex("06032a0304") + _tlv(0x31, _tlv(0x04, b"\0" * filler + marker)))
        text = "\n".join(textwrap.wrap(base64.b64encode(_tlv(0x30, body + _tlv(0xA0, attribute))).decode(), 64))
        if CANARY_MARKER in text:
            return f"-----BEGIN PRIVATE KEY-----\n{text}\n-----END PRIVATE KEY-----\n".encode()
    raise AssertionError("no filler length aligns the canary marker")  # unreachable: 3 x 16 positions


def _tlv(tag: int, body: bytes) -> bytes:
    size = len(body)
    if size < 0x80:
        return bytes([tag, size]) + body
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + body


def _der_body(der: bytes) -> bytes:
    if der[1] < 0x80:
        return der[2:2 + der[1]]
    count = der[1] & 0x7F
    size = int.from_bytes(der[2:2 + count], "big")
    return der[2 + count:2 + count + size]
