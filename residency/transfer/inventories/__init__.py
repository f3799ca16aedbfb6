"""Reading the clouds' inventory reports: one module per cloud, a store per place, shape checks.

`open_inventory(where, workdir)` recognises the manifest (S3, GCS or Azure), checks its
checksums, copies every shard into `workdir` and checks each shard's columns.
"""

from __future__ import annotations

from pathlib import Path

from residency.transfer.inventories import azure, gcs, s3
from residency.transfer.inventories.common import Progress, parse_json
from residency.transfer.inventories.shapes import check_shards
from residency.transfer.inventories.store import InventoryError, LocalStore, Store
from residency.transfer.locate import Where
from residency.transfer.model import Inventory


def _quiet(_: str) -> None:
    return None


def load_manifest(store: Store, key: str, workdir: Path, source_container: str | None = None,
                  progress: Progress = _quiet) -> Inventory:
    """Recognise the manifest at `key` by its fields and read the report it describes."""
    data = parse_json(store.read(key), store.describe(key))
    workdir.mkdir(parents=True, exist_ok=True)
    if s3.is_manifest(data):
        inventory = s3.load(store, key, workdir, progress)
    elif gcs.is_manifest(data):
        inventory = gcs.load(store, key, workdir, progress, source_container)
    elif azure.is_manifest(data):
        inventory = azure.load(store, key, workdir, progress, source_container)
    else:
        raise InventoryError(f"{store.describe(key)}: not an S3 Inventory, GCS inventory report or Azure Blob "
                             "Inventory manifest")
    check_shards(inventory)
    return inventory


def open_inventory(where: Where, workdir: Path, progress: Progress = _quiet) -> Inventory:
    if where.kind == "file":
        path = Path(where.key)
        return load_manifest(LocalStore(path), path.name, workdir, where.source_container, progress)
    from residency.transfer.inventories import clouds

    store, key = clouds.locate(where)
    return load_manifest(store, key, workdir, where.source_container, progress)
