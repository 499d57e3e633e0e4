"""mtls_lint.readers.pem: PEM files from disk, the checked-in fixtures, the real-world corpus."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from mtls_lint.model import Diagnostic, Location, PemBundle, PrivateKeyInfo
from mtls_lint.readers import ReadContext
from mtls_lint.readers import pem as pem_reader
from mtls_lint.readers.pem import read_pem_file, read_private_key_file
from testing.certs import CANARY_MARKER

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures" / "pem"
CORPUS = (REPO / "../shared/corpus/pem").resolve()
POINTER = Location("infra/main.tf", 12, 5)


@pytest.fixture
def ctx() -> ReadContext:
    return ReadContext(cwd=REPO, roots=(REPO,))


def test_good_file_is_located_at_the_file(ctx):
    bundle = read_pem_file(FIXTURES / "truststore-good.pem", ctx, pointed_from=POINTER)
    assert isinstance(bundle, PemBundle)
    assert bundle.location == Location("fixtures/pem/truststore-good.pem", 1, 1)
    assert bundle.problems == ()
    assert bundle.size == (FIXTURES / "truststore-good.pem").stat().st_size
    assert [c.subject for c in bundle.certificates] == ["CN=Corp Issuing CA,O=Example Corp",
                                                        "CN=Corp Root CA,O=Example Corp"]


def test_missing_file(ctx):
    result = read_pem_file(REPO / "certs" / "nope.pem", ctx, pointed_from=POINTER, resource="aws_s3_object.ts")
    assert result == Diagnostic("MTLS003", "certificate file certs/nope.pem does not exist", POINTER,
                                "aws_s3_object.ts")


def test_directory(ctx):
    result = read_pem_file(FIXTURES, ctx, pointed_from=POINTER)
    assert result == Diagnostic("MTLS003", "certificate file fixtures/pem is a directory, not a file", POINTER)


def test_empty_file(ctx):
    result = read_pem_file(FIXTURES / "empty.pem", ctx, pointed_from=POINTER)
    assert result == Diagnostic("MTLS003", "certificate file fixtures/pem/empty.pem is empty", POINTER)


def test_oversized_file(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(pem_reader, "MAX_PEM_BYTES", 1024 * 1024)
    big = tmp_path / "big.pem"
    big.write_bytes(b"#" * (1024 * 1024 + 1))
    result = read_pem_file(big, ReadContext(cwd=tmp_path), pointed_from=POINTER)
    assert result == Diagnostic("MTLS003", "certificate file big.pem is larger than 1 MB; not read", POINTER)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file(tmp_path):
    locked = tmp_path / "locked.pem"
    locked.write_bytes((FIXTURES / "truststore-good.pem").read_bytes())
    locked.chmod(0)
    result = read_pem_file(locked, ReadContext(cwd=tmp_path), pointed_from=POINTER)
    assert result == Diagnostic("MTLS003", "certificate file locked.pem cannot be read: permission denied", POINTER)


def test_not_a_certificate_is_a_bundle_with_problems(ctx):
    bundle = read_pem_file(FIXTURES / "not-a-certificate.pem", ctx, pointed_from=POINTER)
    assert isinstance(bundle, PemBundle)
    assert bundle.certificates == ()
    assert bundle.problems == ("no PEM certificate block (no -----BEGIN CERTIFICATE----- line)",)


# What each truststore fixture holds, as the content rules will see it.
EXPECTED_TRUSTSTORES = {
    "truststore-good.pem": (2, ()),
    "truststore-crlf-with-text.pem": (2, ()),
    "truststore-ec.pem": (2, ()),
    "truststore-expired-ca.pem": (1, ()),
    "truststore-expiring-ca.pem": (1, ()),
    "truststore-rsa1024.pem": (1, ()),
    "truststore-sha1.pem": (1, ()),
    "truststore-incomplete-chain.pem": (1, ()),
    "truststore-chain-too-long.pem": (5, ()),
    "truststore-leaf.pem": (2, ()),
    "truststore-duplicate-subject.pem": (2, ()),
    "truststore-duplicate-certificate.pem": (3, ()),
    "truststore-der.pem": (0, ("DER, not PEM: the certificate is binary; convert it with openssl x509 -inform der",)),
    "truststore-garbage-between.pem": (2, ("text between blocks (line {pasted})",)),
    "truststore-private-key.pem": (2, ("a private key (PRIVATE KEY block at line {key}) is in the file",)),
}


def line_of(path: Path, text: str) -> int:
    """Key sizes vary by a byte between runs of the generator, so lines are looked up, not written down."""
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if text in line)


@pytest.mark.parametrize("file_name", sorted(EXPECTED_TRUSTSTORES))
def test_truststore_fixtures(ctx, file_name):
    bundle = read_pem_file(FIXTURES / file_name, ctx, pointed_from=POINTER)
    assert isinstance(bundle, PemBundle)
    count, problems = EXPECTED_TRUSTSTORES[file_name]
    path = FIXTURES / file_name
    problems = tuple(p.format(pasted=line_of(path, "pasted by mistake") if "pasted" in p else 0,
                              key=line_of(path, "BEGIN PRIVATE KEY") if "{key}" in p else 0) for p in problems)
    assert (len(bundle.certificates), bundle.problems) == (count, problems)
    assert bundle.contains_private_key == (file_name == "truststore-private-key.pem")


def test_truststore_fixture_facts(ctx):
    def read(name):
        return read_pem_file(FIXTURES / name, ctx, pointed_from=POINTER).certificates

    assert read("truststore-expired-ca.pem")[0].not_after.isoformat() == "2025-06-01T00:00:00+00:00"
    assert read("truststore-expiring-ca.pem")[0].not_after.isoformat() == "2026-12-20T00:00:00+00:00"
    assert (read("truststore-rsa1024.pem")[0].key_type, read("truststore-rsa1024.pem")[0].key_size) == ("RSA", 1024)
    assert read("truststore-sha1.pem")[0].signature_hash == "sha1"
    assert [c.is_ca for c in read("truststore-leaf.pem")] == [True, False]
    duplicate = read("truststore-duplicate-subject.pem")
    assert duplicate[0].subject == duplicate[1].subject and duplicate[0].fingerprint != duplicate[1].fingerprint
    twice = read("truststore-duplicate-certificate.pem")
    assert twice[0].fingerprint == twice[2].fingerprint


def test_import_fixtures(ctx):
    def key(name):
        return read_private_key_file(FIXTURES / name, ctx, pointed_from=POINTER)

    def body(name):
        return read_pem_file(FIXTURES / name, ctx, pointed_from=POINTER).certificates[0]

    api = body("import-api-body.pem")
    assert (api.names, api.issuer) == (("api.example.com",), "CN=Corp Issuing CA,O=Example Corp")
    assert key("import-api-key.pem").public_key_fingerprint == api.public_key_fingerprint
    assert key("import-mismatched-key.pem").public_key_fingerprint != api.public_key_fingerprint
    assert key("import-api-encrypted-key.pem").problem == \
        "the private key is encrypted (ACM imports only unencrypted keys)"
    chain = read_pem_file(FIXTURES / "import-chain.pem", ctx, pointed_from=POINTER).certificates
    assert chain[0].subject == api.issuer
    broken = read_pem_file(FIXTURES / "import-broken-chain.pem", ctx, pointed_from=POINTER).certificates
    assert broken[0].subject != api.issuer
    assert (body("import-rsa1536-body.pem").key_type, body("import-rsa1536-body.pem").key_size) == ("RSA", 1536)
    assert body("import-ed25519-body.pem").key_type == "Ed25519"
    assert body("import-wildcard-body.pem").names == ("*.example.com", "example.com")
    assert body("import-self-signed-body.pem").self_signed is True
    canary = key("import-canary-key.pem")
    assert canary.public_key_fingerprint == body("import-canary-body.pem").public_key_fingerprint


def test_chain_signature_fixtures(ctx):
    from mtls_lint.x509 import signature_verifies

    api = read_pem_file(FIXTURES / "import-api-body.pem", ctx, pointed_from=POINTER).certificates[0]
    good = read_pem_file(FIXTURES / "import-chain.pem", ctx, pointed_from=POINTER).certificates
    bad = read_pem_file(FIXTURES / "import-bad-signature-chain.pem", ctx, pointed_from=POINTER).certificates
    assert signature_verifies(api, good[0]) and signature_verifies(good[0], good[1])
    assert bad[0].subject == api.issuer and not signature_verifies(api, bad[0])


def test_private_key_committed_only_inside_roots(ctx, tmp_path):
    inside = read_private_key_file(FIXTURES / "import-api-key.pem", ctx, pointed_from=POINTER)
    assert isinstance(inside, PrivateKeyInfo)
    assert (inside.committed, inside.location) == (True, Location("fixtures/pem/import-api-key.pem", 1, 1))
    outside_file = tmp_path / "key.pem"
    outside_file.write_bytes((FIXTURES / "import-api-key.pem").read_bytes())
    outside = read_private_key_file(outside_file, ctx, pointed_from=POINTER)
    assert outside.committed is False
    missing = read_private_key_file(tmp_path / "gone.pem", ReadContext(cwd=tmp_path), pointed_from=POINTER)
    assert missing == Diagnostic("MTLS003", "private key file gone.pem does not exist", POINTER)


def test_canary_key_never_leaves_the_reader(ctx):
    key_text = (FIXTURES / "import-canary-key.pem").read_text()
    assert CANARY_MARKER in key_text
    secrets = [CANARY_MARKER] + [line for line in key_text.splitlines() if not line.startswith("-----")]
    outputs = [
        read_pem_file(FIXTURES / "truststore-private-key.pem", ctx, pointed_from=POINTER),
        read_pem_file(FIXTURES / "import-canary-key.pem", ctx, pointed_from=POINTER),
        read_private_key_file(FIXTURES / "import-canary-key.pem", ctx, pointed_from=POINTER),
        read_private_key_file(FIXTURES / "truststore-private-key.pem", ctx, pointed_from=POINTER),
    ]
    for output in outputs:
        text = repr(output) + str(getattr(output, "problems", "")) + str(getattr(output, "problem", ""))
        assert not any(secret in text for secret in secrets)


def test_canary_key_never_in_model_objects_or_diagnostics(ctx, tmp_path):
    from mtls_lint.model import Certificate, Fragment, Model, Truststore

    key_text = (FIXTURES / "import-canary-key.pem").read_text()
    secrets = [CANARY_MARKER] + [line for line in key_text.splitlines() if not line.startswith("-----")]
    body = read_pem_file(FIXTURES / "import-canary-body.pem", ctx, pointed_from=POINTER)
    key = read_private_key_file(FIXTURES / "import-canary-key.pem", ctx, pointed_from=POINTER)
    key_as_body = read_pem_file(FIXTURES / "import-canary-key.pem", ctx, pointed_from=POINTER)
    truststore = read_pem_file(FIXTURES / "truststore-private-key.pem", ctx, pointed_from=POINTER)
    certificate = Certificate(resource="aws_acm_certificate.canary", location=POINTER, source="infra",
                              body=body, chain=key_as_body, private_key=key)
    model = Model(certificates=(certificate,))
    fragment = Fragment(certificates=[certificate])
    # A key file that vanished and one that is unreadable: the diagnostics name the file, never its content.
    broken = tmp_path / "canary.pem"
    broken.write_bytes(key_text.encode()[:200])
    diagnostics = [read_private_key_file(tmp_path / "gone.pem", ctx, pointed_from=POINTER),
                   read_private_key_file(broken, ctx, pointed_from=POINTER)]
    texts = [repr(obj) for obj in (certificate, model, fragment, truststore, key, key_as_body,
                                   Truststore(location=POINTER, uri="s3://b/k", content=truststore))]
    texts += [repr(d) for d in diagnostics]
    texts += [str(d.message if isinstance(d, Diagnostic) else d.problem) for d in diagnostics]
    for text in texts:
        assert not any(secret in text for secret in secrets)


def test_fixture_generator_is_deterministic_in_shape(tmp_path):
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_pem_fixtures", REPO / "tests/tools/make_pem_fixtures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(["--out", str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.glob("*.pem")) == sorted(p.name for p in FIXTURES.glob("*.pem"))


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/pem is not beside the checkout")
def test_real_truststores_read_cleanly():
    files = sorted(CORPUS.glob("*.pem"))
    assert files
    for path in files:
        bundle = read_pem_file(path, ReadContext(cwd=CORPUS), pointed_from=POINTER)
        assert isinstance(bundle, PemBundle), path.name
        assert bundle.problems == (), path.name
        assert bundle.certificates, path.name
        for certificate in bundle.certificates:
            assert certificate.key_type == "RSA" and certificate.key_size in (2048, 4096)
            assert certificate.signature_hash in ("sha256", "sha512")


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus/pem is not beside the checkout")
def test_real_truststore_facts():
    buypass = read_pem_file(CORPUS / "aleksil__mtls-apigw-example__assets__buypass-test-root.pem",
                            ReadContext(cwd=CORPUS), pointed_from=POINTER)
    assert [c.is_ca for c in buypass.certificates] == [True, True]
    assert buypass.certificates[0].self_signed is True
    assert buypass.certificates[0].subject.endswith("CN=Buypass Class 3 Test4 Root CA G2 ST") is False
    assert "CN=Buypass Class 3 Test4 Root CA G2 ST" in buypass.certificates[0].subject
    kics = read_pem_file(next(CORPUS.glob("Checkmarx__*.pem")), ReadContext(cwd=CORPUS), pointed_from=POINTER)
    assert kics.certificates[0].is_ca is None  # an X.509 v1 certificate: no extensions at all
    assert kics.certificates[0].self_signed is True
