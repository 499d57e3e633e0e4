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

The bundle is scanned in one pass over its BEGIN and END lines, so any input costs time
linear in its size. The first ``MAX_PROBLEMS`` problems are kept (then "and N more"), and
at most ``MAX_CERTIFICATES`` certificates are parsed.
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
from mtls_lint.readers.textio import LineIndex

_T = TypeVar("_T")

__all__ = [
    "load_pem_bundle",
    "parse_certificate",
    "signature_verifies",
    "read_private_key",
]

MAX_PROBLEMS = 5  # problems listed one by one; the rest are counted
MAX_CERTIFICATES = 5_000  # far beyond any truststore API Gateway accepts (about 1 MB)

# A PEM block: BEGIN label, body, END label. The label of END is matched separately
# so that a mismatched END still ends the block (and is reported).
_BEGIN = re.compile(rb"-----BEGIN ([A-Z0-9 #._-]{1,64})-----")
_END = re.compile(rb"-----END ([A-Z0-9 #._-]{1,64})-----")
_MARKER = re.compile(rb"-----(BEGIN|END) ([A-Z0-9 #._-]{1,64})-----")
_NON_SPACE = re.compile(rb"\S")
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
    if not data.strip():
        return PemBundle(location=location, certificates=(), problems=("empty: no certificate",), size=len(data))
    if _BEGIN.search(data) is None:
        return PemBundle(location=location, certificates=(), problems=(_why_not_pem(data),), size=len(data))
    scan = _BundleScan(data)
    scan.run()
    return PemBundle(location=location, certificates=tuple(scan.certificates), problems=scan.summary(),
                     size=len(data), contains_private_key=scan.contains_private_key)


class _BundleScan:
    """One pass over the BEGIN and END lines of a bundle: certificates read, problems found."""

    def __init__(self, data: bytes) -> None:
        self.data = data
        self.certificates: list[PemCertificate] = []
        self.problems: list[str] = []
        self.unlisted = 0  # problems beyond MAX_PROBLEMS
        self.not_read = 0  # certificate blocks beyond MAX_CERTIFICATES
        self.unparsable = False
        self.contains_private_key = False
        self._lines: LineIndex | None = None

    def run(self) -> None:
        begin: re.Match[bytes] | None = None
        last_end: int | None = None  # end of the previous block, for "text between blocks"
        for marker in _MARKER.finditer(self.data):
            if marker.group(1) == b"END":
                if begin is not None:  # an END before any BEGIN, or a second END, is text between blocks
                    self.block(begin, marker)
                    begin, last_end = None, marker.end()
            elif begin is not None:  # a block cut short: the next one is read on its own
                self.unterminated(begin)
                begin, last_end = marker, None
            else:
                if last_end is not None:
                    self.check_gap(last_end, marker.start())
                begin = marker
        if begin is not None:
            self.unterminated(begin)

    def block(self, begin: re.Match[bytes], end: re.Match[bytes]) -> None:
        label, line = begin.group(2), self.line(begin.start())
        if b"PRIVATE KEY" in label:
            # Never decode it: the bytes stay in the caller's buffer and go no further.
            self.contains_private_key = True
            self.problem(f"a private key ({_label_text(label)} block at line {line}) is in the file")
        elif label not in _CERTIFICATE_LABELS:
            self.problem(f"a {_label_text(label)} block at line {line} is not a certificate")
        elif end.group(2) != label:
            self.problem(f"certificate block at line {line} ends with END {_label_text(end.group(2))}")
        elif len(self.certificates) >= MAX_CERTIFICATES:
            self.not_read += 1
        else:
            certificate = _decode_certificate_block(self.data[begin.end():end.start()])
            if certificate is None:
                self.unparsable = True
                self.problem(f"certificate block at line {line} does not parse")
            else:
                self.certificates.append(certificate)

    def unterminated(self, begin: re.Match[bytes]) -> None:
        label = begin.group(2)
        self.contains_private_key = self.contains_private_key or b"PRIVATE KEY" in label
        self.problem(f"{_label_text(label)} block at line {self.line(begin.start())} has no END line")

    def check_gap(self, start: int, end: int) -> None:
        text = _NON_SPACE.search(self.data, start, end)
        if text is not None:
            self.problem(f"text between blocks (line {self.line(text.start())})")

    def problem(self, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(message)
        else:
            self.unlisted += 1

    def line(self, offset: int) -> int:
        if self._lines is None:  # bytes as latin-1: one character per byte, so offsets agree
            self._lines = LineIndex(self.data.decode("latin-1"), "")
        return self._lines.location(offset).line or 1

    def summary(self) -> tuple[str, ...]:
        problems = list(self.problems)
        if not self.certificates and not self.unparsable:
            problems.append("no certificate")
        if self.not_read:
            problems.append(f"more than {MAX_CERTIFICATES:,} certificates: {self.not_read:,} more "
                            f"{'is' if self.not_read == 1 else 'are'} not read")
        if self.unlisted:
            problems.append(f"and {self.unlisted:,} more problem{'s' if self.unlisted > 1 else ''}")
        return tuple(problems)


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


def _label_text(label: bytes) -> str:
    return label.decode("ascii", "replace")

