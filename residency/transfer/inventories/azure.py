"""Azure Blob Inventory: one rule's `<rule>-manifest.json`, its checksum file, CSV or Parquet files.

The manifest lists the files (`files[].blob`, `size`), the rule (`ruleDefinition`: filters,
format, `schemaFields`), `status` and `summary.objectCount`; `<rule>-manifest.checksum` holds
the MD5 of the manifest. A rule covers a whole account (or the containers its `prefixMatch`
names), and every `Name` starts with the container name, which is not part of the key.
CSV files always start with a header row.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from residency.transfer.inventories.common import (
    Progress,
    check_md5_file,
    fetch_shard,
    field,
    iso_time,
    parse_json,
    sibling,
)
from residency.transfer.inventories.store import InventoryError, Store
from residency.transfer.model import Cloud, CsvLayout, FileFormat, Inventory

NAMES = {
    "Name": "name", "Content-Length": "content_length", "Content-MD5": "content_md5",
    "Content-CRC64": "content_crc64", "VersionId": "version_id", "IsCurrentVersion": "is_current_version",
    "Deleted": "deleted", "Snapshot": "snapshot", "Last-Modified": "last_modified",
}
CONTAINER = re.compile(r"^(\$root|\$web|[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62})$")
# What a rule must include for its report to show every copy a deletion can leave behind.
RESIDUE = (("includeBlobVersions", "VersionId"), ("includeSnapshots", "Snapshot"), ("includeDeleted", "Deleted"))


def is_manifest(data: dict[str, object]) -> bool:
    return "ruleDefinition" in data and "files" in data


def _account(endpoint: str, where: str) -> str:
    host = endpoint.split("://", 1)[-1].split("/", 1)[0]
    path = endpoint.split("://", 1)[-1].split("/", 2)
    account = host.split(".", 1)[0] if ".blob." in host else (path[1] if len(path) > 1 else "")
    if not account:
        raise InventoryError(f"{where}: endpoint {endpoint[:80]!r} names no storage account")
    return account


def _container(filters: dict[str, Any], hint: str | None, where: str) -> str:
    if hint:
        return hint
    prefixes = filters.get("prefixMatch") or []
    containers = {str(p).split("/", 1)[0] for p in prefixes if isinstance(p, str) and p}
    if len(containers) == 1 and CONTAINER.match(next(iter(containers))):
        return containers.pop()
    raise InventoryError(f"{where}: the rule covers {'several containers' if containers else 'the whole account'}; "
                         "name the container: append #CONTAINER to the manifest, or give azure://ACCOUNT/CONTAINER")


def _versions_note(filters: dict[str, Any], fields: list[str]) -> str:
    missing = [flag for flag, column in RESIDUE if filters.get(flag) is not True or column not in fields]
    if not missing:
        return ""
    return (f"the inventory rule does not set {', '.join(missing)} (with the matching schema fields), so "
            "versions, snapshots or soft-deleted blobs are not in it")


def load(store: Store, manifest_key: str, workdir: Path, progress: Progress, container: str | None) -> Inventory:
    where = store.describe(manifest_key)
    raw = store.read(manifest_key)
    rule = manifest_key.rsplit("/", 1)[-1].removesuffix("-manifest.json")
    check_md5_file(store, manifest_key, sibling(manifest_key, f"{rule}-manifest.checksum"), raw)
    data = parse_json(raw, where)
    status = data.get("status")
    if status != "Succeeded":
        raise InventoryError(f"{where}: status is {str(status)[:40]!r}, not 'Succeeded'; a partial inventory "
                             "proves nothing, use the newest run that succeeded")
    definition = field(data, "ruleDefinition", dict, where)
    filters = definition.get("filters") if isinstance(definition.get("filters"), dict) else {}
    fields = field(definition, "schemaFields", list, where)
    if "Name" not in fields or not all(isinstance(f, str) for f in fields):
        raise InventoryError(f"{where}: schemaFields lacks 'Name'; the manifest is corrupt")
    file_format = {"csv": FileFormat.CSV, "parquet": FileFormat.PARQUET}.get(str(definition.get("format")).lower())
    if file_format is None or str(definition.get("objectType", "blob")).lower() != "blob":
        raise InventoryError(f"{where}: not a blob inventory in CSV or Parquet format")
    chosen = _container(filters, container, where)
    if not CONTAINER.match(chosen):
        raise InventoryError(f"{where}: {chosen[:70]!r} is not an Azure container name")
    shards = []
    for index, entry in enumerate(field(data, "files", list, where)):
        if not isinstance(entry, dict):
            raise InventoryError(f"{where}: files[{index}] is not an object; the manifest is corrupt")
        key = field(entry, "blob", str, where)
        progress(store.describe(key))
        size = entry.get("size")
        shards.append(fetch_shard(store, key, workdir, index, where, size=size if isinstance(size, int) else None))
    if not shards:
        raise InventoryError(f"{where}: lists no inventory files")
    summary = data.get("summary") if isinstance(data.get("summary"), dict) else {}
    count = summary.get("objectCount") if isinstance(summary, dict) else None
    note = _versions_note(filters, fields)
    return Inventory(
        cloud=Cloud.AZURE, container=chosen, account=_account(field(data, "endpoint", str, where), where),
        location=where, taken_at=iso_time(field(data, "inventoryStartTime", str, where), where,
                                          "inventoryStartTime"),
        file_format=file_format, columns=tuple((name, NAMES.get(name, "")) for name in fields),
        shards=tuple(shards), versions_listed=not note, versions_note=note,
        csv=CsvLayout(header=True, multiline=True) if file_format is FileFormat.CSV else None,
        expected_rows=count if isinstance(count, int) and not isinstance(count, bool) else None,
    )
