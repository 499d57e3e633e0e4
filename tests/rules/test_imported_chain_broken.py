"""MTLS208 imported-chain-broken."""
from __future__ import annotations

from mtls_lint.model import Location
from mtls_lint.rules.imported_chain_broken import RULE
from testing.certs import Y2020, Y2036, make_ca, make_leaf, name, pem_bundle
from testing.model_builders import certificate, context, model, pem, pem_bytes


def check(chain):
    return list(RULE.check(model(certificate("aws_acm_certificate.api", path="infra/main.tf", line=1,
                                             body=pem("import-api-body.pem"), chain=chain)), context()))


def test_chain_from_another_ca():
    (finding,) = check(pem("import-broken-chain.pem"))
    assert (finding.rule_id, finding.severity, finding.location) == (
        "MTLS208", "warning", Location("infra/main.tf", 4, 7))
    assert finding.message == ("the certificate chain of aws_acm_certificate.api does not link: the certificate body "
                               "is "
                               "issued by CN=Corp Issuing CA,O=Example Corp, but the next chain certificate is "
                               "CN=Other Issuing CA,O=Other Trust")


def test_look_alike_intermediate_fails_the_signature():
    (finding,) = check(pem("import-bad-signature-chain.pem"))
    assert finding.message.endswith("the signature of the certificate body does not verify with the key of "
                                    "CN=Corp Issuing CA,O=Example Corp")


def test_break_higher_up_the_chain():
    root = make_ca(name("Some Root", "X"), not_before=Y2020, not_after=Y2036)
    intermediate = make_ca(name("Some Intermediate", "X"), issuer=root, not_before=Y2020, not_after=Y2036)
    unrelated = make_ca(name("Unrelated Root", "Y"), not_before=Y2020, not_after=Y2036)
    leaf = make_leaf("x.example.com", issuer=intermediate, not_before=Y2020, not_after=Y2036)
    cert = certificate(body=pem_bytes(leaf.pem), chain=pem_bytes(pem_bundle(intermediate, unrelated)))
    (finding,) = RULE.check(model(cert), context())
    assert "chain certificate 1 (CN=Some Intermediate,O=X) is issued by CN=Some Root,O=X" in finding.message


def test_near_misses():
    assert check(pem("import-chain.pem")) == []
    assert check(None) == []
    self_signed = certificate(body=pem("import-self-signed-body.pem"), chain=pem("import-chain.pem"))
    assert list(RULE.check(model(self_signed), context())) == []
