"""What the three manifest readers share: JSON with one-line errors, typed fields, shard copies."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any

from residency.transfer.inventories.store import InventoryError, Store, md5_of, safe_key

Progress = Callable[[str], None]


def sibling(manifest_key: str, name: str) -> str:
    """The key of `name` in the manifest's folder."""
    parent = PurePosixPath(manifest_key).parent
    return name if str(parent) in ("", ".") else f"{parent}/{name}"


def parse_json(data: bytes, where: str) -> dict[str, Any]:
    try:
        value = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise InventoryError(f"{where}: not UTF-8 text; not an inventory manifest") from None
    except json.JSONDecodeError as error:
        raise InventoryError(f"{where}: invalid JSON at line {error.lineno} column {error.colno}: "
                             f"{error.msg}; the manifest is corrupt") from None
    if not isinstance(value, dict):
        raise InventoryError(f"{where}: holds no JSON object; not an inventory manifest")
    return value


def field(data: Mapping[str, Any], name: str, kind: type, where: str) -> Any:
    value = data.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise InventoryError(f"{where}: '{name}' is missing or not a {kind.__name__}; "
                             "the manifest is corrupt or not from a cloud inventory")
    return value


def check_md5_file(store: Store, manifest_key: str, checksum_key: str, data: bytes) -> None:
    """The manifest's own checksum file holds the MD5 of its bytes (S3 and Azure)."""
    import hashlib

    expected = store.read(checksum_key, limit=4096).decode("ascii", errors="replace").strip().lower()
    actual = hashlib.md5(data, usedforsecurity=False).hexdigest()
    if expected != actual:
        raise InventoryError(f"{store.describe(manifest_key)}: its MD5 is {actual} but "
                             f"{store.describe(checksum_key)} says {expected[:64]!r}; the manifest is "
                             "corrupt or was changed after it was written")


def fetch_shard(store: Store, key: str, target_dir: Path, index: int, where: str,
                size: int | None = None, md5_hex: str | None = None) -> Path:
    """Copy one listed file and check it against what the manifest says about it."""
    safe_key(key, where)
    suffix = "".join(PurePosixPath(key).suffixes[-2:]) or ".data"
    target = target_dir / f"shard-{index:06d}{suffix}"
    store.fetch(key, target)
    actual_size = target.stat().st_size
    if size is not None and actual_size != size:
        raise InventoryError(f"{store.describe(key)}: {actual_size} bytes, but the manifest says {size}; "
                             "the file is truncated or was replaced")
    if md5_hex is not None and md5_of(target) != md5_hex.lower():
        raise InventoryError(f"{store.describe(key)}: its MD5 differs from the manifest's MD5checksum; "
                             "the file is corrupt or was replaced")
    return target


def iso_from_millis(value: str, where: str) -> str:
    try:
        moment = dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise InventoryError(f"{where}: creationTimestamp {value[:40]!r} is not milliseconds since 1970; "
                             "the manifest is corrupt") from None
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def iso_time(value: str, where: str, name: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise InventoryError(f"{where}: {name} {value[:40]!r} is not an ISO 8601 time; the manifest is corrupt") \
            from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
