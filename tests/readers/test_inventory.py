"""mtls_lint.readers.inventory: every AWS CLI shape, coverage, locations, and bad input."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from mtls_lint.model import (
    AMAZON, AMAZON_ISSUED, HTTP, IMPORTED, PRIVATE, REST, Certificate, Diagnostic, Location, Unknown,
)
from mtls_lint.readers import ReadContext
from mtls_lint.readers.inventory import normalise_key_algorithm, read_inventory
from mtls_lint.readers.textio import parse_timestamp

REPO = Path(__file__).resolve().parents[2]
INVENTORY = REPO / "fixtures" / "inventory"
UTC = dt.timezone.utc
A, B, R = "111122223333", "444455556666", "us-east-1"
AMAZON_API = f"arn:aws:acm:{R}:{A}:certificate/0b5e2f4c-1d3a-4c8e-9f27-6a1b3c5d7e90"
IMPORTED_API = f"arn:aws:acm:{R}:{A}:certificate/4f6a8b2c-3d5e-4a7f-8b9c-0d1e2f3a4b5c"
PCA_CERT = f"arn:aws:acm:{R}:{A}:certificate/9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d"
PCA = f"arn:aws:acm-pca:{R}:{A}:certificate-authority/5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e"
OWNERSHIP_PARTNER = f"arn:aws:acm:{R}:{A}:certificate/7c1d9e3f-2b4a-4d6c-8e0f-1a2b3c4d5e6f"
WILDCARD_B = f"arn:aws:acm:{R}:{B}:certificate/3c4d5e6f-7a8b-4c9d-a0e1-f2a3b4c5d6e7"


@pytest.fixture
def ctx() -> ReadContext:
    return ReadContext(cwd=REPO)


def read(ctx: ReadContext, *names: str):
    return read_inventory([INVENTORY / name for name in names], ctx)


def line_of(name: str, text: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate((INVENTORY / name).read_text().splitlines(), 1) if text in line]
    return lines[occurrence - 1]


def by_arn(fragment) -> dict[str, Certificate]:
    return {c.arn: c for c in fragment.certificates}


def test_describe_amazon_issued(ctx):
    fragment = read(ctx, "describe-certificate-amazon-issued.json")
    assert fragment.diagnostics == [] and fragment.domains == [] and fragment.covered == set()
    assert fragment.files == ["fixtures/inventory/describe-certificate-amazon-issued.json"]
    (cert,) = fragment.certificates
    assert cert.location == Location("fixtures/inventory/describe-certificate-amazon-issued.json", 3, 9)
    assert (cert.origin, cert.resource, cert.arn, cert.source) == (
        "inventory", AMAZON_API, AMAZON_API, "fixtures/inventory/describe-certificate-amazon-issued.json")
    assert (cert.kind, cert.issuer, cert.status, cert.names) == (AMAZON_ISSUED, AMAZON, "ISSUED", ("api.example.com",))
    assert (cert.account, cert.region) == (A, R)
    assert cert.not_before == dt.datetime(2025, 12, 15, tzinfo=UTC)
    assert cert.not_after == dt.datetime(2027, 1, 14, 23, 59, 59, tzinfo=UTC)
    assert (cert.key_algorithm, cert.renewal_eligibility) == ("RSA_2048", "ELIGIBLE")


def test_describe_imported_keeps_the_issuer_name(ctx):
    (cert,) = read(ctx, "describe-certificate-imported-other-ca.json").certificates
    assert (cert.kind, cert.issuer) == (IMPORTED, "Example Corp")
    assert cert.names == ("api.example.com", "api-partner.example.com")
    assert cert.renewal_eligibility == "INELIGIBLE"


def test_describe_private_ca(ctx):
    (cert,) = read(ctx, "describe-certificate-private-ca.json").certificates
    assert (cert.kind, cert.issuer, cert.key_algorithm) == (PRIVATE, PCA, "EC_prime256v1")


def test_list_of_describe_outputs_with_lines(ctx):
    name = "describe-certificates-lifecycle.json"
    fragment = read(ctx, name)
    assert [(c.names[0], c.status) for c in fragment.certificates] == [
        ("hooks.example.com", "REVOKED"), ("old.example.com", "EXPIRED"), ("inactive.example.com", "INACTIVE")]
    assert [c.location.line for c in fragment.certificates] == [
        line_of(name, '"CertificateArn"', n) for n in (1, 2, 3)]
    assert fragment.certificates[1].not_after == dt.datetime(2025, 6, 1, tzinfo=UTC)


def test_bare_details_with_iso_timestamps(ctx):
    fragment = read(ctx, "describe-certificates-bare-iso8601.json")
    assert fragment.diagnostics == []
    first, second = fragment.certificates
    assert first.arn == OWNERSHIP_PARTNER
    assert first.key_algorithm == "RSA_2048" and second.key_algorithm == "RSA_2048"
    assert first.not_before == dt.datetime(2025, 12, 15, tzinfo=UTC)
    assert second.names == ("internal.example.com",)


def test_list_certificates_covers_its_account_and_region(ctx):
    name = "list-certificates-111122223333-us-east-1.json"
    fragment = read(ctx, name)
    assert fragment.covered == {(A, R)}
    assert len(fragment.certificates) == 10
    cert = by_arn(fragment)[IMPORTED_API]
    assert (cert.kind, cert.names, cert.status) == (IMPORTED, ("api.example.com", "api-partner.example.com"), "ISSUED")
    assert isinstance(cert.issuer, Unknown)  # a summary carries no Issuer
    assert cert.location.line == line_of(name, IMPORTED_API)


def test_richest_record_wins_across_files(ctx):
    fragment = read(ctx, "list-certificates-111122223333-us-east-1.json", "describe-certificate-imported-other-ca.json")
    assert len(fragment.certificates) == 10
    cert = by_arn(fragment)[IMPORTED_API]
    assert cert.issuer == "Example Corp"
    assert cert.location.path == "fixtures/inventory/describe-certificate-imported-other-ca.json"
    assert fragment.files == ["fixtures/inventory/list-certificates-111122223333-us-east-1.json",
                              "fixtures/inventory/describe-certificate-imported-other-ca.json"]


def test_rest_domains(ctx):
    name = "apigateway-get-domain-names.json"
    fragment = read(ctx, name)
    assert fragment.diagnostics == [] and fragment.certificates == []
    partner, old, docs = fragment.domains
    assert (partner.kind, partner.origin, partner.resource, partner.domain_name) == (
        REST, "inventory", "api-partner.example.com", "api-partner.example.com")
    assert partner.location == Location(f"fixtures/inventory/{name}", line_of(name, '"domainName": "api-partner'), 13)
    assert (partner.endpoint_type, partner.security_policy) == ("REGIONAL", "TLS_1_2")
    assert (partner.certificate, partner.ownership_certificate) == (IMPORTED_API, OWNERSHIP_PARTNER)
    assert (partner.account, partner.region) == (A, R)  # region from domainNameArn, account from the certificate
    ts = partner.truststore
    assert (ts.uri, ts.bucket, ts.key, ts.version, ts.content) == (
        "s3://corp-truststores/partner/truststore.pem", "corp-truststores", "partner/truststore.pem",
        "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY", None)
    assert partner.is_mtls and old.is_mtls and not docs.is_mtls
    assert old.truststore.version is None
    assert (docs.endpoint_type, docs.security_policy, docs.truststore) == ("EDGE", "TLS_1_0", None)
    assert docs.certificate.endswith("f0e1d2c3-b4a5-4968-8776-655443322110")
    assert docs.configuration_count is None


def test_http_domains(ctx):
    fragment = read(ctx, "apigatewayv2-get-domain-names.json")
    internal, hooks = fragment.domains
    assert (internal.kind, internal.endpoint_type, internal.certificate, internal.configuration_count) == (
        HTTP, "REGIONAL", PCA_CERT, 1)
    assert internal.truststore.version == "1"
    assert internal.ownership_certificate.endswith("2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b")
    assert hooks.truststore is None and not hooks.is_mtls
    assert fragment.covered == set()


def test_bundle(ctx):
    name = "bundle-444455556666-us-east-1.json"
    fragment = read(ctx, name)
    assert fragment.diagnostics == []
    assert fragment.covered == {(B, R)}
    wildcard = by_arn(fragment)[WILDCARD_B]
    assert (wildcard.names, wildcard.issuer, wildcard.account) == (("*.example.com", "example.com"), "Example Corp", B)
    (portal,) = fragment.domains
    assert (portal.kind, portal.certificate, portal.account, portal.region) == (HTTP, WILDCARD_B, B, R)
    assert portal.location.line == line_of(name, '"DomainName": "portal.example.com"')
    assert portal.truststore.bucket == "partner-truststores"


def test_every_fixture_reads_without_diagnostics(ctx):
    fragment = read_inventory(sorted(INVENTORY.glob("*.json")), ctx)
    assert fragment.diagnostics == []
    assert fragment.covered == {(A, R), (B, R)}
    assert len(fragment.certificates) == 12
    assert len(fragment.domains) == 6


def write(tmp_path: Path, content, name: str = "inv.json") -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else json.dumps(content, indent=2).encode())
    return path


def test_malformed_json_gives_mtls001_with_position(tmp_path):
    path = write(tmp_path, b'{\n  "Certificate": {\n    "CertificateArn": \n}\n')
    fragment = read_inventory([path], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [Diagnostic("MTLS001", "inventory inv.json is not valid JSON: Expecting value",
                                               Location("inv.json", 4, 1))]


@pytest.mark.parametrize("content", [{"hello": 1}, 42, "text", {"Certificate": "x"}])
def test_unrecognised_shape(tmp_path, content):
    fragment = read_inventory([write(tmp_path, content)], ReadContext(cwd=tmp_path))
    assert [d.rule_id for d in fragment.diagnostics] == ["MTLS001"]
    assert fragment.diagnostics[0].message.startswith("inventory inv.json is not an inventory export")
    assert fragment.diagnostics[0].location == Location("inv.json", 1, 1)


def test_wrong_types_inside_a_known_shape(tmp_path):
    content = {"CertificateSummaryList": [1, {"DomainName": "no-arn.example.com"}, {"CertificateArn": AMAZON_API}]}
    fragment = read_inventory([write(tmp_path, content)], ReadContext(cwd=tmp_path))
    messages = [d.message for d in fragment.diagnostics]
    assert messages == ["inventory inv.json: a certificate without CertificateArn",
                        "inventory inv.json: 1 entry of CertificateSummaryList not an object, skipped"]
    assert len(fragment.certificates) == 1
    items = read_inventory([write(tmp_path, {"items": {"a": 1}})], ReadContext(cwd=tmp_path))
    assert items.diagnostics == [Diagnostic("MTLS001", "inventory inv.json: items is not a list",
                                            Location("inv.json", 2, 3))]


def test_bad_timestamp_and_bundle_version(tmp_path):
    content = {"Certificate": {"CertificateArn": AMAZON_API, "Type": "AMAZON_ISSUED", "NotAfter": "soon"}}
    fragment = read_inventory([write(tmp_path, content)], ReadContext(cwd=tmp_path))
    (diagnostic,) = fragment.diagnostics
    assert diagnostic.message == "inventory inv.json: NotAfter is not an epoch or ISO-8601 timestamp"
    assert diagnostic.location == Location("inv.json", 3, 5)
    assert fragment.certificates[0].not_after is None
    bundle = read_inventory([write(tmp_path, {"mtls_lint_inventory": 2})], ReadContext(cwd=tmp_path))
    assert bundle.diagnostics[0].message == ("inventory inv.json: unsupported mtls_lint_inventory version 2 "
                                             "(this mtls-lint reads 1)")


def test_missing_and_undecodable_files(tmp_path):
    fragment = read_inventory([tmp_path / "gone.json", write(tmp_path, b"\xff\x00\xfe", "bin.json")],
                              ReadContext(cwd=tmp_path))
    assert [d.message for d in fragment.diagnostics] == [
        "inventory gone.json cannot be read", "inventory bin.json is not valid UTF-8 text"]
    assert fragment.diagnostics[1].location == Location("bin.json", 1, 1)
    bad_utf8 = read_inventory([write(tmp_path, b'{\n  "a": "\xc3\xa9\xff"}', "late.json")], ReadContext(cwd=tmp_path))
    assert bad_utf8.diagnostics == [Diagnostic("MTLS001", "inventory late.json is not valid UTF-8 text",
                                               Location("late.json", 2, 10))]
    bad_utf16 = read_inventory([write(tmp_path, b"\xff\xfe\x00\xd8", "odd.json")], ReadContext(cwd=tmp_path))
    assert bad_utf16.diagnostics == [Diagnostic("MTLS001", "inventory odd.json is not valid UTF-16 text",
                                                Location("odd.json", 1, 1))]


def test_utf16_with_bom(tmp_path):
    text = (INVENTORY / "describe-certificate-amazon-issued.json").read_text()
    fragment = read_inventory([write(tmp_path, text.encode("utf-16"))], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [] and fragment.certificates[0].location.line == 3


def test_bundle_defaults_and_context_defaults(tmp_path):
    detail = {"CertificateArn": "not-an-arn", "DomainName": "a.example.com", "SubjectAlternativeNames": []}
    domain = {"domainName": "a.example.com", "certificateArn": "not-an-arn",
              "mutualTlsAuthentication": {"truststoreUri": "https://bucket/key"}}
    bundle = {"mtls_lint_inventory": 1, "region": "eu-west-1", "certificates": [detail], "rest_domain_names": [domain]}
    ctx = ReadContext(cwd=tmp_path, account="999988887777", region="us-west-2")
    fragment = read_inventory([write(tmp_path, bundle)], ctx)
    cert, = fragment.certificates
    assert (cert.account, cert.region, cert.names) == ("999988887777", "eu-west-1", ("a.example.com",))
    assert isinstance(cert.kind, Unknown) and isinstance(cert.issuer, Unknown)
    dom, = fragment.domains
    assert (dom.account, dom.region) == ("999988887777", "eu-west-1")
    assert isinstance(dom.endpoint_type, Unknown)
    assert (dom.truststore.uri, dom.truststore.bucket, dom.truststore.key) == ("https://bucket/key", None, None)
    assert fragment.covered == {("999988887777", "eu-west-1")}


def test_summary_without_full_names_is_partial(tmp_path):
    content = {"CertificateSummaryList": [
        {"CertificateArn": AMAZON_API, "DomainName": "api.example.com"},
        {"CertificateArn": IMPORTED_API, "DomainName": "x.example.com",
         "SubjectAlternativeNameSummaries": ["x.example.com"], "HasAdditionalSubjectAlternativeNames": True},
    ], "NextToken": "abc"}
    fragment = read_inventory([write(tmp_path, content)], ReadContext(cwd=tmp_path))
    # Names known so far serve MTLS101/102; MTLS105 must not take them for the whole list.
    assert [(c.names, c.names_partial) for c in fragment.certificates] == [
        (("api.example.com",), True), (("x.example.com",), True)]
    assert fragment.covered == set()  # one page is not the whole region


def test_kind_inferred_without_type(tmp_path):
    content = [{"CertificateArn": AMAZON_API, "IssuedAt": 1.0, "Issuer": "Amazon"},
               {"CertificateArn": IMPORTED_API, "ImportedAt": 1.0, "Issuer": "CN=Corp Issuing CA,O=Example Corp"},
               {"CertificateArn": PCA_CERT, "CertificateAuthorityArn": PCA}]
    fragment = read_inventory([write(tmp_path, content)], ReadContext(cwd=tmp_path))
    assert [(c.kind, c.issuer) for c in fragment.certificates] == [
        (AMAZON_ISSUED, AMAZON), (IMPORTED, "CN=Corp Issuing CA,O=Example Corp"), (PRIVATE, PCA)]


@pytest.mark.parametrize(("value", "expected"), [
    (1478433600.0, dt.datetime(2016, 11, 6, 12, tzinfo=UTC)),
    (1478433600, dt.datetime(2016, 11, 6, 12, tzinfo=UTC)),
    ("1478433600.0", dt.datetime(2016, 11, 6, 12, tzinfo=UTC)),
    ("2016-11-06T12:00:00Z", dt.datetime(2016, 11, 6, 12, tzinfo=UTC)),
    ("2016-11-06T15:00:00+03:00", dt.datetime(2016, 11, 6, 12, tzinfo=UTC)),
    ("2023-06-12T12:01:09.526000+03:00", dt.datetime(2023, 6, 12, 9, 1, 9, 526000, tzinfo=UTC)),
    ("2016-11-06T12:00:00", dt.datetime(2016, 11, 6, 12, tzinfo=UTC)),
    ("soon", None), (True, None), (None, None), (1e20, None), ([], None),
])
def test_parse_timestamp(value, expected):
    assert parse_timestamp(value) == expected


@pytest.mark.parametrize(("value", "expected"), [
    ("RSA-2048", "RSA_2048"), ("RSA_2048", "RSA_2048"), ("EC-prime256v1", "EC_prime256v1"),
    ("EC_secp384r1", "EC_secp384r1"), ("rsa-4096", "RSA_4096"), ("", None), (None, None), (2048, None),
])
def test_normalise_key_algorithm(value, expected):
    assert normalise_key_algorithm(value) == expected


def test_a_number_beyond_4300_digits_is_mtls001_at_the_number(tmp_path):
    path = write(tmp_path, b'{"Certificate": {\n  "CertificateArn": "x",\n  "NotAfter": ' + b"1" * 5000 + b"}}")
    fragment = read_inventory([path], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [Diagnostic(
        "MTLS001", "inventory inv.json is not readable: a number has more than 4300 digits", Location("inv.json", 3, 15))]
    assert fragment.certificates == []


def test_json_nested_beyond_the_recursion_limit(tmp_path):
    fragment = read_inventory([write(tmp_path, b"[" * 100_000 + b"]" * 100_000)], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [Diagnostic("MTLS001", "inventory inv.json is nested too deeply to be read",
                                               Location("inv.json"))]


SECRET = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n"


def test_messages_never_echo_values(tmp_path):
    certificate = {"CertificateArn": AMAZON_API, "Type": "AMAZON_ISSUED", "NotAfter": SECRET, "NotBefore": [SECRET]}
    fragment = read_inventory([write(tmp_path, {"Certificate": certificate})], ReadContext(cwd=tmp_path))
    assert [d.message for d in fragment.diagnostics] == [
        "inventory inv.json: NotBefore is not an epoch or ISO-8601 timestamp",
        "inventory inv.json: NotAfter is not an epoch or ISO-8601 timestamp"]
    bundle = read_inventory([write(tmp_path, {"mtls_lint_inventory": SECRET})], ReadContext(cwd=tmp_path))
    assert [d.message for d in bundle.diagnostics] == [
        "inventory inv.json: unsupported mtls_lint_inventory version (this mtls-lint reads 1)"]


def test_a_certificate_without_any_name_has_unknown_names(tmp_path):
    content = {"Certificate": {"CertificateArn": AMAZON_API, "SubjectAlternativeNames": []}}
    (certificate,) = read_inventory([write(tmp_path, content)], ReadContext(cwd=tmp_path)).certificates
    assert certificate.names == Unknown("the inventory gives no name for this certificate")
