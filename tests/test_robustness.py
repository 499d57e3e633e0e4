"""Robustness: no input makes mtls-lint crash, hang, eat memory or print a private key.

The contract (``contract.md``): bad input gives a finding (MTLS001, MTLS003), never a Python
traceback; only the command line itself may end in exit 2, with one ``mtls-lint: `` line on
stderr; private-key bytes never appear in any output.

Every case runs ``main([...])`` in a forked child of the test process (cheap: everything is
already imported) with a wall-clock limit and an address-space limit, so a hang or a memory
bomb is reported as such instead of taking pytest down. Each case writes both reports at once
(``--format text`` on stdout, ``--format json=FILE``) and ``check`` asserts on all of them:

- exit status 0 or 1 for any input (2 only where the command line itself is wrong, with one
  ``mtls-lint: `` line on stderr), never ``internal error`` and never ``Traceback``; nor the MTLS001
  that ``lint`` makes of a reader crash ("... this is a bug in mtls-lint"): contained, but still a crash;
- a JSON report that parses whenever the run did not stop on a usage error;
- the canary marker of ``fixtures/pem/import-canary-key.pem`` absent from stdout, stderr and report.

Every bug this suite found has a minimal reproducer in the "bugs found" section (ids B01..).
An open bug's test is ``xfail(strict=True)``; ``OPEN_BUGS`` lists the open ids, and the
generated-input tests keep away from an open bug's trigger, so that they stay green and keep
finding *new* bugs. When a bug is fixed its test XPASSes, which (strict) fails the run: then
replace the xfail marker with a comment and drop the id from ``OPEN_BUGS``; the generators
then cover that ground again. Most bugs were fixed in the working tree while this suite was
being written; their tests stay as regression tests.

As root (these machines), file permissions are not enforced: a ``chmod 000`` file is still
readable, so the unreadable-file case only proves that nothing crashes.
"""
from __future__ import annotations

import copy
import io
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from mtls_lint.cli import main

# Cases run in forked children with an address-space limit read from /proc: Linux only.
pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc/self/statm").exists(),
                                reason="needs os.fork and /proc (Linux)")

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "fixtures"
PEM = FIXTURES / "pem"
NOW = "2026-12-04T00:00:00Z"
CANARY_KEY = (PEM / "import-canary-key.pem").read_text()
MARKER = "MTLSLINTxCANARYxPRIVATExKEYxDOxNOTxLEAKx"
assert MARKER in CANARY_KEY

CONTAINED_CRASH = "bug in mtls-lint"  # the wording of lint._isolated's MTLS001 for a reader that crashed
CASE_SECONDS = 10.0  # generous for any input here; the slowest passing case takes ~3 s
CASE_MEMORY = 1 << 30  # address space a case may add to the test process
BOMB_SECONDS = 3.0  # for reproducers of hangs: a fixed build answers these in well under a second
BOMB_MEMORY = 512 << 20

# Bugs still open (see the "bugs found" section). Generators avoid their triggers while listed.
OPEN_BUGS: frozenset[str] = frozenset()

REGIONAL_DOMAIN = (
    'AWSTemplateFormatVersion: "2010-09-09"\n'
    "Resources:\n"
    "  Domain:\n"
    "    Type: AWS::ApiGateway::DomainName\n"
    "    Properties:\n"
    "      DomainName: api.example.com\n"
    "      RegionalCertificateArn: arn:aws:acm:us-east-1:111122223333:certificate/x\n"
    "      EndpointConfiguration: {Types: [REGIONAL]}\n"
    "      SecurityPolicy: TLS_1_2\n"
    "      MutualTlsAuthentication:\n"
    "        TruststoreUri: s3://b/k\n"
    "        TruststoreVersion: v1\n"
)
DOMAIN_HEAD = (
    'AWSTemplateFormatVersion: "2010-09-09"\n'
    "Resources:\n"
    "  Domain:\n"
    "    Type: AWS::ApiGateway::DomainName\n"
    "    Properties:\n"
)
TF_DOMAIN = (
    'resource "aws_api_gateway_domain_name" "d" {{\n'
    "  domain_name = {}\n"
    "}}\n"
)


# -- running the command line in a fenced child -------------------------------------------------------

@pytest.fixture(scope="module", autouse=True)
def warm_imports():  # type: ignore[no-untyped-def]
    """Import what a run imports lazily (readers, tree-sitter, cryptography, rules), once, before forking.

    Every case is a fork of this process, so each then starts warm instead of paying the imports again.
    """
    import importlib

    for name in ("mtls_lint.lint", "mtls_lint.docs", "mtls_lint.x509", "mtls_lint.reporters.text",
                 "mtls_lint.reporters.json", "mtls_lint.readers.cloudformation", "mtls_lint.readers.sam",
                 "mtls_lint.readers.terraform_hcl", "mtls_lint.readers.terraform_plan", "mtls_lint.readers.inventory",
                 "mtls_lint.readers.pem", "mtls_lint.readers.hcl_functions"):
        importlib.import_module(name)
    importlib.import_module("mtls_lint.rules").load_registry()
    importlib.import_module("mtls_lint.readers.hcl_syntax").parse_hcl(b'a = "b"\n', "warm-up.tf")
    yield


@dataclass
class Outcome:
    status: int | None  # None: killed (timeout or signal)
    stdout: str
    stderr: str
    report: str | None  # the JSON report file, when one was asked for and written
    seconds: float
    timed_out: bool = False
    signal: int | None = None

    def describe(self) -> str:
        state = "TIMEOUT" if self.timed_out else f"signal {self.signal}" if self.signal else f"exit {self.status}"
        return (f"{state} after {self.seconds:.1f}s\n--- stderr ---\n{self.stderr[-3000:]}\n"
                f"--- stdout ---\n{self.stdout[-3000:]}")


def run_cli(argv: list[str], cwd: Path, *, seconds: float = CASE_SECONDS, memory: int = CASE_MEMORY,
            report: Path | None = None) -> Outcome:
    """``main(argv)`` in a forked child: own cwd, limited address space, killed after ``seconds``."""
    out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115 - closed below, after the child
    sys.stdout.flush()
    sys.stderr.flush()
    start = time.monotonic()
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        status = 72
        try:
            os.chdir(cwd)
            with open("/proc/self/statm") as statm:
                used = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
            resource.setrlimit(resource.RLIMIT_AS, (used + memory, used + memory))
            os.dup2(out.fileno(), 1)
            os.dup2(err.fileno(), 2)
            sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), encoding="utf-8",
                                          errors="backslashreplace", write_through=True)
            sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), encoding="utf-8",
                                          errors="backslashreplace", write_through=True)
            os.environ.pop("MTLS_LINT_DEBUG", None)
            os.environ["NO_COLOR"] = "1"
            try:
                code = main(argv)
            except SystemExit as exc:  # argparse's --help and --version exit instead of returning
                code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 2
            except BaseException:  # noqa: BLE001 - what escapes main() is exactly what we look for
                traceback.print_exc()
                code = 70
            sys.stdout.flush()
            sys.stderr.flush()
            status = code if isinstance(code, int) and 0 <= code < 256 else 71
        except BaseException:  # noqa: BLE001
            status = 72
        finally:
            os._exit(status)
    timed_out = False
    while True:
        done, wait_status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - start > seconds:
            os.kill(pid, 9)
            _, wait_status = os.waitpid(pid, 0)
            timed_out = True
            break
        time.sleep(0.003)
    elapsed = time.monotonic() - start
    out.seek(0)
    err.seek(0)
    stdout = out.read().decode("utf-8", "backslashreplace")
    stderr = err.read().decode("utf-8", "backslashreplace")
    out.close()
    err.close()
    signal = os.WTERMSIG(wait_status) if os.WIFSIGNALED(wait_status) and not timed_out else None
    status = os.WEXITSTATUS(wait_status) if os.WIFEXITED(wait_status) else None
    text = None
    if report is not None and report.exists():
        text = report.read_text(encoding="utf-8", errors="backslashreplace")
        report.unlink()
    return Outcome(status, stdout, stderr, text, elapsed, timed_out, signal)


def lint(workdir: Path, *paths: Path | str, extra: tuple[str, ...] = (), seconds: float = CASE_SECONDS,
         memory: int = CASE_MEMORY) -> Outcome:
    """Lint ``paths`` from ``workdir`` with both reports, a fixed --now and an empty config.

    Config and report live in a sibling folder, so a directory scan never sees them.
    """
    side = Path(tempfile.mkdtemp(prefix="mtls-robustness-"))
    try:
        config = side / "empty-config.yaml"
        config.write_text("")
        report = side / "report.json"
        argv = [*map(str, paths), "--format", "text", "--format", f"json={report}", "--now", NOW,
                "--config", str(config), *extra]
        return run_cli(argv, workdir, seconds=seconds, memory=memory, report=report)
    finally:
        shutil.rmtree(side, ignore_errors=True)


def check(outcome: Outcome, *, usage_error_ok: bool = False, what: str = "") -> None:
    """The contract, for any input. ``usage_error_ok``: the command line itself may be wrong."""
    where = f"{what}\n{outcome.describe()}"
    assert not outcome.timed_out, f"hang (no answer within the time limit): {where}"
    assert outcome.signal is None, f"killed by signal {outcome.signal}: {where}"
    assert outcome.status in (0, 1, 2), f"exit status {outcome.status}: {where}"
    for name, text in (("stdout", outcome.stdout), ("stderr", outcome.stderr), ("report", outcome.report or "")):
        assert "Traceback" not in text, f"traceback on {name}: {where}"
        assert MARKER not in text, f"the canary private key leaked into {name}: {where}"
    assert "internal error" not in outcome.stderr, f"internal error: {where}"
    if outcome.status == 2:
        lines = outcome.stderr.splitlines()
        assert len(lines) == 1 and lines[0].startswith("mtls-lint: "), f"exit 2 needs one stderr line: {where}"
        assert usage_error_ok, f"exit 2 for bad input (a finding was due): {where}"
    elif outcome.report is not None:
        report = json.loads(outcome.report)
        assert isinstance(report.get("findings"), list), where
        # lint._isolated turns a reader crash into MTLS001 "... reader failed on this input (TypeError); this
        # is a bug in mtls-lint": the contract holds, but the crash is still a bug to report and fix.
        crashed = [f["message"] for f in report["findings"] if CONTAINED_CRASH in f["message"]]
        assert not crashed, f"a reader crashed (contained as a finding): {crashed[0]}\n{where}"


def write_tree(base: Path, files: dict[str, str | bytes]) -> Path:
    for relative, content in files.items():
        path = base / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return base


def lint_files(tmp_path: Path, files: dict[str, str | bytes], *, target: str | None = None,
               extra: tuple[str, ...] = (), seconds: float = CASE_SECONDS, memory: int = CASE_MEMORY) -> Outcome:
    inputs = write_tree(tmp_path / "in", files)
    extra = tuple(item.replace("{in}", str(inputs)) for item in extra)
    return lint(inputs, inputs / target if target else inputs, extra=extra, seconds=seconds, memory=memory)


def findings(outcome: Outcome) -> list[dict]:  # type: ignore[type-arg]
    return json.loads(outcome.report)["findings"] if outcome.report else []


class TagLoader(yaml.SafeLoader):
    """Reads CloudFormation short forms (``!Ref x``) as their long forms, to re-serialise fixtures as JSON."""


def _long_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict:  # type: ignore[type-arg]
    if isinstance(node, yaml.ScalarNode):
        value: object = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}": value}


TagLoader.add_multi_constructor("!", _long_form)


# -- byte mutations (seeded: the same mutants on every run) ---------------------------------------------

TOKENS = [b"${", b"}", b"{", b"[", b"]", b'"', b"\n", b"%{", b"\\", b"count = ", b"-1", b"null", b"...",
          b"for x in ", b":", b"?", b"=", b"<<EOT\n", b"EOT\n", b"module.", b"var.", b"local.", b"\xff",
          b"\x00", b"# mtls-lint:ignore\n", b"[*]", b".0", b"- ", b"&a ", b"*a", b"<<: *a\n", b"\t", b"\r\n",
          b"\xef\xbb\xbf", b"!Ref ", b"!If [", b"Fn::If", b"-----BEGIN CERTIFICATE-----\n", b"1e999", b"NaN"]


def mutate(data: bytes, rng: random.Random) -> bytes:
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        op = rng.randrange(7)
        pos = rng.randrange(len(out) + 1)
        if op == 0 and out:
            out[min(pos, len(out) - 1)] = rng.randrange(256)
        elif op == 1:
            del out[pos:pos + rng.randint(1, 40)]
        elif op == 2:
            out[pos:pos] = rng.choice(TOKENS)
        elif op == 3:
            del out[pos:]  # truncated
        elif op == 4 and out:
            start = rng.randrange(len(out))
            out[pos:pos] = out[start:start + rng.randint(1, 300)]
        elif op == 5:
            out[pos:pos] = rng.choice(TOKENS) * rng.randint(2, 60)
        else:
            out = bytearray(out.replace(b"\n", b"\r\n")) if rng.random() < 0.5 else out
    return bytes(out)


TF_DIRS = sorted(p for p in [*(FIXTURES / "terraform").iterdir(), *(FIXTURES / "hcl").iterdir()] if p.is_dir())
PLAN_FILES = sorted((FIXTURES / "tfplan").glob("*.json"))
INVENTORY_FILES = sorted((FIXTURES / "inventory").glob("*.json"))
TEMPLATE_FILES = sorted(p for p in (FIXTURES / "cfn").rglob("*") if p.suffix in (".yaml", ".json")) + sorted(
    p for d in ("readers", "sam", "bad") for p in (FIXTURES / d).glob("*") if p.suffix in (".yaml", ".json",
                                                                                              ".template"))


@pytest.mark.parametrize("module", TF_DIRS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_terraform_fixture_byte_mutations(tmp_path, module):
    """Random byte mutations of one .tf (or .tfvars) file of each fixture module."""
    rng = random.Random(f"tf:{module.name}")
    for index in range(4):
        work = tmp_path / f"m{index}"
        shutil.copytree(module, work)
        files = sorted(p for p in work.rglob("*") if p.suffix in (".tf", ".tfvars"))
        victim = rng.choice(files)
        victim.write_bytes(mutate(victim.read_bytes(), rng))
        check(lint(work, work), what=f"mutant {index} of {victim.relative_to(work)} in {module}")


@pytest.mark.parametrize("plan", PLAN_FILES, ids=lambda p: p.name)
def test_plan_fixture_byte_mutations(tmp_path, plan):
    rng = random.Random(f"plan:{plan.name}")
    for index in range(3):
        mutant = tmp_path / f"m{index}" / plan.name
        mutant.parent.mkdir()
        mutant.write_bytes(mutate(plan.read_bytes(), rng))
        check(lint(mutant.parent, mutant), what=f"mutant {index} of {plan}")


@pytest.mark.parametrize("inventory", INVENTORY_FILES, ids=lambda p: p.name)
def test_inventory_fixture_byte_mutations(tmp_path, inventory):
    rng = random.Random(f"inventory:{inventory.name}")
    for index in range(3):
        mutant = tmp_path / f"m{index}" / inventory.name
        mutant.parent.mkdir()
        mutant.write_bytes(mutate(inventory.read_bytes(), rng))
        check(lint(mutant.parent, mutant.parent, extra=("--inventory", str(mutant))), what=f"mutant {index}")


@pytest.mark.parametrize("template", TEMPLATE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_template_fixture_byte_mutations(tmp_path, template):
    rng = random.Random(f"template:{template.name}")
    for index in range(2):
        mutant = tmp_path / f"m{index}" / template.name
        mutant.parent.mkdir()
        mutant.write_bytes(mutate(template.read_bytes(), rng))
        check(lint(mutant.parent, mutant), what=f"mutant {index} of {template}")


# -- CloudFormation / SAM: odd but well-formed templates ------------------------------------------------

def _domain(properties: str) -> str:
    return DOMAIN_HEAD + "".join(f"      {line}\n" for line in properties.strip("\n").splitlines())


ODD_TEMPLATES = {
    "null-properties": DOMAIN_HEAD.rstrip("\n") + " null\n",
    "properties-list": DOMAIN_HEAD.rstrip("\n") + " [a, b]\n",
    "properties-number": DOMAIN_HEAD.rstrip("\n") + " 42\n",
    "null-values": _domain("DomainName: null\nCertificateArn: ~\nMutualTlsAuthentication: null"),
    "lists-for-maps": _domain("DomainName: [a]\nEndpointConfiguration: [REGIONAL]\n"
                              "MutualTlsAuthentication: [s3://b/k]"),
    "maps-for-lists": _domain("DomainName: a.example.com\nEndpointConfiguration: {Types: {a: REGIONAL}}"),
    "numbers": _domain("DomainName: 1e400\nSecurityPolicy: -0\nEndpointConfiguration: {Types: [12]}\n"
                       "MutualTlsAuthentication: {TruststoreUri: 3, TruststoreVersion: 0.5}"),
    "booleans": _domain("DomainName: yes\nMutualTlsAuthentication: {TruststoreUri: true, TruststoreVersion: false}"),
    "nested-intrinsics": _domain(
        "DomainName: !Join ['', [!Select [0, !Split [',', !Sub '${AWS::Region},x']], !If [C, !Ref X, !GetAtt Y.Z]]]\n"
        "CertificateArn: !FindInMap [!Ref M, !Select [9, []], !ImportValue !Sub '${AWS::StackName}-x']"),
    "if-arity": "Conditions:\n  C: !Equals [a, b]\n" + _domain(
        "DomainName: !If [C]\nCertificateArn: !If [C, a, b, c]\nSecurityPolicy: !If [[C], a, b]\n"
        "EndpointConfiguration: !If C\nMutualTlsAuthentication: !If {C: [1, 2]}"),
    "if-undecided-many": _domain(
        "DomainName: !Join ['', [" + ", ".join(f"!If [C{i}, a, b]" for i in range(20)) + "]]\n"
        "MutualTlsAuthentication: {TruststoreUri: !Join ['', [" + ", ".join(f"!If [K{i}, a, b]" for i in range(20))
        + "]]}"),
    "if-nested-deep": _domain("DomainName: " + "!If [C, " * 35 + "x" + ", y]" * 35),
    "ref-self": _domain("DomainName: !Ref Domain\nCertificateArn: !GetAtt Domain.Arn\n"
                        "RegionalCertificateArn: !GetAtt [Domain, Domain]"),
    "parameter-self": "Parameters:\n  P: {Type: String, Default: !Ref P}\n  L: {Type: CommaDelimitedList, Default: 5}\n"
                      + _domain("DomainName: !Ref P\nCertificateArn: !Select [0, !Ref L]"),
    "mapping-self": "Mappings:\n  M:\n    a: {b: !FindInMap [M, a, b]}\n" + _domain("DomainName: !FindInMap [M, a, b]"),
    "export-cycle": _domain("DomainName: !ImportValue A\nCertificateArn: !ImportValue B") + (
        "Outputs:\n  A: {Value: !ImportValue B, Export: {Name: A}}\n  B: {Value: !ImportValue A, Export: {Name: B}}\n"
        "  C: {Value: !ImportValue C, Export: {Name: !ImportValue C}}\n  D: {Value: 1, Export: [x]}\n"),
    "sub-odd": _domain("DomainName: !Sub ['${a}${!b}${', {a: !Sub '${a}'}]\nCertificateArn: !Sub [1, 2, 3]\n"
                       "SecurityPolicy: !Sub '${AWS::NoValue}${Domain.Arn}${.}'"),
    "unicode-bom-crlf-tabs": ("\ufeff" + _domain("DomainName: \"\u00e9\u202e\U0001f600.example.com\"\t\n"
                                                 "SecurityPolicy: \"\\u0000\"")).replace("\n", "\r\n"),
    "tabs-indent": DOMAIN_HEAD.replace("    ", "\t") + "\t\tDomainName: a\n",
    "yaml-list": "- AWSTemplateFormatVersion: x\n- Resources: {D: {Type: AWS::ApiGateway::DomainName}}\n",
    "yaml-scalar": "AWS::ApiGateway::DomainName\n",
    "several-documents": _domain("DomainName: a") + "---\n" + _domain("DomainName: b") + "...\n",
    "aliases-and-merge": "x: &x {DomainName: a}\ny: &y [1, *x]\n" + DOMAIN_HEAD
                         + "      <<: [*x, *y]\n      <<: 1\n      Tags: *y\n",
    "complex-keys": _domain("? [a, b]\n: c\n? {x: y}\n: d\n1: 2\nnull: 3"),
    "other-tags": _domain("DomainName: !Nope [1]\nCertificateArn: !<tag:x> 1\nSecurityPolicy: !!binary '***'\n"
                          "Tags: !!set {a}\nX: !!timestamp nope\nY: !!python/object:os.system x\nZ: !!str 1"),
    "resources-odd": 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n  A: null\n  B: [1]\n  C: {Type: null}\n'
                     "  D: {Type: [AWS::ApiGateway::DomainName]}\n  E: {Type: AWS::ApiGateway::DomainName, "
                     "Condition: [x], Metadata: {mtls-lint: {ignore: 5}, cfn-lint: {config: {ignore_checks: [1]}}}}\n",
    "sam-odd": "Transform: AWS::Serverless-2016-10-31\nGlobals: {Api: [1]}\nResources:\n  Api:\n"
               "    Type: AWS::Serverless::Api\n    Properties: {Domain: [1], StageName: {a: b}}\n  Http:\n"
               "    Type: AWS::Serverless::HttpApi\n"
               "    Properties: {Domain: {DomainName: 1, MutualTlsAuthentication: 2,"
               " CertificateArn: [x], EndpointConfiguration: {Type: []}}}\n  Fn:\n    Type: AWS::Serverless::Function\n"
               "    Properties: {Events: {E: {Type: Api, Properties: null}, F: [1]}}\n",
    "http-domain-odd": 'AWSTemplateFormatVersion: "2010-09-09"\nResources:\n'
                       "  H:\n    Type: AWS::ApiGatewayV2::DomainName\n"
                       "    Properties: {DomainName: a, DomainNameConfigurations: [null, [1], {EndpointType: []}]}\n"
                       "  I:\n    Type: AWS::ApiGatewayV2::DomainName\n    Properties: {DomainNameConfigurations: 7}\n"
                       "  M:\n    Type: AWS::ApiGatewayV2::ApiMapping\n"
                       "    Properties: {DomainName: !Ref H, ApiId: [1]}\n",
}


@pytest.mark.parametrize("name", sorted(ODD_TEMPLATES))
def test_odd_cloudformation_template(tmp_path, name):
    outcome = lint_files(tmp_path, {"template.yaml": ODD_TEMPLATES[name]}, target="template.yaml")
    check(outcome, what=name)


@pytest.mark.parametrize("name", ["null-values", "lists-for-maps", "numbers", "resources-odd", "http-domain-odd"])
def test_odd_cloudformation_template_as_json(tmp_path, name):
    document = yaml.load(ODD_TEMPLATES[name], Loader=TagLoader)
    if name == "resources-odd" and "B04" in OPEN_BUGS:
        document["Resources"].pop("D")  # a list as Type in JSON: B04
    check(lint_files(tmp_path, {"template.json": json.dumps(document)}, target="template.json"), what=name)


def test_ten_thousand_resources(tmp_path):
    resources = {f"Domain{i}": {"Type": "AWS::ApiGateway::DomainName",
                                "Properties": {"DomainName": f"d{i}.example.com",
                                               "CertificateArn": {"Ref": f"Domain{i}"},
                                               "MutualTlsAuthentication": {"TruststoreUri": f"s3://b/k{i}"}}}
                 for i in range(10_000)}
    document = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
    outcome = lint_files(tmp_path, {"big.json": json.dumps(document)}, target="big.json")
    check(outcome)
    assert not [f for f in findings(outcome) if f["rule_id"] == "MTLS001"]


def test_yaml_and_json_that_are_not_templates_are_skipped(tmp_path):
    files = {"list.yaml": "- 1\n- AWS::S3::Bucket\n", "scalar.json": '"AWS::S3::Bucket"', "null.yaml": "~\n",
             "nan.json": '{"Resources": NaN, "x": "AWS::S3::Bucket"}', "empty.json": ""}
    check(lint_files(tmp_path, files))


# -- Terraform configuration ------------------------------------------------------------------------------

TF_CASES = {
    "count-1e9": 'resource "aws_s3_bucket" "b" {\n  count  = 1e9\n  bucket = "x${count.index}"\n}\n',
    "count-odd": 'resource "aws_s3_bucket" "a" {\n  count = -5\n}\nresource "aws_s3_bucket" "b" {\n  count = "x"\n}\n'
                 'resource "aws_s3_bucket" "c" {\n  count = 1e999\n}\n'
                 'resource "aws_s3_bucket" "d" {\n  for_each = 5\n}\n'
                 'resource "aws_s3_bucket" "e" {\n  for_each = {for i in [1, 2] : i => i}\n  bucket = each.value\n}\n',
    "count-1000-dynamic-1000": 'resource "aws_api_gateway_domain_name" "b" {\n  count = 1000\n'
                               '  domain_name = "x${count.index}"\n  dynamic "mutual_tls_authentication" {\n'
                               "    for_each = [for i in [1, 2, 3] : i]\n    content {\n"
                               '      truststore_uri = "s3://b/k"\n    }\n  }\n}\n',
    "self-references": 'resource "aws_s3_bucket" "b" {\n  bucket = aws_s3_bucket.b.bucket\n}\n'
                       "locals {\n  a = local.b\n  b = local.a\n}\n"
                       'resource "aws_api_gateway_domain_name" "d" {\n  domain_name = local.a\n'
                       "  certificate_arn = aws_api_gateway_domain_name.d.id\n}\n",
    "file-of-directory-and-devices": 'resource "aws_acm_certificate" "c" {\n  certificate_body = file("./")\n'
                                     '  private_key = file("/dev/zero")\n  certificate_chain = file("/dev/null")\n}\n'
                                     'resource "aws_s3_object" "o" {\n  bucket = "b"\n  key = "k"\n'
                                     '  source = "/dev/zero"\n}\nresource "aws_api_gateway_domain_name" "d" {\n'
                                     '  domain_name = "a.example.com"\n  mutual_tls_authentication {\n'
                                     '    truststore_uri = "s3://b/k"\n  }\n}\n',
    "file-odd-arguments": 'resource "aws_acm_certificate" "c" {\n  certificate_body = file(1)\n'
                          '  private_key = file()\n  certificate_chain = file("a", "b")\n}\n',
    "deep-expression": TF_DOMAIN.format("[" * 3000 + "]" * 3000),
    "deep-parentheses": TF_DOMAIN.format("(" * 3000 + "1" + ")" * 3000),
    "deep-blocks": 'resource "aws_s3_bucket" "b" {\n' + "a {\n" * 2000 + "}\n" * 2000 + "}\n",
    "functions-odd": TF_DOMAIN.format(
        'join(",", [lower(1), upper([]), replace("a", "", "bb"), split("", "abc"), jsondecode("[[[[1]]]]"), '
        'jsonencode({a = [1, null]}), lookup({}, "x"), tomap([]), tolist(1), toset([[1], [1]]), one([1, 2]), '
        'merge(1), keys(5), coalesce(), try(), can(), flatten(1), basename(1), nosuch(1), provider::x::y(1)])'),
    "templates-odd": TF_DOMAIN.format('"%{ if true }x%{ endif }${null}$${literal}%%{x}\\u00e9\\q${"${"${1}"}"}"')
                     + 'locals {\n  h = <<-EOT\n    ${local.h}\n  EOT\n}\n',
    "unicode-bom-crlf": ("\ufeff" + TF_DOMAIN.format('"\u00e9\u202e\U0001f600"')).replace("\n", "\r\n"),
    "override-and-tfvars": "",
}


@pytest.mark.parametrize("name", sorted(TF_CASES))
def test_odd_terraform_configuration(tmp_path, name):
    files = {"main.tf": TF_CASES[name]}
    if name == "override-and-tfvars":
        files = {"main.tf": 'variable "v" {}\nresource "aws_s3_bucket" "b" {\n  bucket = var.v\n}\n',
                 "main_override.tf": "garbage {{{", "terraform.tfvars": "v = [\n", "x.auto.tfvars": b"\xff"}
    check(lint_files(tmp_path, files), what=name)


def test_module_that_sources_itself_and_its_parent(tmp_path):
    files = {"main.tf": 'module "me" {\n  source = "./"\n}\nmodule "child" {\n  source = "./child"\n}\n'
                        'resource "aws_s3_bucket" "b" {\n  bucket = module.child.o\n}\n',
             "child/main.tf": 'module "parent" {\n  source = "../"\n}\noutput "o" {\n  value = module.parent.x\n}\n'}
    check(lint_files(tmp_path, files))


def test_module_chain_deeper_than_the_limit(tmp_path):
    files = {"main.tf": 'module "m" {\n  source = "./m1"\n}\n'}
    for level in range(1, 41):
        files[f"m{level}/main.tf"] = (f'module "m" {{\n  source = "../m{level + 1}"\n  x = var.x\n}}\n'
                                      'variable "x" {\n  default = 1\n}\n'
                                      'resource "aws_s3_bucket" "b" {\n  bucket = "b${var.x}"\n}\n')
    check(lint_files(tmp_path, files))


def test_module_sources_that_are_not_local_modules(tmp_path):
    files = {"main.tf": 'module "a" {\n  source = "../../../../../../../../"\n}\nmodule "b" {\n  source = "./nope"\n}\n'
                        'module "c" {\n  source = "./file.txt"\n}\nmodule "d" {\n  source = 5\n}\n'
                        'module "e" {\n  source = "./empty"\n  count = 3\n}\n',
             "file.txt": "x", "empty/readme": "x"}
    check(lint_files(tmp_path, files))


# -- Terraform plan JSON ----------------------------------------------------------------------------------

def _plan(after: dict, *, after_unknown: object = None, after_sensitive: object = None,  # type: ignore[type-arg]
          kind: str = "aws_api_gateway_domain_name") -> dict:  # type: ignore[type-arg]
    address = f"{kind}.x"
    change = {"actions": ["create"], "after": after,
              "after_unknown": after_unknown if after_unknown is not None else {},
              "after_sensitive": after_sensitive if after_sensitive is not None else {}}
    return {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": address, "mode": "managed", "type": kind, "name": "x", "values": after}]}},
        "resource_changes": [{"address": address, "mode": "managed", "type": kind, "name": "x", "change": change}]}


DOMAIN_AFTER = {"domain_name": "api.example.com", "regional_certificate_arn": None,
                "endpoint_configuration": [{"types": ["REGIONAL"]}],
                "mutual_tls_authentication": [{"truststore_uri": "s3://b/k", "truststore_version": None}]}

PLAN_CASES = {
    "after-unknown-list": _plan(DOMAIN_AFTER, after_unknown=[1, 2]),
    "after-unknown-string": _plan(DOMAIN_AFTER, after_unknown="x"),
    "after-unknown-deeper-than-after": _plan(DOMAIN_AFTER, after_unknown={"domain_name": {"a": [True]},
                                                                          "endpoint_configuration": [True, True, {}]}),
    "after-unknown-shallower": _plan(DOMAIN_AFTER, after_unknown={"mutual_tls_authentication": True}),
    "after-sensitive-odd": _plan(DOMAIN_AFTER, after_sensitive={"domain_name": [1], "mutual_tls_authentication": 5}),
    "types-swapped": _plan({"domain_name": ["x"], "regional_certificate_arn": {"a": 1}, "endpoint_configuration": "x",
                            "mutual_tls_authentication": {"truststore_uri": 5}}),
    "nulls": _plan({"domain_name": None, "endpoint_configuration": None, "mutual_tls_authentication": [None]}),
    "keys-removed": {"format_version": "1.2", "planned_values": {}, "resource_changes": [{}]},
    "no-root-module": {"format_version": "1.2", "planned_values": {"root_module": None}},
    "child-modules-odd": {"format_version": "1.2", "planned_values": {"root_module": {
        "child_modules": [None, 1, {"child_modules": {"a": 1}}, {"resources": [None, {"address": 5}]}]}}},
    "configuration-odd": dict(_plan(DOMAIN_AFTER), configuration={"root_module": {"module_calls": [1], "resources": {}},
                                                                  "provider_config": [1]}, variables=[1]),
    "addresses-odd": {"format_version": "1.2", "planned_values": {"root_module": {"resources": [
        {"address": 'module.a["x"].module.b[0].aws_s3_bucket.b["\\"]', "type": "aws_s3_bucket"},
        {"address": "aws_s3_bucket", "type": "aws_s3_bucket"}, {"address": "", "type": "aws_s3_bucket"}]}}},
}


@pytest.mark.parametrize("name", sorted(PLAN_CASES))
def test_odd_plan(tmp_path, name):
    check(lint_files(tmp_path, {"plan.json": json.dumps(PLAN_CASES[name])}, target="plan.json"), what=name)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be", "utf-32", "truncated", "nul", "latin-1"])
def test_plan_encodings_and_truncation(tmp_path, encoding):
    text = (FIXTURES / "tfplan" / "good_regional_mtls.json").read_text(encoding="utf-8")
    data = {"truncated": text.encode()[: len(text) // 2], "nul": text.encode().replace(b"{", b"{\x00", 3),
            "latin-1": text.replace('"', '"\xe9', 9).encode("latin-1")}.get(encoding) or text.encode(encoding)
    check(lint_files(tmp_path, {"plan.json": data}, target="plan.json"), what=encoding)


# -- inventory --------------------------------------------------------------------------------------------

INVENTORY_CASES = {
    "empty-object": "{}", "empty-list": "[]", "scalar": "5", "empty-file": "", "nested-list": "[[[]]]",
    "items-odd": '{"items": {"a": 1}}', "Items-odd": '{"Items": [1, null, {"DomainName": []}]}',
    "bundle-odd": '{"mtls_lint_inventory": 1, "account": 5, "region": [],'
                  ' "certificates": {"CertificateSummaryList": 5},'
                  ' "rest_domain_names": {"items": 3}, "http_domain_names": [{"DomainName": 1}]}',
    "bundle-versions": '[{"mtls_lint_inventory": true}, {"mtls_lint_inventory": "1"}]',
    "timestamps-odd": '{"Certificate": {"CertificateArn": "arn:aws:acm:us-east-1:1:certificate/x", "NotAfter": 1e300,'
                      ' "NotBefore": -1e20, "ImportedAt": "nope", "IssuedAt": NaN}}',
    "certificate-odd": '{"Certificate": {"CertificateArn": 5, "SubjectAlternativeNames": [1, null, ""],'
                       ' "KeyAlgorithm": [], "Type": {}, "Status": 1}}',
    "utf16-bom": '\ufeff{"CertificateSummaryList": []}',
}


@pytest.mark.parametrize("name", sorted(INVENTORY_CASES))
def test_odd_inventory(tmp_path, name):
    data = INVENTORY_CASES[name].encode("utf-16" if name == "utf16-bom" else "utf-8")
    outcome = lint_files(tmp_path, {"inventory.json": data, "x.txt": "x"}, target="x.txt",
                         extra=("--inventory", "{in}/inventory.json"))
    check(outcome, what=name)


def test_inventory_utf16_without_bom_and_binary(tmp_path):
    files = {"a.json": '{"CertificateSummaryList": []}'.encode("utf-16-le"), "b.json": random.Random(3).randbytes(2000),
             "x.txt": "x"}
    extra = ("--inventory", "{in}/a.json", "--inventory", "{in}/b.json")
    check(lint_files(tmp_path, files, target="x.txt", extra=extra))


# -- PEM truststores ----------------------------------------------------------------------------------------

GOOD_TRUSTSTORE = (PEM / "truststore-good.pem").read_bytes()
SMALL_CA = (PEM / "truststore-expired-ca.pem").read_bytes()
PEM_CASES = {
    "random-bytes": random.Random(1).randbytes(3000),
    "random-bytes-after-begin": b"-----BEGIN CERTIFICATE-----\n" + random.Random(2).randbytes(3000),
    "truncated": GOOD_TRUSTSTORE[: len(GOOD_TRUSTSTORE) // 2],
    "truncated-end": GOOD_TRUSTSTORE[:-10],
    "ten-thousand-certificates": SMALL_CA * 10_000,  # 5.5 MB: over the 5 MB cap, MTLS003
    "three-thousand-certificates": SMALL_CA * 3_000,
    "private-key": CANARY_KEY.encode(),
    "bundle-with-private-key": (PEM / "truststore-private-key.pem").read_bytes(),
    "private-key-without-end": CANARY_KEY.encode().split(b"-----END")[0],
    "key-inside-certificate-block": (b"-----BEGIN CERTIFICATE-----\n" + CANARY_KEY.encode()
                                     + b"-----END CERTIFICATE-----\n"),
    "base64-of-garbage": b"-----BEGIN CERTIFICATE-----\n" + b"QUFB" * 500 + b"\n-----END CERTIFICATE-----\n",
    "begin-lines-only": b"-----BEGIN CERTIFICATE-----\n" * 20_000,
    "utf16": GOOD_TRUSTSTORE.decode().encode("utf-16"),
    "der": (PEM / "truststore-der.pem").read_bytes() * 3,
    "nul-bytes": b"\x00" * 10_000,
}


@pytest.mark.parametrize("name", sorted(PEM_CASES))
def test_odd_truststore_file(tmp_path, name):
    outcome = lint_files(tmp_path, {"template.yaml": REGIONAL_DOMAIN, "truststore.pem": PEM_CASES[name]},
                         target="template.yaml", extra=("--truststore", "s3://b/k={in}/truststore.pem"))
    check(outcome, what=name)


@pytest.mark.parametrize("target", ["{in}", "/dev/null", "/dev/zero", "/dev/urandom", "{in}/missing.pem", "{in}/\u00e9",
                                    "/proc/self/mem"])
def test_truststore_that_is_not_a_regular_file(tmp_path, target):
    outcome = lint_files(tmp_path, {"template.yaml": REGIONAL_DOMAIN}, target="template.yaml",
                         extra=("--truststore", f"s3://b/k={target}"))
    check(outcome, what=target)
    assert outcome.status == 1 and any(f["rule_id"] == "MTLS003" for f in findings(outcome)), outcome.describe()


# -- directories --------------------------------------------------------------------------------------------

def test_directory_symlink_to_an_ancestor(tmp_path):
    inputs = write_tree(tmp_path / "in", {"sub/template.yaml": REGIONAL_DOMAIN, "sub/main.tf": TF_DOMAIN.format('"a"')})
    (inputs / "sub" / "up").symlink_to("..")
    (inputs / "sub" / "root").symlink_to("/")
    (inputs / "sub" / "dangling.yaml").symlink_to("nowhere.yaml")
    check(lint(inputs, inputs))


def test_unreadable_files(tmp_path):
    """chmod 000 (when run as root, as here, permissions are not enforced: this only proves no crash)."""
    inputs = write_tree(tmp_path / "in", {"template.yaml": REGIONAL_DOMAIN, "tf/main.tf": TF_DOMAIN.format('"a"'),
                                          "plan.json": json.dumps(PLAN_CASES["nulls"]), "inv.json": "[]",
                                          "ts.pem": GOOD_TRUSTSTORE})
    closed = [inputs / "template.yaml", inputs / "tf" / "main.tf", inputs / "plan.json", inputs / "inv.json",
              inputs / "ts.pem", inputs / "tf"]
    for path in closed:
        path.chmod(0)
    try:
        outcome = lint(inputs, inputs, extra=("--inventory", str(inputs / "inv.json"),
                                              "--truststore", f"s3://b/k={inputs / 'ts.pem'}"))
    finally:
        for path in closed:
            path.chmod(0o755)
    check(outcome)


def test_files_that_only_look_like_inputs(tmp_path):
    files = {"x.tf": b"\xff\xfe" + b"\x00" * 100, "dir.yaml/inner.json": "{}", "y.template": b"\x00" * 1000,
             "z.yml": "AWS::ApiGateway::DomainName " * 10_000, ".git/t.yaml": "AWS::S3::Bucket [",
             "node_modules/t.yaml": "AWS::S3::Bucket ["}
    check(lint_files(tmp_path, files))


# -- the command line --------------------------------------------------------------------------------------

def cli_workspace(base: Path) -> Path:
    return write_tree(base, {
        "t.yaml": REGIONAL_DOMAIN, "ts.pem": (PEM / "truststore-expiring-ca.pem").read_bytes(),
        "inv.json": (FIXTURES / "inventory" / "describe-certificate-amazon-issued.json").read_bytes(),
        "cfg.yaml": "", "bad-cfg.yaml": "nope: 1\n", "list-cfg.yaml": "- 1\n", "broken-cfg.yaml": "a: [\n",
        "sub/pyproject.toml": "[tool.mtls-lint]\nfail-on = 3\n", "dir/x.txt": "x",
    })


CLI_CASES = [
    [], ["--help"], ["-h"], ["--version"], ["--list-rules"], ["--explain", "MTLS101"], ["--explain", "nope"],
    ["--bogus"], ["--e", "1"], ["--format"], ["--format", "sarif"], ["--format", "json", "--format", "text"],
    ["--format", "json=dir"], ["--format", "json=missing/x.json"], ["--format", "=x"], ["--format", "json="],
    ["--now", "yesterday"], ["--now", ""], ["--now", "0001-01-01T00:00:00+01:00"], ["--now", "2026-13-01"],
    ["--expiry-days", "-1"], ["--expiry-days", "x"], ["--expiry-days", "0"], ["--fail-on", "x"], ["--fail-on", "never"],
    ["--select", ",,,"], ["--select", "MTLS999"], ["--ignore", "MTLS"], ["--account", ""], ["--region", "\u00e9"],
    ["--truststore", "s3://b/k"], ["--truststore", "b/k=ts.pem"], ["--truststore", "s3://=ts.pem"],
    ["--truststore", "s3://b/k=missing.pem"], ["--truststore", "s3://b/k=dir"], ["--inventory", "missing.json"],
    ["--inventory", "dir"], ["--inventory", "/dev/null"], ["--config", "missing.yaml"], ["--config", "dir"],
    ["--config", "bad-cfg.yaml"], ["--config", "list-cfg.yaml"], ["--config", "broken-cfg.yaml"],
    ["--config", "sub/pyproject.toml"], ["missing.yaml"], ["/dev/null"], [""], ["--", "--format"], ["a\x00b"],
    ["--inventory", "a\x00b"], ["--config", "a\x00b"], ["--truststore", "s3://b/k=a\x00b"],
]


@pytest.mark.parametrize("argv", CLI_CASES, ids=lambda argv: " ".join(argv).replace("\x00", "NUL") or "(none)")
def test_command_line(tmp_path, argv):
    workspace = cli_workspace(tmp_path / "ws")
    paths = [] if any(a in ("--help", "-h", "--version", "--list-rules", "--explain") for a in argv) else ["t.yaml"]
    config = [] if "--config" in argv else ["--config", "cfg.yaml"]
    check(run_cli([*paths, *argv, *config], workspace), usage_error_ok=True, what=repr(argv))


# -- the canary private key ----------------------------------------------------------------------------------

KEY_PATH = str(PEM / "import-canary-key.pem")
KEY_JSON = json.dumps(CANARY_KEY)


def _plan_with(kind: str, values: dict, sensitive: dict | None = None) -> str:  # type: ignore[type-arg]
    return json.dumps(_plan(values, after_sensitive=sensitive or {}, kind=kind))


def _inventory_certificate(**fields: object) -> str:
    certificate = {"CertificateArn": "arn:aws:acm:us-east-1:111122223333:certificate/x",
                   "DomainName": "api.example.com", "Type": "IMPORTED", "Status": "ISSUED", "NotAfter": 1800000000,
                   **fields}
    return json.dumps({"Certificate": certificate})


CANARY_CASES = [
    pytest.param({"k.pem": CANARY_KEY, "t.yaml": REGIONAL_DOMAIN}, ("--truststore", "s3://b/k={in}/k.pem"),
                 id="truststore-is-the-key"),
    pytest.param({"k.pem": (PEM / "truststore-private-key.pem").read_bytes(), "t.yaml": REGIONAL_DOMAIN},
                 ("--truststore", "s3://b/k={in}/k.pem"), id="truststore-bundle-with-key"),
    pytest.param({"t.yaml": _domain(f"DomainName: {KEY_JSON}\nEndpointConfiguration: {{Types: [REGIONAL]}}")}, (),
                 id="cfn-DomainName"),
    pytest.param({"t.yaml": _domain(f"DomainName: a.example.com\nCertificateArn: {KEY_JSON}\n"
                                    f"SecurityPolicy: {KEY_JSON}\nEndpointConfiguration: {{Types: [{KEY_JSON}]}}\n"
                                    f"Tags: [{{Key: k, Value: {KEY_JSON}}}]\nMutualTlsAuthentication: "
                                    f"{{TruststoreUri: s3://b/k, TruststoreVersion: {KEY_JSON}}}")},
                 (), id="cfn-other-properties"),
    pytest.param({"t.json": json.dumps({
        "AWSTemplateFormatVersion": "2010-09-09", "Metadata": {"k": CANARY_KEY},
        "Resources": {"C": {"Type": "AWS::CertificateManager::Certificate",
                            "Properties": {"DomainName": CANARY_KEY, "SubjectAlternativeNames": [CANARY_KEY]}}}})},
                 (), id="cfn-json-certificate"),
    pytest.param({"t.yaml": DOMAIN_HEAD + "      DomainName: a\n" + CANARY_KEY + "  : [\n"}, (), id="cfn-syntax-error"),
    pytest.param({"t.yaml": _domain(f"DomainName: a.example.com\nEndpointConfiguration: {{Types: [REGIONAL]}}\n"
                                    f"MutualTlsAuthentication: {{TruststoreUri: {KEY_JSON}}}")}, (),
                 id="cfn-TruststoreUri"),
    pytest.param({"t.yaml": _domain(f"DomainName: a.example.com\nEndpointConfiguration: {{Types: [REGIONAL]}}\n"
                                    f"RegionalCertificateArn: !Ref {KEY_JSON}\n"
                                    "MutualTlsAuthentication: {TruststoreUri: s3://b/k}")}, (),
                 id="cfn-Ref-name"),
    pytest.param({"main.tf": 'resource "aws_acm_certificate" "c" {\n  private_key = <<EOT\n' + CANARY_KEY + "EOT\n"
                  f'  certificate_body = file("{PEM}/import-canary-body.pem")\n}}\n'}, (), id="tf-inline-private-key"),
    pytest.param({"main.tf": 'locals {\n  k = 1\n}\n' + CANARY_KEY}, (), id="tf-key-pasted-bare"),
    pytest.param({"main.tf": 'locals {\n  k = "' + CANARY_KEY}, (), id="tf-key-in-unterminated-string"),
    pytest.param({"main.tf": f'resource "aws_acm_certificate" "c" {{\n  private_key = file("{KEY_PATH}")\n'
                  f'  certificate_body = file("{KEY_PATH}")\n  certificate_chain = file("{KEY_PATH}")\n}}\n'
                  f'resource "aws_s3_object" "o" {{\n  bucket = "b"\n  key = "k"\n  source = "{KEY_PATH}"\n}}\n'
                  'resource "aws_api_gateway_domain_name" "d" {\n  domain_name = "a.example.com"\n'
                  '  mutual_tls_authentication {\n    truststore_uri = "s3://b/k"\n  }\n}\n'}, (), id="tf-file-of-key"),
    pytest.param({"main.tf": TF_DOMAIN.format("<<EOT\n" + CANARY_KEY + "EOT\n")}, (), id="tf-domain-name"),
    pytest.param({"plan.json": _plan_with("aws_acm_certificate", {"private_key": CANARY_KEY,
                                                                  "certificate_body": CANARY_KEY,
                                                                  "domain_name": CANARY_KEY},
                                          {"private_key": True})}, (), id="plan-private-key-sensitive"),
    pytest.param({"plan.json": _plan_with("aws_acm_certificate", {"private_key": CANARY_KEY,
                                                                  "certificate_chain": CANARY_KEY})}, (),
                 id="plan-private-key-not-marked-sensitive"),
    pytest.param({"plan.json": _plan_with("aws_api_gateway_domain_name", {
        "domain_name": "a.example.com", "endpoint_configuration": [{"types": ["REGIONAL"]}],
        "mutual_tls_authentication": [{"truststore_uri": CANARY_KEY}]})}, (), id="plan-truststore-uri"),
    pytest.param({"inv.json": _inventory_certificate(DomainName=CANARY_KEY, Issuer=CANARY_KEY, KeyAlgorithm=CANARY_KEY,
                                                     SubjectAlternativeNames=[CANARY_KEY]), "t.yaml": REGIONAL_DOMAIN},
                 ("--inventory", "{in}/inv.json"), id="inventory-names"),
    pytest.param({"inv.json": _inventory_certificate(NotAfter=CANARY_KEY), "t.yaml": REGIONAL_DOMAIN},
                 ("--inventory", "{in}/inv.json"), id="inventory-NotAfter"),  # fixed during this run
    pytest.param({"inv.json": _inventory_certificate(Status=CANARY_KEY), "t.yaml": REGIONAL_DOMAIN},
                 ("--inventory", "{in}/inv.json"), id="inventory-Status"),
    pytest.param({"inv.json": json.dumps({"items": [{"domainName": "a.example.com", "mutualTlsAuthentication": {
        "truststoreUri": CANARY_KEY}}]}), "x.txt": "x"}, ("--inventory", "{in}/inv.json"),
                 id="inventory-truststoreUri"),
]


@pytest.mark.parametrize(("files", "extra"), CANARY_CASES)
def test_private_key_never_in_output(tmp_path, files, extra):
    check(lint_files(tmp_path, files, extra=extra))


# ============================================================================================================
# Bugs found: minimal reproducers. xfail(strict) while open; see the module docstring for flipping one.
# ============================================================================================================

# B01: fixed; this test guards it.
@pytest.mark.parametrize("files", [
    {"t.yaml": _domain("DomainName: !!bool maybe")},
    {"t.yaml": _domain("DomainName: !!int ''")},
    {"t.yaml": _domain("DomainName: !!float ''")},
    {"cfg": "fail-on: !!bool maybe\n"},
], ids=["template-bool", "template-int", "template-float", "config-bool"])
def test_b01_yaml_typed_scalar_tags(tmp_path, files):
    if "cfg" in files:
        inputs = write_tree(tmp_path / "in", {"c.yaml": files["cfg"], "x.txt": "x"})
        outcome = run_cli(["x.txt", "--config", "c.yaml"], inputs)
        check(outcome, usage_error_ok=True)
    else:
        check(lint_files(tmp_path, files, target="t.yaml"))


# B02, fixed during this run (now a regression test): Fn::Select with an infinite index: int(inf) OverflowError
# (cfn_intrinsics.py Resolver.select catches TypeError/ValueError only)
def test_b02_select_with_infinite_index(tmp_path):
    check(lint_files(tmp_path, {"t.yaml": _domain("DomainName: !Select [.inf, [a]]")}, target="t.yaml"))


# B03: fixed; this test guards it.
def test_b03_long_import_value_chain(tmp_path):
    chain = "".join(f"  O{i}:\n    Value: !ImportValue E{i + 1}\n    Export: {{Name: E{i}}}\n" for i in range(400))
    check(lint_files(tmp_path, {"t.yaml": _domain("DomainName: !ImportValue E0") + "Outputs:\n" + chain},
                     target="t.yaml"))


# B04, fixed during this run (now a regression test): JSON template whose resource Type is a list or object:
# unhashable (structured.py _JsonWalker.resource_entry)
def test_b04_json_resource_type_not_a_string(tmp_path):
    text = '{"Resources": {"D": {"Type": ["AWS::ApiGateway::DomainName"]}}}'
    check(lint_files(tmp_path, {"t.json": text}, target="t.json"))


# B05, fixed during this run (now a regression test): HCL functions raise what call_function does not catch: format()
# with a trailing % (StopIteration), element([], 0) (ZeroDivisionError)
@pytest.mark.parametrize("expression", ['format("abc%")', "element([], 0)"])
def test_b05_hcl_function_errors(tmp_path, expression):
    check(lint_files(tmp_path, {"main.tf": TF_DOMAIN.format(expression)}))


# B06, fixed during this run (now a regression test): HCL escape \UFFFFFFFF: chr() OverflowError (hcl_syntax.py
# _unescape), in a label it escapes while parsing
@pytest.mark.parametrize("text", [TF_DOMAIN.format('"\\UFFFFFFFF"'), 'resource "aws_s3_bucket" "\\U0011FFFF" {\n}\n'],
                         ids=["expression", "label"])
def test_b06_hcl_unicode_escape_out_of_range(tmp_path, text):
    check(lint_files(tmp_path, {"main.tf": text}))


# B07, fixed during this run (now a regression test): HCL big integers: str() beyond 4300 digits
# (terraform_values.as_text) and int/int OverflowError (hcl_eval._operation)
@pytest.mark.parametrize("text", [
    "locals {\n  a0 = 10\n" + "".join(f"  a{i + 1} = local.a{i} * local.a{i}\n" for i in range(14)) + "}\n"
    + TF_DOMAIN.format("local.a14"),
    TF_DOMAIN.format("1" + "0" * 400 + " / 3"),
], ids=["squared-14-times", "divide-1e400"])
def test_b07_hcl_big_integers(tmp_path, text):
    check(lint_files(tmp_path, {"main.tf": text}))


# B08, fixed during this run (now a regression test): HCL evaluator has no size budget: locals that double a string 40
# times, or square a list 4 times, exhaust memory or time
@pytest.mark.parametrize("locals_", [
    '  s0 = "aaaaaaaaaaaaaaaa"\n' + "".join(f'  s{i + 1} = "${{local.s{i}}}${{local.s{i}}}"\n' for i in range(40))
    + "  top = local.s40\n",
    "  l0 = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]\n"
    + "".join(f"  l{i + 1} = flatten([for a in local.l{i} : local.l{i}])\n" for i in range(4))
    + "  top = length(local.l4)\n",
], ids=["string-doubling", "list-squaring"])
def test_b08_interpolation_bombs(tmp_path, locals_):
    text = "locals {\n" + locals_ + "}\n" + TF_DOMAIN.format("local.top")
    check(lint_files(tmp_path, {"main.tf": text}, seconds=BOMB_SECONDS, memory=BOMB_MEMORY))


# B09, fixed during this run (now a regression test): module instances are not capped in total: a module that calls
# the next one twice, 25 deep, expands to 2**25 instances (hang)
def test_b09_module_fan_out(tmp_path):
    files = {"main.tf": 'module "a" {\n  source = "./m1"\n}\nmodule "b" {\n  source = "./m1"\n}\n',
             "m25/main.tf": 'resource "aws_s3_bucket" "x" {\n  bucket = "x"\n}\n'}
    for level in range(1, 25):
        files[f"m{level}/main.tf"] = "".join(f'module "{n}" {{\n  source = "../m{level + 1}"\n}}\n' for n in "ab")
    check(lint_files(tmp_path, files, seconds=BOMB_SECONDS, memory=BOMB_MEMORY))


# B10, fixed during this run (now a regression test): the plan reader trusts the plan's shape: non-list or unhashable
# values crash it (terraform_plan._resources, _unset_unconfigured, _written_in_configuration,
# terraform_plan_config.resource)
@pytest.mark.parametrize("plan", [
    {"format_version": "1", "resource_changes": 5},
    {"format_version": "1", "resource_changes": [{"address": []}]},
    {"format_version": "1", "planned_values": {"root_module": {"resources": 7}}},
    {"format_version": "1", "planned_values": {"root_module": {"resources": [{"address": "a.b", "type": []}]}}},
    dict(_plan(DOMAIN_AFTER),
         resource_changes=[{"address": "aws_api_gateway_domain_name.x", "change": {"actions": 5}}]),
    _plan(DOMAIN_AFTER, after_unknown=True) | {"configuration": {"root_module": {"resources": [
        {"address": "aws_api_gateway_domain_name.x", "expressions": {}}]}}},
    _plan(DOMAIN_AFTER) | {"configuration": {"root_module": {"resources": True}}},
], ids=["changes-int", "address-list", "resources-int", "type-list", "actions-int", "after-unknown-true",
        "config-resources-bool"])
def test_b10_plan_shapes(tmp_path, plan):
    check(lint_files(tmp_path, {"plan.json": json.dumps(plan)}, target="plan.json"))


# B11, fixed during this run (now a regression test): aws_s3_object.bucket that is not a string is put in a set
# (terraform_resources._truststore_content): TypeError, HCL and plan alike
def test_b11_s3_object_bucket_not_a_string(tmp_path):
    text = ('resource "aws_s3_object" "o" {\n  bucket = {a = 1}\n  key    = "k"\n}\n'
            'resource "aws_api_gateway_domain_name" "d" {\n  domain_name = "a.example.com"\n'
            '  mutual_tls_authentication {\n    truststore_uri = "s3://b/k"\n  }\n}\n')
    check(lint_files(tmp_path, {"main.tf": text}))


# B12, fixed during this run (now a regression test): a JSON integer of more than 4300 digits made json.loads
# raise ValueError, not JSONDecodeError (terraform_plan._load and the inventory reader caught only the latter).
@pytest.mark.parametrize("where", ["plan", "inventory"])
def test_b12_json_huge_integer(tmp_path, where):
    if where == "plan":
        outcome = lint_files(tmp_path, {"plan.json": '{"format_version": "1", "planned_values": ' + "1" * 5000 + "}"},
                             target="plan.json")
    else:
        outcome = lint_files(tmp_path, {"inv.json": "[" + "1" * 5000 + "]", "x.txt": "x"}, target="x.txt",
                             extra=("--inventory", "{in}/inv.json"))
    check(outcome)


# B13, fixed during this run (now a regression test): plan values nested 600 deep: RecursionError in
# terraform_plan.merge
def test_b13_plan_deeply_nested_values(tmp_path):
    plan = _plan({"domain_name": "a", "tags": "DEEP"})
    text = json.dumps(plan).replace('"DEEP"', "[" * 600 + "]" * 600)
    check(lint_files(tmp_path, {"plan.json": text}, target="plan.json"))


# B14, fixed during this run (now a regression test): PEM scan counts newlines from the start for every block
# (x509._line_of): quadratic, 30,000 empty blocks (1.6 MB) take over 10 s
def test_b14_pem_with_many_blocks(tmp_path):
    data = b"-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n" * 30_000
    outcome = lint_files(tmp_path, {"template.yaml": REGIONAL_DOMAIN, "ts.pem": data}, target="template.yaml",
                         extra=("--truststore", "s3://b/k={in}/ts.pem"), seconds=BOMB_SECONDS)
    check(outcome)


# B15, fixed during this run (now a regression test): a symlink loop under a scanned directory: Path.resolve() raises
# RuntimeError (discover.discover)
def test_b15_symlink_loop(tmp_path):
    inputs = write_tree(tmp_path / "in", {"template.yaml": REGIONAL_DOMAIN})
    (inputs / "a.yaml").symlink_to("b.yaml")
    (inputs / "b.yaml").symlink_to("a.yaml")
    check(lint(inputs, inputs))


# B16: fixed; this test guards it.
@pytest.mark.parametrize("kind", ["tf-to-dev-zero", "fifo-yaml"])
def test_b16_special_files_in_a_scanned_directory(tmp_path, kind):
    inputs = write_tree(tmp_path / "in", {"template.yaml": REGIONAL_DOMAIN})
    if kind == "fifo-yaml":
        os.mkfifo(inputs / "pipe.yaml")
    else:
        (inputs / "zero.tf").symlink_to("/dev/zero")
    check(lint(inputs, inputs, seconds=BOMB_SECONDS, memory=BOMB_MEMORY))


# B17: fixed; this test guards it.
@pytest.mark.parametrize("argv", [["a" * 300], ["t.yaml", "--inventory", "a" * 300], ["t.yaml", "--config", "a" * 300],
                                  ["t.yaml", "--format", "json=a\x00b"]], ids=["path", "inventory", "config", "format"])
def test_b17_command_line_paths(tmp_path, argv):
    workspace = cli_workspace(tmp_path / "ws")
    config = [] if "--config" in argv else ["--config", "cfg.yaml"]
    check(run_cli([*argv, *config], workspace), usage_error_ok=True)


# B18, fixed during this run (now a regression test): --expiry-days 10**12 or --now 9999-12-31: now + timedelta
# overflows in rules/_certificates.horizon; two 'internal error' lines, exit 2
@pytest.mark.parametrize("option", [["--expiry-days", "1000000000000"], ["--now", "9999-12-31T23:59:59Z"]],
                         ids=["expiry-days", "now"])
def test_b18_dates_out_of_range(tmp_path, option):
    workspace = cli_workspace(tmp_path / "ws")
    argv = ["t.yaml", "--config", "cfg.yaml", "--truststore", "s3://b/k=ts.pem", *option]
    check(run_cli(argv, workspace), usage_error_ok=True)


# B19 (private key echoed in messages): the cases marked B19 in test_private_key_never_in_output. Messages quote input
# values verbatim: MTLS306 the truststore URI, MTLS204 the certificate Status, MTLS002 the Unknown reason ("Ref to
# <name>", "Fn::ImportValue <name>"); the inventory's NotAfter (MTLS001) was fixed during this run.


# ============================================================================================================
# Generated inputs (hypothesis). Skipped cleanly when hypothesis is not installed.
# ============================================================================================================

try:
    import hypothesis
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st
except ImportError:  # pragma: no cover - depends on the environment
    hypothesis = None  # type: ignore[assignment]


if hypothesis is None:  # pragma: no cover
    def test_generated_inputs_need_hypothesis():
        pytest.importorskip("hypothesis")
else:
    FAST = settings(max_examples=40, deadline=None, derandomize=True, database=None, print_blob=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])

    def run_in_tempdir(files: dict[str, str | bytes], *, target: str | None = None,
                       extra: tuple[str, ...] = ()) -> Outcome:
        with tempfile.TemporaryDirectory(prefix="mtls-robustness-") as base:
            return lint_files(Path(base), files, target=target, extra=extra)

    # -- CloudFormation ----------------------------------------------------------------------------------
    STRINGS = ["", "x", "api.example.com", "*.example.com", "s3://b/k", "s3://", "s3:///",
               "arn:aws:acm:us-east-1:111122223333:certificate/x", "arn:aws:acm::", "REGIONAL", "EDGE", "PRIVATE",
               "TLS_1_2",
               "SecurityPolicy_TLS13_1_3_2025_09", "AWS::NoValue", "AWS::Region", "Domain", "Cert", "Bucket", "C",
               "${AWS::Region}", "${Domain.Arn}", "${!x}", "${", "\u00e9\u202e\U0001f600", "\x00", "true", "1e400",
               "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"]
    INTRINSICS = ["Ref", "Fn::GetAtt", "Fn::Sub", "Fn::Join", "Fn::If", "Fn::ImportValue", "Fn::Select", "Fn::Split",
                  "Fn::FindInMap", "Fn::Base64", "Fn::GetAZs", "Condition", "Fn::Equals", "Fn::Not", "Fn::Nope"]
    PROPERTY_KEYS = ["DomainName", "CertificateArn", "RegionalCertificateArn", "EndpointConfiguration", "Types",
                     "SecurityPolicy", "MutualTlsAuthentication", "TruststoreUri", "TruststoreVersion",
                     "OwnershipVerificationCertificateArn", "DomainNameConfigurations", "EndpointType",
                     "SubjectAlternativeNames", "CertificateAuthorityArn", "BucketName", "VersioningConfiguration",
                     "Status", "RestApiId", "ApiId", "Stage", "BasePath", "Domain", "DisableExecuteApiEndpoint",
                     "Body", "Metadata", "Tags", "x"]
    RESOURCE_TYPES = ["AWS::ApiGateway::DomainName", "AWS::ApiGateway::DomainNameV2", "AWS::ApiGatewayV2::DomainName",
                      "AWS::CertificateManager::Certificate", "AWS::S3::Bucket", "AWS::ApiGateway::BasePathMapping",
                      "AWS::ApiGatewayV2::ApiMapping", "AWS::ApiGateway::RestApi", "AWS::ApiGatewayV2::Api",
                      "AWS::Serverless::Api", "AWS::Serverless::HttpApi", "AWS::Serverless::Function",
                      "AWS::ApiGateway::Nope"]

    cfn_scalars = st.one_of(
        st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70),
        st.floats(allow_nan=False, allow_infinity="B02" not in OPEN_BUGS),
        st.sampled_from(STRINGS), st.text(max_size=12))

    def _cfn_nested(children):  # type: ignore[no-untyped-def]
        return st.one_of(
            st.lists(children, max_size=4),
            st.dictionaries(st.sampled_from(PROPERTY_KEYS) | st.text(max_size=6), children, max_size=4),
            st.builds(lambda name, arg: {name: arg}, st.sampled_from(INTRINSICS),
                      st.one_of(children, st.lists(children, max_size=4))))

    cfn_values = st.recursive(cfn_scalars, _cfn_nested, max_leaves=12)
    cfn_properties = st.one_of(st.dictionaries(st.sampled_from(PROPERTY_KEYS), cfn_values, max_size=8), cfn_values)

    @st.composite
    def cfn_templates(draw):  # type: ignore[no-untyped-def]
        names = ["Domain", "Cert", "Bucket", "Api", "Mapping", "Other"]
        resources = {}
        for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=5, unique=True)):
            kind = draw(st.sampled_from(RESOURCE_TYPES) if "B04" in OPEN_BUGS
                        else st.one_of(st.sampled_from(RESOURCE_TYPES), cfn_values))
            resource = {"Type": kind, "Properties": draw(cfn_properties)}
            if draw(st.booleans()):
                resource["Condition"] = draw(st.sampled_from(["C", "D"]) | cfn_scalars)
            if draw(st.booleans()):
                resource["Metadata"] = {"mtls-lint": {"ignore": draw(cfn_values)}}
            resources[name] = resource
        template = {"AWSTemplateFormatVersion": "2010-09-09", "Resources": resources}
        for section in ("Parameters", "Conditions", "Mappings", "Globals"):
            if draw(st.booleans()):
                template[section] = draw(st.dictionaries(st.sampled_from(["C", "D", "P", "M", "Api"]), cfn_values,
                                                         max_size=3))
        if draw(st.booleans()):
            exports = {}
            for index in range(draw(st.integers(0, 4))):
                exports[f"O{index}"] = {"Value": draw(cfn_values | st.builds(
                    lambda n: {"Fn::ImportValue": f"E{n}"}, st.integers(0, 4))), "Export": {"Name": f"E{index}"}}
            template["Outputs"] = exports
        return template

    def serialize(template: dict, style: str) -> tuple[str, bytes]:  # type: ignore[type-arg]
        if style == "json":
            return "template.json", json.dumps(template).encode()
        text = yaml.safe_dump(template, allow_unicode=True, sort_keys=False)
        if style == "yaml-crlf-bom":
            return "template.yaml", ("\ufeff" + text.replace("\n", "\r\n")).encode()
        if style == "yaml-flow":
            return "template.template", yaml.safe_dump(template, default_flow_style=True, width=60).encode()
        return "template.yaml", text.encode()

    @FAST
    @given(template=cfn_templates(), style=st.sampled_from(["json", "yaml", "yaml-crlf-bom", "yaml-flow"]))
    def test_generated_cloudformation_templates(template, style):
        name, data = serialize(template, style)
        check(run_in_tempdir({name: data}, target=name), what=data.decode("utf-8", "replace")[:4000])

    # -- Terraform -----------------------------------------------------------------------------------------
    HCL_ATOMS = ['"x"', '"%s"', '"s3://b/k"', '""', "0", "-1", "1.5", "1e9", "1e999", "99999999999999999999", "true",
                 "null", "var.v", "local.l", "count.index", "each.key", "each.value", "aws_s3_bucket.b.id",
                 "aws_s3_bucket.b", "aws_s3_bucket.b[*].id", "module.m.o", "path.module", "self", "data.x.y.z",
                 '"${var.v}"', '"\\u00e9\\n"', "[]", "{}", '"%{ if true }x%{ endif }"', '"arn:aws:acm:us-east-1:1:c"',
                 '"REGIONAL"', '"api.example.com"', 'file("./")', 'file("/dev/null")'] + (
                     [] if "B06" in OPEN_BUGS else ['"\\UFFFFFFFF"', '"\\U0011FFFF"']) + (
                     [] if "B07" in OPEN_BUGS else ["1" + "0" * 400])
    HCL_FUNCTIONS = ["file", "jsonencode", "jsondecode", "lower", "upper", "trimspace", "trimprefix", "replace",
                     "join", "split", "concat", "tolist", "toset", "tomap", "tostring", "lookup", "try", "coalesce",
                     "can", "length", "merge", "keys", "values", "contains", "one", "flatten", "compact", "distinct",
                     "basename", "dirname", "startswith", "endswith", "nosuch"] + (
                         [] if "B05" in OPEN_BUGS else ["format", "element"])
    HCL_OPERATORS = ["+", "-", "*", "/", "%", "==", "!=", "&&", "||", "<", ">="]

    def _hcl_nested(inner):  # type: ignore[no-untyped-def]
        return st.one_of(
            st.builds(lambda f, args: f"{f}({', '.join(args)})", st.sampled_from(HCL_FUNCTIONS),
                      st.lists(inner, max_size=3)),
            st.builds(lambda items: "[" + ", ".join(items) + "]", st.lists(inner, max_size=3)),
            st.builds(lambda items: "{" + ", ".join(f"k{i} = {v}" for i, v in enumerate(items)) + "}",
                      st.lists(inner, max_size=3)),
            st.builds(lambda a, op, b: f"({a} {op} {b})", inner, st.sampled_from(HCL_OPERATORS), inner),
            st.builds(lambda c, a, b: f"({c} ? {a} : {b})", inner, inner, inner),
            st.builds(lambda c, v: f"[for x in {c} : {v}]", inner, inner),
            st.builds(lambda c, v: f'{{for k, x in {c} : "${{k}}" => {v}}}', inner, inner),
            st.builds(lambda v: f'"pre-${{{v}}}-post"', inner),
            st.builds(lambda a, i: f"{a}[{i}]", inner, inner),
        )

    hcl_expressions = st.recursive(st.sampled_from(HCL_ATOMS), _hcl_nested, max_leaves=6)
    HCL_ATTRIBUTES = {
        "aws_api_gateway_domain_name": ["domain_name", "regional_certificate_arn", "certificate_arn", "security_policy",
                                        "ownership_verification_certificate_arn"],
        "aws_apigatewayv2_domain_name": ["domain_name"],
        "aws_acm_certificate": ["domain_name", "certificate_body", "private_key", "certificate_chain",
                                "certificate_authority_arn", "subject_alternative_names", "validation_method"],
        "aws_s3_object": ["key", "source", "content", "version_id"] + ([] if "B11" in OPEN_BUGS else ["bucket"]),
        "aws_s3_bucket": ["bucket"],
        "aws_s3_bucket_versioning": ["bucket"],
        "aws_api_gateway_base_path_mapping": ["domain_name", "api_id", "base_path"],
    }

    @st.composite
    def terraform_modules(draw):  # type: ignore[no-untyped-def]
        expr = hcl_expressions
        parts = [f'variable "v" {{\n  default = {draw(expr)}\n}}\n', f"locals {{\n  l = {draw(expr)}\n}}\n"]
        for kind in draw(st.lists(st.sampled_from(sorted(HCL_ATTRIBUTES)), min_size=1, max_size=4, unique=True)):
            attributes = draw(st.lists(st.sampled_from(HCL_ATTRIBUTES[kind]), min_size=1, unique=True))
            body = "".join(f"  {name} = {draw(expr)}\n" for name in attributes)
            repeat = draw(st.sampled_from(["", "count", "for_each"]))
            if repeat:
                body = f"  {repeat} = {draw(expr)}\n" + body
            if kind.endswith("domain_name") and draw(st.booleans()):
                body += (f"  mutual_tls_authentication {{\n    truststore_uri = {draw(expr)}\n"
                         f"    truststore_version = {draw(expr)}\n  }}\n"
                         f"  endpoint_configuration {{\n    types = {draw(expr)}\n  }}\n")
            if kind == "aws_apigatewayv2_domain_name":
                body += (f"  domain_name_configuration {{\n    certificate_arn = {draw(expr)}\n"
                         f"    endpoint_type = {draw(expr)}\n  }}\n")
            name = "b" if kind == "aws_s3_bucket" else "r"
            parts.append(f'resource "{kind}" "{name}" {{\n{body}}}\n')
        parts.append(f'module "m" {{\n  source = "./child"\n  v = {draw(expr)}\n}}\n')
        parts.append(f'output "o" {{\n  value = {draw(expr)}\n}}\n')
        child = f'variable "v" {{}}\noutput "o" {{\n  value = {draw(expr)}\n}}\n'
        return "".join(parts), child

    @FAST
    @given(module=terraform_modules())
    def test_generated_terraform_modules(module):
        root, child = module
        check(run_in_tempdir({"main.tf": root, "child/main.tf": child}), what=root + "\n# child\n" + child)

    # -- plan and inventory: structural mutations of the fixtures ---------------------------------------
    def json_paths(node, prefix=()):  # type: ignore[no-untyped-def]
        yield prefix
        if isinstance(node, dict):
            for key, value in node.items():
                yield from json_paths(value, prefix + (key,))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from json_paths(value, prefix + (index,))

    json_values = st.recursive(
        st.one_of(st.none(), st.booleans(), st.integers(-(2 ** 70), 2 ** 70), st.floats(allow_nan=False),
                  st.sampled_from(STRINGS), st.text(max_size=10)),
        lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
        max_leaves=8)
    VALUE_TREES = ("values", "after", "before", "after_unknown", "after_sensitive", "sensitive_values",
                   "before_sensitive")

    def plan_path_allowed(path: tuple) -> bool:  # type: ignore[type-arg]
        """While B10/B11 are open: mutate only inside a resource's value trees (not the trees themselves)."""
        if "B10" not in OPEN_BUGS and "B11" not in OPEN_BUGS:
            return True
        if "bucket" in path:
            return False
        return any(key in VALUE_TREES and position + 1 < len(path) for position, key in enumerate(path))

    def structural_mutant(data, document, allowed):  # type: ignore[no-untyped-def]
        document = copy.deepcopy(document)
        for _ in range(data.draw(st.integers(1, 4), label="mutations")):
            candidates = [p for p in json_paths(document) if p and allowed(p)]
            if not candidates:
                break
            path = data.draw(st.sampled_from(candidates), label="path")
            parent = document
            for key in path[:-1]:
                parent = parent[key]
            if isinstance(parent, dict) and data.draw(st.booleans(), label="delete"):
                del parent[path[-1]]
            else:
                parent[path[-1]] = data.draw(json_values, label="value")
        return document

    PLAN_DOCS = {p.name: json.loads(p.read_bytes().decode("utf-16" if p.read_bytes()[:2] == b"\xff\xfe" else "utf-8"))
                 for p in PLAN_FILES}
    INVENTORY_DOCS = {p.name: json.loads(p.read_text()) for p in INVENTORY_FILES}

    @FAST
    @given(data=st.data())
    def test_generated_plan_mutations(data):
        name = data.draw(st.sampled_from(sorted(PLAN_DOCS)), label="fixture")
        mutant = structural_mutant(data, PLAN_DOCS[name], plan_path_allowed)
        encoding = data.draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), label="encoding")
        text = json.dumps(mutant, indent=data.draw(st.sampled_from([None, 2]), label="indent"))
        check(run_in_tempdir({"plan.json": text.encode(encoding)}, target="plan.json"), what=text[:4000])

    @FAST
    @given(data=st.data())
    def test_generated_inventory_mutations(data):
        name = data.draw(st.sampled_from(sorted(INVENTORY_DOCS)), label="fixture")
        mutant = structural_mutant(data, INVENTORY_DOCS[name], lambda path: True)
        text = json.dumps(mutant)
        outcome = run_in_tempdir({"inv.json": text, "t.yaml": REGIONAL_DOMAIN}, target="t.yaml",
                                 extra=("--inventory", "{in}/inv.json"))
        check(outcome, what=text[:4000])

    # -- the command line -----------------------------------------------------------------------------------
    OPTIONS = ["--format", "--inventory", "--truststore", "--account", "--region", "--now", "--expiry-days",
               "--select", "--ignore", "--fail-on", "--config", "--list-rules", "--explain", "--version", "--help",
               "--", "--bogus", "--form", "-x"]
    VALUES = ["text", "json", "sarif", "json=out.json", "text=", "=x", "", "x", "-1", "0", "30", "99999",
              "2026-12-04T00:00:00Z", "2026-12-04", "not-a-date", "MTLS", "MTLS101", "mtls1,,", "error", "never",
              "warning", "s3://b/k=ts.pem", "s3://b/k", "s3://=", "t.yaml", "missing.yaml", ".", "inv.json",
              "cfg.yaml", "bad-cfg.yaml", "list-cfg.yaml", "broken-cfg.yaml", "sub/pyproject.toml", "dir", "\u00e9"] + (
                 [] if "B18" in OPEN_BUGS else ["1000000000000", "9999-12-31T23:59:59Z", "0001-01-01"])

    @FAST
    @given(argv=st.lists(st.sampled_from(OPTIONS) | st.sampled_from(VALUES), max_size=8))
    def test_generated_command_lines(argv):
        with tempfile.TemporaryDirectory(prefix="mtls-robustness-") as base:
            workspace = cli_workspace(Path(base))
            check(run_cli(argv, workspace), usage_error_ok=True, what=repr(argv))

    # -- the canary anywhere a template or plan holds a string ------------------------------------------
    ECHOING_KEYS = {"TruststoreUri", "truststore_uri", "truststoreUri", "Ref", "Fn::ImportValue", "Fn::GetAtt",
                    "Fn::Sub", "Fn::FindInMap", "Fn::If", "Condition", "NotAfter", "NotBefore", "Status",
                    "BucketName", "bucket"}
    CANARY_FIXTURES = {p.name: p for p in [*(FIXTURES / "cfn").glob("*.yaml"), *(FIXTURES / "readers").glob("*.yaml"),
                                           *PLAN_FILES, *INVENTORY_FILES] if p.name != "utf16_bom.json"}

    def _string_paths(document):  # type: ignore[no-untyped-def]
        return [p for p in json_paths(document) if p and isinstance(_get(document, p), str)]

    def _get(document, path):  # type: ignore[no-untyped-def]
        for key in path:
            document = document[key]
        return document


    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    @given(data=st.data())
    def test_generated_canary_placements(data):
        name = data.draw(st.sampled_from(sorted(CANARY_FIXTURES)), label="fixture")
        path = CANARY_FIXTURES[name]
        document = json.loads(path.read_text()) if path.suffix == ".json" else yaml.load(path.read_text(),
                                                                                         Loader=TagLoader)
        candidates = [p for p in _string_paths(document)
                      if not ("B19" in OPEN_BUGS and ECHOING_KEYS & set(map(str, p)))]
        if not candidates:
            return
        for target in data.draw(st.lists(st.sampled_from(candidates), min_size=1, max_size=3, unique=True),
                                label="targets"):
            parent = _get(document, target[:-1])
            parent[target[-1]] = data.draw(st.sampled_from([CANARY_KEY, f"s3://b/{CANARY_KEY}", CANARY_KEY + "x"]),
                                           label="value")
        text = json.dumps(document, default=str)
        if path.parent.name == "inventory":
            outcome = run_in_tempdir({"inv.json": text, "t.yaml": REGIONAL_DOMAIN}, target="t.yaml",
                                     extra=("--inventory", "{in}/inv.json"))
        else:
            outcome = run_in_tempdir({path.stem + ".json": text}, target=path.stem + ".json")
        check(outcome, what=f"{name}: {text[:3000]}")
