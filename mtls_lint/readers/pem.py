"""Reading PEM files from disk, for every reader that points at one.

Truststores (``--truststore``, config ``truststores``, Terraform ``aws_s3_object.source``,
CDK assets), imported certificate bodies and chains (Terraform ``file()``) and private keys
all come through here, so "missing", "empty" and "too big" read the same everywhere:
``Diagnostic("MTLS003", ..., pointed_from)``, placed where the configuration points at the file.
A file that exists but is not a clean bundle is *not* a diagnostic: it comes back as a
``PemBundle`` whose ``problems`` the content rules (MTLS401, MTLS003) judge.

``mtls_lint.x509`` (and with it ``cryptography``) is imported only when a file is actually read.
"""
from __future__ import annotations

from pathlib import Path

from mtls_lint.model import Diagnostic, Location, PemBundle, PrivateKeyInfo
from mtls_lint.readers import ReadContext

# Far above any real truststore (API Gateway is observed to refuse ~1 MB) and ACM's 2 MB chain
# limit; enough to read a bundle whose size MTLS409 should report, small enough to stay cheap.
MAX_PEM_BYTES = 5 * 1024 * 1024


def read_pem_file(path: Path, ctx: ReadContext, *, pointed_from: Location,
                  resource: str | None = None) -> PemBundle | Diagnostic:
    """A PEM bundle read from ``path``, located at the file's line 1; or MTLS003 at ``pointed_from``."""
    data = _read_bytes(path, ctx, pointed_from=pointed_from, resource=resource, what="certificate file")
    if isinstance(data, Diagnostic):
        return data
    from mtls_lint import x509

    return x509.load_pem_bundle(data, Location(ctx.display(path), 1, 1))


def read_private_key_file(path: Path, ctx: ReadContext, *, pointed_from: Location,
                          resource: str | None = None) -> PrivateKeyInfo | Diagnostic:
    """A private key's public facts (never its bytes); committed when the file is inside the scanned roots."""
    data = _read_bytes(path, ctx, pointed_from=pointed_from, resource=resource, what="private key file")
    if isinstance(data, Diagnostic):
        return data
    from mtls_lint import x509

    return x509.read_private_key(data, Location(ctx.display(path), 1, 1), committed=ctx.inside_roots(path))


def _read_bytes(path: Path, ctx: ReadContext, *, pointed_from: Location, resource: str | None,
                what: str) -> bytes | Diagnostic:
    shown = ctx.display(path)

    def problem(message: str) -> Diagnostic:
        return Diagnostic("MTLS003", message, pointed_from, resource)

    try:
        if not path.exists():
            return problem(f"{what} {shown} does not exist")
        if path.is_dir():
            return problem(f"{what} {shown} is a directory, not a file")
        with path.open("rb") as stream:
            data = stream.read(MAX_PEM_BYTES + 1)
    except PermissionError:
        return problem(f"{what} {shown} cannot be read: permission denied")
    except (OSError, ValueError):  # ValueError: a path with a NUL byte
        return problem(f"{what} {shown} cannot be read")
    if len(data) > MAX_PEM_BYTES:
        return problem(f"{what} {shown} is larger than {MAX_PEM_BYTES // (1024 * 1024)} MB; not read")
    if not data.strip():
        return problem(f"{what} {shown} is empty")
    return data
