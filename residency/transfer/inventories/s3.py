"""S3 Inventory: manifest.json + manifest.checksum, data files in CSV (gzip), Parquet or ORC.

The manifest's `fileSchema` names the columns: for CSV, in file order ("Bucket, Key,
VersionId, IsLatest, ..."); for Parquet a message schema and for ORC a struct type, whose
fields are snake_case ("bucket", "key", "version_id", ...). Every file's MD5 is in the
manifest (`MD5checksum`) and the manifest's own MD5 in manifest.checksum; both are checked.
With `IncludedObjectVersions=All` the report has VersionId, IsLatest and IsDeleteMarker.
"""

from __future__ import annotations

import re
from pathlib import Path

from residency.transfer.inventories.common import (
    Progress,
    check_md5_file,
    fetch_shard,
    field,
    iso_from_millis,
    parse_json,
    sibling,
)
from residency.transfer.inventories.store import InventoryError, Store
from residency.transfer.model import Cloud, CsvLayout, FileFormat, Inventory

# CSV header names -> the snake_case names Parquet and ORC reports use; only what the classes read.
CSV_NAMES = {
    "Key": "key", "VersionId": "version_id", "IsLatest": "is_latest", "IsDeleteMarker": "is_delete_marker",
    "Size": "size", "LastModifiedDate": "last_modified_date", "ETag": "e_tag",
    "IsMultipartUploaded": "is_multipart_uploaded", "EncryptionStatus": "encryption_status",
}
USED = frozenset(CSV_NAMES.values())
FORMATS = {"CSV": FileFormat.CSV, "PARQUET": FileFormat.PARQUET, "ORC": FileFormat.ORC}
_PARQUET_FIELD = re.compile(r"(?:required|optional|repeated)\s+\w+\s+(\w+)")
_ORC_FIELD = re.compile(r"[<,]\s*(\w+)\s*:")


def is_manifest(data: dict[str, object]) -> bool:
    return "sourceBucket" in data and "fileSchema" in data


def schema_columns(file_format: FileFormat, schema: str, where: str) -> list[str]:
    if file_format is FileFormat.CSV:
        names = [name.strip() for name in schema.split(",")]
    elif file_format is FileFormat.PARQUET:
        names = _PARQUET_FIELD.findall(schema)
    else:
        names = _ORC_FIELD.findall(schema)
    if not names or any(not name for name in names):
        raise InventoryError(f"{where}: fileSchema {schema[:80]!r} names no columns; the manifest is corrupt")
    return names


def _canonical(name: str, file_format: FileFormat) -> str:
    if file_format is FileFormat.CSV:
        return CSV_NAMES.get(name, "")
    return name if name in USED else ""


def load(store: Store, manifest_key: str, workdir: Path, progress: Progress) -> Inventory:
    where = store.describe(manifest_key)
    raw = store.read(manifest_key)
    check_md5_file(store, manifest_key, sibling(manifest_key, "manifest.checksum"), raw)
    data = parse_json(raw, where)
    bucket = field(data, "sourceBucket", str, where)
    format_name = field(data, "fileFormat", str, where)
    file_format = FORMATS.get(format_name.upper())
    if file_format is None:
        raise InventoryError(f"{where}: fileFormat {format_name[:20]!r} is not CSV, Parquet or ORC")
    names = schema_columns(file_format, field(data, "fileSchema", str, where), where)
    columns = tuple((name, _canonical(name, file_format)) for name in names)
    canonical = {c for _, c in columns}
    if "key" not in canonical:
        raise InventoryError(f"{where}: fileSchema has no Key column; the manifest is corrupt")
    files = field(data, "files", list, where)
    if not files:
        raise InventoryError(f"{where}: lists no data files; an inventory always has at least one")
    shards = []
    for index, entry in enumerate(files):
        if not isinstance(entry, dict):
            raise InventoryError(f"{where}: files[{index}] is not an object; the manifest is corrupt")
        key = field(entry, "key", str, where)
        progress(f"{store.describe(key)}")
        shards.append(fetch_shard(store, key, workdir, index, where, size=entry.get("size")
                                  if isinstance(entry.get("size"), int) else None,
                                  md5_hex=field(entry, "MD5checksum", str, where)))
    versions = {"version_id", "is_latest", "is_delete_marker"} <= canonical
    return Inventory(
        cloud=Cloud.AWS, container=bucket, account="", location=where,
        taken_at=iso_from_millis(str(field(data, "creationTimestamp", str, where)), where),
        file_format=file_format, columns=columns, shards=tuple(shards), versions_listed=versions,
        versions_note="" if versions else "the S3 Inventory lists current versions only "
        "(IncludedObjectVersions=Current), so noncurrent versions and delete markers are not in it",
        csv=CsvLayout(header=False) if file_format is FileFormat.CSV else None,
    )
