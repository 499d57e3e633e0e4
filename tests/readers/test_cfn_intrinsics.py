"""Intrinsic functions: mtls_lint.readers.cfn_intrinsics on its own, and as read_templates applies it."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mtls_lint.model import CustomDomain, Location, ResourceRef, Truststore, Unknown
from mtls_lint.readers import ReadContext
from mtls_lint.readers.cfn_intrinsics import NO_VALUE, Parts, Resolver, TemplateScope
from mtls_lint.readers.cloudformation import TemplateInput, read_templates
from mtls_lint.readers.structured import load_document

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "readers"
WHERE = Location("t.yaml", 40, 7)

SNIPPET = """\
Parameters:
  DomainName:
    Type: String
    Default: api.example.com
  CertificateArn:
    Type: String
  AlternativeNames:
    Type: CommaDelimitedList
    Default: "www.example.com, example.com"
  Port:
    Type: Number
    Default: 443
Mappings:
  Environments:
    prod:
      OwnershipCertificate: arn:aws:acm:us-east-1:111122223333:certificate/ownership
Resources:
  TruststoreBucket:
    Type: AWS::S3::Bucket
  NamedBucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: corp-truststores
  ApiCertificate:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: api.example.com
"""


def resolver(assumptions: dict[str, bool] | None = None, *, pseudo: dict[str, object] | None = None,
             import_export=None) -> Resolver:  # type: ignore[no-untyped-def]
    doc = load_document(SNIPPET, "t.yaml")
    scope = TemplateScope(
        source="t.yaml", path="t.yaml", parameters=doc["Parameters"], resources=doc["Resources"],
        mappings=doc["Mappings"], pseudo=pseudo if pseudo is not None else {"AWS::Region": "eu-west-1", "AWS::Partition": "aws"},
        import_export=import_export,
    )
    return Resolver(scope, assumptions or {})


def resolve(value: object, **kwargs: object) -> object:
    return resolver(**kwargs).resolve(value, WHERE)  # type: ignore[arg-type]


# -- Ref ----------------------------------------------------------------------------------------------

def test_ref_to_a_parameter_with_a_default_is_the_default():
    assert resolve({"Ref": "DomainName"}) == "api.example.com"
    assert resolve({"Ref": "Port"}) == 443


def test_ref_to_a_parameter_without_default_is_unknown_at_the_reference():
    assert resolve({"Ref": "CertificateArn"}) == Unknown("parameter CertificateArn has no default", WHERE)


def test_ref_to_a_list_parameter_splits_and_strips_the_default():
    assert resolve({"Ref": "AlternativeNames"}) == ["www.example.com", "example.com"]


def test_ref_to_a_resource_is_a_resource_ref():
    assert resolve({"Ref": "ApiCertificate"}) == ResourceRef("t.yaml", "ApiCertificate")
    assert resolve({"Ref": "TruststoreBucket"}) == ResourceRef("t.yaml", "TruststoreBucket")


def test_ref_to_a_bucket_with_a_literal_name_is_that_name():
    assert resolve({"Ref": "NamedBucket"}) == "corp-truststores"


def test_ref_to_nothing_declared_is_unknown():
    assert resolve({"Ref": "Missing"}) == Unknown("Ref to Missing, which is neither a parameter nor a resource", WHERE)
    assert resolve({"Ref": ["not", "a", "name"]}) == Unknown("Ref to a non-string name", WHERE)


def test_pseudo_parameters():
    assert resolve({"Ref": "AWS::Region"}) == "eu-west-1"
    assert resolve({"Ref": "AWS::NoValue"}) is NO_VALUE
    assert resolve({"Ref": "AWS::StackId"}) == Unknown("pseudo parameter AWS::StackId is known only at deployment", WHERE)


def test_unknown_pseudo_parameter_is_located_at_the_reference():
    pseudo = {"AWS::Region": Unknown("AWS::Region is not known: pass --region or set it in the config",
                                     Location("t.yaml", 1, 1))}
    value = resolve({"Ref": "AWS::Region"}, pseudo=pseudo)
    assert isinstance(value, Unknown)
    assert value.location == WHERE


def test_ssm_parameter_types_are_unknown_before_deployment():
    doc = load_document(textwrap.dedent("""\
        Parameters:
          TruststoreUri:
            Type: AWS::SSM::Parameter::Value<String>
            Default: /platform/api/truststore-uri
        """), "ssm.yaml")
    scope = TemplateScope(source="ssm.yaml", path="ssm.yaml", parameters=doc["Parameters"], resources={},
                          mappings={}, pseudo={})
    value = Resolver(scope).resolve({"Ref": "TruststoreUri"}, WHERE)
    assert isinstance(value, Unknown)


# -- Fn::GetAtt -------------------------------------------------------------------------------------

@pytest.mark.parametrize("arg", [["ApiCertificate", "Arn"], "ApiCertificate.Arn"])
def test_get_att_of_a_resource(arg):
    assert resolve({"Fn::GetAtt": arg}) == ResourceRef("t.yaml", "ApiCertificate", "Arn")


def test_get_att_of_something_undeclared_is_unknown():
    assert resolve({"Fn::GetAtt": ["Missing", "Arn"]}) == Unknown("Fn::GetAtt of 'Missing' cannot be followed", WHERE)
    assert resolve({"Fn::GetAtt": ["OnlyOne"]}) == Unknown("malformed Fn::GetAtt", WHERE)


# -- Fn::Sub ----------------------------------------------------------------------------------------

def test_sub_with_a_resource_keeps_the_shape_as_parts():
    assert resolve({"Fn::Sub": "s3://${TruststoreBucket}/truststore.pem"}) == Parts(
        ("s3://", ResourceRef("t.yaml", "TruststoreBucket"), "/truststore.pem"))


def test_sub_of_known_values_is_a_string():
    assert resolve({"Fn::Sub": "s3://${NamedBucket}/${DomainName}/truststore.pem"}) == \
        "s3://corp-truststores/api.example.com/truststore.pem"
    assert resolve({"Fn::Sub": "arn:${AWS::Partition}:acm:${AWS::Region}"}) == "arn:aws:acm:eu-west-1"


def test_sub_list_form_uses_its_variables_first():
    value = {"Fn::Sub": ["s3://${Bucket}/${DomainName}.pem", {"Bucket": "partner-truststores",
                                                               "DomainName": {"Ref": "AWS::Region"}}]}
    assert resolve(value) == "s3://partner-truststores/eu-west-1.pem"


def test_sub_escaped_variable_is_literal():
    assert resolve({"Fn::Sub": "${!Literal}-${AWS::Region}"}) == "${Literal}-eu-west-1"
    assert resolve({"Fn::Sub": "s3://${!Bucket}/${!Key}"}) == "s3://${Bucket}/${Key}"


def test_sub_with_get_att_syntax():
    assert resolve({"Fn::Sub": "${ApiCertificate.Arn}"}) == Parts((ResourceRef("t.yaml", "ApiCertificate", "Arn"),))


def test_sub_with_an_unknown_part_keeps_the_unknown():
    assert resolve({"Fn::Sub": "arn:aws:acm:${AWS::Region}:${CertificateArn}"}) == Parts(
        ("arn:aws:acm:eu-west-1:", Unknown("parameter CertificateArn has no default", WHERE)))


def test_malformed_sub():
    assert resolve({"Fn::Sub": 42}) == Unknown("malformed Fn::Sub", WHERE)


# -- Fn::Join, Fn::Select, Fn::Split, Fn::FindInMap -------------------------------------------------

def test_join_of_known_values():
    assert resolve({"Fn::Join": [".", ["api", {"Ref": "AWS::Region"}, "example.com"]]}) == "api.eu-west-1.example.com"
    assert resolve({"Fn::Join": ["-", ["a", 1, True]]}) == "a-1-true"
    assert resolve({"Fn::Join": [",", {"Ref": "AlternativeNames"}]}) == "www.example.com,example.com"


def test_join_with_a_resource_is_parts():
    assert resolve({"Fn::Join": ["", ["s3://", {"Ref": "TruststoreBucket"}, "/t.pem"]]}) == Parts(
        ("s3://", ResourceRef("t.yaml", "TruststoreBucket"), "/t.pem"))


def test_join_unknowns():
    assert resolve({"Fn::Join": [{"Ref": "CertificateArn"}, ["a", "b"]]}) == Unknown("Fn::Join delimiter unknown", WHERE)
    assert resolve({"Fn::Join": ["", {"Ref": "CertificateArn"}]}) == Unknown("parameter CertificateArn has no default", WHERE)
    assert resolve({"Fn::Join": ["", "not-a-list"]}) == Unknown("Fn::Join of a non-list", WHERE)


def test_select_and_split():
    assert resolve({"Fn::Select": [1, {"Ref": "AlternativeNames"}]}) == "example.com"
    assert resolve({"Fn::Select": ["0", {"Fn::Split": ["/", "truststores/api/ca.pem"]}]}) == "truststores"
    assert resolve({"Fn::Select": [3, ["a"]]}) == Unknown("Fn::Select out of range", WHERE)
    assert resolve({"Fn::Select": [{"Ref": "CertificateArn"}, ["a"]]}) == Unknown("Fn::Select index unknown", WHERE)
    assert resolve({"Fn::Split": [",", {"Ref": "CertificateArn"}]}) == \
        Unknown("Fn::Split of a value unknown before deployment", WHERE)


def test_find_in_map():
    assert resolve({"Fn::FindInMap": ["Environments", "prod", "OwnershipCertificate"]}) == \
        "arn:aws:acm:us-east-1:111122223333:certificate/ownership"
    assert resolve({"Fn::FindInMap": ["Environments", "dev", "OwnershipCertificate"]}) == \
        Unknown("Fn::FindInMap key unknown before deployment", WHERE)
    assert resolve({"Fn::FindInMap": ["Environments", "prod"]}) == Unknown("malformed Fn::FindInMap", WHERE)


@pytest.mark.parametrize("name", ["Fn::Base64", "Fn::GetAZs", "Fn::Cidr", "Fn::ToJsonString", "Fn::Length"])
def test_functions_known_only_at_deployment(name):
    assert resolve({name: "x"}) == Unknown("value computed at deployment", WHERE)


def test_plain_values_and_unknown_mappings_pass_through():
    assert resolve("TLS_1_2") == "TLS_1_2"
    assert resolve({"Types": ["REGIONAL"]}) == {"Types": ["REGIONAL"]}


def test_text_view_of_values():
    r = resolver()
    assert r.text(True, WHERE) == "true"
    assert r.text(443, WHERE) == "443"
    assert r.text({"Ref": "TruststoreBucket"}, WHERE) == Parts((ResourceRef("t.yaml", "TruststoreBucket"),))
    assert r.text(["a"], WHERE) == Unknown("not a string value", WHERE)


def test_nesting_too_deep_is_unknown():
    value: object = "TLS_1_2"
    for _ in range(60):
        value = {"Fn::If": ["IsProd", value, "TLS_1_0"]}
    result = resolve(value, assumptions={"IsProd": True})
    assert result == Unknown("intrinsic functions nested too deeply", WHERE)


# -- Fn::If and Fn::ImportValue on their own ----------------------------------------------------------

def test_if_without_an_assumption_is_recorded_as_undecided():
    r = resolver()
    value = r.resolve({"Fn::If": ["IsProd", "TLS_1_2", "TLS_1_0"]}, WHERE)
    assert value == Unknown("depends on condition IsProd", WHERE)
    assert r.undecided == ["IsProd"]


def test_if_follows_the_assumed_branch():
    value = {"Fn::If": ["IsProd", "TLS_1_2", {"Ref": "AWS::NoValue"}]}
    assert resolve(value, assumptions={"IsProd": True}) == "TLS_1_2"
    assert resolve(value, assumptions={"IsProd": False}) is NO_VALUE
    assert resolve({"Fn::If": ["IsProd", "a"]}) == Unknown("malformed Fn::If", WHERE)


def test_import_value_without_exports_is_unknown():
    assert resolve({"Fn::ImportValue": "platform-ApiCertificateArn"}) == \
        Unknown("Fn::ImportValue platform-ApiCertificateArn: no export of that name among the inputs", WHERE)


def test_import_value_asks_the_exports_by_resolved_name():
    asked = []

    def exports(name: str, where: Location) -> object:
        asked.append((name, where))
        return "arn:aws:acm:eu-west-1:111122223333:certificate/shared"

    value = {"Fn::ImportValue": {"Fn::Sub": "platform-${AWS::Region}-CertificateArn"}}
    assert resolve(value, import_export=exports) == "arn:aws:acm:eu-west-1:111122223333:certificate/shared"
    assert asked == [("platform-eu-west-1-CertificateArn", WHERE)]
    assert resolve({"Fn::ImportValue": {"Ref": "CertificateArn"}}, import_export=exports) == \
        Unknown("Fn::ImportValue of a name unknown before deployment", WHERE)


# -- through read_templates: the fixtures -------------------------------------------------------------

def read(*names: str, account: str | None = None, region: str | None = None, stack_name: str | None = None):  # type: ignore[no-untyped-def]
    inputs = [TemplateInput(FIXTURES / name, f"readers/{name}", account, region, stack_name) for name in names]
    return read_templates(inputs, ReadContext(cwd=FIXTURES))


def domain(fragment, name: str, condition: str | None = None) -> CustomDomain:  # type: ignore[no-untyped-def]
    found = [d for d in fragment.domains if d.resource == name and d.condition == condition]
    assert len(found) == 1, [(d.resource, d.condition) for d in fragment.domains]
    return found[0]


def test_truststore_uri_built_with_sub_names_the_bucket_resource_and_key():
    truststore = domain(read("partner_domain.yaml"), "PartnerDomain").truststore
    p = "readers/partner_domain.yaml"
    assert truststore == Truststore(
        location=Location(p, 57, 7),
        uri=Unknown("known only at deployment: s3://${TruststoreBucket}/truststore.pem", Location(p, 58, 9)),
        bucket=ResourceRef(p, "TruststoreBucket"),
        key="truststore.pem",
        version=Unknown("parameter TruststoreVersion has no default", Location(p, 59, 28)),
    )


def test_truststore_uri_built_with_join_in_json():
    truststore = domain(read("billing_http.json"), "BillingDomain").truststore
    assert truststore is not None
    assert truststore.bucket == ResourceRef("readers/billing_http.json", "TruststoreBucket")
    assert truststore.key == "billing/truststore.pem"
    assert truststore.version is None


def test_parameters_mappings_and_pseudo_parameters_from_account_and_region():
    d = domain(read("partner_domain.yaml", account="111122223333", region="eu-west-1"), "PartnerDomain")
    assert d.domain_name == "partner.example.com"  # the parameter default, lower-cased
    assert d.certificate == "arn:aws:acm:eu-west-1:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"
    assert d.ownership_certificate == "arn:aws:acm:eu-west-1:111122223333:certificate/prod-ownership"
    assert d.security_policy == "TLS_1_2"
    assert (d.account, d.region) == ("111122223333", "eu-west-1")


@pytest.mark.parametrize(("region", "partition"), [("cn-north-1", "aws-cn"), ("us-gov-west-1", "aws-us-gov")])
def test_partition_follows_the_region(region, partition):
    d = domain(read("partner_domain.yaml", account="111122223333", region=region), "PartnerDomain")
    assert d.certificate == f"arn:{partition}:acm:{region}:111122223333:certificate/0a1b2c3d-1111-2222-3333-444455556666"


def test_pseudo_parameters_without_account_and_region_are_unknown():
    d = domain(read("partner_domain.yaml"), "PartnerDomain")
    assert isinstance(d.certificate, Unknown)
    assert d.certificate.reason == "AWS::Region is not known: pass --region or set it in the config"
    d = domain(read("partner_domain.yaml", region="eu-west-1"), "PartnerDomain")
    assert isinstance(d.certificate, Unknown)
    assert d.certificate.reason == "AWS::AccountId is not known: pass --account"


def test_if_gives_one_record_per_branch_labelled_with_the_condition():
    fragment = read("conditional_mtls.yaml")
    p = "readers/conditional_mtls.yaml"
    with_mtls = domain(fragment, "ApiDomain", "RequireClientCertificates is true")
    without = domain(fragment, "ApiDomain", "RequireClientCertificates is false")
    assert with_mtls.truststore == Truststore(location=Location(p, 25, 7),
                                              uri="s3://corp-truststores/orders/truststore.pem",
                                              bucket="corp-truststores", key="orders/truststore.pem")
    assert with_mtls.where("truststore_uri") == Location(p, 27, 11)
    assert without.truststore is None
    assert with_mtls.location == without.location == Location(p, 17, 3)


def test_resource_condition_labels_the_record():
    legacy = domain(read("conditional_mtls.yaml"), "LegacyDomain", "CreateLegacyDomain is true")
    assert legacy.domain_name == "legacy-orders.example.com"


def test_if_that_changes_nothing_read_gives_one_record(tmp_path):
    template = tmp_path / "tags.yaml"
    template.write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Conditions:
          IsProd: !Equals [!Ref AWS::AccountId, "111122223333"]
        Resources:
          ApiDomain:
            Type: AWS::ApiGateway::DomainName
            Properties:
              DomainName: api.example.com
              RegionalCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/abc
              EndpointConfiguration:
                Types: [REGIONAL]
              Tags:
                - Key: tier
                  Value: !If [IsProd, gold, bronze]
        """))
    fragment = read_templates([TemplateInput(template, "tags.yaml")], ReadContext(cwd=tmp_path))
    assert [(d.resource, d.condition) for d in fragment.domains] == [("ApiDomain", None)]


def test_import_value_matched_to_an_export_of_another_template_in_the_run():
    fragment = read("orders_api.yaml", "shared_certificates.yaml")  # the importer first: order does not matter
    orders = domain(fragment, "OrdersDomain")
    assert orders.certificate == ResourceRef("readers/shared_certificates.yaml", "ApiCertificate")
    assert orders.truststore is not None
    assert orders.truststore.uri == "s3://corp-truststores/orders/truststore.pem"
    assert orders.truststore.bucket == "corp-truststores"
    assert orders.ownership_certificate == Unknown(
        "Fn::ImportValue identity-OwnershipCertificateArn: no export of that name among the inputs",
        Location("readers/orders_api.yaml", 10, 44))


def test_import_value_without_the_exporting_template_is_unknown():
    orders = domain(read("orders_api.yaml"), "OrdersDomain")
    assert orders.certificate == Unknown(
        "Fn::ImportValue platform-ApiCertificateArn: no export of that name among the inputs",
        Location("readers/orders_api.yaml", 9, 31))
    assert orders.truststore is not None
    assert isinstance(orders.truststore.uri, Unknown)
    assert orders.truststore.uri.reason == \
        "Fn::ImportValue platform-TruststoreBucketName: no export of that name among the inputs"


def test_exports_that_import_each_other_are_a_cycle_not_a_hang(tmp_path):
    a = tmp_path / "a.yaml"
    b = tmp_path / "b.yaml"
    a.write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          ApiDomain:
            Type: AWS::ApiGateway::DomainName
            Properties:
              DomainName: api.example.com
              RegionalCertificateArn: !ImportValue b-Cert
        Outputs:
          Cert:
            Value: !ImportValue b-Cert
            Export: {Name: a-Cert}
        """))
    b.write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          Bucket:
            Type: AWS::S3::Bucket
        Outputs:
          Cert:
            Value: !ImportValue a-Cert
            Export: {Name: b-Cert}
        """))
    fragment = read_templates([TemplateInput(a, "a.yaml"), TemplateInput(b, "b.yaml")], ReadContext(cwd=tmp_path))
    certificate = fragment.domains[0].certificate
    assert isinstance(certificate, Unknown)
    assert certificate.reason == "Fn::ImportValue b-Cert: exports refer to each other in a cycle"


def test_partly_known_bucket_name_is_not_truncated(tmp_path):
    template = tmp_path / "per_account.yaml"
    template.write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          ApiDomain:
            Type: AWS::ApiGateway::DomainName
            Properties:
              DomainName: api.example.com
              RegionalCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/abc
              EndpointConfiguration:
                Types: [REGIONAL]
              MutualTlsAuthentication:
                TruststoreUri: !Sub s3://truststores-${AWS::AccountId}-${AWS::Region}/api/truststore.pem
        """))
    fragment = read_templates([TemplateInput(template, "per_account.yaml")], ReadContext(cwd=tmp_path))
    truststore = fragment.domains[0].truststore
    assert truststore is not None
    assert isinstance(truststore.bucket, Unknown)


def test_bucket_name_from_account_and_region(tmp_path):
    template = tmp_path / "per_account.yaml"
    template.write_text(textwrap.dedent("""\
        AWSTemplateFormatVersion: "2010-09-09"
        Resources:
          ApiDomain:
            Type: AWS::ApiGateway::DomainName
            Properties:
              DomainName: api.example.com
              MutualTlsAuthentication:
                TruststoreUri: !Sub s3://truststores-${AWS::AccountId}-${AWS::Region}/api/truststore.pem
        """))
    fragment = read_templates([TemplateInput(template, "per_account.yaml", "111122223333", "us-east-1")],
                              ReadContext(cwd=tmp_path))
    truststore = fragment.domains[0].truststore
    assert truststore is not None
    assert (truststore.uri, truststore.bucket, truststore.key) == (
        "s3://truststores-111122223333-us-east-1/api/truststore.pem", "truststores-111122223333-us-east-1",
        "api/truststore.pem")
