"""mtls_lint.readers.terraform_plan: records read from `terraform show -json` plans (fixtures/tfplan, corpus)."""
from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from mtls_lint.model import (
    AMAZON,
    IMPORTED,
    REST,
    Diagnostic,
    Fragment,
    Location,
    ResourceRef,
    Unknown,
)
from mtls_lint.readers import ReadContext
from mtls_lint.readers.terraform_plan import address_lines, read_terraform_plans
from testing.certs import CANARY_MARKER

REPO = Path(__file__).resolve().parents[2]
PLANS = REPO / "fixtures" / "tfplan"
CORPUS = (REPO / "../shared/corpus/tfplan").resolve()


def read(path: Path, **context: object) -> Fragment:
    return read_terraform_plans([path], ReadContext(cwd=REPO, roots=(REPO,), **context))  # type: ignore[arg-type]


def records(fragment: Fragment) -> dict[str, object]:
    every = fragment.domains + fragment.certificates + fragment.apis + fragment.buckets + fragment.mappings
    return {record.resource: record for record in every}


def at(name: str, line: int | None, column: int | None = 6) -> Location:
    return Location(f"fixtures/tfplan/{name}", line, column)


def test_good_regional_links_what_is_unknown_through_the_configuration():
    fragment = read(PLANS / "good_regional_mtls.json")
    src = "fixtures/tfplan/good_regional_mtls.json"
    found = records(fragment)
    domain = found["aws_api_gateway_domain_name.api"]
    assert domain.location == at("good_regional_mtls.json", 91)  # where "address": "..." first appears
    assert (domain.source, domain.kind, domain.endpoint_type, domain.security_policy) == (src, REST, "REGIONAL",
                                                                                         "TLS_1_2")
    # regional_certificate_arn is unknown; configuration: aws_acm_certificate_validation.cert.certificate_arn.
    assert domain.certificate == ResourceRef(src, "aws_acm_certificate.cert", "arn")
    assert domain.ownership_certificate is None  # planned unknown, but not in the configuration
    truststore = domain.truststore
    assert (truststore.uri, truststore.key) == ("s3://example-payments-truststores/clients/truststore.pem",
                                                "clients/truststore.pem")
    assert truststore.bucket == ResourceRef(src, "aws_s3_bucket.ts")
    assert truststore.version == Unknown("known after apply", domain.location)
    assert found["aws_api_gateway_rest_api.payments"].disable_execute_api_endpoint is True
    mapping = found["aws_api_gateway_base_path_mapping.payments"]
    assert mapping.domain == ResourceRef(src, "aws_api_gateway_domain_name.api", "domain_name")
    assert found["aws_s3_bucket.ts"].versioning == "Enabled"
    assert (fragment.files, fragment.diagnostics) == ([src], [])


def test_utf16_with_bom_reads_like_utf8():
    utf16 = records(read(PLANS / "utf16_bom.json"))
    utf8 = records(read(PLANS / "good_regional_mtls.json"))
    assert sorted(utf16) == sorted(utf8)
    domain = utf16["aws_api_gateway_domain_name.api"]
    assert domain.location.line == 1 and domain.location.column > 1  # Terraform writes one line
    assert domain.certificate.name == "aws_acm_certificate.cert"


def test_unconfigured_blocks_planned_unknown_are_unset():
    found = records(read(PLANS / "edge_mtls.json"))
    legacy = found["aws_api_gateway_domain_name.legacy"]  # after_unknown.endpoint_configuration: true
    assert (legacy.endpoint_type, legacy.security_policy) == ("EDGE", "TLS_1_0")
    assert found["aws_api_gateway_domain_name.edge"].endpoint_type == "EDGE"


def test_imported_certificate_and_its_sensitive_key():
    fragment = read(PLANS / "imported_no_ownership.json")
    certificate = records(fragment)["aws_acm_certificate.imported"]
    assert (certificate.kind, certificate.issuer) == (IMPORTED, "CN=Partner Server CA,O=Example Trust Services")
    assert certificate.names == ("imported.example.com",)
    assert certificate.not_after == dt.datetime(2027, 12, 1, tzinfo=dt.timezone.utc)
    key = certificate.private_key
    assert key.public_key_fingerprint == certificate.body.certificates[0].public_key_fingerprint
    assert key.committed is True  # file("${path.module}/key.pem"): references ["path.module"]
    assert key.location == at("imported_no_ownership.json", 8)
    assert records(fragment)["aws_api_gateway_domain_name.imported"].ownership_certificate is None


def test_the_sensitive_private_key_never_appears():
    assert CANARY_MARKER in (PLANS / "imported_no_ownership.json").read_text()  # the plan holds it in clear
    fragment = read(PLANS / "imported_no_ownership.json")
    shown = repr(fragment) + "".join(repr(r) for r in records(fragment).values()) + repr(fragment.diagnostics)
    assert CANARY_MARKER not in shown
    assert "PRIVATE KEY" not in shown


def test_module_addresses_data_sources_from_prior_state_and_provider_aliases():
    src = "fixtures/tfplan/module_child.json"
    found = records(read(PLANS / "module_child.json"))
    orders = found['module.domains["orders"].aws_api_gateway_domain_name.this']
    assert orders.location == at("module_child.json", 270, 8)
    # The certificate is `local.certificate_arn`; locals are not in a plan's configuration.
    assert orders.certificate == Unknown("known after apply", orders.location)
    assert orders.truststore.bucket == "example-platform-truststores"  # dynamic block: no configuration
    eu = found["module.eu.aws_api_gateway_domain_name.this"]
    data = found["data.aws_acm_certificate.eu"]
    assert eu.region == "eu-west-1"  # provider_config["aws.eu"]
    assert eu.certificate == data.arn
    assert (data.account, data.region, data.status) == ("111122223333", "eu-west-1", "ISSUED")
    # The lookup matches on its domain only: the certificate it finds may have other names (SANs).
    assert data.names_partial and len(data.names) == 1
    mapping = found['module.domains["orders"].aws_apigatewayv2_api_mapping.this[0]']
    assert mapping.api == ResourceRef(src, 'module.domains["orders"].aws_apigatewayv2_api.this[0]', "id")
    assert found['module.domains["orders"].aws_apigatewayv2_api.this[0]'].disable_execute_api_endpoint is None


def test_prior_state_updates_and_deletes():
    found = records(read(PLANS / "update_existing.json"))
    domain = found["aws_api_gateway_domain_name.api"]
    assert domain.truststore.version == "4e088c6812f2b1e9a37da880940a5919"  # known from state
    assert domain.ownership_certificate is None  # "" in state
    assert found["aws_s3_bucket.ts"].versioning == "Suspended"  # Enabled -> Suspended in this plan
    assert "aws_api_gateway_domain_name.legacy[0]" not in found  # deleted by this plan
    certificate = found["aws_acm_certificate.orders"]
    assert certificate.arn.startswith("arn:aws:acm:us-east-1:111122223333:certificate/")
    assert (certificate.status, certificate.renewal_eligibility) == ("ISSUED", "ELIGIBLE")


def test_truststore_content_from_an_inline_object_and_invalid_uris():
    found = records(read(PLANS / "truststore_issues.json"))
    partners = found["aws_api_gateway_domain_name.partners"].truststore
    assert partners.bucket == ResourceRef("fixtures/tfplan/truststore_issues.json", "aws_s3_bucket.truststores")
    assert [c.subject for c in partners.content.certificates][1] == "CN=client1.example.com"
    reports = found["aws_api_gateway_domain_name.reports"].truststore
    assert (reports.uri, reports.bucket, reports.key) == (
        "https://example-gateway-truststores.s3.amazonaws.com/reports/truststore.pem", None, None)
    # `source = "./expired_ca.pem"` is relative to where Terraform ran, not to this plan: not read.
    assert found["aws_api_gateway_domain_name.legacy_clients"].truststore.content is None


def test_tls_issuer_is_followed_through_the_configuration():
    certificate = records(read(PLANS / "tls_imported.json"))["aws_acm_certificate.www"]
    assert (certificate.kind, certificate.issuer) == (IMPORTED, "CN=Example Internal Server CA,O=Example Corp")
    assert certificate.names == ("www.example.com", "api.example.com")
    assert certificate.private_key is None  # from tls_private_key: unknown at plan time


@pytest.mark.parametrize(("data", "message", "line", "column"), [
    (b'{"format_version": "1.2",\n  "planned_values": {,}}', ("not valid JSON: Expecting property name enclosed in "
     "double quotes"), 2, 22),
    (b'{"format_version": "1.2"\n', "not valid JSON: Expecting ',' delimiter", 2, 1),
    (b'{"format_version": "\xff"}', "not valid UTF-8 text", 1, 21),
    (b"", "not valid JSON: Expecting value", 1, 1),
])
def test_bad_plans_are_mtls001_with_position(tmp_path, data, message, line, column):
    path = tmp_path / "plan.json"
    path.write_bytes(data)
    fragment = read_terraform_plans([path], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [Diagnostic("MTLS001", f"plan.json: {message}", Location("plan.json", line, column))]
    assert fragment.files == ["plan.json"]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be"])
def test_encodings(tmp_path, encoding):
    text = (PLANS / "good_regional_mtls.json").read_text()
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    (tmp_path / "plan.json").write_bytes(bom + text.encode(encoding))
    fragment = read_terraform_plans([tmp_path / "plan.json"], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [] and len(fragment.domains) == 1
    assert fragment.domains[0].location == Location("plan.json", 91, 6)


def test_json_that_is_not_a_plan_is_skipped_quietly(tmp_path):
    (tmp_path / "package.json").write_text('{"name": "x", "version": "1.0.0"}')
    fragment = read_terraform_plans([tmp_path / "package.json"], ReadContext(cwd=tmp_path))
    assert (fragment.domains, fragment.diagnostics) == ([], [])


def test_address_lines_unescape_keys():
    text = '{\n "a": [\n  {"address": "module.x[\\"a.b\\"].aws_s3_bucket.b"},\n  {"address": "aws_x.y"}]}'
    assert address_lines(text) == {'module.x["a.b"].aws_s3_bucket.b': (3, 4), "aws_x.y": (4, 4)}


def test_cryptography_is_not_loaded_for_a_plan_without_pem():
    code = ("import sys\nfrom pathlib import Path\nfrom mtls_lint.readers import ReadContext\n"
            "from mtls_lint.readers.terraform_plan import read_terraform_plans\n"
            f"f = read_terraform_plans([Path({str(PLANS / 'good_regional_mtls.json')!r})], ReadContext())\n"
            "assert f.domains and 'cryptography' not in sys.modules and 'tree_sitter' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


@pytest.mark.parametrize("name", sorted(p.name for p in PLANS.glob("*.json")))
def test_every_fixture_plan_reads_cleanly(name):
    fragment = read(PLANS / name)
    assert fragment.diagnostics == [] and fragment.domains


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not beside the checkout")
def test_every_corpus_plan_reads_without_a_crash():
    plans = sorted(CORPUS.glob("*.json"))
    assert plans
    for plan in plans:
        fragment = read_terraform_plans([plan], ReadContext(cwd=CORPUS))
        assert fragment.diagnostics == [], plan.name
        assert fragment.files == [plan.name]
    # Format 0.1 (Terraform 0.13): a requested certificate with its SANs.
    issue_427 = read_terraform_plans([CORPUS / "terraform-compliance__cli__tests__functional__test_issue-427__plan.out.json"],
                                     ReadContext(cwd=CORPUS))
    certificate = issue_427.certificates[0]
    assert (certificate.resource, certificate.names, certificate.issuer, certificate.region) == (
        "aws_acm_certificate.sayu_cert", ("*.misayu.cl", "misayu.cl"), AMAZON, "us-west-1")
    # Written on Windows: UTF-16 with a BOM.
    utf16 = read_terraform_plans([CORPUS / "bridgecrewio__checkov__tests__terraform__parser__resources__plan_encodings__"
                                           "tfplan_win_utf16.json"], ReadContext(cwd=CORPUS))
    assert [b.name for b in utf16.buckets] == ["mike-abcd123data"]
    nested = read_terraform_plans([CORPUS / "bridgecrewio__checkov__tests__terraform__runner__resources__plan_nested_"
                                            "child_modules_with_connections__tfplan.json"], ReadContext(cwd=CORPUS))
    assert "module.s3_module.module.s3_submodule.aws_s3_bucket.submodule_bucket" in [b.resource for b in nested.buckets]


def test_plan_round_trips_through_json(tmp_path):
    """A plan rewritten compactly keeps its records; only the positions change."""
    data = json.loads((PLANS / "mixed_issuers.json").read_text())
    (tmp_path / "plan.json").write_text(json.dumps(data))
    fragment = read_terraform_plans([tmp_path / "plan.json"], ReadContext(cwd=tmp_path))
    assert sorted(d.resource for d in fragment.domains) == ["aws_api_gateway_domain_name.api",
                                                           "aws_apigatewayv2_domain_name.partners"]
    assert all(d.location.line == 1 for d in fragment.domains)


def test_deposed_objects_and_resources_only_in_prior_state(tmp_path):
    resource = {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
                "values": {"bucket": "new-name"}}
    plan = {
        "format_version": "1.0",
        "planned_values": {"root_module": {"resources": [resource]}},
        "resource_changes": [
            {"address": "aws_s3_bucket.b", "change": {"actions": ["create"], "after": {"bucket": "new-name"},
                                                      "after_unknown": {"versioning": True}}},
            {"address": "aws_s3_bucket.b", "deposed": "00000001",
             "change": {"actions": ["delete"], "before": {"bucket": "old-name"}, "after": None}},
            {"address": "aws_s3_bucket.gone", "change": {"actions": ["delete"], "after": None}},
        ],
        "prior_state": {"values": {"root_module": {"resources": [
            {"address": "aws_s3_bucket.gone", "mode": "managed", "type": "aws_s3_bucket", "name": "gone",
             "values": {"bucket": "gone"}},
            {"address": "aws_s3_bucket.kept", "mode": "managed", "type": "aws_s3_bucket", "name": "kept",
             "values": {"bucket": "kept", "versioning": [{"enabled": True}]}}]}}},
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan, indent=1))
    found = records(read_terraform_plans([tmp_path / "plan.json"], ReadContext(cwd=tmp_path)))
    assert sorted(found) == ["aws_s3_bucket.b", "aws_s3_bucket.kept"]
    assert found["aws_s3_bucket.b"].name == "new-name"
    # No configuration in this plan: an unknown stays unknown (it cannot be told from "not set").
    assert found["aws_s3_bucket.b"].versioning == Unknown("known after apply", Location("plan.json", 7, 6))
    assert found["aws_s3_bucket.kept"].versioning == "Enabled"


DOMAIN_AFTER = {"domain_name": "api.example.com", "endpoint_configuration": [{"types": ["REGIONAL"]}],
                "mutual_tls_authentication": [{"truststore_uri": "s3://b/k"}]}


def _plan(after: object, **change: object) -> dict:  # type: ignore[type-arg]
    address = "aws_api_gateway_domain_name.x"
    return {"format_version": "1.2",
            "planned_values": {"root_module": {"resources": [
                {"address": address, "mode": "managed", "type": "aws_api_gateway_domain_name", "name": "x",
                 "values": after}]}},
            "resource_changes": [{"address": address, "change": {"actions": ["create"], "after": after, **change}}]}


def _read_text(tmp_path: Path, text: str) -> Fragment:
    (tmp_path / "plan.json").write_text(text)
    return read_terraform_plans([tmp_path / "plan.json"], ReadContext(cwd=tmp_path))


@pytest.mark.parametrize("plan", [
    {"format_version": "1", "resource_changes": 5},
    {"format_version": "1", "resource_changes": [{"address": []}, {"address": {"a": 1}}]},
    {"format_version": "1", "planned_values": {"root_module": {"resources": 7}}},
    {"format_version": "1", "planned_values": {"root_module": {"resources": [{"address": "a.b", "type": []}]}}},
    {"format_version": "1", "planned_values": {"root_module": {"resources": [{"address": "a.b", "type": {}}]}}},
], ids=["changes-int", "address-list", "resources-int", "type-list", "type-map"])
def test_odd_plan_shapes_are_read_as_nothing(tmp_path, plan):
    fragment = _read_text(tmp_path, json.dumps(plan))
    assert (fragment.diagnostics, fragment.domains) == ([], [])


@pytest.mark.parametrize("plan", [
    _plan(DOMAIN_AFTER) | {"resource_changes": [{"address": "aws_api_gateway_domain_name.x",
                                                 "change": {"actions": 5, "after": DOMAIN_AFTER}}]},
    _plan(DOMAIN_AFTER) | {"resource_changes": [{"address": "aws_api_gateway_domain_name.x",
                                                 "change": {"actions": [{}], "after": DOMAIN_AFTER}}]},
    _plan(DOMAIN_AFTER) | {"configuration": {"root_module": {"resources": True}}},
    _plan(DOMAIN_AFTER) | {"configuration": {"root_module": {"module_calls": [1], "resources": [
        {"address": "aws_api_gateway_domain_name.x", "expressions": {"domain_name": {"references": 5}}}]}}},
], ids=["actions-int", "actions-of-maps", "config-resources-bool", "config-odd-references"])
def test_odd_shapes_around_a_resource_leave_the_resource_readable(tmp_path, plan):
    fragment = _read_text(tmp_path, json.dumps(plan))
    (domain,) = fragment.domains
    assert (fragment.diagnostics, domain.domain_name, domain.endpoint_type) == ([], "api.example.com", "REGIONAL")


def test_a_resource_entirely_unknown_has_every_read_argument_known_after_apply(tmp_path):
    plan = _plan(DOMAIN_AFTER, after_unknown=True)
    fragment = _read_text(tmp_path, json.dumps(plan))
    (domain,) = fragment.domains
    where = Location("plan.json", 1, 77)
    assert (domain.domain_name, domain.endpoint_type) == (Unknown("known after apply", where),) * 2
    configured = plan | {"configuration": {"root_module": {"resources": [
        {"address": "aws_api_gateway_domain_name.x", "expressions": {"domain_name": {"constant_value": "a"}}}]}}}
    (domain,) = _read_text(tmp_path, json.dumps(configured)).domains
    assert domain.domain_name == Unknown("known after apply", where)
    assert domain.security_policy is None  # not in the configuration: unset, not unknown


def test_values_nested_beyond_the_limit_are_unknown(tmp_path):
    text = json.dumps(_plan({**DOMAIN_AFTER, "domain_name": "DEEP", "tags": "DEEP"}))
    text = text.replace('"DEEP"', "[" * 900 + "]" * 900)
    (domain,) = _read_text(tmp_path, text).domains
    value = domain.domain_name
    assert isinstance(value, Unknown) and value.reason == "a list where a single value was expected"


def test_a_number_beyond_4300_digits_is_mtls001_at_the_number(tmp_path):
    fragment = _read_text(tmp_path, '{"format_version": "1",\n "planned_values": ' + "1" * 5000 + "}")
    assert fragment.diagnostics == [Diagnostic("MTLS001", "plan.json: not readable: a number has more than 4300 "
                                               "digits", Location("plan.json", 2, 20))]


def test_plans_beyond_the_size_limit_are_not_read(tmp_path, monkeypatch):
    import mtls_lint.readers.terraform_plan as terraform_plan

    assert terraform_plan.MAX_PLAN_BYTES == 200 * 1024 * 1024
    monkeypatch.setattr(terraform_plan, "MAX_PLAN_BYTES", 100)
    fragment = _read_text(tmp_path, json.dumps(_plan(DOMAIN_AFTER)))
    assert fragment.diagnostics == [Diagnostic("MTLS001", "plan.json: the plan is larger than 0 MB; not read",
                                               Location("plan.json"))]


def test_a_plan_nested_beyond_the_json_parser_is_mtls001(tmp_path):
    fragment = _read_text(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert fragment.diagnostics == [Diagnostic("MTLS001", "plan.json: nested too deeply to be read",
                                               Location("plan.json"))]
