"""Amazon Resource Names: the account and region a certificate lives in, read from its ARN."""
from __future__ import annotations

from typing import NamedTuple


class Arn(NamedTuple):
    partition: str
    service: str
    region: str | None
    account: str | None
    resource: str


def parse_arn(value: object) -> Arn | None:
    """``arn:aws:acm:us-east-1:111122223333:certificate/...`` -> its parts; None for anything else."""
    if not isinstance(value, str) or not value.startswith("arn:"):
        return None
    parts = value.split(":", 5)
    if len(parts) < 6:
        return None
    _, partition, service, region, account, resource = parts
    return Arn(partition, service, region or None, account or None, resource)
