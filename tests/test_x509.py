"""mtls_lint.x509: PEM bundles, certificate facts, signatures and private keys, on any bytes."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import random
import time

import pytest
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding

from mtls_lint import x509
from mtls_lint.model import Location, PemBundle
from testing.certs import (
    CANARY_MARKER, UTC, Y2020, Y2026, Y2027, Y2036, canary_key_pem, ec_key, ed25519_key, encrypted_key_pem,
    make_ca, make_certificate, make_leaf, name, pem_bundle, rsa_key,
)

WHERE = Location("certs/truststore.pem", 1, 1)


@pytest.fixture(scope="module")
def pki():
    root = make_ca(name("Corp Root CA", "Example Corp"), not_before=Y2020, not_after=Y2036, key=rsa_key(), serial=1)
    issuing = make_ca(name("Corp Issuing CA", "Example Corp"), issuer=root, not_before=Y2020, not_after=Y2036,
                      key=ec_key("P-384"), serial=2)
    leaf = make_leaf("API.Example.com", issuer=issuing, not_before=Y2026, not_after=Y2027, key=ec_key(),
                     sans=["api.example.com", "WWW.example.com", "*.api.example.com"])
    return root, issuing, leaf


def load(data: bytes) -> PemBundle:
    return x509.load_pem_bundle(data, WHERE)


def test_certificate_facts(pki):
    root, issuing, leaf = pki
    bundle = load(pem_bundle(leaf, issuing, root))
    assert bundle.problems == ()
    assert bundle.size == len(pem_bundle(leaf, issuing, root))
    assert bundle.location == WHERE
    first, middle, last = bundle.certificates
    assert first.subject == "CN=API.Example.com"
    assert first.issuer == "CN=Corp Issuing CA,O=Example Corp"
    assert first.names == ("api.example.com", "www.example.com", "*.api.example.com")  # CN first, de-duplicated
    assert first.not_before == dt.datetime(2026, 1, 1, tzinfo=UTC)
    assert first.not_after == dt.datetime(2027, 12, 1, tzinfo=UTC)
    assert first.not_after.tzinfo is not None
    assert (first.key_type, first.key_size, first.curve) == ("EC", 256, "secp256r1")
    assert first.signature_hash == "sha256"
    assert (first.is_ca, first.self_signed) == (False, False)
    assert first.fingerprint == hashlib.sha256(leaf.der).hexdigest()
    assert first.der == leaf.der
    spki = leaf.key.public_key().public_bytes(serialization.Encoding.DER,
                                              serialization.PublicFormat.SubjectPublicKeyInfo)
    assert first.public_key_fingerprint == hashlib.sha256(spki).hexdigest()
    assert (middle.key_type, middle.key_size, middle.curve, middle.is_ca) == ("EC", 384, "secp384r1", True)
    assert (last.subject, last.key_type, last.key_size, last.curve) == (
        "CN=Corp Root CA,O=Example Corp", "RSA", 2048, None)
    assert (last.is_ca, last.self_signed) == (True, True)


def test_der_bytes_stay_out_of_repr(pki):
    certificate = load(pki[0].pem).certificates[0]
    assert "der=" not in repr(certificate)


def test_missing_basic_constraints_is_none():
    bare = make_certificate("bare.example.com", not_before=Y2020, not_after=Y2036, ca=None)
    assert load(bare.pem).certificates[0].is_ca is None


def test_crlf_and_text_around_blocks_are_clean(pki):
    root, issuing, _ = pki
    data = (b"Bag Attributes\n    friendlyName: corp\nsubject=CN = Corp Issuing CA\n"
            + pem_bundle(issuing, root, separator=b"\n\n") + b"# trailing comment\n").replace(b"\n", b"\r\n")
    bundle = load(data)
    assert bundle.problems == ()
    assert [c.subject for c in bundle.certificates] == ["CN=Corp Issuing CA,O=Example Corp",
                                                        "CN=Corp Root CA,O=Example Corp"]


def test_text_between_blocks_is_a_problem_with_its_line(pki):
    root, issuing, _ = pki
    first = issuing.pem
    data = first + b"\n  oops, pasted\n" + root.pem
    bundle = load(data)
    line = first.count(b"\n") + 2
    assert bundle.problems == (f"text between blocks (line {line})",)
    assert len(bundle.certificates) == 2


def test_der_is_not_pem(pki):
    bundle = load(pki[0].der)
    assert bundle.certificates == ()
    assert bundle.problems == ("DER, not PEM: the certificate is binary; convert it with openssl x509 -inform der",)


def test_binary_garbage_and_plain_text():
    assert load(b"\x30\x82\x01\x00garbage").problems == ("binary data, not PEM: no certificate block",)
    assert load(b"hello").problems == ("no PEM certificate block (no -----BEGIN CERTIFICATE----- line)",)


@pytest.mark.parametrize("data", [b"", b"  \r\n\t\n"])
def test_empty_input(data):
    bundle = load(data)
    assert (bundle.certificates, bundle.problems, bundle.size) == ((), ("empty: no certificate",), len(data))


def test_private_key_inside_is_flagged_and_not_kept(pki):
    root, issuing, _ = pki
    key = canary_key_pem(rsa_key())
    bundle = load(pem_bundle(issuing, root) + key)
    line = pem_bundle(issuing, root).count(b"\n") + 1
    assert bundle.contains_private_key is True
    assert bundle.problems == (f"a private key (PRIVATE KEY block at line {line}) is in the file",)
    assert len(bundle.certificates) == 2
    assert all(key not in c.der for c in bundle.certificates)
    assert CANARY_MARKER not in repr(bundle)


def test_private_key_alone_has_no_certificate():
    bundle = load(ec_key().private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                         serialization.NoEncryption()))
    assert bundle.problems == ("a private key (EC PRIVATE KEY block at line 1) is in the file", "no certificate")
    assert bundle.contains_private_key


def test_block_that_does_not_parse(pki):
    bad_base64 = b"-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n"
    not_a_cert = (b"-----BEGIN CERTIFICATE-----\n" + base64.encodebytes(b"\x30\x03\x02\x01\x00")
                  + b"-----END CERTIFICATE-----\n")
    bundle = load(pki[0].pem + bad_base64 + not_a_cert)
    start = pki[0].pem.count(b"\n") + 1
    assert bundle.problems == (f"certificate block at line {start} does not parse",
                               f"certificate block at line {start + 3} does not parse")
    assert len(bundle.certificates) == 1


def test_missing_end_and_foreign_blocks(pki):
    cut = pki[0].pem.rsplit(b"-----END", 1)[0]
    bundle = load(cut + pki[1].pem)
    assert bundle.problems[0] == "CERTIFICATE block at line 1 has no END line"
    assert [c.subject for c in bundle.certificates] == ["CN=Corp Issuing CA,O=Example Corp"]
    assert load(cut).problems == ("CERTIFICATE block at line 1 has no END line", "no certificate")
    csr = b"-----BEGIN CERTIFICATE REQUEST-----\nMAA=\n-----END CERTIFICATE REQUEST-----\n"
    assert load(csr + pki[0].pem).problems == ("a CERTIFICATE REQUEST block at line 1 is not a certificate",)


def test_sha1_and_legacy_hash_names():
    sha1 = make_ca("Old CA", not_before=Y2020, not_after=Y2036, hash_name="sha1")
    certificate = load(sha1.pem).certificates[0]
    assert certificate.signature_hash == "sha1"
    assert certificate.self_signed is True


def test_signature_verifies_for_every_key_type(pki):
    root, issuing, leaf = pki
    certs = {c.subject: c for c in load(pem_bundle(root, issuing, leaf)).certificates}
    root_c, issuing_c, leaf_c = certs["CN=Corp Root CA,O=Example Corp"], certs["CN=Corp Issuing CA,O=Example Corp"], \
        certs["CN=API.Example.com"]
    assert x509.signature_verifies(issuing_c, root_c) is True  # RSA PKCS#1 v1.5
    assert x509.signature_verifies(leaf_c, issuing_c) is True  # ECDSA
    assert x509.signature_verifies(leaf_c, root_c) is False
    assert x509.signature_verifies(root_c, issuing_c) is False
    ed = make_ca("Edwards CA", not_before=Y2020, not_after=Y2036, key=ed25519_key())
    ed_c = load(ed.pem).certificates[0]
    assert (ed_c.key_type, ed_c.key_size, ed_c.signature_hash, ed_c.self_signed) == ("Ed25519", None, None, True)
    assert x509.signature_verifies(ed_c, ed_c) is True


def test_signature_verifies_rsa_pss():
    key = rsa_key()
    subject = cx509.Name([cx509.NameAttribute(cx509.oid.NameOID.COMMON_NAME, "PSS CA")])
    certificate = (cx509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
                   .serial_number(7).not_valid_before(Y2020).not_valid_after(Y2036)
                   .sign(key, hashes.SHA256(), rsa_padding=padding.PSS(mgf=padding.MGF1(hashes.SHA256()),
                                                                       salt_length=32)))
    pss = load(certificate.public_bytes(serialization.Encoding.PEM)).certificates[0]
    assert pss.self_signed is True
    assert x509.signature_verifies(pss, pss) is True


def test_same_name_other_key_is_not_self_signed(pki):
    root = pki[0]
    impostor = make_certificate(root.subject, issuer=make_ca(root.subject, not_before=Y2020, not_after=Y2036,
                                                             key=ec_key()),
                                not_before=Y2020, not_after=Y2036, ca=True, key=rsa_key())
    certificate = load(impostor.pem).certificates[0]
    assert certificate.issuer == certificate.subject
    assert certificate.self_signed is False


def test_signature_verifies_never_raises(pki):
    good = load(pki[0].pem).certificates[0]
    broken = good.__class__(**{**{f: getattr(good, f) for f in good.__slots__}, "der": b"\x00junk"})
    assert x509.signature_verifies(broken, good) is False
    assert x509.signature_verifies(good, broken) is False


@pytest.mark.parametrize("fmt", ["pkcs8", "traditional"])
@pytest.mark.parametrize("make", [rsa_key, ec_key, ed25519_key], ids=["rsa", "ec", "ed25519"])
def test_read_private_key_fingerprint_matches_certificate(make, fmt):
    key = make()
    if fmt == "traditional" and make is ed25519_key:
        pytest.skip("Ed25519 has no traditional OpenSSL format")
    pem = key.private_bytes(serialization.Encoding.PEM,
                            serialization.PrivateFormat.PKCS8 if fmt == "pkcs8"
                            else serialization.PrivateFormat.TraditionalOpenSSL,
                            serialization.NoEncryption())
    issued = make_certificate("k.example.com", not_before=Y2020, not_after=Y2036, key=key)
    certificate = load(issued.pem).certificates[0]
    info = x509.read_private_key(b"comment before\n" + pem, Location("key.pem", 1, 1), committed=True)
    assert (info.problem, info.committed, info.location) == (None, True, Location("key.pem", 1, 1))
    assert info.public_key_fingerprint == certificate.public_key_fingerprint


def test_mismatched_key():
    certificate = load(make_certificate("a.example.com", not_before=Y2020, not_after=Y2036).pem).certificates[0]
    other = x509.read_private_key(canary_key_pem(rsa_key()), WHERE, committed=False)
    assert other.public_key_fingerprint not in (None, certificate.public_key_fingerprint)


@pytest.mark.parametrize(("data", "problem"), [
    (b"", "the private key file is empty"),
    (b"not a key", "no PEM private key block"),
    (b"-----BEGIN PRIVATE KEY-----\nMIIBVQ==\n-----END PRIVATE KEY-----\n", "the private key block does not parse"),
    (b"-----BEGIN PRIVATE KEY-----\nMIIBVQ==\n", "the private key block has no END line"),
    (b"-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----\n",
     "the private key is in OpenSSH format (ACM needs a PEM PKCS#1, SEC1 or PKCS#8 key)"),
])
def test_unreadable_private_keys(data, problem):
    info = x509.read_private_key(data, WHERE, committed=False)
    assert (info.public_key_fingerprint, info.problem) == (None, problem)


def test_encrypted_private_keys():
    key = rsa_key()
    pkcs8 = encrypted_key_pem(key)
    traditional = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL,
                                    serialization.BestAvailableEncryption(b"pw"))
    for data in (pkcs8, traditional):
        info = x509.read_private_key(data, WHERE, committed=False)
        assert info.problem == "the private key is encrypted (ACM imports only unencrypted keys)"
        assert info.public_key_fingerprint is None


def test_der_private_key_is_read_but_flagged():
    key = ec_key()
    der = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    info = x509.read_private_key(der, WHERE, committed=False)
    assert info.problem == "the private key is DER, not PEM (ACM needs PEM)"
    assert info.public_key_fingerprint is not None


def test_canary_key_never_in_repr():
    pem = canary_key_pem(rsa_key())
    assert CANARY_MARKER.encode() in pem
    info = x509.read_private_key(pem, WHERE, committed=True)
    bundle = load(pem)
    body_lines = [line for line in pem.decode().splitlines() if not line.startswith("-----")]
    for text in (repr(info), repr(bundle), str(info), str(bundle.problems)):
        assert CANARY_MARKER not in text
        assert not any(line in text for line in body_lines)


def test_fuzzed_input_never_raises(pki):
    root, issuing, leaf = pki
    valid = pem_bundle(leaf, issuing, root) + canary_key_pem(ec_key())
    rng = random.Random(20261204)
    samples = [bytes(rng.getrandbits(8) for _ in range(rng.randrange(0, 300))) for _ in range(150)]
    samples += [valid[:rng.randrange(len(valid))] for _ in range(100)]
    for _ in range(100):
        data = bytearray(valid)
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.getrandbits(8)
        samples.append(bytes(data))
    samples += [leaf.der[:n] for n in range(0, len(leaf.der), 17)]
    for data in samples:
        bundle = load(data)
        assert isinstance(bundle, PemBundle)
        assert bundle.certificates or bundle.problems
        info = x509.read_private_key(data, WHERE, committed=False)
        assert info.public_key_fingerprint is not None or info.problem


def test_a_bundle_of_bare_begin_lines_is_scanned_linearly_with_capped_problems():
    # 2.2 MB: every BEGIN searched forward for the one END at the end (110 s, a 3.9 MB message).
    data = b"-----BEGIN CERTIFICATE-----\n" * 80_000 + b"-----END CERTIFICATE-----\n"
    start = time.monotonic()
    bundle = load(data)
    assert time.monotonic() - start < 5
    assert bundle.problems == tuple(f"CERTIFICATE block at line {n} has no END line" for n in range(1, 6)) + (
        "and 79,995 more problems",)  # 79,999 blocks cut short, and the last one, empty, does not parse
    assert load(data[:-26]).problems[-2:] == ("no certificate", "and 79,995 more problems")


def test_many_empty_blocks_are_one_problem_each_but_listed_five_times():
    data = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" * 30_000
    start = time.monotonic()
    bundle = load(data)
    assert time.monotonic() - start < 5
    assert bundle.problems == tuple(f"certificate block at line {n} does not parse" for n in (1, 4, 7, 10, 13)) + (
        "and 29,995 more problems",)


def test_one_problem_beyond_the_cap_is_singular(pki):
    data = b"junk\n".join([pki[0].pem] * 7)
    assert load(data).problems == tuple(f"text between blocks (line {n})" for n in range(
        pki[0].pem.count(b"\n") + 1, 6 * (pki[0].pem.count(b"\n") + 1), pki[0].pem.count(b"\n") + 1)) + (
        "and 1 more problem",)


def test_certificates_beyond_the_cap_are_not_parsed(pki, monkeypatch):
    monkeypatch.setattr(x509, "MAX_CERTIFICATES", 2)
    root, issuing, leaf = pki
    bundle = load(pem_bundle(leaf, issuing, root))
    assert [c.subject for c in bundle.certificates] == [leaf.certificate.subject.rfc4514_string(),
                                                        "CN=Corp Issuing CA,O=Example Corp"]
    assert bundle.problems == ("more than 2 certificates: 1 more is not read",)


def test_private_key_matching_is_the_rule_s_business():
    assert not hasattr(x509, "private_key_matches")  # dead code: MTLS207 compares the fingerprints itself
