"""GCS Storage Insights inventory reports: CSV or Parquet shards and their manifest.

The manifest (`<config id>_<snapshot time>_manifest.json`) holds the report configuration
(`report_config`: metadata fields in column order, CSV options or Parquet options, the source
bucket), `snapshot_time`, `shard_count`, `records_processed` and the shard file names, which
sit beside it. It carries no checksums: the shards are checked by count and by total rows.
Inventory reports list live objects only, so they can never show what versioning or soft
delete kept.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from residency.transfer.inventories.common import Progress, fetch_shard, field, iso_time, parse_json, sibling
from residency.transfer.inventories.store import InventoryError, Store
from residency.transfer.model import Cloud, CsvLayout, FileFormat, Inventory

NAMES = {
    "name": "name", "size": "size", "md5Hash": "md5_hash", "crc32c": "crc32c", "generation": "generation",
    "timeDeleted": "time_deleted", "updated": "updated",
}
VERSIONS_NOTE = ("GCS inventory reports list live objects only, so noncurrent versions and soft-deleted "
                 "objects cannot be seen in them")


def is_manifest(data: dict[str, object]) -> bool:
    return "report_shards_file_names" in data


def _options(config: dict[str, Any], where: str) -> tuple[list[str], str | None, CsvLayout | None]:
    """(metadata fields, source bucket, CSV layout or None for Parquet)."""
    report = config.get("objectMetadataReportOptions")
    if not isinstance(report, dict):
        raise InventoryError(f"{where}: report_config has no objectMetadataReportOptions; the manifest is corrupt")
    fields = report.get("metadataFields")
    if not isinstance(fields, list) or not all(isinstance(f, str) and f for f in fields) or "name" not in fields:
        raise InventoryError(f"{where}: report_config metadataFields is missing or lacks 'name'; "
                             "the manifest is corrupt")
    filters = report.get("storageFilters")
    bucket = filters.get("bucket") if isinstance(filters, dict) else None
    if "parquetOptions" in config:
        return fields, bucket if isinstance(bucket, str) else None, None
    csv = config.get("csvOptions") if isinstance(config.get("csvOptions"), dict) else {}
    delimiter = csv.get("delimiter", ",") if isinstance(csv, dict) else ","
    if not isinstance(delimiter, str) or len(delimiter) != 1:
        raise InventoryError(f"{where}: csvOptions delimiter {delimiter!r} is not one character")
    header = bool(csv.get("headerRequired", False)) if isinstance(csv, dict) else False
    return fields, bucket if isinstance(bucket, str) else None, CsvLayout(header, delimiter, multiline=True)


def load(store: Store, manifest_key: str, workdir: Path, progress: Progress, bucket_hint: str | None) -> Inventory:
    where = store.describe(manifest_key)
    data = parse_json(store.read(manifest_key), where)
    config = field(data, "report_config", dict, where)
    fields, bucket, csv = _options(config, where)
    bucket = bucket or bucket_hint
    if not bucket:
        raise InventoryError(f"{where}: report_config names no source bucket (storageFilters.bucket); "
                             "give the source as gs://BUCKET instead")
    names = field(data, "report_shards_file_names", list, where)
    count = field(data, "shard_count", int, where)
    if len(names) != count or not names:
        raise InventoryError(f"{where}: shard_count is {count} but {len(names)} shard(s) are listed; "
                             "the report is incomplete")
    shards = []
    for index, name in enumerate(names):
        if not isinstance(name, str):
            raise InventoryError(f"{where}: report_shards_file_names[{index}] is not a string")
        key = name if "/" in name else sibling(manifest_key, name)
        progress(store.describe(key))
        shards.append(fetch_shard(store, key, workdir, index, where))
    return Inventory(
        cloud=Cloud.GCP, container=bucket, account="", location=where,
        taken_at=iso_time(field(data, "snapshot_time", str, where), where, "snapshot_time"),
        file_format=FileFormat.CSV if csv else FileFormat.PARQUET,
        columns=tuple((name, NAMES.get(name, "")) for name in fields), shards=tuple(shards),
        versions_listed=False, versions_note=VERSIONS_NOTE, csv=csv,
        expected_rows=field(data, "records_processed", int, where),
    )
