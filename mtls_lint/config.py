"""The configuration file: found, read and validated. Unknown keys are an error (exit 2)."""
from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from mtls_lint.errors import ConfigError
from mtls_lint.readers import Placement

CONFIG_NAMES = (".mtls-lint.yaml", ".mtls-lint.yml")
KEYS = {
    "paths", "exclude", "select", "ignore", "fail-on", "expiry-days", "inventory", "truststores",
    "defaults", "sources",
}
FAIL_ON = ("error", "warning", "note", "never")


@dataclass(frozen=True, slots=True)
class Config:
    path: Path | None = None
    paths: tuple[Path, ...] = ()
    exclude: tuple[str, ...] = ()
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: str | None = None
    expiry_days: int | None = None
    inventory: tuple[Path, ...] = ()
    truststores: Mapping[str, Path] = field(default_factory=dict)
    account: str | None = None
    region: str | None = None
    sources: tuple[Placement, ...] = ()


def find_config(start: Path) -> Path | None:
    """The first config file from ``start`` upward: .mtls-lint.yaml/.yml, then pyproject.toml with a section."""
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.mtls-lint]" in _read(pyproject):
            return pyproject
    return None


def load_config(path: Path) -> Config:
    text = _read(path)
    if path.name == "pyproject.toml":
        data = _pyproject_section(text, path)
    else:
        try:
            data = yaml.safe_load(text) if text.strip() else {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML: {getattr(exc, 'problem', exc)}") from None
        except Exception:  # noqa: BLE001 - PyYAML raises KeyError/IndexError on `!!bool maybe`
            raise ConfigError(f"{path}: not valid YAML: a value does not match its tag") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the configuration must be a mapping")
    return parse_config(data, path)


def parse_config(data: Mapping[str, object], path: Path) -> Config:
    unknown = sorted(set(map(str, data)) - KEYS)
    if unknown:
        raise ConfigError(f"{path}: unknown key {unknown[0]!r} (known: {', '.join(sorted(KEYS))})")
    base = path.parent
    fail_on = data.get("fail-on")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise ConfigError(f"{path}: fail-on must be one of {', '.join(FAIL_ON)}")
    expiry = data.get("expiry-days")
    if expiry is not None and (not isinstance(expiry, int) or isinstance(expiry, bool) or expiry < 0):
        raise ConfigError(f"{path}: expiry-days must be a whole number of days")
    defaults = _mapping(data, "defaults", path)
    truststores = _mapping(data, "truststores", path)
    return Config(
        path=path,
        paths=tuple(base / p for p in _strings(data, "paths", path)),
        exclude=_strings(data, "exclude", path),
        select=_strings(data, "select", path),
        ignore=_strings(data, "ignore", path),
        fail_on=fail_on,  # type: ignore[arg-type]
        expiry_days=expiry,  # type: ignore[arg-type]
        inventory=tuple(base / p for p in _strings(data, "inventory", path)),
        truststores={str(uri): base / str(local) for uri, local in truststores.items()},
        account=_optional_str(defaults.get("account")),
        region=_optional_str(defaults.get("region")),
        sources=_sources(data.get("sources"), path),
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None


def _pyproject_section(text: str, path: Path) -> object:
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib  # type: ignore[no-redef]
    try:
        return tomllib.loads(text).get("tool", {}).get("mtls-lint", {})
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _strings(data: Mapping[str, object], key: str, path: Path) -> tuple[str, ...]:
    value = data.get(key)
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ConfigError(f"{path}: {key} must be a list of strings")
    return tuple(value)


def _mapping(data: Mapping[str, object], key: str, path: Path) -> Mapping[str, object]:
    value = data.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: {key} must be a mapping")
    return value


def _optional_str(value: object) -> str | None:
    return None if value is None else str(value)


def _sources(value: object, path: Path) -> tuple[Placement, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise ConfigError(f"{path}: sources must be a list of {{path, account, region}}")
    out = []
    for entry in value:
        if not isinstance(entry, dict) or not isinstance(entry.get("path"), str) \
                or set(entry) - {"path", "account", "region"}:
            raise ConfigError(f"{path}: each sources entry needs a path and may have account and region")
        out.append(Placement(entry["path"], _optional_str(entry.get("account")), _optional_str(entry.get("region")),
                             base=path.parent))
    return tuple(out)
