"""Write ``fixtures/pem/*.pem``: truststores and ACM import sets for tests and examples.

    python tests/tools/make_pem_fixtures.py            # rewrites fixtures/pem/
    python tests/tools/make_pem_fixtures.py --out DIR

Dates are fixed around ``--now 2026-12-04T00:00:00Z`` (see testing/certs.py); keys are fresh on
every run, so regenerating changes the bytes but never what a test asserts. Every private key
here is a throwaway made by this script: none protects anything.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from testing.certs import (  # noqa: E402 - the path above makes the repo importable when run as a script
    EXPIRING, FUTURE, Y2015, Y2020, Y2025, Y2026, Y2027, Y2036, Issued, canary_key_pem, ec_key, ed25519_key,
    encrypted_key_pem, make_ca, make_certificate, make_chain, make_leaf, name, pem_bundle, rsa_key,
)

# What `openssl x509 -text` and `openssl pkcs12 -nokeys` put around certificates: normal in bundles.
_LEADING_TEXT = b"""Bag Attributes
    friendlyName: corp-issuing
subject=O = Example Corp, CN = Corp Issuing CA
issuer=O = Example Corp, CN = Corp Root CA
"""


def build() -> dict[str, bytes]:
    """File name -> content."""
    files: dict[str, bytes] = {}
    root = make_ca(name("Corp Root CA", "Example Corp"), not_before=Y2020, not_after=Y2036, serial=1)
    issuing = make_ca(name("Corp Issuing CA", "Example Corp"), issuer=root, not_before=Y2020, not_after=Y2036, serial=2)

    # -- truststores -------------------------------------------------------------------------
    files["truststore-good.pem"] = pem_bundle(issuing, root)
    files["truststore-crlf-with-text.pem"] = (
        _LEADING_TEXT + pem_bundle(issuing, root, separator=b"\n")
    ).replace(b"\n", b"\r\n") + b"# end of bundle\r\n"
    ec_root = make_ca("Corp EC Root CA", not_before=Y2020, not_after=Y2036, key=ec_key("P-384"), serial=3)
    ec_issuing = make_ca("Corp EC Issuing CA", issuer=ec_root, not_before=Y2020, not_after=Y2036,
                         key=ec_key("P-256"), serial=4)
    files["truststore-ec.pem"] = pem_bundle(ec_issuing, ec_root)
    files["truststore-expired-ca.pem"] = make_ca("Expired Root CA", not_before=Y2015, not_after=Y2025,
                                                 key=ec_key(), serial=5).pem
    files["truststore-expiring-ca.pem"] = make_ca("Expiring Root CA", not_before=Y2020, not_after=EXPIRING,
                                                  key=ec_key(), serial=6).pem
    files["truststore-rsa1024.pem"] = make_ca("Weak RSA-1024 Root CA", not_before=Y2020, not_after=Y2036,
                                              key=rsa_key(1024), serial=7).pem
    files["truststore-sha1.pem"] = make_ca("SHA-1 Root CA", not_before=Y2020, not_after=Y2036,
                                           hash_name="sha1", serial=8).pem
    files["truststore-incomplete-chain.pem"] = issuing.pem  # its root is not in the bundle
    long_chain = make_chain(5, not_before=Y2020, not_after=Y2036, prefix="Deep")
    files["truststore-chain-too-long.pem"] = pem_bundle(*reversed(long_chain))
    client = make_leaf("client1.example.com", issuer=root, not_before=Y2026, not_after=Y2027, client=True)
    files["truststore-leaf.pem"] = pem_bundle(root, client)
    twin = make_ca(name("Corp Root CA", "Example Corp"), not_before=Y2020, not_after=Y2036, key=ec_key(), serial=9)
    files["truststore-duplicate-subject.pem"] = pem_bundle(root, twin)
    files["truststore-duplicate-certificate.pem"] = pem_bundle(root, issuing, root)
    files["truststore-der.pem"] = root.der  # a .pem name, DER bytes: the usual mistake
    files["truststore-garbage-between.pem"] = issuing.pem + b"this line was pasted by mistake\n" + root.pem
    canary_key = rsa_key()
    files["truststore-private-key.pem"] = pem_bundle(issuing, root) + canary_key_pem(canary_key)
    files["empty.pem"] = b""
    files["not-a-certificate.pem"] = b"s3://corp-truststores/api/truststore.pem is where the bundle lives\n"

    # -- ACM import sets: body, chain (issuer first), key ---------------------------------------
    chain = pem_bundle(issuing, root)

    def import_set(stem: str, subject: str, *, key: object = None, issuer: Issued = issuing,
                   not_before: object = Y2026, not_after: object = Y2027, sans: Sequence[str] | None = None,
                   write_key: bool = True) -> Issued:
        leaf = make_leaf(subject, issuer=issuer, not_before=not_before, not_after=not_after,  # type: ignore[arg-type]
                         key=key or rsa_key(), sans=sans, serial=100 + len(files))  # type: ignore[arg-type]
        files[f"import-{stem}-body.pem"] = leaf.pem
        if write_key:
            files[f"import-{stem}-key.pem"] = leaf.key_pem
        return leaf

    api = import_set("api", "api.example.com")
    files["import-chain.pem"] = chain
    files["import-api-encrypted-key.pem"] = encrypted_key_pem(api.key)
    files["import-mismatched-key.pem"] = make_leaf("spare.example.com", issuer=issuing, not_before=Y2026,
                                                   not_after=Y2027).key_pem
    other_root = make_ca(name("Other Root CA", "Other Trust"), not_before=Y2020, not_after=Y2036, key=ec_key(),
                         serial=20)
    other_issuing = make_ca(name("Other Issuing CA", "Other Trust"), issuer=other_root, not_before=Y2020,
                            not_after=Y2036, key=ec_key(), serial=21)
    files["import-broken-chain.pem"] = pem_bundle(other_issuing, other_root)  # body's issuer is not first
    impostor = make_ca(name("Corp Issuing CA", "Example Corp"), issuer=root, not_before=Y2020, not_after=Y2036,
                       serial=22)
    files["import-bad-signature-chain.pem"] = pem_bundle(impostor, root)  # names link, signature does not
    import_set("rsa1024", "legacy.example.com", key=rsa_key(1024))
    import_set("rsa1536", "odd.example.com", key=rsa_key(1536))
    import_set("ed25519", "edwards.example.com", key=ed25519_key())
    import_set("ec-p384", "ec.example.com", key=ec_key("P-384"))
    import_set("expired", "old.example.com", not_before=Y2015, not_after=Y2025)
    import_set("expiring", "soon.example.com", not_before=Y2026, not_after=EXPIRING)
    import_set("not-yet-valid", "future.example.com", not_before=FUTURE, not_after=Y2036)
    import_set("wildcard", "*.example.com", sans=["*.example.com", "example.com"])
    self_signed = make_certificate("self.example.com", not_before=Y2026, not_after=Y2027, sans=["self.example.com"],
                                   serial=30)
    files["import-self-signed-body.pem"] = self_signed.pem
    files["import-self-signed-key.pem"] = self_signed.key_pem
    canary = make_leaf("secure.example.com", issuer=issuing, not_before=Y2026, not_after=Y2027, key=canary_key,
                       serial=31)
    files["import-canary-body.pem"] = canary.pem
    files["import-canary-key.pem"] = canary_key_pem(canary_key)  # the same key as truststore-private-key.pem
    return files


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "fixtures" / "pem")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    for file_name, content in sorted(build().items()):
        (args.out / file_name).write_bytes(content)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
