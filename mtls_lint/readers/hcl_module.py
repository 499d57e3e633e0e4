"""One Terraform module directory, parsed: its variables, locals, resources, calls and providers.

A directory's ``*.tf`` files are one module (Terraform's rule). Files that do not parse are
reported as MTLS001 and left out, so the rest of the module is still read. Suppression
comments (``# mtls-lint:ignore MTLS102 reason``) are attached here to the block they sit in
or directly above.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from mtls_lint.model import Diagnostic, Location
from mtls_lint.readers import ReadContext
from mtls_lint.readers.hcl_ast import Attribute, Block, Comment, HclFile, HclSyntaxError
from mtls_lint.readers.hcl_syntax import parse_hcl

# Far above any hand-written module; a generated file this big is not configuration we lint.
MAX_TF_BYTES = 10 * 1024 * 1024
_IGNORE = re.compile(r"mtls-lint:\s*ignore\b(.*)", re.IGNORECASE)
_RULE_ID = re.compile(r"MTLS\d{0,3}")


@dataclass(frozen=True, slots=True)
class ResourceBlock:
    mode: str  # "managed" | "data"
    type: str
    name: str
    block: Block
    ignore: frozenset[str]

    @property
    def key(self) -> str:
        return f"{self.type}.{self.name}" if self.mode == "managed" else f"data.{self.type}.{self.name}"


@dataclass(frozen=True, slots=True)
class ModuleCall:
    name: str
    block: Block
    ignore: frozenset[str]


@dataclass(slots=True)
class ModuleConfig:
    dir: Path
    files: list[str] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attribute] = field(default_factory=dict)
    outputs: dict[str, Attribute] = field(default_factory=dict)
    resources: dict[str, ResourceBlock] = field(default_factory=dict)
    calls: dict[str, ModuleCall] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    tfvars: dict[str, Attribute] = field(default_factory=dict)  # root modules: terraform.tfvars, *.auto.tfvars
    diagnostics: list[Diagnostic] = field(default_factory=list)


def has_tf_files(directory: Path) -> bool:
    try:
        return any(p.suffix == ".tf" and p.is_file() for p in directory.iterdir())
    except OSError:
        return False


def load_module(directory: Path, ctx: ReadContext, *, root: bool) -> ModuleConfig:
    """Parse every ``.tf`` file of a directory (and, for a root module, its tfvars files)."""
    module = ModuleConfig(directory)
    try:
        entries = sorted(p for p in directory.iterdir() if p.is_file())
    except OSError:
        entries = []
    for path in entries:
        # Override files merge into other blocks by Terraform's own rules; they are not modelled.
        if path.suffix == ".tf" and not path.stem.endswith("override"):
            parsed = _parse(path, ctx, module)
            if parsed is not None:
                _collect(parsed, module)
        elif root and (path.name == "terraform.tfvars" or path.name.endswith(".auto.tfvars")):
            parsed = _parse(path, ctx, module)
            if parsed is not None:
                module.tfvars.update(parsed.body.attributes)
    return module


def _parse(path: Path, ctx: ReadContext, module: ModuleConfig) -> HclFile | None:
    shown = ctx.display(path)
    module.files.append(shown)
    try:
        data = path.read_bytes() if path.stat().st_size <= MAX_TF_BYTES else None
    except OSError:
        module.diagnostics.append(Diagnostic("MTLS001", f"{shown} cannot be read", Location(shown)))
        return None
    if data is None:
        module.diagnostics.append(Diagnostic(
            "MTLS001", f"{shown} is larger than {MAX_TF_BYTES // (1024 * 1024)} MB; not read", Location(shown)))
        return None
    parsed = parse_hcl(data, shown)
    if isinstance(parsed, HclSyntaxError):
        module.diagnostics.append(Diagnostic("MTLS001", f"{shown}: {parsed.message}", parsed.location))
        return None
    return parsed


def _collect(parsed: HclFile, module: ModuleConfig) -> None:
    comments = _ignore_comments(parsed.comments)
    for block in parsed.body.blocks:
        kind, labels = block.type, block.labels
        if kind in ("resource", "data") and len(labels) == 2:
            mode = "managed" if kind == "resource" else "data"
            resource = ResourceBlock(mode, labels[0], labels[1], block, _ignores(block, comments))
            module.resources.setdefault(resource.key, resource)
        elif kind == "variable" and len(labels) == 1:
            module.variables.setdefault(labels[0], block)
        elif kind == "locals":
            for name, attribute in block.body.attributes.items():
                module.locals.setdefault(name, attribute)
        elif kind == "output" and len(labels) == 1 and "value" in block.body.attributes:
            module.outputs.setdefault(labels[0], block.body.attributes["value"])
        elif kind == "module" and len(labels) == 1:
            module.calls.setdefault(labels[0], ModuleCall(labels[0], block, _ignores(block, comments)))
        elif kind == "provider" and len(labels) == 1:
            module.providers.append(block)


def _ignore_comments(comments: tuple[Comment, ...]) -> dict[int, frozenset[str]]:
    """Line -> rule IDs for every suppression comment; other comment lines map to an empty set."""
    by_line: dict[int, frozenset[str]] = {}
    for comment in comments:
        match = _IGNORE.search(comment.text)
        ids: frozenset[str] = frozenset()
        if match:
            tokens = re.split(r"[\s,]+", match.group(1).strip().rstrip("*/").strip())
            found: list[str] = []
            for token in tokens:
                if not _RULE_ID.fullmatch(token.upper()):
                    break  # the reason starts here
                found.append(token.upper())
            ids = frozenset(found) or frozenset({"MTLS"})  # no ID: everything, like a bare noqa
        for line in range(comment.line, comment.end_line + 1):
            by_line[line] = by_line.get(line, frozenset()) | ids
    return by_line


def _ignores(block: Block, comments: dict[int, frozenset[str]]) -> frozenset[str]:
    """Suppressions inside the block, or in the run of comment lines directly above it."""
    if not comments:
        return frozenset()
    found: frozenset[str] = frozenset()
    for line in range(block.loc.line or 1, block.end_line + 1):
        found |= comments.get(line, frozenset())
    line = (block.loc.line or 1) - 1
    while line in comments:
        found |= comments[line]
        line -= 1
    return found
