"""Parse-speed benchmark: tree-sitter-hcl (what mtls-lint uses) against python-hcl2.

Generates 300 Terraform modules (900 ``.tf`` files: main, variables, outputs) under a
temporary directory, then times, best of ``--repeat`` runs each:

1. tree-sitter: parse every file and visit every node (the measurement in issue 4);
2. mtls-lint's syntax layer: ``parse_hcl`` on every file, then build every attribute's expression;
3. mtls-lint's whole HCL reader: ``read_terraform_modules`` on the 300 root modules;
4. python-hcl2: ``hcl2.load`` on every file, then visit the resulting dicts.

python-hcl2 is not a dependency of mtls-lint; install it only to run this comparison, e.g.
``python -m venv --system-site-packages /tmp/bench && /tmp/bench/bin/pip install python-hcl2``.

    python benchmarks/bench_hcl.py [--modules 300] [--repeat 3] [--keep DIR]
"""
from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MAIN = '''locals {{
  name   = "svc{n}"
  domain = "${{local.name}}.example.com"
  tags = {{
    Service = local.name
    Owner   = "platform"
  }}
}}

resource "aws_acm_certificate" "this" {{
  domain_name               = local.domain
  subject_alternative_names = ["www.${{local.domain}}"]
  validation_method         = "DNS"
  tags                      = local.tags

  lifecycle {{
    create_before_destroy = true
  }}
}}

resource "aws_acm_certificate_validation" "this" {{
  certificate_arn = aws_acm_certificate.this.arn
}}

resource "aws_s3_bucket" "ts" {{
  bucket = "${{var.prefix}}-svc{n}-truststore"
}}

resource "aws_s3_bucket_versioning" "ts" {{
  bucket = aws_s3_bucket.ts.id

  versioning_configuration {{
    status = "Enabled"
  }}
}}

resource "aws_s3_object" "ts" {{
  bucket  = aws_s3_bucket.ts.bucket
  key     = "clients/truststore.pem"
  content = var.truststore_pem
}}

resource "aws_api_gateway_domain_name" "this" {{
  count = var.enabled ? 1 : 0

  domain_name              = local.domain
  regional_certificate_arn = aws_acm_certificate_validation.this.certificate_arn
  security_policy          = var.security_policy

  endpoint_configuration {{
    types = ["REGIONAL"]
  }}

  mutual_tls_authentication {{
    truststore_uri     = "s3://${{aws_s3_bucket.ts.bucket}}/${{aws_s3_object.ts.key}}"
    truststore_version = aws_s3_object.ts.version_id
  }}
}}

resource "aws_api_gateway_rest_api" "this" {{
  name = local.name
  body = jsonencode({{
    openapi = "3.0.1"
    "x-amazon-apigateway-endpoint-configuration" = {{
      disableExecuteApiEndpoint = true
    }}
    paths = {{ for p in var.paths : p => {{ get = {{}} }} }}
  }})
}}

resource "aws_api_gateway_base_path_mapping" "this" {{
  count       = length(aws_api_gateway_domain_name.this)
  api_id      = aws_api_gateway_rest_api.this.id
  domain_name = aws_api_gateway_domain_name.this[count.index].domain_name
}}
'''

VARIABLES = '''variable "prefix" {{
  type    = string
  default = "corp{n}"
}}

variable "enabled" {{
  type    = bool
  default = true
}}

variable "security_policy" {{
  type    = string
  default = "TLS_1_2"
}}

variable "paths" {{
  type    = list(string)
  default = ["/a", "/b", "/c"]
}}

variable "truststore_pem" {{
  type    = string
  default = <<-EOT
    not a real certificate {n}
  EOT
}}
'''

OUTPUTS = '''output "domain" {{
  value = one(aws_api_gateway_domain_name.this[*].regional_domain_name)
}}

output "certificate_arn" {{
  value = aws_acm_certificate.this.arn
}}
'''


def generate(root: Path, modules: int) -> list[Path]:
    directories = []
    for n in range(modules):
        directory = root / f"module{n:03d}"
        directory.mkdir(parents=True)
        for name, template in (("main.tf", MAIN), ("variables.tf", VARIABLES), ("outputs.tf", OUTPUTS)):
            (directory / name).write_text(template.format(n=n))
        directories.append(directory)
    return directories


def tree_sitter_parse_and_walk(files: list[Path]) -> int:
    import tree_sitter
    import tree_sitter_hcl

    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    nodes = 0
    for path in files:
        cursor = parser.parse(path.read_bytes()).walk()
        while True:  # depth-first over every node
            nodes += 1
            if cursor.goto_first_child() or cursor.goto_next_sibling():
                continue
            while cursor.goto_parent():
                if cursor.goto_next_sibling():
                    break
            else:
                break
    return nodes


def syntax_layer(files: list[Path]) -> int:
    from mtls_lint.readers.hcl_ast import Body, HclFile
    from mtls_lint.readers.hcl_syntax import parse_hcl

    def count(body: Body) -> int:
        total = 0
        for attribute in body.attributes.values():
            attribute.expr  # noqa: B018 - build the expression
            total += 1
        return total + sum(count(block.body) + 1 for block in body.blocks)

    total = 0
    for path in files:
        parsed = parse_hcl(path.read_bytes(), str(path))
        assert isinstance(parsed, HclFile), parsed
        total += count(parsed.body)
    return total


def whole_reader(directories: list[Path]) -> int:
    from mtls_lint.readers import ReadContext
    from mtls_lint.readers.terraform_hcl import read_terraform_modules

    fragment = read_terraform_modules(directories, ReadContext(cwd=directories[0].parent))
    assert not fragment.diagnostics, fragment.diagnostics[:3]
    return len(fragment.domains) + len(fragment.certificates) + len(fragment.buckets)


def python_hcl2(files: list[Path]) -> int:
    import hcl2

    def walk(value: object) -> int:
        if isinstance(value, dict):
            return 1 + sum(walk(v) for v in value.values())
        if isinstance(value, list):
            return 1 + sum(walk(v) for v in value)
        return 1

    total = 0
    for path in files:
        with path.open() as stream:
            total += walk(hcl2.load(stream))
    return total


def best_of(repeat: int, run: Callable[[], int]) -> tuple[float, int]:
    times, result = [], 0
    for _ in range(repeat):
        start = time.perf_counter()
        result = run()
        times.append(time.perf_counter() - start)
    return min(times), result


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="generate here and keep the files")
    args = parser.parse_args(list(argv) if argv is not None else None)
    root = args.keep or Path(tempfile.mkdtemp(prefix="mtls-lint-bench-"))
    try:
        directories = generate(root, args.modules)
        files = sorted(p for d in directories for p in d.glob("*.tf"))
        size = sum(p.stat().st_size for p in files)
        print(f"{len(directories)} modules, {len(files)} .tf files, {size / 1024:.0f} KB under {root}")
        runs: list[tuple[str, Callable[[], int], str]] = [
            ("tree-sitter-hcl parse + walk every node", lambda: tree_sitter_parse_and_walk(files), "nodes"),
            ("mtls-lint parse_hcl + every expression", lambda: syntax_layer(files), "blocks+attributes"),
            ("mtls-lint read_terraform_modules (whole reader)", lambda: whole_reader(directories), "records"),
        ]
        try:
            import hcl2  # noqa: F401
            runs.append(("python-hcl2 load + walk", lambda: python_hcl2(files), "values"))
        except ImportError:
            print("python-hcl2 is not installed: its figure is skipped (see the module docstring)")
        for label, run, unit in runs:
            seconds, count = best_of(args.repeat, run)
            print(f"{label:<50} {seconds:7.3f} s  ({count} {unit})")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
