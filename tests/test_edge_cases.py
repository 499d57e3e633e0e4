"""Regressions from the code review: branches, unknown regions, odd inputs, and the safety nets."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from mtls_lint import lint as lint_module
from mtls_lint.cli import main

NOW = "2026-12-04T00:00:00Z"

BRANCHED_CERTIFICATE = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  UsePca: {Type: String, Default: "no"}
Conditions:
  PcaOn: !Equals [!Ref UsePca, "yes"]
Resources:
  AcmCert:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: api.example.com, ValidationMethod: DNS}
  PcaCert:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: api.example.com
      CertificateAuthorityArn: arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/abc
  Own:
    Type: AWS::CertificateManager::Certificate
    Properties: {DomainName: api.example.com, ValidationMethod: DNS}
  Domain:
    Type: AWS::ApiGateway::DomainName
    Properties:
      DomainName: api.example.com
      EndpointConfiguration: {Types: [REGIONAL]}
      SecurityPolicy: TLS_1_2
      RegionalCertificateArn: !If [PcaOn, !Ref PcaCert, !Ref AcmCert]
      OwnershipVerificationCertificateArn: !Ref Own
      MutualTlsAuthentication: {TruststoreUri: s3://bucket/ts.pem}
"""

BRANCHED_NAMES = """\
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Env: {Type: String, Default: dev}
Conditions:
  IsProd: !Equals [!Ref Env, prod]
Resources:
  Cert:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: !If [IsProd, api.example.com, api.dev.example.com]
      ValidationMethod: DNS
  Domain:
    Type: AWS::ApiGateway::DomainName
    Properties:
      DomainName: !If [IsProd, api.example.com, api.dev.example.com]
      EndpointConfiguration: {Types: [REGIONAL]}
      SecurityPolicy: TLS_1_2
      RegionalCertificateArn: !Ref Cert
"""

MTLS_DOMAIN = """\
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  {name}:
    Type: AWS::ApiGateway::DomainName
    Properties:
      DomainName: api.example.com
      EndpointConfiguration: {{Types: [REGIONAL]}}
      SecurityPolicy: TLS_1_2
      RegionalCertificateArn: {certificate}
      MutualTlsAuthentication: {{TruststoreUri: s3://bucket/ts.pem}}
"""


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[tuple[str, str, int | None, str]], str]:
    code = main([*args, "--now", NOW, "--format", "json"])
    captured = capsys.readouterr()
    findings = json.loads(captured.out)["findings"] if captured.out else []
    return code, [(f["rule_id"], f["location"]["path"].rsplit("/", 1)[-1], f["location"]["line"], f["message"])
                  for f in findings], captured.err


def test_branches_of_one_domain_never_conflict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.yaml").write_text(BRANCHED_CERTIFICATE)
    _, findings, _ = run(capsys, str(tmp_path), "--region", "us-east-1")
    assert [rule for rule, *_ in findings] == ["MTLS103"]  # the Private CA branch; no MTLS101/104 with itself


def test_references_are_followed_within_the_same_branch(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.yaml").write_text(BRANCHED_NAMES)
    assert run(capsys, str(tmp_path), "--region", "us-east-1")[1] == []  # no MTLS105 across branches


def test_unknown_regions_are_compared_only_within_one_source(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    pca = "arn:aws:acm:us-east-1:111122223333:certificate/aaaa"
    (tmp_path / "a.yaml").write_text(MTLS_DOMAIN.format(name="A", certificate="!Ref Cert") +
                                     "  Cert:\n    Type: AWS::CertificateManager::Certificate\n"
                                     "    Properties: {DomainName: api.example.com, ValidationMethod: DNS}\n")
    (tmp_path / "b.yaml").write_text(
        MTLS_DOMAIN.format(name="B", certificate="!Ref Cert").replace("api.example.com", "b.example.com") +
        "  Cert:\n    Type: AWS::CertificateManager::Certificate\n    Properties:\n"
        "      DomainName: api.example.com\n      SubjectAlternativeNames: [b.example.com]\n"
        "      CertificateAuthorityArn: arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/abc\n")
    assert pca  # the ARN form is not needed: both certificates are declared
    _, without_region, _ = run(capsys, str(tmp_path), "--select", "MTLS101,MTLS104")
    assert without_region == []
    _, with_region, _ = run(capsys, str(tmp_path), "--region", "us-east-1", "--select", "MTLS101")
    assert [(rule, path) for rule, path, *_ in with_region] == [("MTLS101", "a.yaml"), ("MTLS101", "b.yaml")]


def test_declared_domain_supersedes_its_inventory_entry(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.yaml").write_text(
        MTLS_DOMAIN.format(name="Domain", certificate="!Ref Cert") +
        "  Cert:\n    Type: AWS::CertificateManager::Certificate\n"
        "    Properties: {DomainName: api.example.com, ValidationMethod: DNS}\n")
    inventory = tmp_path / "inventory.json"
    inventory.write_text(json.dumps({
        "mtls_lint_inventory": 1, "account": "111122223333", "region": "us-east-1",
        "certificates": [{"CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/old",
                          "DomainName": "api.example.com", "SubjectAlternativeNames": ["api.example.com"],
                          "Type": "IMPORTED", "Issuer": "Corp CA", "Status": "ISSUED"}],
        "rest_domain_names": [{"domainName": "api.example.com",
                               "regionalCertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/old",
                               "endpointConfiguration": {"types": ["REGIONAL"]}, "securityPolicy": "TLS_1_2",
                               "mutualTlsAuthentication": {"truststoreUri": "s3://bucket/ts.pem"}}]}))
    _, findings, _ = run(capsys, str(tmp_path / "t.yaml"), "--region", "us-east-1", "--account", "111122223333",
                         "--inventory", str(inventory))
    assert findings == []  # moving the domain from the imported certificate to ACM is no conflict


@pytest.mark.parametrize(("extra", "message"), [
    ("      BodyS3Location: {Bucket: specs, Key: api.yaml}\n",
     "the OpenAPI definition is in S3 (BodyS3Location): the execute-api endpoint of Api could not be checked"),
    ("      Body: {'Fn::Transform': {Name: 'AWS::Include', Parameters: {Location: s3://specs/api.yaml}}}\n",
     "value computed at deployment: the execute-api endpoint of Api could not be checked"),
])
def test_execute_api_is_not_judged_without_the_body(extra: str, message: str, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.yaml").write_text(
        MTLS_DOMAIN.format(name="Domain", certificate="arn:aws:acm:us-east-1:111122223333:certificate/x") +
        "  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: api\n" + extra +
        "  Mapping:\n    Type: AWS::ApiGateway::BasePathMapping\n"
        "    Properties: {DomainName: !Ref Domain, RestApiId: !Ref Api}\n")
    _, findings, _ = run(capsys, str(tmp_path), "--region", "us-east-1")
    assert [(rule, text) for rule, _, _, text in findings] == [("MTLS002", message)]


def test_empty_truststore_version_is_unset(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.yaml").write_text(
        MTLS_DOMAIN.format(name="Domain", certificate="arn:aws:acm:us-east-1:111122223333:certificate/x")
        .replace("TruststoreUri: s3://bucket/ts.pem}", "TruststoreUri: s3://bucket/ts.pem, TruststoreVersion: ''}") +
        "  Bucket:\n    Type: AWS::S3::Bucket\n    Properties: {BucketName: bucket}\n")
    assert run(capsys, str(tmp_path), "--region", "us-east-1")[1] == []  # no MTLS307 "pins version ,"


def test_no_value_in_a_string_property_is_absent(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "t.yaml").write_text(
        "AWSTemplateFormatVersion: '2010-09-09'\nConditions:\n  Strict: !Equals [a, b]\n" +
        MTLS_DOMAIN.format(name="Domain", certificate="arn:aws:acm:us-east-1:111122223333:certificate/x")
        .split("\n", 1)[1].replace("SecurityPolicy: TLS_1_2", "SecurityPolicy: !If [Strict, TLS_1_2, !Ref AWS::NoValue]"))
    _, findings, _ = run(capsys, str(tmp_path), "--region", "us-east-1")
    assert [(rule, text.rsplit("(", 1)[-1]) for rule, _, _, text in findings] == [
        ("MTLS302", "when Strict is false)")]


def test_config_exclude_is_relative_to_the_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    skipped = tmp_path / "sub" / "skip"
    skipped.mkdir(parents=True)
    (skipped / "t.yaml").write_text(MTLS_DOMAIN.format(name="D", certificate="x"))
    (tmp_path / ".mtls-lint.yaml").write_text('exclude: ["sub/skip/**"]\n')
    monkeypatch.chdir(tmp_path / "sub")
    code, findings, _ = run(capsys, ".")
    assert (code, findings) == (0, [])


def test_symlink_loop_is_skipped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    os.symlink(tmp_path / "a.yaml", tmp_path / "b.yaml")
    os.symlink(tmp_path / "b.yaml", tmp_path / "a.yaml")
    (tmp_path / "good.yaml").write_text(MTLS_DOMAIN.format(name="D", certificate="x"))
    code, findings, err = run(capsys, str(tmp_path), "--select", "MTLS301")
    assert (code, err) == (0, "")


def test_lone_surrogates_are_printed_escaped(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # YAML refuses lone surrogates; JSON allows the escape.
    (tmp_path / "t.json").write_text(json.dumps({"Resources": {"D\ud800": {
        "Type": "AWS::ApiGateway::DomainName",
        "Properties": {"DomainName": "\ud800.example.com", "RegionalCertificateArn": "x",
                       "MutualTlsAuthentication": {"TruststoreUri": "s3://b/k"}}}}}))
    for fmt in ("text", "json"):
        assert main([str(tmp_path), "--format", fmt, "--now", NOW]) in (0, 1)
        assert "\\ud800" in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (["--expiry-days", "9999999999"], "--expiry-days must be between 0 and 36500"),
    (["--now", "9999-12-31T23:59:59Z"], "--now must be between the years 1970 and 9000, got '9999-12-31T23:59:59Z'"),
])
def test_date_ranges_are_usage_errors(args: list[str], message: str, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path), *args]) == 2
    assert capsys.readouterr().err == f"mtls-lint: error: {message}\n"


def test_a_reader_crash_is_mtls001_on_that_file_only(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "bad.yaml").write_text(MTLS_DOMAIN.format(name="Bad", certificate="x"))
    (tmp_path / "good.yaml").write_text(
        MTLS_DOMAIN.format(name="Good", certificate="x").replace("      EndpointConfiguration: {Types: [REGIONAL]}\n", ""))
    real = lint_module._reader("cloudformation", "read_templates")

    def flaky(items, ctx):  # type: ignore[no-untyped-def]
        if any(item.display.endswith("bad.yaml") for item in items):
            raise RecursionError("simulated")
        return real(items, ctx)

    monkeypatch.setattr(lint_module, "_reader", lambda module, function: flaky)
    code, findings, err = run(capsys, str(tmp_path), "--select", "MTLS001,MTLS301")
    assert code == 1 and err == ""
    assert [(rule, path) for rule, path, *_ in findings] == [("MTLS001", "bad.yaml"), ("MTLS301", "good.yaml")]
    assert findings[0][3].startswith("the CloudFormation reader failed on this input (RecursionError)")


DATA_SOURCE_DOMAIN = '''\
data "aws_acm_certificate" "shared" {
  domain = "*.example.com"
  types  = ["AMAZON_ISSUED"]
}

resource "aws_api_gateway_domain_name" "api" {
  domain_name              = "api.internal.example.com"
  regional_certificate_arn = data.aws_acm_certificate.shared.arn
  security_policy          = "TLS_1_2"

  endpoint_configuration {
    types = ["REGIONAL"]
  }

  mutual_tls_authentication {
    truststore_uri = "s3://corp-truststores/api/truststore.pem"
  }
}
'''


def test_a_data_source_certificate_has_partial_names(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Its domain is one of its names: enough for MTLS102, never for MTLS105 (it may carry SANs)."""
    (tmp_path / "main.tf").write_text(DATA_SOURCE_DOMAIN)
    _, findings, _ = run(capsys, str(tmp_path), "--region", "us-east-1")
    assert [(rule, line) for rule, _, line, _ in findings] == [("MTLS102", 8)]
