"""Regenerate ``fixtures/tfplan/*.json`` with the real ``terraform plan`` + ``terraform show -json``.

    python tests/tools/tfplan/make_plans.py                 # every scenario in fixtures/terraform/
    python tests/tools/tfplan/make_plans.py edge_mtls ...   # only these

Needs ``terraform`` (1.11) on PATH and PyPI access the first time (``tf==1.2.0`` goes into a venv under
``$TFPLAN_WORK``, default ``/tmp/tfwork``). The registry is never contacted: the stand-in providers in this
directory are wired in with ``dev_overrides`` and ``terraform get`` replaces ``terraform init``. Each scenario
is copied to ``$TFPLAN_WORK/run/<scenario>`` and planned there; only the normalised JSON comes back.
A scenario with ``apply-first.tfvars`` is first applied with those values (fake apply, local state) so its
plan has a ``prior_state``. Normalisation: ``timestamp`` is fixed and ``relevant_attributes`` is sorted
(Terraform's order varies between runs); everything else is what Terraform wrote, re-indented (indent=1,
Terraform's key order kept, Go's ``\\u003c``/``\\u003e``/``\\u0026`` escapes kept) for readable diffs.
``utf16_bom.json`` is the compact one-line form of one plan in UTF-16LE with a BOM and CRLF, as Windows
PowerShell 5 writes ``terraform show -json plan > plan.json``.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
CONFIGS = ROOT / "fixtures" / "terraform"
OUT = ROOT / "fixtures" / "tfplan"
WORK = Path(os.environ.get("TFPLAN_WORK", "/tmp/tfwork"))
NOT_PLANNED = {"invalid"}  # HCL-reader fixtures with deliberate syntax errors
TIMESTAMP = "2026-12-04T00:00:00Z"
UTF16_FROM = "good_regional_mtls"
TF_PACKAGE = "tf==1.2.0"


def log(message: str) -> None:
    print(message, flush=True)


def run(args: Sequence[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    proc = subprocess.run(list(args), check=False, cwd=cwd, env=env, capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(f"$ {' '.join(args)}  (in {cwd})\n{proc.stdout}{proc.stderr}")
        raise SystemExit(f"failed: {' '.join(args)}")
    return proc.stdout


def setup() -> dict[str, str]:
    """venv with ``tf``, provider wrapper scripts and the CLI config; returns the environment for terraform."""
    python = WORK / "venv" / "bin" / "python"
    if not python.exists() or subprocess.run([str(python), "-c", "import tf.runner"], check=False).returncode != 0:
        log(f"installing {TF_PACKAGE} into {WORK / 'venv'}")
        run([sys.executable, "-m", "venv", str(WORK / "venv")], cwd=ROOT)
        run([str(python), "-m", "pip", "install", "-q", TF_PACKAGE], cwd=ROOT)
    bin_dir = WORK / "bin"
    bin_dir.mkdir(parents=True, exist_ok=True)
    for name in ("aws", "tls"):  # one script serves both providers; the wrapper picks one
        wrapper = bin_dir / f"terraform-provider-{name}"
        wrapper.write_text(f'#!/bin/sh\nSTANDIN_PROVIDER={name} exec "{python}" '
                           f'"{HERE / "terraform-provider-aws"}" "$@"\n')
        wrapper.chmod(0o755)
    rc = WORK / "terraformrc"
    rc.write_text((HERE / "terraformrc.tmpl").read_text().replace("@BIN@", str(bin_dir)))
    (WORK / "home").mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("TF_")}
    env.update(TF_CLI_CONFIG_FILE=str(rc), HOME=str(WORK / "home"), CHECKPOINT_DISABLE="1", TF_IN_AUTOMATION="1",
               TF_INPUT="0")
    run([str(python), str(CONFIGS / "make_certs.py")], cwd=ROOT)  # writes only missing PEM files
    return env


def go_json(obj: object, indent: int | None = None) -> str:
    """JSON as Go's encoder writes it: UTF-8, with <, > and & escaped."""
    text = json.dumps(obj, ensure_ascii=False, indent=indent, separators=(",", ":") if indent is None else None)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def check(scenario: str, plan: dict, text: str) -> None:
    assert plan["format_version"] == "1.2" and plan["complete"] and not plan["errored"], scenario
    for volatile in (str(WORK), str(ROOT)):
        assert volatile not in text, f"{scenario}: machine-specific path {volatile} in the plan"


def plan_scenario(scenario: str, env: dict[str, str]) -> tuple[dict, float]:
    started = time.perf_counter()
    work = WORK / "run" / scenario
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(CONFIGS / scenario, work)
    run(["terraform", "get", "-no-color"], work, env)
    if (work / "apply-first.tfvars").exists():
        run(["terraform", "apply", "-auto-approve", "-no-color", "-lock=false", "-var-file=apply-first.tfvars"],
            work, {**env, "STANDIN_FAKE_APPLY": "1"})
    run(["terraform", "plan", "-no-color", "-lock=false", "-out=plan.bin"], work, env)
    text = run(["terraform", "show", "-json", "plan.bin"], work, env)
    plan = json.loads(text)
    check(scenario, plan, text)
    plan["timestamp"] = TIMESTAMP
    plan["relevant_attributes"] = sorted(plan.get("relevant_attributes", []), key=json.dumps)
    return plan, time.perf_counter() - started


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    started = time.perf_counter()
    scenarios = argv or sorted(p.name for p in CONFIGS.iterdir()
                               if p.is_dir() and p.name not in NOT_PLANNED and any(p.glob("*.tf")))
    env = setup()
    for scenario in scenarios:
        run(["terraform", "fmt", "-check", "-recursive", "-no-color", str(CONFIGS / scenario)], ROOT, env)
    OUT.mkdir(parents=True, exist_ok=True)
    for scenario in scenarios:
        plan, seconds = plan_scenario(scenario, env)
        (OUT / f"{scenario}.json").write_text(go_json(plan, indent=1) + "\n", encoding="utf-8")
        if scenario == UTF16_FROM:
            (OUT / "utf16_bom.json").write_bytes(b"\xff\xfe" + (go_json(plan) + "\r\n").encode("utf-16-le"))
        changes = [rc["change"]["actions"] for rc in plan["resource_changes"]]
        log(f"{scenario:24} {seconds:5.1f} s  {len(changes)} resource changes")
    log(f"total {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
