"""Rule pages, generated from the registry: ``--explain``, ``--list-rules`` and the top-level ``rules/`` folder.

Regenerate the folder with ``python -m mtls_lint.docs rules/``; a test fails when it is stale.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mtls_lint.rules import Registry, load_registry
from mtls_lint.rules.base import Rule

DOCS_URL = "https://github.com/mtls-lint/mtls-lint/blob/main/rules/{file}"


def page_name(rule: Rule) -> str:
    return f"{rule.id}-{rule.name}.md"


def help_uri(rule: Rule) -> str:
    return DOCS_URL.format(file=page_name(rule))


def render_page(rule: Rule) -> str:
    header = (
        f"# {rule.id}: {rule.name}\n\n"
        f"Default severity: **{rule.severity}**. {rule.summary}.\n"
    )
    if not rule.single_template:
        header += "\nThis rule looks across all inputs of a run, so it does not run in the cfn-lint plugin.\n"
    return header + "\n" + rule.doc.strip() + "\n"


def render_list(registry: Registry) -> str:
    lines = [f"{rule.id}  {rule.name:<40} {rule.severity:<8} {rule.summary}" for rule in registry]
    return "\n".join(lines) + "\n"


def write_pages(directory: Path, registry: Registry) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for rule in registry:
        path = directory / page_name(rule)
        path.write_text(render_page(rule), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "rules")
    for page in write_pages(target, load_registry(plugins=False)):
        print(page)
