"""X.509 helpers: the only module that imports ``cryptography``.

Callers import this module lazily, so a run without certificates never pays for
OpenSSL. Everything here is total: any bytes in, a model object out, never an
exception. Private-key bytes are parsed only to compute a public-key
fingerprint; they are never stored, returned, or echoed in a message (the
messages below are written here, never copied from a ``cryptography`` error,
because those can quote their input).

What counts as a clean PEM bundle (``PemBundle.problems`` empty):

- one or more ``CERTIFICATE`` blocks, CRLF or LF line ends;
- any text *before the first* and *after the last* block. Bundles made with
  ``openssl x509 -text`` or ``openssl pkcs12 -nokeys`` (``Bag Attributes``,
  ``subject=...``) carry such text, and PEM readers (OpenSSL, and so API
  Gateway's) skip it, so flagging it would be noise;
- whitespace between blocks.

A problem is recorded for: empty input, DER instead of PEM, no certificate
block, a block that does not decode, a private key, a non-certificate block
(``CERTIFICATE REQUEST``, ``PUBLIC KEY``...), a ``BEGIN`` without ``END``, and
non-whitespace text *between* blocks. Text between blocks is where a broken
concatenation shows up (a missing newline, a pasted fragment), and it is the
case rules.md calls "garbage between blocks".
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import re
from collections.abc import Callable
from typing import TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.x509.oid import NameOID

from mtls_lint.model import Location, PemBundle, PemCertificate, PrivateKeyInfo

_T = TypeVar("_T")

__all__ = [
    "load_pem_bundle",
    "parse_certificate",
    "signature_verifies",
    "read_private_key",
    "private_key_matches",
]

# A PEM block: BEGIN label, body, END label. The label of END is matched separately
# so that a mismatched END still ends the block (and is reported).
_BEGIN = re.compile(rb"-----BEGIN ([A-Z0-9 #._-]{1,64})-----")
_END = re.compile(rb"-----END ([A-Z0-9 #._-]{1,64})-----")
_CERTIFICATE_LABELS = {b"CERTIFICATE", b"X509 CERTIFICATE"}
# Hash names for signature algorithms cryptography will not hand out a hash object for.
_LEGACY_SIGNATURE_HASHES = {
    "1.2.840.113549.1.1.2": "md2",
    "1.2.840.113549.1.1.3": "md4",
    "1.2.840.113549.1.1.4": "md5",
}


def load_pem_bundle(data: bytes, location: Location) -> PemBundle:
    """Read a PEM bundle of certificates; every defect becomes a ``problems`` entry."""
    try:
        return _load_pem_bundle(bytes(data), location)
    except Exception:  # noqa: BLE001 - a linter must survive any input; say so instead of crashing
        return PemBundle(location=location, certificates=(), problems=("the file could not be read as PEM",),
                         size=len(data) if isinstance(data, (bytes, bytearray)) else 0)


def _load_pem_bundle(data: bytes, location: Location) -> PemBundle:
    size = len(data)
    if not data.strip():
        return PemBundle(location=location, certificates=(), problems=("empty: no certificate",), size=size)
    if _BEGIN.search(data) is None:
        return PemBundle(location=location, certificates=(), problems=(_why_not_pem(data),), size=size)

    certificates: list[PemCertificate] = []
    problems: list[str] = []
    contains_private_key = False
    last_end: int | None = None  # end offset of the previous block, for "text between blocks"
    position = 0
    while True:
        begin = _BEGIN.search(data, position)
        if begin is None:
            break
        line = _line_of(data, begin.start())
        if last_end is not None and data[last_end:begin.start()].strip():
            problems.append(f"text between blocks (line {_line_of(data, _first_non_space(data, last_end))})")
        label = begin.group(1)
        end = _END.search(data, begin.end())
        following = _BEGIN.search(data, begin.end())
        if end is not None and following is not None and following.start() < end.start():
            # A block cut short: the END found belongs to the next block, which is read on its own.
            problems.append(f"{_label_text(label)} block at line {line} has no END line")
            contains_private_key = contains_private_key or b"PRIVATE KEY" in label
            position, last_end = following.start(), None
            continue
        if end is None:
            problems.append(f"{_label_text(label)} block at line {line} has no END line")
            if b"PRIVATE KEY" in label:
                contains_private_key = True
            break
        body = data[begin.end():end.start()]
        position = last_end = end.end()
        if b"PRIVATE KEY" in label:
            # Never decode it: the bytes stay in the caller's buffer and go no further.
            contains_private_key = True
            problems.append(f"a private key ({_label_text(label)} block at line {line}) is in the file")
            continue
        if label not in _CERTIFICATE_LABELS:
            problems.append(f"a {_label_text(label)} block at line {line} is not a certificate")
            continue
        if end.group(1) != label:
            problems.append(f"certificate block at line {line} ends with END {_label_text(end.group(1))}")
            continue
        certificate = _decode_certificate_block(body)
        if certificate is None:
            problems.append(f"certificate block at line {line} does not parse")
        else:
            certificates.append(certificate)
    if not certificates and not any("does not parse" in p for p in problems):
        problems.append("no certificate")
    return PemBundle(location=location, certificates=tuple(certificates), problems=tuple(problems),
                     size=size, contains_private_key=contains_private_key)


def _why_not_pem(data: bytes) -> str:
    """Input without a BEGIN line: DER, a PEM body without armour, or anything else."""
    if data[:1] == b"\x30":
        if parse_certificate(data) is not None:
            return "DER, not PEM: the certificate is binary; convert it with openssl x509 -inform der"
        return "binary data, not PEM: no certificate block"
    return "no PEM certificate block (no -----BEGIN CERTIFICATE----- line)"


def _decode_certificate_block(body: bytes) -> PemCertificate | None:
    try:
        der = base64.b64decode(b"".join(body.split()), validate=True)
    except (binascii.Error, ValueError):
        return None
    return parse_certificate(der) if der else None


def parse_certificate(der: bytes) -> PemCertificate | None:
    """One DER certificate as model data, or None when it does not parse (never raises)."""
    try:
        return _to_model(x509.load_der_x509_certificate(der), der)
    except Exception:  # noqa: BLE001 - cryptography parses lazily and can fail on any accessor
        return None


def _to_model(cert: x509.Certificate, der: bytes) -> PemCertificate:
    key = cert.public_key()
    key_type, key_size, curve = _key_facts(key)
    spki = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    self_signed = cert.issuer == cert.subject and _verify(cert, key)
    return PemCertificate(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        names=_names(cert),
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_type=key_type,
        key_size=key_size,
        curve=curve,
        signature_hash=_signature_hash(cert),
        is_ca=_is_ca(cert),
        self_signed=self_signed,
        fingerprint=hashlib.sha256(der).hexdigest(),
        public_key_fingerprint=hashlib.sha256(spki).hexdigest(),
        der=der,
    )


def _names(cert: x509.Certificate) -> tuple[str, ...]:
    names: list[str] = []
    for attribute in cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME):
        if isinstance(attribute.value, str):
            names.append(attribute.value.strip().lower())
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        san = None
    if san is not None:
        names += [name.strip().lower() for name in san.get_values_for_type(x509.DNSName)]
    return tuple(dict.fromkeys(n for n in names if n))


def _key_facts(key: object) -> tuple[str, int | None, str | None]:
    if isinstance(key, rsa.RSAPublicKey):
        return "RSA", key.key_size, None
    if isinstance(key, ec.EllipticCurvePublicKey):
        return "EC", key.curve.key_size, key.curve.name
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "Ed25519", None, None
    if isinstance(key, ed448.Ed448PublicKey):
        return "Ed448", None, None
    if isinstance(key, dsa.DSAPublicKey):
        return "DSA", key.key_size, None
    return type(key).__name__, None, None


def _signature_hash(cert: x509.Certificate) -> str | None:
    try:
        algorithm = cert.signature_hash_algorithm
    except Exception:  # noqa: BLE001 - UnsupportedAlgorithm for md2/md4 and exotic OIDs
        return _LEGACY_SIGNATURE_HASHES.get(cert.signature_algorithm_oid.dotted_string)
    return algorithm.name if algorithm is not None else None


def _is_ca(cert: x509.Certificate) -> bool | None:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return None


def signature_verifies(child: PemCertificate, parent: PemCertificate) -> bool:
    """True when ``parent``'s key verifies ``child``'s signature (names are not compared here)."""
    try:
        child_cert = x509.load_der_x509_certificate(child.der)
        parent_key = x509.load_der_x509_certificate(parent.der).public_key()
    except Exception:  # noqa: BLE001
        return False
    return _verify(child_cert, parent_key)


def _verify(cert: x509.Certificate, key: object) -> bool:
    """Verify a certificate's signature with a public key of any supported type; never raises."""
    try:
        signature, data = cert.signature, cert.tbs_certificate_bytes
        if isinstance(key, rsa.RSAPublicKey):
            # signature_algorithm_parameters is PKCS1v15() or the certificate's own PSS parameters.
            key.verify(signature, data, cert.signature_algorithm_parameters, cert.signature_hash_algorithm)
        elif isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, cert.signature_algorithm_parameters)
        elif isinstance(key, (ed25519.Ed25519PublicKey, ed448.Ed448PublicKey)):
            key.verify(signature, data)
        elif isinstance(key, dsa.DSAPublicKey):
            key.verify(signature, data, cert.signature_hash_algorithm)
        else:
            return False
    except Exception:  # noqa: BLE001 - InvalidSignature, a key/algorithm mismatch, an unsupported hash
        return False
    return True


def read_private_key(data: bytes, location: Location, *, committed: bool) -> PrivateKeyInfo:
    """What may be known of a private key: its public-key fingerprint, or why it cannot be read.

    ACM imports only unencrypted PEM keys, so an encrypted key, a DER key or an OpenSSH key is a
    ``problem``. The key object lives only inside this function.
    """
    def info(fingerprint: str | None, problem: str | None) -> PrivateKeyInfo:
        return PrivateKeyInfo(location=location, public_key_fingerprint=fingerprint, problem=problem,
                              committed=committed)

    try:
        data = bytes(data)
        fingerprint, problem = _private_key_fingerprint(data)
    except Exception:  # noqa: BLE001 - the message must not depend on (or quote) the input
        return info(None, "the private key could not be read")
    return info(fingerprint, problem)


def _private_key_fingerprint(data: bytes) -> tuple[str | None, str | None]:
    if not data.strip():
        return None, "the private key file is empty"
    begin = None
    for match in _BEGIN.finditer(data):
        if b"PRIVATE KEY" in match.group(1):
            begin = match
            break
    if begin is None:
        if data[:1] == b"\x30":
            key = _quietly(lambda: serialization.load_der_private_key(data, password=None))
            if key is not None:
                return _public_fingerprint(key), "the private key is DER, not PEM (ACM needs PEM)"
        return None, "no PEM private key block"
    label = begin.group(1)
    if label == b"ENCRYPTED PRIVATE KEY" or b"Proc-Type: 4,ENCRYPTED" in data[begin.end():begin.end() + 200]:
        return None, "the private key is encrypted (ACM imports only unencrypted keys)"
    if label == b"OPENSSH PRIVATE KEY":
        return None, "the private key is in OpenSSH format (ACM needs a PEM PKCS#1, SEC1 or PKCS#8 key)"
    end = _END.search(data, begin.end())
    if end is None:
        return None, "the private key block has no END line"
    key = _quietly(lambda: serialization.load_pem_private_key(data[begin.start():end.end()], password=None))
    if key is None:
        return None, "the private key block does not parse"
    problem = None
    if len(data) > 5120:
        problem = "the private key file is larger than 5 KB (ACM's limit for a key)"
    return _public_fingerprint(key), problem


def _quietly(load: Callable[[], _T]) -> _T | None:
    try:
        return load()
    except Exception:  # noqa: BLE001 - errors are replaced by our own wording by the caller
        return None


def _public_fingerprint(private_key: object) -> str | None:
    try:
        public = private_key.public_key()  # type: ignore[attr-defined]
        spki = public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    except Exception:  # noqa: BLE001
        return None
    return hashlib.sha256(spki).hexdigest()


def private_key_matches(certificate: PemCertificate, key: PrivateKeyInfo) -> bool | None:
    """Whether a key belongs to a certificate; None when the key could not be read."""
    if key.public_key_fingerprint is None:
        return None
    return key.public_key_fingerprint == certificate.public_key_fingerprint


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _first_non_space(data: bytes, offset: int) -> int:
    while offset < len(data) and data[offset:offset + 1].isspace():
        offset += 1
    return offset


def _label_text(label: bytes) -> str:
    return label.decode("ascii", "replace")

