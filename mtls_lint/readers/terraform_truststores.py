"""Truststores in Terraform: a domain's ``mutual_tls_authentication`` block, its URI, bucket and content.

The bucket and key come from the URI only when it has the ``s3://<bucket>/<key>`` shape, so that an
invalid URI (an ``https://`` object URL that mentions a declared bucket) is left for MTLS306 to judge.
The content is the PEM of the ``aws_s3_object`` uploaded to that bucket and key, when it is declared.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from mtls_lint.model import Location, PemBundle, ResourceRef, Truststore, Unknown
from mtls_lint.readers.s3uri import parse_s3_uri
from mtls_lint.readers.terraform_certificates import PemReader
from mtls_lint.readers.terraform_values import (
    KNOWN_AFTER_APPLY,
    Partial,
    TfResource,
    as_optional_text,
    as_text,
    as_unknown,
)

if TYPE_CHECKING:
    from mtls_lint.readers.terraform_resources import ResourceIndex


def truststore(resource: TfResource, index: ResourceIndex, pem: PemReader) -> Truststore | None:
    block = resource.get("mutual_tls_authentication")
    # An unknown number of blocks (a dynamic block over an unknown list) cannot be told from none:
    # the model has no "maybe mTLS", so the domain is read as not asking for mTLS.
    if not isinstance(block, list) or not block or not isinstance(block[0], dict):
        return None
    path = "mutual_tls_authentication.0.truststore_uri"
    uri, bucket, key = _truststore_uri(resource.get(path), resource.where(path))
    if isinstance(bucket, (str, Unknown)) and isinstance(uri, (str, Partial)):  # s3://<bucket>/<key> shape only
        bucket_ref = bucket_reference(resource, path, index, literal=bucket if isinstance(bucket, str) else None)
        bucket = bucket_ref if bucket_ref is not None else bucket
    version_path = "mutual_tls_authentication.0.truststore_version"
    return Truststore(
        location=resource.where("mutual_tls_authentication.0"),
        uri=as_text(uri, resource.where(path)) if uri is not None else "",
        bucket=bucket,
        key=key,
        version=as_optional_text(resource.get(version_path), resource.where(version_path)),
        content=_truststore_content(resource.source, bucket, key, index, pem),
    )


def _truststore_uri(raw: Any, where: Location) -> tuple[Any, Any, Any]:
    """``(uri, bucket, key)`` of a truststore URI as far as it is known.

    The bucket and key come only from the ``s3://<bucket>/<key>`` shape. A URI that is partly
    unknown but certainly not of that shape (its known start is not ``s3://``) is shown as text
    with ``${...}`` for the unknown parts, and has no bucket, so MTLS306 can judge it; a URI that
    may still turn out well formed stays Unknown.
    """
    if raw is None or isinstance(raw, str):
        parsed = parse_s3_uri(raw) if raw else None
        return (raw, *parsed) if parsed is not None else (raw, None, None)
    if not isinstance(raw, Partial):
        unknown = as_unknown(raw, where)
        return unknown, unknown, unknown
    head = raw.parts[0] if isinstance(raw.parts[0], str) else ""
    shown = "".join(p if isinstance(p, str) else "${...}" for p in raw.parts)
    if not head.startswith("s3://") and not "s3://".startswith(head):
        return shown, None, None
    bucket_name, slash, _ = head[len("s3://"):].partition("/")
    if slash:  # s3://bucket/key-with-${unknown}-parts: the bucket is known, and may be wrong already
        if parse_s3_uri(f"s3://{bucket_name}/key") is None:
            return shown, None, None
        return raw, bucket_name, Unknown(f"the truststore key is {KNOWN_AFTER_APPLY}", where)
    bucket = Unknown(f"the truststore bucket is {KNOWN_AFTER_APPLY}", where)
    key = _partial_key(raw) if head == "s3://" else None
    return raw, bucket, key if key is not None else Unknown(f"the truststore key is {KNOWN_AFTER_APPLY}", where)


def _truststore_content(source: str, bucket: Any, key: Any, index: ResourceIndex,
                        pem: PemReader) -> PemBundle | None:
    """The PEM of the ``aws_s3_object`` uploaded to the truststore's bucket and key, when declared."""
    if not isinstance(key, str) or not isinstance(bucket, (str, ResourceRef)):
        return None
    wanted = bucket if isinstance(bucket, str) else _bucket_name(bucket, index)
    for obj in index.by_type.get("aws_s3_object", ()):
        if obj.source != source or obj.get("key") != key:
            continue
        literal = obj.get("bucket")
        literal = literal if isinstance(literal, str) else None  # a list or a map names no bucket
        ref = bucket_reference(obj, "bucket", index, literal=literal)
        names = {literal, _bucket_name(ref, index)} - {None}
        if (isinstance(bucket, ResourceRef) and ref is not None and ref.name == bucket.name) or wanted in names:
            return pem.object_content(obj)
    return None


def _bucket_name(ref: ResourceRef | None, index: ResourceIndex) -> str | None:
    target = index.target(ref) if ref is not None else None
    name = target.get("bucket") if target is not None else None
    return name if isinstance(name, str) else None


def _partial_key(value: Partial) -> str | None:
    """``"s3://${bucket}/key.pem"``: the key is the literal text after the unknown bucket."""
    parts = value.parts
    if len(parts) == 3 and parts[0] == "s3://" and isinstance(parts[2], str) and parts[2].startswith("/"):
        return parts[2][1:] or None
    return None


def bucket_reference(resource: TfResource, path: str, index: ResourceIndex, *,
                     literal: str | None) -> ResourceRef | None:
    """The ``aws_s3_bucket`` an attribute names, directly or through an ``aws_s3_object``'s bucket."""
    ref = index.follow(resource, path, frozenset({"aws_s3_bucket"}), resource.get(path))
    if ref is None:
        via = index.follow(resource, path, frozenset({"aws_s3_object"}))
        target = index.target(via) if via is not None and via.attribute in ("bucket", None) else None
        if target is not None:
            ref = index.follow(target, "bucket", frozenset({"aws_s3_bucket"}), target.get("bucket"))
    if ref is None:
        return None
    bucket = index.target(ref)
    name = bucket.get("bucket") if bucket is not None else None
    if literal is not None and isinstance(name, str) and name != literal:
        return None  # the URI names another bucket than the one referred to: trust the text
    return ResourceRef(ref.source, ref.name)
