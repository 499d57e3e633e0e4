"""mtls_lint.readers.cloudformation: templates -> records, one builder per resource type, suppressions."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mtls_lint.model import (
    AMAZON,
    AMAZON_ISSUED,
    HTTP,
    PRIVATE,
    REST,
    REST_PRIVATE,
    Api,
    ApiMapping,
    Bucket,
    Certificate,
    CustomDomain,
    Diagnostic,
    Location,
    ResourceRef,
    Truststore,
    Unknown,
)
from mtls_lint.readers import Placement, ReadContext
from mtls_lint.readers.cfn_resources import BUILDERS
from mtls_lint.readers.cloudformation import (
    TemplateInput,
    is_template,
    metadata_ignores,
    read_cloudformation,
    read_templates,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "readers"
EVERY = "readers/every_type.yaml"
PCA = "arn:aws:acm-pca:us-east-1:111122223333:certificate-authority/11111111-2222-3333-4444-555555555555"


def at(line: int | None, column: int | None = None, path: str = EVERY) -> Location:
    return Location(path, line, column)


def read(*names: str, account: str | None = None, region: str | None = None):  # type: ignore[no-untyped-def]
    inputs = [TemplateInput(FIXTURES / name, f"readers/{name}", account, region) for name in names]
    return read_templates(inputs, ReadContext(cwd=FIXTURES))


@pytest.fixture(scope="module")
def every():  # type: ignore[no-untyped-def]
    fragment = read("every_type.yaml")
    records = [*fragment.certificates, *fragment.domains, *fragment.apis, *fragment.buckets, *fragment.mappings]
    return fragment, {record.resource: record for record in records}


def base(name: str, line: int, **extra: object) -> dict[str, object]:
    return {"resource": name, "location": at(line, 3), "source": EVERY, **extra}


# -- one test per resource type the reader builds --------------------------------------------------

def test_public_acm_certificate(every):
    _, records = every
    assert records["PublicCertificate"] == Certificate(
        **base("PublicCertificate", 5),
        names=("payments.example.com", "*.payments.example.com"),  # lower-cased, duplicates dropped, in order
        kind=AMAZON_ISSUED,
        issuer=AMAZON,
        key_algorithm="EC_prime256v1",
        field_locations={"names": at(8, 7), "issuer": at(5, 3)},
    )


def test_private_ca_certificate(every):
    _, records = every
    assert records["PrivateCaCertificate"] == Certificate(
        **base("PrivateCaCertificate", 15),
        names=("payments.example.com",),
        kind=PRIVATE,
        issuer=PCA,
        field_locations={"names": at(18, 7), "issuer": at(19, 7)},
    )


def test_rest_domain_without_endpoint_configuration_is_edge(every):
    _, records = every
    loc = at(21, 3)
    assert records["EdgeDomain"] == CustomDomain(
        **base("EdgeDomain", 21),
        kind=REST,
        domain_name="www.payments.example.com",
        endpoint_type="EDGE",
        endpoint_type_implied=True,
        security_policy=None,
        certificate=ResourceRef(EVERY, "PublicCertificate"),
        ownership_certificate=None,
        truststore=None,
        field_locations={"domain_name": at(24, 7), "endpoint_type": loc, "security_policy": loc,
                         "certificate": at(25, 7), "ownership_certificate": loc, "truststore": loc},
    )


def test_private_domain_v2(every):
    _, records = every
    loc = at(27, 3)
    assert records["PrivateDomain"] == CustomDomain(
        **base("PrivateDomain", 27),
        kind=REST_PRIVATE,
        domain_name="internal.payments.example.com",
        endpoint_type="PRIVATE",
        security_policy="TLS_1_2",
        certificate=ResourceRef(EVERY, "PublicCertificate"),
        field_locations={"domain_name": at(30, 7), "endpoint_type": at(33, 9), "security_policy": at(35, 7),
                         "certificate": at(31, 7), "ownership_certificate": loc, "truststore": loc},
    )


def test_http_domain_reads_its_one_configuration(every):
    _, records = every
    assert records["HttpDomain"] == CustomDomain(
        **base("HttpDomain", 44),
        kind=HTTP,
        domain_name="payments.example.com",
        endpoint_type="REGIONAL",
        security_policy="TLS_1_2",
        certificate=ResourceRef(EVERY, "PrivateCaCertificate"),
        ownership_certificate=ResourceRef(EVERY, "PublicCertificate"),
        truststore=Truststore(location=at(53, 7), uri="s3://payments-truststore/clients.pem",
                              bucket="payments-truststore", key="clients.pem",
                              version="3sL4kqtJlcpXroDTDmJ-rmSpXd3dIbrHY"),
        configuration_count=1,
        field_locations={"domain_name": at(47, 7), "endpoint_type": at(51, 11), "security_policy": at(52, 11),
                         "certificate": at(49, 11), "ownership_certificate": at(50, 11), "truststore": at(53, 7),
                         "truststore_uri": at(54, 9), "truststore_version": at(55, 9),
                         "configurations": at(48, 7)},
    )


def test_rest_api_with_the_openapi_body_extension(every):
    _, records = every
    assert records["LedgerApi"] == Api(
        **base("LedgerApi", 66),
        kind=REST,
        disable_execute_api_endpoint=None,
        body_disable_execute_api_endpoint=True,
        field_locations={"disable_execute_api_endpoint": at(66, 3), "body_disable_execute_api_endpoint": at(70, 7)},
    )
    assert records["LedgerApi"].execute_api_endpoint_disabled is True


def test_http_api_with_the_property(every):
    _, records = every
    assert records["PaymentsApi"] == Api(
        **base("PaymentsApi", 79),
        kind=HTTP,
        disable_execute_api_endpoint=False,
        body_disable_execute_api_endpoint=None,
        field_locations={"disable_execute_api_endpoint": at(84, 7), "body_disable_execute_api_endpoint": at(79, 3)},
    )


def test_bucket(every):
    _, records = every
    assert records["TruststoreBucket"] == Bucket(
        **base("TruststoreBucket", 57),
        name="payments-truststore",
        versioning="Suspended",
        field_locations={"versioning": at(63, 7)},
    )


def test_base_path_mapping(every):
    _, records = every
    assert records["EdgeMapping"] == ApiMapping(
        **base("EdgeMapping", 93), domain=ResourceRef(EVERY, "EdgeDomain"), api=ResourceRef(EVERY, "LedgerApi"))


def test_base_path_mapping_v2_names_the_domain_by_arn(every):
    _, records = every
    assert records["PrivateMapping"] == ApiMapping(
        **base("PrivateMapping", 99), domain=ResourceRef(EVERY, "PrivateDomain", "DomainNameArn"),
        api=ResourceRef(EVERY, "LedgerApi"))


def test_api_mapping(every):
    _, records = every
    assert records["PaymentsMapping"] == ApiMapping(
        **base("PaymentsMapping", 105), domain=ResourceRef(EVERY, "HttpDomain"), api=ResourceRef(EVERY, "PaymentsApi"))


def test_every_builder_is_exercised_by_the_fixture(every):
    fragment, _ = every
    text = (FIXTURES / "every_type.yaml").read_text(encoding="utf-8")
    for resource_type in BUILDERS:
        assert f"Type: {resource_type}\n" in text, f"{resource_type} has no resource in every_type.yaml"
    # only resource types with a builder become records (the Stage does not)
    names = {r.resource for r in (*fragment.certificates, *fragment.domains, *fragment.apis, *fragment.buckets,
                                  *fragment.mappings)}
    assert "PaymentsStage" not in names
    assert fragment.files == [EVERY]
    assert fragment.diagnostics == []


# -- JSON templates -------------------------------------------------------------------------------------

def test_json_template_records_and_positions():
    fragment = read("billing_http.json")
    p = "readers/billing_http.json"
    (domain,) = fragment.domains
    assert domain.location == Location(p, 19, 5)
    assert domain.where("domain_name") == Location(p, 22, 9)
    assert domain.where("certificate") == Location(p, 25, 13)
    assert domain.where("ownership_certificate") == Location(p, 24, 11)  # the configuration item
    assert domain.where("truststore_uri") == Location(p, 31, 11)
    assert domain.certificate == "arn:aws:acm:eu-central-1:111122223333:certificate/9f8e7d6c-0000-1111-2222-333344445555"
    assert domain.configuration_count == 1
    (api,) = fragment.apis
    assert (api.resource, api.kind, api.disable_execute_api_endpoint, api.where("disable_execute_api_endpoint")) == \
        ("BillingApi", HTTP, True, Location(p, 40, 9))
    (bucket,) = fragment.buckets
    assert (bucket.location, bucket.versioning, bucket.name) == (Location(p, 11, 5), "Enabled", None)
    (mapping,) = fragment.mappings
    assert (mapping.domain, mapping.api) == (ResourceRef(p, "BillingDomain"), ResourceRef(p, "BillingApi"))


# -- account and region ---------------------------------------------------------------------------------

def test_account_and_region_from_the_input_are_on_every_record():
    fragment = read("every_type.yaml", account="111122223333", region="us-east-1")
    for record in (*fragment.certificates, *fragment.domains, *fragment.apis, *fragment.buckets, *fragment.mappings):
        assert (record.account, record.region) == ("111122223333", "us-east-1")


def test_read_cloudformation_places_templates_by_glob():
    ctx = ReadContext(cwd=FIXTURES.parent, account="999999999999", region="us-east-1",
                      placements=(Placement("readers/billing*", region="eu-central-1"),))
    fragment = read_cloudformation([FIXTURES / "billing_http.json", FIXTURES / "every_type.yaml"], ctx)
    regions = {d.source: (d.account, d.region) for d in fragment.domains}
    assert regions == {
        "readers/billing_http.json": ("999999999999", "eu-central-1"),
        "readers/every_type.yaml": ("999999999999", "us-east-1"),
    }


# -- what counts as a template ------------------------------------------------------------------------

@pytest.mark.parametrize(("document", "expected"), [
    ({"AWSTemplateFormatVersion": "2010-09-09"}, True),
    ({"Resources": {"B": {"Type": "AWS::S3::Bucket"}}}, True),
    ({"Resources": {"B": {"Properties": {}}}}, False),
    ({"Resources": []}, False),
    ({"openapi": "3.0.1"}, False),
    ([{"Type": "AWS::S3::Bucket"}], False),
    (None, False),
])
def test_is_template(document, expected):
    assert is_template(document) is expected


def test_templates_that_mention_no_relevant_type_are_not_read(tmp_path):
    template = tmp_path / "queue.yaml"
    template.write_text('AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  Queue:\n    Type: AWS::SQS::Queue\n')
    fragment = read_templates([TemplateInput(template, "queue.yaml")], ReadContext(cwd=tmp_path))
    assert fragment.files == [] and fragment.diagnostics == []


def test_unparseable_template_is_a_diagnostic_with_the_position(tmp_path):
    template = tmp_path / "broken.yaml"
    template.write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          ApiDomain:
            Type: AWS::ApiGateway::DomainName
            Properties:
              DomainName: api.example.com
             RegionalCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/abc
        """))
    fragment = read_templates([TemplateInput(template, "broken.yaml")], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [
        Diagnostic("MTLS001", "not valid YAML/JSON: did not find expected key", Location("broken.yaml", 7, 6))]
    assert fragment.files == ["broken.yaml"]
    assert fragment.domains == []


def test_undecodable_template_is_a_diagnostic(tmp_path):
    template = tmp_path / "latin1.yaml"
    template.write_bytes(b'AWSTemplateFormatVersion: "2010-09-09"\nDescription: "Caf\xe9"\n'
                         b"Resources:\n  B:\n    Type: AWS::S3::Bucket\n")
    fragment = read_templates([TemplateInput(template, "latin1.yaml")], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [
        Diagnostic("MTLS001", "cannot read template: not UTF-8 text", Location("latin1.yaml", 1, 1))]


def test_utf8_bom_is_accepted(tmp_path):
    template = tmp_path / "bom.json"
    template.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "billing_http.json").read_bytes())
    fragment = read_templates([TemplateInput(template, "bom.json")], ReadContext(cwd=tmp_path))
    assert [d.resource for d in fragment.domains] == ["BillingDomain"]
    assert fragment.domains[0].location == Location("bom.json", 19, 5)


def test_resources_that_are_a_list_are_a_diagnostic(tmp_path):
    template = tmp_path / "list.yaml"
    template.write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          - Type: AWS::ApiGateway::DomainName
            Properties:
              DomainName: api.example.com
        """))
    fragment = read_templates([TemplateInput(template, "list.yaml")], ReadContext(cwd=tmp_path))
    assert [d.rule_id for d in fragment.diagnostics] == ["MTLS001"]
    assert fragment.diagnostics[0].location == Location("list.yaml", 2, 1)


def test_yaml_in_flow_style_is_read_as_yaml(tmp_path):
    template = tmp_path / "flow.yaml"
    template.write_text('{AWSTemplateFormatVersion: "2010-09-09", Resources: {ApiDomain: {Type: '
                        'AWS::ApiGateway::DomainName, Properties: {DomainName: api.example.com}}}}\n')
    fragment = read_templates([TemplateInput(template, "flow.yaml")], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == []
    assert [d.domain_name for d in fragment.domains] == ["api.example.com"]


# -- suppressions ---------------------------------------------------------------------------------------

def test_metadata_suppressions():
    fragment = read("suppressions.yaml")
    p = "readers/suppressions.yaml"
    assert fragment.file_ignores == {p: frozenset({"MTLS305"})}
    ignores = {d.resource: d.ignore for d in fragment.domains}
    assert ignores == {"PartnerDomain": frozenset({"MTLS102"}), "GlobexDomain": frozenset({"MTLS102"})}
    assert {c.resource: c.ignore for c in fragment.certificates} == {"WildcardCertificate": frozenset()}


@pytest.mark.parametrize(("metadata", "expected"), [
    ({"mtls-lint": {"ignore": ["MTLS102", " MTLS3 "]}}, {"MTLS102", "MTLS3"}),
    ({"cfn-lint": {"config": {"ignore_checks": ["W9102", "E9301", "I9104", "E3012", "W91"]}}},
     {"MTLS102", "MTLS301", "MTLS104"}),
    ({"mtls-lint": {"ignore": ["MTLS305"]}, "cfn-lint": {"config": {"ignore_checks": ["W9308"]}}},
     {"MTLS305", "MTLS308"}),
    ({"mtls-lint": {"ignore": "MTLS102"}}, set()),
    ({"mtls-lint": None}, set()),
    (None, set()),
    (["MTLS102"], set()),
])
def test_metadata_ignores(metadata, expected):
    assert metadata_ignores(metadata) == frozenset(expected)


def test_metadata_suppressions_end_to_end(tmp_path, monkeypatch, capsys):
    import json

    from mtls_lint.cli import main

    monkeypatch.chdir(FIXTURES.parent)
    config = tmp_path / "empty.yaml"
    config.write_text("")
    report = tmp_path / "report.json"
    status = main(["readers/suppressions.yaml", "--format", f"json={report}", "--now", "2026-12-04T00:00:00Z",
                   "--config", str(config)])
    assert capsys.readouterr().err == ""
    data = json.loads(report.read_text(encoding="utf-8"))
    assert status == 0
    assert data["findings"] == []
    assert [(f["rule_id"], f["resource"], f["location"]["line"]) for f in data["suppressed"]] == [
        ("MTLS102", "PartnerDomain", 26),  # cfn-lint ignore_checks: [W9102]
        ("MTLS102", "GlobexDomain", 41),  # mtls-lint: ignore: [MTLS102]
        ("MTLS305", "PartnerApi", 49),  # the template's Metadata
    ]
