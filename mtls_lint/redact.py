"""The last guard before output: no private key and no runaway input text in a message.

Readers never keep key bytes, but a finding may quote an input value (a truststore URI, a
status, a parameter name) and a user may paste a key anywhere. Every message passes here.
"""
from __future__ import annotations

import re

# A PEM private key block, or its start when the END line is missing.
_PEM_KEY = re.compile(r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----.*?(?:-----END[A-Z0-9 ]*PRIVATE KEY-----|\Z)", re.S)
# Long runs of base64 with mixed case are key (or certificate) material, never a name or an ARN.
_BASE64_RUN = re.compile(r"[A-Za-z0-9+/=]{60,}")
MAX_QUOTED = 2_000


def redact(text: str) -> str:
    text = _PEM_KEY.sub("<private key redacted>", text)
    text = _BASE64_RUN.sub(_redact_base64, text)
    if len(text) > MAX_QUOTED:
        text = text[:MAX_QUOTED] + f"... ({len(text) - MAX_QUOTED} more characters)"
    return text


def _redact_base64(match: re.Match[str]) -> str:
    run = match.group()
    mixed = any(c.islower() for c in run) and any(c.isupper() for c in run)
    return "<redacted>" if mixed else run
