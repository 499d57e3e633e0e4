"""Readers turn inputs into model fragments. One module per input kind; none decides what is wrong."""
from __future__ import annotations

import fnmatch
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Placement:
    """Account and region for plain templates whose path matches ``pattern`` (config ``sources``)."""

    pattern: str
    account: str | None = None
    region: str | None = None
    # Patterns are relative to the configuration file's folder (else to the working directory).
    base: Path | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ReadContext:
    """What every reader may know beyond its input: defaults, placements, local copies of truststores."""

    cwd: Path = field(default_factory=Path.cwd)
    account: str | None = None
    region: str | None = None
    placements: Sequence[Placement] = ()
    # Truststore S3 URI -> local PEM path (--truststore, config truststores).
    truststores: Mapping[str, Path] = field(default_factory=dict)
    # The scanned roots: a private key file inside them counts as committed (MTLS501).
    roots: Sequence[Path] = ()

    def display(self, path: Path | str) -> str:
        """A path as reports show it: relative to the working directory when under it, with '/'."""
        p = Path(path)
        try:
            p = p.resolve().relative_to(self.cwd.resolve())
        except ValueError:
            pass
        return p.as_posix() if str(p) != "." else "."

    def placement(self, path: Path | str) -> tuple[str | None, str | None]:
        """Account and region for a source file: the last matching ``sources`` entry, else the defaults."""
        account, region = self.account, self.region
        for entry in self.placements:
            if glob_match(_relative(path, entry.base or self.cwd), entry.pattern):
                account = entry.account or account
                region = entry.region or region
        return account, region

    def inside_roots(self, path: Path) -> bool:
        resolved = path.resolve()
        for root in self.roots or (self.cwd,):
            try:
                resolved.relative_to(root.resolve())
                return True
            except ValueError:
                continue
        return False


def _relative(path: Path | str, base: Path) -> str:
    resolved = Path(path).resolve()
    try:
        return resolved.relative_to(base.resolve()).as_posix()
    except ValueError:
        return Path(path).as_posix()


def glob_match(path: str, pattern: str) -> bool:
    """Glob with ``**`` spanning directories; ``dir/**`` matches everything below ``dir``."""
    if fnmatch.fnmatchcase(path, pattern):
        return True
    if "**/" in pattern and fnmatch.fnmatchcase(path, pattern.replace("**/", "")):
        return True
    return pattern.endswith("/**") and (path + os.sep).startswith(pattern[:-2])
