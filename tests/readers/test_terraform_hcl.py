"""mtls_lint.readers.terraform_hcl: records read from .tf configurations (fixtures/hcl, fixtures/terraform)."""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from mtls_lint.model import (
    AMAZON,
    AMAZON_ISSUED,
    HTTP,
    IMPORTED,
    PRIVATE,
    REST,
    Diagnostic,
    Fragment,
    Location,
    ResourceRef,
    Unknown,
)
from mtls_lint.readers import Placement, ReadContext
from mtls_lint.readers.terraform_hcl import read_terraform_modules
from testing.certs import CANARY_MARKER

REPO = Path(__file__).resolve().parents[2]
HCL = REPO / "fixtures" / "hcl"
TERRAFORM = REPO / "fixtures" / "terraform"


def read(directory: Path, **context: object) -> Fragment:
    return read_terraform_modules([directory], ReadContext(cwd=REPO, roots=(REPO,), **context))  # type: ignore[arg-type]


def records(fragment: Fragment) -> dict[str, object]:
    every = fragment.domains + fragment.certificates + fragment.apis + fragment.buckets + fragment.mappings
    return {record.resource: record for record in every}


def ref(source: str, name: str, attribute: str | None = "arn") -> ResourceRef:
    return ResourceRef(source, name, attribute)


# --- fixtures/hcl/interpolation: the interpolation forms people write -------------------------------


@pytest.fixture(scope="module")
def interpolation() -> Fragment:
    return read(HCL / "interpolation")


def test_interpolation_domain(interpolation):
    src, main = "fixtures/hcl/interpolation", "fixtures/hcl/interpolation/main.tf"
    domain = records(interpolation)["aws_api_gateway_domain_name.secure"]
    assert domain.location == Location(main, 52, 1)
    assert (domain.source, domain.kind, domain.domain_name) == (src, REST, "secure.example.com")
    assert (domain.account, domain.region) == ("111122223333", "eu-west-1")  # provider region = var.region
    assert (domain.endpoint_type, domain.security_policy) == ("REGIONAL", "TLS_1_2")
    assert domain.certificate == ref(src, "aws_acm_certificate.imported")
    # Through aws_acm_certificate_validation.ownership.certificate_arn to the certificate itself.
    assert domain.ownership_certificate == ref(src, "aws_acm_certificate.ownership")
    assert domain.ignore == frozenset({"MTLS103"})  # the comment line above the block
    assert domain.where("certificate") == Location(main, 54, 3)
    assert domain.where("endpoint_type") == Location(main, 59, 5)
    assert domain.where("truststore") == Location(main, 62, 3)


def test_interpolation_truststore_from_s3_object(interpolation):
    truststore = records(interpolation)["aws_api_gateway_domain_name.secure"].truststore
    # prefix = "prod" from terraform.tfvars over the default "dev"; key from a local.
    assert truststore.uri == "s3://prod-truststores/clients/prod/truststore.pem"
    assert truststore.bucket == ResourceRef("fixtures/hcl/interpolation", "aws_s3_bucket.ts")
    assert truststore.key == "clients/prod/truststore.pem"
    assert truststore.version == Unknown("aws_s3_object.ts.version_id is known after apply",
                                         Location("fixtures/hcl/interpolation/main.tf", 64, 5))
    assert truststore.content.location == Location("fixtures/pem/truststore-good.pem", 1, 1)
    assert [c.subject for c in truststore.content.certificates] == ["CN=Corp Issuing CA,O=Example Corp",
                                                                    "CN=Corp Root CA,O=Example Corp"]


def test_interpolation_imported_certificate_from_files(interpolation):
    certificate = records(interpolation)["aws_acm_certificate.imported"]
    assert (certificate.kind, certificate.issuer) == (IMPORTED, "CN=Corp Issuing CA,O=Example Corp")
    assert certificate.names == ("secure.example.com",)
    assert certificate.body.location == Location("fixtures/pem/import-canary-body.pem", 1, 1)
    assert len(certificate.chain.certificates) == 2
    key = certificate.private_key
    assert key.location == Location("fixtures/pem/import-canary-key.pem", 1, 1)
    assert key.committed is True and key.problem is None
    assert key.public_key_fingerprint == certificate.body.certificates[0].public_key_fingerprint
    assert certificate.where("private_key") == Location("fixtures/hcl/interpolation/main.tf", 38, 3)
    assert certificate.arn == Unknown("known after apply", certificate.location)


def test_interpolation_apis_buckets_mappings(interpolation):
    src = "fixtures/hcl/interpolation"
    found = records(interpolation)
    rest = found["aws_api_gateway_rest_api.secure"]
    assert (rest.kind, rest.disable_execute_api_endpoint, rest.body_disable_execute_api_endpoint) == (REST, None, True)
    webhooks = found["aws_apigatewayv2_api.webhooks"]  # a YAML body read with file()
    assert (webhooks.kind, webhooks.body_disable_execute_api_endpoint) == (HTTP, False)
    bucket = found["aws_s3_bucket.ts"]
    assert (bucket.name, bucket.versioning) == ("prod-truststores", "Enabled")
    assert bucket.where("versioning") == Location(f"{src}/main.tf", 25, 5)
    mapping = found["aws_api_gateway_base_path_mapping.secure"]
    assert mapping.domain == ResourceRef(src, "aws_api_gateway_domain_name.secure", "domain_name")
    assert mapping.api == ResourceRef(src, "aws_api_gateway_rest_api.secure", "id")
    assert found["aws_apigatewayv2_api_mapping.webhooks"].domain == "secure.example.com"
    assert interpolation.files == [f"{src}/main.tf", f"{src}/terraform.tfvars", f"{src}/variables.tf"]
    assert interpolation.diagnostics == []


# --- fixtures/hcl/modules: local child modules, count, for_each, provider aliases ----------------------


@pytest.fixture(scope="module")
def modules() -> Fragment:
    return read(HCL / "modules")


def test_module_instances_are_addressed_like_terraform(modules):
    found = records(modules)
    domains = sorted(d.resource for d in modules.domains)
    assert domains == [
        "aws_apigatewayv2_domain_name.from_output",
        "aws_apigatewayv2_domain_name.from_registry",
        "module.edge[0].aws_api_gateway_domain_name.this",
        "module.edge[1].aws_api_gateway_domain_name.this",
        "module.legacy.aws_api_gateway_domain_name.this",
        'module.regional["prod"].aws_api_gateway_domain_name.this',
        'module.regional["staging"].aws_api_gateway_domain_name.this',
    ]
    prod = found['module.regional["prod"].aws_api_gateway_domain_name.this']
    assert prod.location == Location("fixtures/hcl/modules/modules/domain/main.tf", 20, 1)
    assert (prod.domain_name, prod.region) == ("prod.example.com", "us-west-2")  # providers = { aws = aws.west }
    assert prod.certificate == ref("fixtures/hcl/modules", 'module.regional["prod"].aws_acm_certificate.this')
    assert prod.truststore.uri == "s3://corp-truststores/prod.pem"
    assert found["module.edge[1].aws_api_gateway_domain_name.this"].domain_name == "edge1.example.com"
    assert found["module.edge[1].aws_api_gateway_domain_name.this"].region == "us-east-1"


def test_module_arguments_conditionals_and_suppression(modules):
    legacy = records(modules)["module.legacy.aws_api_gateway_domain_name.this"]
    assert legacy.endpoint_type == "EDGE"  # [var.edge ? "EDGE" : "REGIONAL"] with edge = true
    assert legacy.certificate == ref("fixtures/hcl/modules", "module.legacy.aws_acm_certificate.this")
    assert legacy.where("certificate") == Location("fixtures/hcl/modules/modules/domain/main.tf", 23, 3)
    assert legacy.ignore == frozenset({"MTLS301"})  # from the comment above the module call


def test_module_outputs_registry_modules_and_cycles(modules):
    found = records(modules)
    assert found["aws_apigatewayv2_domain_name.from_output"].certificate == ref(
        "fixtures/hcl/modules", "module.edge[1].aws_acm_certificate.this")
    registry = found["aws_apigatewayv2_domain_name.from_registry"].certificate
    assert registry == Unknown("module.acm is not a local module; its source is not read",
                               Location("fixtures/hcl/modules/main.tf", 45, 1))
    assert [b.resource for b in modules.buckets] == ["module.loop.aws_s3_bucket.loop"]  # followed once
    assert sorted(modules.files) == ["fixtures/hcl/modules/main.tf", "fixtures/hcl/modules/modules/domain/main.tf",
                                     "fixtures/hcl/modules/modules/loop/main.tf"]


# --- fixtures/hcl/dynamic_count: repetition and what stays unknown --------------------------------------


@pytest.fixture(scope="module")
def dynamic() -> Fragment:
    return read(HCL / "dynamic_count")


def test_for_each_instances_and_dynamic_blocks(dynamic):
    src = "fixtures/hcl/dynamic_count"
    found = records(dynamic)
    api = found['aws_apigatewayv2_domain_name.each["api"]']
    admin = found['aws_apigatewayv2_domain_name.each["admin"]']
    assert api.certificate == ref(src, 'aws_acm_certificate.each["api"]')
    assert api.truststore.uri == "s3://corp-truststores/api.pem"
    assert api.where("truststore") == Location(f"{src}/main.tf", 46, 3)  # the dynamic block
    assert admin.truststore is None  # for_each = [] for this key
    assert (api.configuration_count, api.kind) == (1, HTTP)
    two = found["aws_apigatewayv2_domain_name.two_configurations"]
    assert (two.configuration_count, two.endpoint_type) == (2, "REGIONAL")
    assert found["aws_s3_bucket.legacy"].versioning == "Enabled"  # legacy inline versioning block


def test_unknown_count_gives_one_instance_with_a_condition(dynamic):
    found = records(dynamic)
    maybe = found["aws_acm_certificate.maybe[0]"]
    assert maybe.condition == "if the count of aws_acm_certificate.maybe (unknown before apply) is at least 1"
    domain = found["aws_api_gateway_domain_name.maybe[0]"]
    assert domain.certificate == ref("fixtures/hcl/dynamic_count", "aws_acm_certificate.maybe[0]")
    assert domain.endpoint_type == "EDGE"  # no endpoint_configuration block: the provider's default


def test_unknown_values_are_not_guessed(dynamic):
    unknown = records(dynamic)["aws_api_gateway_domain_name.unknown"]
    assert unknown.certificate == Unknown("a condition not known before apply",
                                          Location("fixtures/hcl/dynamic_count/main.tf", 57, 30))
    assert unknown.truststore is None  # a dynamic block over an unknown list: not read as mTLS
    assert unknown.security_policy is None


# --- fixtures/hcl/tls_chain and inline_pem: certificates made in the configuration ---------------------


def test_tls_provider_certificates():
    found = records(read(HCL / "tls_chain"))
    shop = found["aws_acm_certificate.shop"]
    assert (shop.kind, shop.issuer) == (IMPORTED, "CN=Corp Issuing CA,O=Corp\\, Inc.,C=US")
    assert shop.names == ("shop.example.com", "www.shop.example.com")
    assert shop.private_key is None and shop.body is None  # generated at apply: nothing to read
    self_signed = found["aws_acm_certificate.self"]
    assert (self_signed.issuer, self_signed.names) == ("CN=self.example.com", ("self.example.com",))


def test_inline_pem_and_inline_key():
    fragment = read(HCL / "inline_pem")
    found = records(fragment)
    certificate = found["aws_acm_certificate.inline"]
    assert certificate.private_key.committed is True
    assert certificate.private_key.location == Location("fixtures/hcl/inline_pem/main.tf", 28, 3)
    assert certificate.body.location == Location("fixtures/hcl/inline_pem/main.tf", 6, 3)
    truststore = found["aws_api_gateway_domain_name.inline"].truststore
    assert (truststore.bucket, truststore.key) == ("inline-truststores", "bundle.pem")
    assert len(truststore.content.certificates) == 2


@pytest.mark.parametrize("name", ["interpolation", "inline_pem"])
def test_the_canary_key_never_appears(name):
    fragment = read(HCL / name)
    shown = repr(fragment) + "".join(repr(r) for r in records(fragment).values())
    assert CANARY_MARKER not in shown
    assert "PRIVATE KEY" not in shown


# --- helper tfplan's configurations (fixtures/terraform) ------------------------------------------------


def test_helper_module_child():
    src = "fixtures/terraform/module_child"
    found = records(read(TERRAFORM / "module_child"))
    orders = found['module.domains["orders"].aws_api_gateway_domain_name.this']
    assert orders.certificate == ref(src, 'module.domains["orders"].aws_acm_certificate.this[0]')
    assert orders.truststore.bucket == ResourceRef(src, "aws_s3_bucket.ts")  # through var and dynamic
    assert orders.truststore.content.location == Location(f"{src}/truststore.pem", 1, 1)
    eu = found["module.eu.aws_api_gateway_domain_name.this"]
    assert (eu.region, eu.certificate) == ("eu-west-1", ref(src, "data.aws_acm_certificate.eu"))
    assert "module.eu.aws_acm_certificate.this[0]" not in found  # count = 0: a certificate ARN is given
    assert found["data.aws_acm_certificate.eu"].kind == AMAZON_ISSUED
    mapping = found['module.domains["orders"].aws_apigatewayv2_api_mapping.this[0]']
    assert mapping.api == ref(src, 'module.domains["orders"].aws_apigatewayv2_api.this[0]', "id")


def test_helper_suppressed():
    found = records(read(TERRAFORM / "suppressed"))
    assert found["aws_api_gateway_domain_name.api"].ignore == frozenset({"MTLS102"})  # line above
    assert found["aws_api_gateway_domain_name.admin"].ignore == frozenset({"MTLS102"})  # inside
    assert found["aws_api_gateway_domain_name.status"].ignore == frozenset({"MTLS305"})
    assert found["aws_acm_certificate.wildcard"].names == ("*.example.com",)


def test_helper_mixed_issuers_and_edge():
    found = records(read(TERRAFORM / "mixed_issuers"))
    partners = found["aws_acm_certificate.partners"]
    assert partners.kind == PRIVATE and partners.issuer.startswith("arn:aws:acm-pca:us-east-1:111122223333:")
    assert found["aws_acm_certificate.api"].issuer == AMAZON
    edge = records(read(TERRAFORM / "edge_mtls"))
    assert edge["aws_api_gateway_domain_name.legacy"].endpoint_type == "EDGE"
    assert edge["aws_api_gateway_domain_name.legacy"].security_policy == "TLS_1_0"


def test_helper_invalid_is_mtls001_with_its_position():
    fragment = read(TERRAFORM / "invalid")
    assert fragment.diagnostics == [Diagnostic(
        "MTLS001", "fixtures/terraform/invalid/main.tf: syntax error: neither an argument "
        "(missing '=') nor a block (its '{' must be on the same line)",
        Location("fixtures/terraform/invalid/main.tf", 9, 3))]
    assert fragment.domains == [] and fragment.files == ["fixtures/terraform/invalid/main.tf"]


@pytest.mark.parametrize("directory", sorted(p.name for p in TERRAFORM.iterdir() if p.is_dir()))
def test_every_helper_configuration_reads_without_error(directory):
    fragment = read(TERRAFORM / directory)
    assert fragment.files
    if directory != "invalid":
        assert fragment.diagnostics == []


# --- small configurations written here ------------------------------------------------------------------


def write(tmp_path: Path, text: str, name: str = "main.tf") -> Path:
    (tmp_path / name).write_text(text)
    return tmp_path


def test_missing_pem_file_is_mtls003_where_file_is_called(tmp_path):
    write(tmp_path, 'resource "aws_acm_certificate" "c" {\n'
                    '  certificate_body = file("${path.module}/nope.pem")\n'
                    '  private_key      = file("key.pem")\n'
                    '}\n')
    fragment = read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path, roots=(tmp_path,)))
    assert [(d.rule_id, d.location, d.resource) for d in fragment.diagnostics] == [
        ("MTLS003", Location("main.tf", 2, 22), "aws_acm_certificate.c"),
        ("MTLS003", Location("main.tf", 3, 22), "aws_acm_certificate.c"),
    ]
    certificate = fragment.certificates[0]
    assert certificate.kind == IMPORTED and isinstance(certificate.issuer, Unknown)


def test_suppression_comment_forms(tmp_path):
    write(tmp_path, "# mtls-lint:ignore MTLS102, MTLS104 two rules\n"
                    "# another comment line\n"
                    'resource "aws_s3_bucket" "a" {\n'
                    '  bucket = "a"\n'
                    "}\n\n"
                    "# mtls-lint:ignore MTLS301 a blank line breaks the link\n\n"
                    'resource "aws_s3_bucket" "b" {\n'
                    '  bucket = "b" // mtls-lint:ignore MTLS3 prefix\n'
                    "}\n"
                    'resource "aws_s3_bucket" "c" {\n'
                    "  /* mtls-lint:ignore */\n"
                    '  bucket = "c"\n'
                    "}\n")
    found = records(read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path)))
    assert found["aws_s3_bucket.a"].ignore == frozenset({"MTLS102", "MTLS104"})
    assert found["aws_s3_bucket.b"].ignore == frozenset({"MTLS3"})
    assert found["aws_s3_bucket.c"].ignore == frozenset({"MTLS"})


def test_region_per_resource_and_context_defaults(tmp_path):
    write(tmp_path, 'resource "aws_s3_bucket" "v6" {\n  region = "ap-south-1"\n  bucket = "x"\n}\n'
                    'resource "aws_s3_bucket" "default" {\n  bucket = "y"\n}\n')
    found = records(read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path, account="999988887777",
                                                                    region="sa-east-1")))
    assert (found["aws_s3_bucket.v6"].region, found["aws_s3_bucket.v6"].account) == ("ap-south-1", "999988887777")
    assert found["aws_s3_bucket.default"].region == "sa-east-1"


def test_unknown_for_each_and_unknown_module_count(tmp_path):
    write(tmp_path, 'variable "names" {}\n'
                    'resource "aws_s3_bucket" "each" {\n  for_each = var.names\n  bucket = each.value\n}\n'
                    'module "child" {\n  source = "./child"\n  count  = length(var.names)\n}\n')
    (tmp_path / "child").mkdir()
    write(tmp_path / "child", 'resource "aws_s3_bucket" "inner" {\n  bucket = "inner"\n}\n')
    found = records(read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path)))
    each = found["aws_s3_bucket.each[*]"]
    assert each.condition == "for each element of the for_each of aws_s3_bucket.each (unknown before apply)"
    assert isinstance(each.name, Unknown)
    inner = found["module.child[0].aws_s3_bucket.inner"]
    assert inner.condition == "if the count of module.child (unknown before apply) is at least 1"
    assert inner.location == Location("child/main.tf", 1, 1)


def test_bad_input_never_raises(tmp_path):
    write(tmp_path, 'resource "aws_s3_bucket" "ok" {\n  bucket = "ok"\n}\n', "good.tf")
    (tmp_path / "bad.tf").write_bytes(b'x = "\xff"\n')
    (tmp_path / "empty.tf").write_text("")
    write(tmp_path, 'locals {\n  a = local.b\n  b = local.a\n}\n'
                    'resource "aws_s3_bucket" "loop" {\n  bucket = local.a\n}\n', "cycle.tf")
    fragment = read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [
        Diagnostic("MTLS001", "bad.tf: the file is not valid UTF-8", Location("bad.tf", 1, 6))]
    found = records(fragment)
    assert found["aws_s3_bucket.ok"].name == "ok"
    assert isinstance(found["aws_s3_bucket.loop"].name, Unknown)


def test_cryptography_is_not_loaded_without_pem_content():
    code = ("import sys\nfrom pathlib import Path\n"
            "from mtls_lint.readers import ReadContext\n"
            "from mtls_lint.readers.terraform_hcl import read_terraform_modules\n"
            f"read_terraform_modules([Path({str(HCL / 'modules')!r})], ReadContext())\n"
            "assert 'cryptography' not in sys.modules\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_huge_counts_are_not_expanded_one_by_one(tmp_path):
    write(tmp_path, 'resource "aws_s3_bucket" "b" {\n  count  = 100000000\n  bucket = "b${count.index}"\n}\n')
    buckets = read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path)).buckets
    assert [(b.resource, b.name) for b in buckets] == [("aws_s3_bucket.b[0]", "b0")]
    assert buckets[0].condition == "if the count of aws_s3_bucket.b (100000000, not expanded one by one) is at least 1"


def test_placements_give_account_and_region_to_resources_without_a_provider():
    placement = Placement("fixtures/hcl/dynamic_count/**", account="444455556666", region="ap-southeast-2")
    domain = records(read(HCL / "dynamic_count", placements=(placement,)))["aws_api_gateway_domain_name.unknown"]
    assert (domain.account, domain.region) == ("444455556666", "ap-southeast-2")


def test_module_instances_are_capped_in_total(tmp_path):
    """Two calls a level, 25 levels deep, would be 2**25 instances."""
    write(tmp_path, 'module "a" {\n  source = "./m1"\n}\nmodule "b" {\n  source = "./m1"\n}\n')
    for level in range(1, 26):
        (tmp_path / f"m{level}").mkdir()
        text = "".join(f'module "{n}" {{\n  source = "../m{level + 1}"\n}}\n' for n in "ab") if level < 25 else \
            'resource "aws_s3_bucket" "x" {\n  bucket = "x"\n}\n'
        write(tmp_path / f"m{level}", text)
    start = time.monotonic()
    fragment = read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path))
    assert time.monotonic() - start < 10
    # Breadth first: the 1001st instance is the 490th of level 9 (binary 111101001, a = 0, b = 1).
    first_not_read = ".".join(f"module.{'ab'[int(bit)]}" for bit in f"{489:09b}")
    assert fragment.diagnostics == [Diagnostic(
        "MTLS001", f"more than 1000 module instances: {first_not_read} and the rest are not read",
        Location("m8/main.tf", 4, 1))]


def test_an_escape_that_is_no_character_is_mtls001_in_a_label_and_unknown_in_a_value(tmp_path):
    write(tmp_path, 'resource "aws_s3_bucket" "\\U0011FFFF" {\n  bucket = "b"\n}\n', "label.tf")
    write(tmp_path, 'resource "aws_api_gateway_domain_name" "d" {\n  domain_name = "\\UFFFFFFFF.example.com"\n}\n')
    fragment = read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path))
    assert fragment.diagnostics == [Diagnostic("MTLS001", "label.tf: syntax error: invalid Unicode escape in a block "
                                               "label", Location("label.tf", 1, 26))]
    assert fragment.domains[0].domain_name == Unknown("a string with an invalid Unicode escape is not evaluated",
                                                      Location("main.tf", 2, 17))


def test_a_module_that_is_not_read_does_not_quote_its_source(tmp_path):
    write(tmp_path, 'module "m" {\n  source = "./-----BEGIN PRIVATE KEY-----"\n}\n'
          'resource "aws_s3_bucket" "b" {\n  bucket = module.m.name\n}\n')
    (bucket,) = read_terraform_modules([tmp_path], ReadContext(cwd=tmp_path)).buckets
    assert bucket.name == Unknown("module.m is not read (a cycle, too deep, or no .tf files)", Location("main.tf", 1, 1))
