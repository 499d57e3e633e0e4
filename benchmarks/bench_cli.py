"""Command-line benchmark: what a user waits for, interpreter start included.

Times, each as a fresh subprocess:

1. a single-template run of ``mtls-lint`` (best and median of ``--runs``; target < 0.25 s, cfn-lint
   takes over 1 s on the same template);
2. a run over a generated folder of ``--templates`` CloudFormation templates (YAML and JSON mixed,
   most without API Gateway, a few with mTLS custom domains), best and median of ``--folder-runs``;
3. ``python -X importtime`` of the single-template run: the imports that cost the most.

It also checks that the single-template path imports none of ``cfnlint``, ``cryptography`` and
``tree_sitter`` (architecture.md: import heavy modules only when an input needs them).

    python benchmarks/bench_cli.py [--runs 20] [--templates 500] [--folder-runs 5] [--template PATH] [--keep DIR]
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_TEMPLATE = REPO / "fixtures" / "readers" / "partner_domain.yaml"
NOW = "2026-12-04T00:00:00Z"
TARGET_SINGLE = 0.25
HEAVY = ("cfnlint", "cryptography", "tree_sitter")


def command() -> list[str]:
    """The installed console script when there is one (what users run), else ``python -m mtls_lint``."""
    script = shutil.which("mtls-lint")
    return [script] if script else [sys.executable, "-m", "mtls_lint"]


def lint_args(*paths: Path) -> list[str]:
    return [*map(str, paths), "--now", NOW, "--format", "json=" + os.devnull, "--fail-on", "never"]


def wall_times(argv: Sequence[str], runs: int, cwd: Path) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = subprocess.run(argv, cwd=cwd, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if result.returncode not in (0, 1):
            sys.exit(f"{' '.join(argv)} exited {result.returncode}:\n{result.stderr}")
    return times


# -- the generated folder -----------------------------------------------------------------------------

MTLS_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: Service {n} on a custom domain with mutual TLS
Parameters:
  TruststoreVersion:
    Type: String
    Default: v{n}
Resources:
  Certificate:
    Type: AWS::CertificateManager::Certificate
    Properties:
      DomainName: svc{n}.example.com
      ValidationMethod: DNS
  TruststoreBucket:
    Type: AWS::S3::Bucket
    Properties:
      VersioningConfiguration:
        Status: Enabled
  Domain:
    Type: AWS::ApiGateway::DomainName
    Properties:
      DomainName: svc{n}.example.com
      RegionalCertificateArn: !Ref Certificate
      EndpointConfiguration:
        Types: [REGIONAL]
      SecurityPolicy: TLS_1_2
      MutualTlsAuthentication:
        TruststoreUri: !Sub s3://${{TruststoreBucket}}/truststore.pem
        TruststoreVersion: !Ref TruststoreVersion
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties:
      Name: svc{n}
      DisableExecuteApiEndpoint: {disabled}
  Mapping:
    Type: AWS::ApiGateway::BasePathMapping
    Properties:
      DomainName: !Ref Domain
      RestApiId: !Ref Api
"""

PLAIN_YAML = """\
AWSTemplateFormatVersion: "2010-09-09"
Description: Worker {n}
Parameters:
  Memory:
    Type: Number
    Default: 512
Resources:
  Queue:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: 60
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Version: "2012-10-17"
        Statement:
          - Effect: Allow
            Principal: {{Service: lambda.amazonaws.com}}
            Action: sts:AssumeRole
  Worker:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: python3.12
      Handler: index.handler
      MemorySize: !Ref Memory
      Role: !GetAtt Role.Arn
      Code:
        ZipFile: |
          def handler(event, context):
              return len(event.get("Records", []))
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      EventSourceArn: !GetAtt Queue.Arn
      FunctionName: !Ref Worker
"""


def http_api_json(n: int) -> dict:  # type: ignore[type-arg]
    """A JSON template with an HTTP API and a bucket, as tools write them (no custom domain)."""
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": f"HTTP API {n}",
        "Resources": {
            "Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": f"assets-{n}-example"}},
            "Api": {"Type": "AWS::ApiGatewayV2::Api",
                    "Properties": {"Name": f"http-{n}", "ProtocolType": "HTTP"}},
            "Stage": {"Type": "AWS::ApiGatewayV2::Stage",
                      "Properties": {"ApiId": {"Ref": "Api"}, "StageName": "$default", "AutoDeploy": True}},
            **{f"Topic{i}": {"Type": "AWS::SNS::Topic", "Properties": {"TopicName": f"t{n}-{i}"}} for i in range(8)},
        },
        "Outputs": {"ApiId": {"Value": {"Ref": "Api"}, "Export": {"Name": f"http-{n}-ApiId"}}},
    }


def http_mtls_json(n: int) -> dict:  # type: ignore[type-arg]
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "Domain": {"Type": "AWS::ApiGatewayV2::DomainName", "Properties": {
                "DomainName": f"http{n}.example.com",
                "DomainNameConfigurations": [{
                    "CertificateArn": f"arn:aws:acm:us-east-1:111122223333:certificate/{n:08d}-cert",
                    "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}],
                "MutualTlsAuthentication": {"TruststoreUri": "s3://corp-truststores/http/truststore.pem"}}},
            "Api": {"Type": "AWS::ApiGatewayV2::Api", "Properties": {"Name": f"h{n}", "ProtocolType": "HTTP",
                                                                     "DisableExecuteApiEndpoint": True}},
            "Mapping": {"Type": "AWS::ApiGatewayV2::ApiMapping", "Properties": {
                "DomainName": {"Ref": "Domain"}, "ApiId": {"Ref": "Api"}, "Stage": "$default"}},
        },
    }


def generate_folder(root: Path, count: int) -> dict[str, int]:
    """``count`` templates: 2% REST mTLS (YAML), 2% HTTP mTLS (JSON), 30% JSON HTTP APIs, the rest plain YAML."""
    rng = random.Random(4)
    kinds = {"rest-mtls.yaml": 0, "http-mtls.json": 0, "http-api.json": 0, "worker.yaml": 0}
    for n in range(count):
        folder = root / f"team{n % 25:02d}" / f"stack{n:04d}"
        folder.mkdir(parents=True)
        roll = n % 50
        if roll == 0:
            (folder / "template.yaml").write_text(MTLS_YAML.format(n=n, disabled=str(rng.random() < 0.5).lower()))
            kinds["rest-mtls.yaml"] += 1
        elif roll == 25:
            (folder / "template.json").write_text(json.dumps(http_mtls_json(n), indent=2))
            kinds["http-mtls.json"] += 1
        elif roll % 3 == 0:
            (folder / "template.json").write_text(json.dumps(http_api_json(n), indent=1))
            kinds["http-api.json"] += 1
        else:
            (folder / "template.yaml").write_text(PLAIN_YAML.format(n=n))
            kinds["worker.yaml"] += 1
    return kinds


# -- import checks ------------------------------------------------------------------------------------

def heavy_imports(template: Path) -> list[str]:
    code = ("import sys, mtls_lint.cli as c; "
            f"c.main({lint_args(template)!r}); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))")
    result = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1].replace("'", '"'))


IMPORTTIME = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)")


def import_costs(template: Path, top: int) -> tuple[int, list[tuple[str, int, int]]]:
    """Total import time and the costliest top-level imports (cumulative µs, self µs), from -X importtime."""
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "mtls_lint", *lint_args(template)],
                            cwd=REPO, capture_output=True, text=True)
    rows = []
    total = 0
    for line in result.stderr.splitlines():
        match = IMPORTTIME.match(line)
        if not match:
            continue
        own, cumulative, indent, name = int(match[1]), int(match[2]), len(match[3]), match[4]
        if indent == 1:  # imported by the program itself, not by another module
            rows.append((name, cumulative, own))
            total += cumulative
    rows.sort(key=lambda row: -row[1])
    return total, rows[:top]


# -- report ---------------------------------------------------------------------------------------------

def row(label: str, times: Sequence[float], note: str = "") -> str:
    return f"| {label:<44} | {min(times):>7.3f} | {statistics.median(times):>7.3f} | {len(times):>4} | {note}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="single-template runs (default 20)")
    parser.add_argument("--templates", type=int, default=500, help="templates in the generated folder (default 500)")
    parser.add_argument("--folder-runs", type=int, default=5, help="runs over the folder (default 5)")
    parser.add_argument("--template", type=Path, default=DEFAULT_TEMPLATE, help="the single template")
    parser.add_argument("--top", type=int, default=12, help="import-time rows to show (default 12)")
    parser.add_argument("--keep", type=Path, help="generate the folder here and keep it")
    args = parser.parse_args(argv)

    cmd = command()
    template = args.template.resolve()
    print(f"python {sys.version.split()[0]} on {sys.platform}; command: {' '.join(Path(c).name for c in cmd)}")
    print()
    print(f"| {'run':<44} | best s  | median s | runs | note")
    print(f"| {'-' * 44} | ------- | -------- | ---- | ----")

    baseline = wall_times([sys.executable, "-c", "pass"], args.runs, REPO)
    print(row("python -c pass (interpreter start)", baseline))
    single = wall_times([*cmd, *lint_args(template)], args.runs, REPO)
    verdict = "OK" if min(single) < TARGET_SINGLE else "OVER"
    print(row(f"single template ({template.name})", single, f"target < {TARGET_SINGLE} s: {verdict}"))

    workdir = args.keep or Path(tempfile.mkdtemp(prefix="mtls-lint-bench-"))
    try:
        if args.keep and args.keep.exists():
            shutil.rmtree(args.keep)
        kinds = generate_folder(workdir, args.templates)
        folder = wall_times([*cmd, *lint_args(workdir)], args.folder_runs, REPO)
        mix = ", ".join(f"{count} {kind}" for kind, count in kinds.items())
        print(row(f"folder of {args.templates} templates", folder,
                  f"{min(folder) / args.templates * 1000:.2f} ms/template best ({mix})"))
        result = subprocess.run([*cmd, str(workdir), "--now", NOW, "--format", "json", "--fail-on", "never"],
                                capture_output=True, text=True)
        report = json.loads(result.stdout)
        rules = sorted({f["rule_id"] for f in report["findings"]})
        print(f"|   folder report: {report['summary']['files']} files read, {len(report['findings'])} findings "
              f"({', '.join(rules)})")
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    total, rows = import_costs(template, args.top)
    print(f"python -X importtime, single-template run: {total / 1000:.1f} ms in top-level imports")
    print(f"| {'module':<36} | cumulative ms | self ms")
    print(f"| {'-' * 36} | ------------- | -------")
    for name, cumulative, own in rows:
        print(f"| {name:<36} | {cumulative / 1000:>13.1f} | {own / 1000:>7.1f}")

    print()
    heavy = heavy_imports(template)
    print(f"heavy modules imported on the single-template path ({', '.join(HEAVY)}): {heavy or 'none'}")
    return 0 if not heavy else 1


if __name__ == "__main__":
    sys.exit(main())
