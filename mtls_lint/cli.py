"""The command line: parse, load the configuration, run the pipeline, write reports. Thin on purpose."""
from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn

from mtls_lint import __version__
from mtls_lint.errors import MtlsLintError, UsageError

if TYPE_CHECKING:
    from mtls_lint.lint import LintOptions, LintResult
    from mtls_lint.rules import Registry

MAX_EXPIRY_DAYS = 36_500
MAX_YEAR = 9_000
FAIL_LEVELS = {"error": ("error",), "warning": ("error", "warning"), "note": ("error", "warning", "note"),
               "never": ()}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # one clear line, not argparse's usage block
        raise UsageError(message)


def build_parser() -> argparse.ArgumentParser:
    from mtls_lint.reporters import FORMATS

    parser = _Parser(prog="mtls-lint", description="Lint API Gateway mutual-TLS custom domains before deployment.")
    parser.add_argument("paths", nargs="*", type=Path, help="files or directories (default: .)")
    parser.add_argument("--format", action="append", default=[], metavar="FORMAT[=FILE]",
                        help=f"report format, repeatable: {', '.join(FORMATS)} (default: text)")
    parser.add_argument("--inventory", action="append", default=[], type=Path, metavar="PATH",
                        help="AWS inventory export (aws acm / apigateway CLI JSON), repeatable")
    parser.add_argument("--truststore", action="append", default=[], metavar="S3URI=PATH",
                        help="local copy of a truststore object, repeatable")
    parser.add_argument("--account", help="account ID for sources that carry none")
    parser.add_argument("--region", help="region for sources that carry none")
    parser.add_argument("--now", help="ISO-8601 instant used as now by every date check")
    parser.add_argument("--expiry-days", type=int, help="horizon for expiring findings (default: 30)")
    parser.add_argument("--select", help="comma-separated rule IDs or prefixes to run")
    parser.add_argument("--ignore", help="comma-separated rule IDs or prefixes to skip")
    parser.add_argument("--fail-on", choices=("error", "warning", "note", "never"),
                        help="lowest severity that fails the run (default: warning)")
    parser.add_argument("--config", type=Path, help="configuration file (default: searched upward)")
    parser.add_argument("--list-rules", action="store_true", help="print the rule catalog")
    parser.add_argument("--explain", metavar="ID", help="print one rule's documentation")
    parser.add_argument("--version", action="version", version=f"mtls-lint {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    try:
        return _run(build_parser().parse_args(argv))
    except SystemExit as exc:  # --help and --version: main() returns the status, as it does everywhere else
        return exc.code if isinstance(exc.code, int) else 0
    except MtlsLintError as exc:
        print(f"mtls-lint: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 1
    except Exception as exc:  # a bug of ours: one line, and the traceback only when asked for
        if os.environ.get("MTLS_LINT_DEBUG"):
            raise
        print(f"mtls-lint: internal error: {type(exc).__name__}: {exc} (set MTLS_LINT_DEBUG=1 for the traceback)",
              file=sys.stderr)
        return 2


def _run(args: argparse.Namespace) -> int:
    from mtls_lint import docs
    from mtls_lint.rules import load_registry

    registry = load_registry()
    if args.list_rules:
        sys.stdout.write(docs.render_list(registry))
        return 0
    if args.explain:
        rule = registry.get(args.explain)
        if rule is None:
            raise UsageError(f"no rule {args.explain!r}; see --list-rules")
        sys.stdout.write(docs.render_page(rule))
        return 0
    run = _invocation(args)

    from mtls_lint.lint import lint

    result = lint(run.options, registry)
    for fmt, target in run.outputs:
        _write(fmt, target, result, registry)
    for error in result.internal_errors:
        print(f"mtls-lint: internal error: {error}", file=sys.stderr)
    if result.internal_errors:
        return 2
    failing = FAIL_LEVELS[run.fail_on]
    return 1 if any(finding.severity in failing for finding in result.findings) else 0


class Invocation(NamedTuple):
    """What the command line and the configuration ask for, merged."""

    options: LintOptions
    fail_on: str
    outputs: list[tuple[str, Path | None]]


def _invocation(args: argparse.Namespace) -> Invocation:
    from mtls_lint.config import Config, find_config, load_config
    from mtls_lint.lint import LintOptions

    cwd = Path.cwd()
    config_path = args.config or find_config(cwd)
    if args.config is not None and not _is_file(args.config):
        raise UsageError(f"config file {args.config} does not exist")
    config = load_config(config_path) if config_path else Config()
    paths = list(args.paths) or list(config.paths) or [Path(".")]
    for path in paths:
        if not _exists(path):
            raise UsageError(f"path {path} does not exist")
    inventory = [*config.inventory, *args.inventory]
    for path in inventory:
        if not _is_file(path):
            raise UsageError(f"inventory file {path} does not exist")
    truststores = dict(config.truststores)
    for item in args.truststore:
        uri, sep, local = item.partition("=")
        if not sep or not uri.startswith("s3://") or not local:
            raise UsageError(f"--truststore takes S3URI=PATH, got {item!r}")
        truststores[uri] = Path(local)
    expiry = args.expiry_days if args.expiry_days is not None else config.expiry_days
    if expiry is not None and not 0 <= expiry <= MAX_EXPIRY_DAYS:
        raise UsageError(f"--expiry-days must be between 0 and {MAX_EXPIRY_DAYS}")
    options = LintOptions(
        paths=paths,
        cwd=cwd,
        now=parse_instant(args.now) if args.now is not None else dt.datetime.now(dt.timezone.utc),
        expiry_days=30 if expiry is None else expiry,
        account=args.account or config.account,
        region=args.region or config.region,
        placements=config.sources,
        exclude=config.exclude,
        exclude_base=config.path.parent if config.path else None,
        select=_ids(args.select) or config.select or ("MTLS",),
        ignore=_ids(args.ignore) or config.ignore,
        inventory=inventory,
        truststores=truststores,
    )
    return Invocation(options, args.fail_on or config.fail_on or "warning", _outputs(args.format))


def _ids(value: str | None) -> tuple[str, ...]:
    return tuple(item.strip().upper() for item in value.split(",") if item.strip()) if value else ()


def _outputs(formats: Sequence[str]) -> list[tuple[str, Path | None]]:
    from mtls_lint.reporters import FORMATS

    outputs: list[tuple[str, Path | None]] = []
    for item in formats or ["text"]:
        name, sep, target = item.partition("=")
        if name not in FORMATS:
            raise UsageError(f"unknown format {name!r} (choose from {', '.join(FORMATS)})")
        outputs.append((name, Path(target) if sep and target else None))
    if sum(1 for _, target in outputs if target is None) > 1:
        raise UsageError("at most one --format may write to standard output; give the others =FILE")
    return outputs


def parse_instant(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(f"--now takes an ISO-8601 instant such as 2026-12-04T00:00:00Z, got {text!r}") from None
    if not 1970 <= value.year <= MAX_YEAR:  # date arithmetic with --expiry-days must stay in range
        raise UsageError(f"--now must be between the years 1970 and {MAX_YEAR}, got {text!r}")
    return value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)


def _write(fmt: str, target: Path | None, result: LintResult, registry: Registry) -> None:
    from mtls_lint.reporters import Report, write_report

    color = target is None and fmt == "text" and sys.stdout.isatty() and "NO_COLOR" not in os.environ
    report = Report(result.findings, result.suppressed, result.files, registry, __version__, color)
    if target is None:
        write_report(fmt, report, sys.stdout)
        return
    try:
        with target.open("w", encoding="utf-8") as stream:
            write_report(fmt, report, stream)
    except (OSError, ValueError) as exc:
        raise UsageError(f"cannot write {target}: {getattr(exc, 'strerror', None) or exc}") from None


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except (OSError, ValueError):  # a name too long, a NUL byte
        return False


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except (OSError, ValueError):
        return False
