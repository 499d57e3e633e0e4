"""Problems that stop a run. Bad inputs are never errors: they are findings (MTLS001, MTLS003)."""
from __future__ import annotations


class MtlsLintError(Exception):
    """A run-stopping problem: the CLI prints one line and exits 2."""


class UsageError(MtlsLintError):
    """The command line asks for something impossible (a missing path, a bad option value)."""


class ConfigError(MtlsLintError):
    """The configuration file is unreadable or has unknown keys or bad values."""


class PluginError(MtlsLintError):
    """A third-party rule failed to load or does not look like a rule."""
