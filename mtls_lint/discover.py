"""Find the inputs under the given paths and sort them by kind, by content rather than by name alone."""
from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mtls_lint.readers import glob_match
from mtls_lint.readers.textio import decode_text

SKIP_DIRS = frozenset({
    ".git", ".hg", ".svn", "node_modules", ".terraform", "__pycache__", ".venv", "venv", ".tox", ".nox",
    ".mypy_cache", ".pytest_cache", ".ruff_cache", "site-packages", ".aws-sam",
})
TEMPLATE_SUFFIXES = frozenset({".yaml", ".yml", ".json", ".template"})
MAX_SNIFF_BYTES = 50 * 1024 * 1024
# A YAML/JSON file "claims" to be a template when it says so or declares AWS resource types.
CLAIMS_TEMPLATE = re.compile(r"AWSTemplateFormatVersion|AWS::[A-Za-z0-9]+::[A-Za-z0-9]+")
LOCAL_MODULE_SOURCE = re.compile(r"""\bsource\s*=\s*"(\.\.?/[^"]*)\"""")


@dataclass(slots=True)
class Inputs:
    templates: list[tuple[Path, str | None]] = field(default_factory=list)  # (path, text when decoded)
    terraform_modules: list[Path] = field(default_factory=list)
    plans: list[Path] = field(default_factory=list)


def discover(paths: Sequence[Path], base: Path, exclude: Sequence[str] = ()) -> Inputs:
    """Sort the files under ``paths`` by kind; ``exclude`` globs are relative to ``base``."""
    inputs = Inputs()
    tf_dirs: dict[Path, None] = {}
    seen: set[Path] = set()
    for path in _walk(paths, base, exclude):
        try:
            resolved = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop or a vanished file
            continue
        if resolved in seen:
            continue
        seen.add(resolved)
        if path.suffix == ".tf":
            tf_dirs.setdefault(path.parent, None)
        elif path.suffix in TEMPLATE_SUFFIXES:
            _classify(path, inputs)
    inputs.terraform_modules = _root_modules(list(tf_dirs))
    return inputs


def _walk(paths: Sequence[Path], base: Path, exclude: Sequence[str]) -> Iterator[Path]:
    """Regular files only: a FIFO would block the read and /dev/zero would never end."""
    for root in paths:
        if root.is_file():
            if _regular(root):
                yield root
            continue
        for directory, dirs, files in os.walk(root):
            here = Path(directory)
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not (here / d / "pyvenv.cfg").exists()
                             and not _excluded(here / d, base, exclude))
            for name in sorted(files):
                path = here / name
                if _regular(path) and not _excluded(path, base, exclude):
                    yield path


def _regular(path: Path) -> bool:
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def _excluded(path: Path, base: Path, patterns: Sequence[str]) -> bool:
    if not patterns:
        return False
    try:
        shown = path.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):
        shown = path.as_posix()
    return any(glob_match(shown, pattern) or glob_match(shown + "/", pattern) for pattern in patterns)


def _classify(path: Path, inputs: Inputs) -> None:
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_SNIFF_BYTES + 1)
    except OSError:
        return
    text = decode_text(data)
    if text is None:
        # Undecodable: hand it to the template reader only if it plainly claims to be a template.
        if CLAIMS_TEMPLATE.search(data.decode("latin-1")):
            inputs.templates.append((path, None))
        return
    if path.suffix == ".json" and '"format_version"' in text and (
            '"planned_values"' in text or '"resource_changes"' in text):
        inputs.plans.append(path)
    elif CLAIMS_TEMPLATE.search(text) or path.suffix == ".template":
        inputs.templates.append((path, text))


def _root_modules(dirs: list[Path]) -> list[Path]:
    """Module directories not called as a local module by another one: children are read through their caller."""
    called: set[Path] = set()
    for directory in dirs:
        for tf in directory.glob("*.tf"):
            if not _regular(tf):
                continue
            try:
                with tf.open("rb") as handle:
                    text = handle.read(MAX_SNIFF_BYTES).decode("utf-8", errors="replace")
            except OSError:
                continue
            for match in LOCAL_MODULE_SOURCE.finditer(text):
                called.add((directory / match.group(1)).resolve())
    return [d for d in dirs if d.resolve() not in called]
