"""mtls_lint.readers.sam: SAM Api/HttpApi Domain read natively, with SAM's defaults and quirks."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mtls_lint.model import HTTP, REST, REST_PRIVATE, Api, ApiMapping, CustomDomain, Diagnostic, Location, \
    ResourceRef, Truststore
from mtls_lint.readers import ReadContext
from mtls_lint.readers.cloudformation import TemplateInput, read_templates

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "readers"


def read(name: str, directory: Path = FIXTURES):  # type: ignore[no-untyped-def]
    display = f"readers/{name}" if directory == FIXTURES else name
    return read_templates([TemplateInput(directory / name, display)], ReadContext(cwd=directory))


def by_name(records) -> dict[str, object]:  # type: ignore[no-untyped-def]
    out = {}
    for record in records:
        assert record.resource not in out, f"two records for {record.resource}"
        out[record.resource] = record
    return out


# -- an explicit AWS::Serverless::Api -----------------------------------------------------------------

def test_serverless_api_domain():
    fragment = read("sam_rest_api.yaml")
    p = "readers/sam_rest_api.yaml"
    (domain,) = fragment.domains
    assert domain == CustomDomain(
        resource="ClaimsApi",
        location=Location(p, 16, 7),  # the Domain property
        source=p,
        kind=REST,
        domain_name="claims.example.com",
        endpoint_type="REGIONAL",  # SAM's default
        security_policy="TLS_1_2",
        certificate="arn:aws:acm:us-east-1:111122223333:certificate/4ba8fce1-abcd-4717-9c34-11bfd24372ba",
        ownership_certificate=None,
        # TruststoreVersion: 0 is falsy, and SAM drops it
        truststore=Truststore(location=Location(p, 22, 9), uri="s3://claims-truststores/claims/truststore.pem",
                              bucket="claims-truststores", key="claims/truststore.pem", version=None),
        configuration_count=None,
        field_locations={
            "domain_name": Location(p, 17, 9), "endpoint_type": Location(p, 16, 7),
            "security_policy": Location(p, 19, 9), "certificate": Location(p, 18, 9),
            "ownership_certificate": Location(p, 16, 7), "truststore": Location(p, 22, 9),
            "truststore_uri": Location(p, 23, 11), "truststore_version": Location(p, 24, 11),
        },
    )
    assert fragment.diagnostics == []
    assert fragment.files == [p]


def test_disable_execute_api_endpoint_is_read_as_sam_renders_it_into_the_body():
    fragment = read("sam_rest_api.yaml")
    p = "readers/sam_rest_api.yaml"
    (api,) = fragment.apis
    assert api == Api(resource="ClaimsApi", location=Location(p, 11, 3), source=p, kind=REST,
                      disable_execute_api_endpoint=None, body_disable_execute_api_endpoint=True,
                      field_locations={"body_disable_execute_api_endpoint": Location(p, 15, 7)})
    assert api.execute_api_endpoint_disabled is True


def test_domain_is_mapped_to_its_own_api():
    fragment = read("sam_rest_api.yaml")
    p = "readers/sam_rest_api.yaml"
    assert fragment.mappings == [ApiMapping(resource="ClaimsApi", location=Location(p, 16, 7), source=p,
                                            domain=ResourceRef(p, "ClaimsApi"), api=ResourceRef(p, "ClaimsApi"))]


# -- Globals, the implicit API, HttpApi ---------------------------------------------------------------

def test_globals_domain_on_the_implicit_serverless_rest_api():
    fragment = read("sam_globals.yaml")
    p = "readers/sam_globals.yaml"
    domain = by_name(fragment.domains)["ServerlessRestApi"]
    assert isinstance(domain, CustomDomain)
    assert domain.kind == REST
    assert domain.location == Location(p, 9, 5)  # Globals.Api.Domain
    assert domain.domain_name == "rest.example.com"
    assert domain.endpoint_type == "REGIONAL"
    assert domain.security_policy is None
    assert domain.certificate == "arn:aws:acm:us-east-1:111122223333:certificate/rest-cert"
    assert domain.truststore == Truststore(location=Location(p, 13, 7),
                                           uri="s3://corp-truststores/rest/truststore.pem",
                                           bucket="corp-truststores", key="rest/truststore.pem")
    assert domain.where("domain_name") == Location(p, 10, 7)
    assert domain.where("endpoint_type") == Location(p, 12, 7)
    api = by_name(fragment.apis)["ServerlessRestApi"]
    assert isinstance(api, Api)
    assert api.location == Location(p, 8, 3)  # Globals.Api: the implicit API is written nowhere else
    assert api.execute_api_endpoint_disabled is False


def test_globals_domain_merged_into_an_explicit_http_api():
    fragment = read("sam_globals.yaml")
    p = "readers/sam_globals.yaml"
    domain = by_name(fragment.domains)["HttpApi"]
    assert isinstance(domain, CustomDomain)
    assert domain.kind == HTTP
    assert domain.location == Location(p, 48, 7)  # the resource's own Domain
    assert domain.domain_name == "http.example.com"  # from Globals
    assert domain.security_policy == "TLS_1_2"  # from the resource
    assert domain.endpoint_type == "REGIONAL"
    assert domain.configuration_count == 1
    assert domain.truststore is not None and domain.truststore.version == "v7"
    assert domain.where("domain_name") == Location(p, 17, 7)
    assert domain.where("security_policy") == Location(p, 49, 9)
    assert domain.where("truststore_version") == Location(p, 21, 9)
    # no implicit ServerlessHttpApi: the HttpApi event names its API
    assert sorted(by_name(fragment.domains)) == ["HttpApi", "ServerlessRestApi"]


def test_http_api_definition_body_extension():
    fragment = read("sam_globals.yaml")
    p = "readers/sam_globals.yaml"
    api = by_name(fragment.apis)["HttpApi"]
    assert isinstance(api, Api)
    assert (api.kind, api.disable_execute_api_endpoint, api.body_disable_execute_api_endpoint) == (HTTP, None, True)
    assert api.where("body_disable_execute_api_endpoint") == Location(p, 50, 7)


def test_implicit_http_api_takes_the_globals(tmp_path):
    (tmp_path / "implicit_http.yaml").write_text(textwrap.dedent("""\
        Transform: AWS::Serverless-2016-10-31
        Globals:
          HttpApi:
            Domain:
              DomainName: hello.example.com
              CertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/hello
              MutualTlsAuthentication:
                TruststoreUri: s3://corp-truststores/hello.pem
        Resources:
          HelloFunction:
            Type: AWS::Serverless::Function
            Properties:
              Runtime: python3.12
              Handler: index.handler
              InlineCode: "def handler(e, c): return {}"
              Events:
                Hello:
                  Type: HttpApi
        """))
    fragment = read("implicit_http.yaml", tmp_path)
    (domain,) = fragment.domains
    assert (domain.resource, domain.kind, domain.location) == \
        ("ServerlessHttpApi", HTTP, Location("implicit_http.yaml", 4, 5))


# -- PRIVATE, rejected mTLS ----------------------------------------------------------------------------

def test_private_endpoint_is_a_private_domain_that_keeps_the_truststore_it_asks_for():
    fragment = read("sam_private.yaml")
    p = "readers/sam_private.yaml"
    (domain,) = fragment.domains
    assert domain.kind == REST_PRIVATE
    assert domain.endpoint_type == "PRIVATE"
    assert domain.where("endpoint_type") == Location(p, 28, 9)
    assert domain.asks_for_mtls and not domain.is_mtls
    assert domain.truststore == Truststore(location=Location(p, 31, 9),
                                           uri="s3://corp-truststores/internal/truststore.pem",
                                           bucket="corp-truststores", key="internal/truststore.pem")


def test_sam_rejected_mutual_tls_field_is_mtls001():
    fragment = read("sam_rejected_mtls.yaml")
    p = "readers/sam_rejected_mtls.yaml"
    assert fragment.diagnostics == [Diagnostic(
        "MTLS001",
        "SAM rejects Domain.MutualTlsAuthentication of QuotesApi: unknown field TrustStoreVersion "
        "(allowed: TruststoreUri, TruststoreVersion)",
        Location(p, 17, 11),
        "QuotesApi",
    )]
    # the known field is still read
    (domain,) = fragment.domains
    assert domain.truststore is not None and domain.truststore.uri == "s3://corp-truststores/quotes/truststore.pem"


def test_mutual_tls_that_is_not_a_map_is_mtls001(tmp_path):
    (tmp_path / "list_mtls.yaml").write_text(textwrap.dedent("""\
        Transform: AWS::Serverless-2016-10-31
        Resources:
          QuotesApi:
            Type: AWS::Serverless::HttpApi
            Properties:
              Domain:
                DomainName: quotes.example.com
                CertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/quotes
                MutualTlsAuthentication:
                  - TruststoreUri
        """))
    fragment = read("list_mtls.yaml", tmp_path)
    assert fragment.diagnostics == [Diagnostic(
        "MTLS001", "SAM rejects Domain.MutualTlsAuthentication of QuotesApi: it must be a map",
        Location("list_mtls.yaml", 9, 9), "QuotesApi")]
    assert fragment.domains[0].truststore is None


# -- Fn::If and conditions -----------------------------------------------------------------------------

def test_if_inside_domain_gives_one_domain_per_branch():
    fragment = read("sam_conditional.yaml")
    versions = {d.condition: d.truststore.version for d in fragment.domains  # type: ignore[union-attr]
                if d.resource == "ExportsApi"}
    assert versions == {"IsProduction is true": "7Q9nKJQ2pZ0example", "IsProduction is false": None}


def test_records_the_condition_does_not_change_carry_no_condition():
    fragment = read("sam_conditional.yaml")
    api = by_name(fragment.apis)["ExportsApi"]
    assert api.condition is None  # type: ignore[attr-defined]


def test_resource_condition_of_a_sam_api_labels_its_records():
    fragment = read("sam_conditional.yaml")
    (domain,) = [d for d in fragment.domains if d.resource == "PartnerReportsApi"]
    assert domain.condition == "IsProduction is true"
