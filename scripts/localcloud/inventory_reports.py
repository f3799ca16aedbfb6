"""Write inventory reports in the clouds' exact formats, for the local clouds, tests and benchmarks.

The local S3 (moto), GCS and Azure servers do not produce inventories. This module writes
what the clouds would: from a list of `Row`s (one per object version, delete marker,
snapshot or soft-deleted copy), or from a real listing of a seeded local bucket or
container (`rows_from_s3`, `rows_from_gcs`, `rows_from_azure`):

- S3 Inventory: `PREFIX/SOURCE/CONFIG/YYYY-MM-DDTHH-MMZ/manifest.json` and `manifest.checksum`,
  data files under `PREFIX/SOURCE/CONFIG/data/` as CSV (gzip, no header, keys form-encoded),
  Parquet (Snappy) or ORC (ZLIB), columns in the fileSchema order S3 uses.
- GCS Storage Insights: `PATH/CONFIG_SNAPSHOT_N.csv|parquet` shards and
  `PATH/CONFIG_SNAPSHOT_manifest.json`.
- Azure Blob Inventory: `YYYY/MM/DD/HH-MM-SS/RULE/RULE_N.csv|parquet`, `RULE-manifest.json` and
  `RULE-manifest.checksum`; `Name` starts with the container name.

A `Sink` receives each file: a local directory, or a bucket or container through its SDK.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import gzip
import hashlib
import io
import json
import urllib.parse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.orc as orc
import pyarrow.parquet as pq

Sink = Callable[[str, bytes], None]  # (key in the destination, bytes)

S3_FIELDS = ("Bucket", "Key", "VersionId", "IsLatest", "IsDeleteMarker", "Size", "LastModifiedDate", "ETag",
             "StorageClass", "IsMultipartUploaded", "EncryptionStatus")
S3_TYPES = {"IsLatest": pa.bool_(), "IsDeleteMarker": pa.bool_(), "Size": pa.int64(),
            "LastModifiedDate": pa.timestamp("ms", tz="UTC"), "IsMultipartUploaded": pa.bool_()}
GCS_FIELDS = ("project", "bucket", "name", "location", "size", "timeCreated", "timeDeleted", "updated",
              "storageClass", "etag", "crc32c", "md5Hash", "generation", "metageneration", "contentType")
AZURE_FIELDS = ("Name", "Creation-Time", "Last-Modified", "Etag", "Content-Length", "Content-Type",
                "Content-MD5", "BlobType", "AccessTier", "Snapshot", "VersionId", "IsCurrentVersion",
                "Deleted", "RemainingRetentionDays")


@dataclass(frozen=True)
class Row:
    """One object row of an inventory: a version, delete marker, snapshot or soft-deleted copy."""

    key: str
    size: int = 0
    md5: bytes = b""  # 16-byte digest of the content; empty for delete markers
    version: str | None = None
    current: bool = True
    delete_marker: bool = False
    soft_deleted: bool = False
    snapshot: str | None = None
    modified: dt.datetime = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    multipart_etag: str | None = None  # an S3 multipart ETag ("hex-N") instead of the MD5
    crc32c: str = "AAAAAA=="
    encryption: str = "SSE-S3"  # S3 EncryptionStatus: with SSE-KMS the ETag is no MD5
    container: str | None = None  # Azure: a row of another container of the account


def local_sink(root: Path) -> Sink:
    def put(key: str, data: bytes) -> None:
        path = root / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return put


def content(text: str | bytes) -> tuple[int, bytes]:
    data = text.encode() if isinstance(text, str) else text
    return len(data), hashlib.md5(data, usedforsecurity=False).digest()


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def _s3_values(bucket: str, row: Row) -> dict[str, object]:
    etag = row.multipart_etag or (row.md5.hex() if row.md5 else None)
    return {"Bucket": bucket, "Key": row.key, "VersionId": row.version, "IsLatest": row.current,
            "IsDeleteMarker": row.delete_marker, "Size": None if row.delete_marker else row.size,
            "LastModifiedDate": row.modified, "ETag": None if row.delete_marker else etag,
            "StorageClass": None if row.delete_marker else "STANDARD",
            "IsMultipartUploaded": None if row.delete_marker else row.multipart_etag is not None,
            "EncryptionStatus": None if row.delete_marker else row.encryption}


def _s3_csv(fields: Sequence[str], values: list[dict[str, object]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    for value in values:
        cells = []
        for name in fields:
            cell = value[name]
            if name == "Key":
                cell = urllib.parse.quote_plus(str(cell), safe="/")
            elif isinstance(cell, bool):
                cell = str(cell).lower()
            elif isinstance(cell, dt.datetime):
                cell = _iso(cell)
            cells.append("" if cell is None else str(cell))
        writer.writerow(cells)
    return gzip.compress(out.getvalue().encode(), mtime=0)


def _snake(name: str) -> str:
    return {"ETag": "e_tag"}.get(name) or "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


def _s3_table(fields: Sequence[str], values: list[dict[str, object]]) -> pa.Table:
    columns = {_snake(f): pa.array([v[f] for v in values], type=S3_TYPES.get(f, pa.string())) for f in fields}
    return pa.table(columns)


def _file_schema(file_format: str, fields: Sequence[str]) -> str:
    if file_format == "CSV":
        return ", ".join(fields)
    kinds = {pa.bool_(): ("boolean", "boolean"), pa.int64(): ("int64", "bigint"),
             pa.timestamp("ms", tz="UTC"): ("int64", "timestamp")}
    if file_format == "Parquet":
        parts = []
        for f in fields:
            physical = kinds.get(S3_TYPES.get(f, pa.string()), ("binary",))[0]
            note = " (UTF8)" if physical == "binary" else " (TIMESTAMP_MILLIS)" if f == "LastModifiedDate" else ""
            parts.append(f"{'required' if f in ('Bucket', 'Key') else 'optional'} {physical} {_snake(f)}{note};")
        return "message s3.inventory { " + " ".join(parts) + "}"
    return "struct<" + ",".join(f"{_snake(f)}:{kinds.get(S3_TYPES.get(f, pa.string()), ('', 'string'))[1]}"
                                 for f in fields) + ">"


def _columnar(table: pa.Table, file_format: str) -> bytes:
    out = io.BytesIO()
    if file_format == "Parquet":
        pq.write_table(table, out, compression="snappy")
    else:
        orc.write_table(table, out, compression="zlib")
    return out.getvalue()


def write_s3(sink: Sink, rows: Sequence[Row], bucket: str, *, file_format: str = "CSV", versions: bool = True,
             prefix: str = "inventory", config: str = "all-versions", destination: str = "inventory-reports",
             when: dt.datetime = dt.datetime(2026, 1, 6, 1, 0, tzinfo=dt.UTC), rows_per_file: int = 1000) -> str:
    """Write one S3 Inventory report; returns the manifest's key."""
    fields = S3_FIELDS if versions else tuple(f for f in S3_FIELDS if f not in ("VersionId", "IsLatest",
                                                                                 "IsDeleteMarker"))
    kept = [r for r in rows if versions or (r.current and not r.delete_marker)]
    base = f"{prefix}/{bucket}/{config}"
    extension = {"CSV": "csv.gz", "Parquet": "parquet", "ORC": "orc"}[file_format]
    files = []
    for start in range(0, max(len(kept), 1), rows_per_file):
        values = [_s3_values(bucket, r) for r in kept[start:start + rows_per_file]]
        data = _s3_csv(fields, values) if file_format == "CSV" else _columnar(_s3_table(fields, values), file_format)
        digest = hashlib.md5(f"{base}{start}{when}".encode(), usedforsecurity=False).hexdigest()
        key = f"{base}/data/{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:32]}.{extension}"
        sink(key, data)
        checksum = hashlib.md5(data, usedforsecurity=False).hexdigest()
        files.append({"key": key, "size": len(data), "MD5checksum": checksum})
    manifest = {"sourceBucket": bucket, "destinationBucket": f"arn:aws:s3:::{destination}", "version": "2016-11-30",
                "creationTimestamp": str(int(when.timestamp() * 1000)), "fileFormat": file_format,
                "fileSchema": _file_schema(file_format, fields), "files": files}
    folder = f"{base}/{when.strftime('%Y-%m-%dT%H-%MZ')}"
    body = json.dumps(manifest, indent=2).encode()
    sink(f"{folder}/manifest.json", body)
    sink(f"{folder}/manifest.checksum", hashlib.md5(body, usedforsecurity=False).hexdigest().encode())
    return f"{folder}/manifest.json"


def _b64(data: bytes) -> str | None:
    return base64.b64encode(data).decode() if data else None


def _gcs_values(bucket: str, row: Row) -> dict[str, object]:
    return {"project": "clipwave-data", "bucket": bucket, "name": row.key, "location": "US-EAST1",
            "size": str(row.size), "timeCreated": _iso(row.modified), "timeDeleted": None,
            "updated": _iso(row.modified),
            "storageClass": "STANDARD", "etag": "CAE=", "crc32c": row.crc32c, "md5Hash": _b64(row.md5),
            "generation": row.version or "1", "metageneration": "1", "contentType": "application/octet-stream"}


def report_options(bucket: str, destination: str, path: str) -> dict[str, object]:
    """A ReportConfig's objectMetadataReportOptions: every default field, source and destination."""
    return {"metadataFields": list(GCS_FIELDS), "storageFilters": {"bucket": bucket},
            "storageDestinationOptions": {"bucket": destination, "destinationPath": path}}


def write_gcs(sink: Sink, rows: Sequence[Row], bucket: str, *, file_format: str = "CSV", header: bool = True,
              path: str = "inventory_reports", config_id: str = "9b2f6c1e-4d7a-4c55-9a40-3f1e2d7c8b90",
              destination: str = "inventory",
              when: dt.datetime = dt.datetime(2026, 1, 6, 2, 0, tzinfo=dt.UTC), rows_per_file: int = 1000) -> str:
    """Write one Storage Insights inventory report (live objects only); returns the manifest's key."""
    live = [r for r in rows if r.current and not r.delete_marker]
    stamp = when.strftime("%Y-%m-%dT%H:%M:%S")
    shards = []
    for number, start in enumerate(range(0, max(len(live), 1), rows_per_file)):
        values = [_gcs_values(bucket, r) for r in live[start:start + rows_per_file]]
        name = f"{config_id}_{stamp}_{number}.{'csv' if file_format == 'CSV' else 'parquet'}"
        if file_format == "CSV":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            if header:
                writer.writerow(GCS_FIELDS)
            writer.writerows([["" if v[f] is None else v[f] for f in GCS_FIELDS] for v in values])
            data = out.getvalue().encode()
        else:
            data = _columnar(pa.table({f: pa.array([v[f] for v in values], type=pa.string()) for f in GCS_FIELDS}),
                             "Parquet")
        sink(f"{path}/{name}", data)
        shards.append(name)
    options = {"csvOptions": {"recordSeparator": "\n", "delimiter": ",", "headerRequired": header}} \
        if file_format == "CSV" else {"parquetOptions": {}}
    config = {"name": f"projects/clipwave-data/locations/us-east1/reportConfigs/{config_id}",
              "frequencyOptions": {"frequency": "DAILY"}, **options,
              "objectMetadataReportOptions": report_options(bucket, destination, path)}
    manifest = {"report_config": config, "records_processed": len(live), "snapshot_time": _iso(when),
                "shard_count": len(shards), "report_shards_file_names": shards}
    key = f"{path}/{config_id}_{stamp}_manifest.json"
    sink(key, json.dumps(manifest, indent=2).encode())
    return key


def _azure_values(container: str, row: Row) -> dict[str, object]:
    return {"Name": f"{row.container or container}/{row.key}", "Creation-Time": _iso(row.modified),
            "Last-Modified": _iso(row.modified),
            "Etag": "0x8DC0000000000", "Content-Length": str(row.size), "Content-Type": "application/octet-stream",
            "Content-MD5": _b64(row.md5), "BlobType": "BlockBlob", "AccessTier": "Hot", "Snapshot": row.snapshot,
            "VersionId": row.version, "IsCurrentVersion": None if row.snapshot else str(row.current and
                                                                                          not row.soft_deleted).lower(),
            "Deleted": str(row.soft_deleted).lower(), "RemainingRetentionDays": "7" if row.soft_deleted else None}


def write_azure(sink: Sink, rows: Sequence[Row], account: str, container: str, *, file_format: str = "CSV",
                versions: bool = True, rule: str = "alldata", destination: str = "inventory",
                when: dt.datetime = dt.datetime(2026, 1, 6, 3, 0, tzinfo=dt.UTC), rows_per_file: int = 1000) -> str:
    """Write one Azure Blob Inventory rule run; returns the manifest's blob name."""
    fields = AZURE_FIELDS if versions else tuple(f for f in AZURE_FIELDS if f not in (
        "Snapshot", "VersionId", "IsCurrentVersion", "Deleted", "RemainingRetentionDays"))
    kept = [r for r in rows if versions or (r.current and not r.soft_deleted and r.snapshot is None)]
    folder = f"{when.strftime('%Y/%m/%d/%H-%M-%S')}/{rule}"
    files = []
    for number, start in enumerate(range(0, max(len(kept), 1), rows_per_file)):
        values = [_azure_values(container, r) for r in kept[start:start + rows_per_file]]
        blob = f"{folder}/{rule}_{number}.{'csv' if file_format == 'CSV' else 'parquet'}"
        if file_format == "CSV":
            out = io.StringIO()
            writer = csv.writer(out, lineterminator="\n")
            writer.writerow(fields)
            writer.writerows([["" if v[f] is None else v[f] for f in fields] for v in values])
            data = out.getvalue().encode()
        else:
            data = _columnar(pa.table({f: pa.array([v[f] for v in values], type=pa.string()) for f in fields}),
                             "Parquet")
        sink(blob, data)
        files.append({"blob": blob, "size": len(data)})
    filters = {"blobTypes": ["blockBlob"], "prefixMatch": [f"{container}/"], "includeBlobVersions": versions,
               "includeSnapshots": versions, "includeDeleted": versions}
    manifest = {"destinationContainer": destination, "endpoint": f"https://{account}.blob.core.windows.net",
                "files": files, "inventoryCompletionTime": _iso(when + dt.timedelta(minutes=10)),
                "inventoryStartTime": _iso(when),
                "ruleDefinition": {"filters": filters, "format": file_format.lower(), "objectType": "blob",
                                   "schedule": "daily", "schemaFields": list(fields)},
                "ruleName": rule, "status": "Succeeded",
                "summary": {"objectCount": len(kept), "totalObjectSize": sum(r.size for r in kept)}, "version": "1.0"}
    body = json.dumps(manifest, indent=2).encode()
    sink(f"{folder}/{rule}-manifest.json", body)
    sink(f"{folder}/{rule}-manifest.checksum", hashlib.md5(body, usedforsecurity=False).hexdigest().encode())
    return f"{folder}/{rule}-manifest.json"
