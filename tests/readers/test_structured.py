"""mtls_lint.readers.structured: YAML/JSON documents with positions, short-form tags and input limits."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from mtls_lint.model import Location
from mtls_lint.readers.structured import (
    MAX_BYTES,
    MAX_DEPTH,
    DocumentError,
    LocDict,
    LocList,
    load_document,
    load_json_document,
    load_json_plain,
    location_of,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "readers"


def yaml_doc(text: str, path: str = "t.yaml") -> object:
    return load_document(textwrap.dedent(text), path)


# -- short-form tags -----------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "expected"), [
    ("!Ref TruststoreBucket", {"Ref": "TruststoreBucket"}),
    ("!Sub s3://${TruststoreBucket}/truststore.pem", {"Fn::Sub": "s3://${TruststoreBucket}/truststore.pem"}),
    ("!Sub [\"s3://${B}/t.pem\", {B: !Ref Bucket}]", {"Fn::Sub": ["s3://${B}/t.pem", {"B": {"Ref": "Bucket"}}]}),
    ("!GetAtt ApiDomain.RegionalDomainName", {"Fn::GetAtt": ["ApiDomain", "RegionalDomainName"]}),
    ("!GetAtt [ApiDomain, RegionalDomainName]", {"Fn::GetAtt": ["ApiDomain", "RegionalDomainName"]}),
    ("!GetAtt Stack.Outputs.CertArn", {"Fn::GetAtt": ["Stack", "Outputs.CertArn"]}),
    ("!If [IsProd, TLS_1_2, !Ref AWS::NoValue]", {"Fn::If": ["IsProd", "TLS_1_2", {"Ref": "AWS::NoValue"}]}),
    ("!ImportValue platform-ApiCertificateArn", {"Fn::ImportValue": "platform-ApiCertificateArn"}),
    ("!Join ['', ['s3://', !Ref B, '/t.pem']]", {"Fn::Join": ["", ["s3://", {"Ref": "B"}, "/t.pem"]]}),
    ("!Select [0, !Split [',', 'a,b']]", {"Fn::Select": [0, {"Fn::Split": [",", "a,b"]}]}),
    ("!FindInMap [Env, !Ref Stage, Cert]", {"Fn::FindInMap": ["Env", {"Ref": "Stage"}, "Cert"]}),
    ("!Condition IsProd", {"Condition": "IsProd"}),
    ("!Equals [!Ref Stage, prod]", {"Fn::Equals": [{"Ref": "Stage"}, "prod"]}),
    ("!Base64 hello", {"Fn::Base64": "hello"}),
])
def test_short_form_tags_become_long_forms(source, expected):
    assert load_document(f"Value: {source}\n", "t.yaml") == {"Value": expected}


def test_tagged_value_is_located_at_its_tag():
    doc = yaml_doc("""\
        Resources:
          Domain:
            Properties:
              RegionalCertificateArn: !Ref ApiCertificate
              SecurityPolicy: !If
                - IsProd
                - TLS_1_2
                - TLS_1_0
        """)
    props = doc["Resources"]["Domain"]["Properties"]
    ref = props["RegionalCertificateArn"]
    assert isinstance(ref, LocDict)
    assert ref.loc == Location("t.yaml", 4, 31)
    assert ref.key_loc("Ref") == Location("t.yaml", 4, 31)
    if_ = props["SecurityPolicy"]
    assert if_.loc == Location("t.yaml", 5, 23)
    assert if_["Fn::If"].item_locs == [Location("t.yaml", 6, 11), Location("t.yaml", 7, 11), Location("t.yaml", 8, 11)]


def test_get_att_short_form_items_are_located_at_the_tag():
    value = yaml_doc("A: !GetAtt Bucket.Arn\n")["A"]["Fn::GetAtt"]
    assert isinstance(value, LocList)
    assert value.item_locs == [Location("t.yaml", 1, 4), Location("t.yaml", 1, 4)]


# -- positions of keys and items ---------------------------------------------------------------

def test_key_and_item_positions_in_a_fixture():
    path = FIXTURES / "every_type.yaml"
    doc = load_document(path.read_text(encoding="utf-8"), "readers/every_type.yaml")
    assert isinstance(doc, LocDict)
    assert doc.loc == Location("readers/every_type.yaml", 1, 1)
    assert doc.key_loc("Resources") == Location("readers/every_type.yaml", 4, 1)
    resources = doc["Resources"]
    assert resources.key_loc("PublicCertificate") == Location("readers/every_type.yaml", 5, 3)
    assert resources.key_loc("PaymentsMapping") == Location("readers/every_type.yaml", 105, 3)
    sans = resources["PublicCertificate"]["Properties"]["SubjectAlternativeNames"]
    assert isinstance(sans, LocList)
    assert sans == ["payments.example.com", "*.payments.example.com"]
    assert sans.loc == Location("readers/every_type.yaml", 10, 9)
    assert sans.item_locs == [Location("readers/every_type.yaml", 10, 11), Location("readers/every_type.yaml", 11, 11)]
    configuration = resources["HttpDomain"]["Properties"]["DomainNameConfigurations"][0]
    assert configuration.loc == Location("readers/every_type.yaml", 49, 11)
    assert configuration.key_loc("EndpointType") == Location("readers/every_type.yaml", 51, 11)


def test_key_loc_falls_back_to_the_mapping():
    doc = yaml_doc("Outer:\n  inner: 1\n")
    assert doc["Outer"].key_loc("missing") == Location("t.yaml", 2, 3)


def test_location_of():
    doc = yaml_doc("A:\n  - x\n")
    fallback = Location("t.yaml", 99, 9)
    assert location_of(doc["A"], fallback) == Location("t.yaml", 2, 3)
    assert location_of("plain", fallback) == fallback


# -- scalars ------------------------------------------------------------------------------------

def test_scalar_types_follow_yaml_but_dates_stay_strings():
    doc = yaml_doc("""\
        AWSTemplateFormatVersion: 2010-09-09
        Quoted: '0'
        Version: 0
        Enabled: true
        Ratio: 1.5
        Nothing: ~
        Hex: 0x1F
        """)
    assert doc == {"AWSTemplateFormatVersion": "2010-09-09", "Quoted": "0", "Version": 0, "Enabled": True,
                   "Ratio": 1.5, "Nothing": None, "Hex": 31}
    assert type(doc["Version"]) is int


def test_non_string_keys_become_strings():
    assert yaml_doc("1: one\n2.5: two\n") == {"1": "one", "2.5": "two"}


@pytest.mark.parametrize("text", ["", "# nothing but a comment\n", "---\n"])
def test_empty_documents_are_none(text):
    assert load_document(text, "e.yaml") is None


# -- aliases and merge keys ------------------------------------------------------------------------

def test_merge_key_local_values_win_and_keep_their_positions():
    doc = yaml_doc("""\
        Defaults: &defaults
          SecurityPolicy: TLS_1_0
          EndpointType: REGIONAL
        Domain:
          <<: *defaults
          SecurityPolicy: TLS_1_2
        """)
    domain = doc["Domain"]
    assert domain == {"SecurityPolicy": "TLS_1_2", "EndpointType": "REGIONAL"}
    assert domain.key_loc("SecurityPolicy") == Location("t.yaml", 6, 3)
    assert domain.key_loc("EndpointType") == Location("t.yaml", 3, 3)  # where the anchor wrote it


def test_merge_key_with_a_list_the_first_mapping_wins():
    doc = yaml_doc("""\
        A: &a {Policy: TLS_1_2}
        B: &b {Policy: TLS_1_0, Type: EDGE}
        C:
          <<: [*a, *b]
        """)
    assert doc["C"] == {"Policy": "TLS_1_2", "Type": "EDGE"}


def test_aliases_are_shared_not_copied():
    doc = yaml_doc("A: &x {k: [1, 2]}\nB: *x\n")
    assert doc["B"] is doc["A"]


# -- limits ------------------------------------------------------------------------------------------

def alias_bomb(levels: int = 9) -> str:
    lines = ["AWSTemplateFormatVersion: '2010-09-09'", "Metadata:", "  l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, levels + 1):
        lines.append(f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]")
    lines += ["Resources:", "  Bucket:", "    Type: AWS::S3::Bucket", "    Properties:", f"      Tags: *l{levels}"]
    return "\n".join(lines) + "\n"


def test_alias_bomb_raises_quickly_with_a_location():
    started = time.perf_counter()
    with pytest.raises(DocumentError) as caught:
        load_document(alias_bomb(), "bomb.yaml")
    assert time.perf_counter() - started < 2
    assert "alias" in caught.value.message
    assert caught.value.location == Location("bomb.yaml", 1, 1)


def test_many_small_aliases_are_fine():
    text = "Base: &b {Key: team, Value: payments}\nTags:\n" + "".join("  - *b\n" for _ in range(5000))
    assert len(load_document(text, "t.yaml")["Tags"]) == 5000


def test_alias_cycle_is_refused():
    with pytest.raises(DocumentError) as caught:
        load_document("Resources: &r\n  Again: *r\n", "cycle.yaml")
    assert caught.value.location.path == "cycle.yaml"


def test_flow_nesting_100000_deep_is_refused_where_it_crosses_the_limit():
    depth = 100_000
    text = "AWSTemplateFormatVersion: '2010-09-09'\nMetadata:\n  Deep: " + "[" * depth + "]" * depth + "\n"
    with pytest.raises(DocumentError) as caught:
        load_document(text, "deep.yaml")
    assert caught.value.message == f"nesting deeper than {MAX_DEPTH} levels"
    # "  Deep: " is 8 characters; the bracket that crosses the limit is number MAX_DEPTH + 1
    assert caught.value.location == Location("deep.yaml", 3, 8 + MAX_DEPTH + 1)


def test_block_nesting_beyond_the_limit_is_refused_with_its_position():
    lines = ["Metadata:"] + [" " * (2 * i) + "k:" for i in range(1, MAX_DEPTH + 20)] + [" " * (2 * MAX_DEPTH + 40) + "v"]
    with pytest.raises(DocumentError) as caught:
        load_document("\n".join(lines) + "\n", "deep.yaml")
    assert caught.value.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert caught.value.location.line is not None and caught.value.location.line > MAX_DEPTH


def test_nesting_just_under_the_limit_is_read():
    depth = MAX_DEPTH - 5
    doc = load_document("A: " + "[" * depth + "1" + "]" * depth + "\n", "ok.yaml")
    value = doc["A"]
    for _ in range(depth - 1):
        value = value[0]
    assert value == [1]


DEEP_BLOCK_SEQUENCE = """\
import sys
from mtls_lint.readers.structured import DocumentError, load_document
text = "AWSTemplateFormatVersion: '2010-09-09'\\nMetadata:\\n  Deep:\\n    " + "- " * 100_000 + "x\\n"
try:
    load_document(text, "deep.yaml")
except DocumentError as exc:
    print(exc.message)
"""


def test_compact_block_sequence_100000_deep_does_not_crash_the_interpreter():
    result = subprocess.run([sys.executable, "-c", DEEP_BLOCK_SEQUENCE], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"interpreter died with {result.returncode}"
    assert result.stdout.strip() == f"nesting deeper than {MAX_DEPTH} levels"


def test_oversized_document_is_refused():
    with pytest.raises(DocumentError) as caught:
        load_document("#" * (MAX_BYTES + 1), "huge.yaml")
    assert caught.value.location == Location("huge.yaml", 1, 1)
    with pytest.raises(DocumentError):
        load_json_document(" " * (MAX_BYTES + 1), "huge.json")


# -- syntax errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message", "location"), [
    ("Resources:\n  Domain:\n    Type: AWS::ApiGateway::DomainName\n   Properties: {}\n",
     "not valid YAML/JSON: did not find expected key", (4, 4)),
    ("Resources:\n\tDomain: {}\n", "not valid YAML/JSON: found character that cannot start any token", (2, 1)),
    ("Resources:\n  Domain: {Type: AWS::ApiGateway::DomainName\n", "not valid YAML/JSON: did not find expected ',' or '}'",
     (3, 1)),
    ("Resources: *undefined\n", "not valid YAML/JSON: found undefined alias", (1, 12)),
])
def test_yaml_syntax_errors_carry_the_problem_position(text, message, location):
    with pytest.raises(DocumentError) as caught:
        load_document(text, "bad.yaml")
    assert caught.value.message == message
    assert caught.value.location == Location("bad.yaml", *location)


# -- JSON ---------------------------------------------------------------------------------------------

def read_billing(positioned: frozenset[str] | None = None) -> LocDict:
    text = (FIXTURES / "billing_http.json").read_text(encoding="utf-8")
    doc = load_json_document(text, "readers/billing_http.json", positioned_resources=positioned)
    assert isinstance(doc, LocDict)
    return doc


def test_json_positions_of_keys():
    doc = read_billing()
    p = "readers/billing_http.json"
    assert doc.loc == Location(p, 1, 1)
    assert doc.key_loc("AWSTemplateFormatVersion") == Location(p, 2, 3)
    assert doc.key_loc("Resources") == Location(p, 10, 3)
    resources = doc["Resources"]
    assert resources.key_locs == {
        "TruststoreBucket": Location(p, 11, 5),
        "BillingDomain": Location(p, 19, 5),
        "BillingApi": Location(p, 35, 5),
        "BillingMapping": Location(p, 43, 5),
    }
    props = resources["BillingDomain"]["Properties"]
    assert props.loc == Location(p, 21, 21)  # the opening brace
    assert props.key_loc("DomainName") == Location(p, 22, 9)
    assert props.key_loc("MutualTlsAuthentication") == Location(p, 30, 9)
    configurations = props["DomainNameConfigurations"]
    assert isinstance(configurations, LocList)
    assert configurations.loc == Location(p, 23, 37)
    assert configurations[0].key_loc("CertificateArn") == Location(p, 25, 13)
    assert configurations[0].key_loc("SecurityPolicy") == Location(p, 27, 13)
    uri = props["MutualTlsAuthentication"]["TruststoreUri"]
    assert uri.loc == Location(p, 31, 28)
    assert uri == {"Fn::Join": ["", ["s3://", {"Ref": "TruststoreBucket"}, "/billing/truststore.pem"]]}


def test_json_positions_only_for_the_resource_types_asked_for():
    doc = read_billing(frozenset({"AWS::ApiGatewayV2::DomainName"}))
    resources = doc["Resources"]
    assert isinstance(resources["BillingDomain"], LocDict)
    assert resources["BillingDomain"]["Properties"].key_loc("DomainName") == Location("readers/billing_http.json", 22, 9)
    for name in ("TruststoreBucket", "BillingApi", "BillingMapping"):
        assert type(resources[name]) is dict  # not walked
    # ...but every resource still has the position of its key
    assert resources.key_loc("BillingMapping") == Location("readers/billing_http.json", 43, 5)
    # sections other than Resources are walked as usual
    assert isinstance(doc["Parameters"], LocDict)


def test_json_values_equal_plain_json():
    text = (FIXTURES / "billing_http.json").read_text(encoding="utf-8")
    assert load_json_document(text, "b.json") == json.loads(text)


def test_json_top_level_non_mapping_passes_through():
    assert load_json_document("[1, 2]", "l.json") == [1, 2]


@pytest.mark.parametrize(("text", "message", "location"), [
    ('{\n  "Resources": {\n    "Domain": {"Type": "AWS::ApiGateway::DomainName",}\n  }\n}\n',
     "not valid JSON: Expecting property name enclosed in double quotes", (3, 54)),
    ('{\n  "Resources": {\n    "Domain": {"Type": "AWS::ApiGateway::DomainName"\n  }\n}\n',
     "not valid JSON: Expecting ',' delimiter", (6, 1)),  # the top-level object is never closed
    ("", "not valid JSON: Expecting value", (1, 1)),
])
def test_json_syntax_errors_carry_line_and_column(text, message, location):
    with pytest.raises(DocumentError) as caught:
        load_json_document(text, "bad.json")
    assert caught.value.message == message
    assert caught.value.location == Location("bad.json", *location)


def test_json_plain_has_no_positions():
    value = load_json_plain('{"a": [1]}', "p.json")
    assert type(value) is dict and type(value["a"]) is list


def test_json_nesting_100000_deep_is_refused():
    depth = 100_000
    text = '{"AWSTemplateFormatVersion": "2010-09-09", "Metadata": ' + "[" * depth + "]" * depth + "}"
    with pytest.raises(DocumentError) as caught:
        load_json_document(text, "deep.json")
    assert caught.value.message == f"nesting deeper than {MAX_DEPTH} levels"
    assert caught.value.location.line == 1


def test_json_list_items_of_strings_have_their_own_positions():
    text = '{"Resources": {"D": {"Properties": {"EndpointConfiguration": {"Types": ["REGIONAL", "EDGE"]}}}}}'
    doc = load_json_document(text, "l.json")
    types = doc["Resources"]["D"]["Properties"]["EndpointConfiguration"]["Types"]
    first = text.index('"REGIONAL"') + 1
    second = text.index('"EDGE"') + 1
    assert types.item_locs == [Location("l.json", 1, first), Location("l.json", 1, second)]


def test_json_resource_declared_after_a_reference_to_it_is_located_at_its_key():
    text = textwrap.dedent("""\
        {
          "Resources": {
            "ApiDomain": {
              "Type": "AWS::ApiGateway::DomainName",
              "Properties": {
                "DomainName": "api.example.com",
                "RegionalCertificateArn": {"Ref": "ApiCertificate"}
              }
            },
            "ApiCertificate": {
              "Type": "AWS::CertificateManager::Certificate",
              "Properties": {"DomainName": "api.example.com"}
            }
          }
        }
        """)
    doc = load_json_document(text, "order.json")
    assert doc["Resources"].key_loc("ApiCertificate") == Location("order.json", 10, 5)
