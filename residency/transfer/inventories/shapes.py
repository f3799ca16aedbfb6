"""Before any engine reads a shard: does each file have the columns its manifest promises?

Cheap checks on every shard (a Parquet or ORC footer, a CSV file's first record), so a
shard from another report or a truncated file is one clear line, not an engine traceback.
Also converts ORC to Parquet for DuckDB, which has no ORC reader of its own (pyarrow's ORC
reader streams stripe by stripe, so memory stays bounded).
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

import pyarrow as pa
import pyarrow.orc as orc
import pyarrow.parquet as pq

from residency.transfer.inventories.store import InventoryError
from residency.transfer.model import FileFormat, Inventory

csv.field_size_limit(1 << 24)  # object names up to 1 KiB are the rule; metadata cells can be long


def _first_record(path: Path, delimiter: str) -> list[str]:
    opener = gzip.open if path.name.endswith(".gz") else open
    try:
        with opener(path, "rb") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
            return next(csv.reader(text, delimiter=delimiter), [])
    except (OSError, EOFError, UnicodeDecodeError, csv.Error) as error:
        raise InventoryError(f"{path.name}: not a readable CSV{' (gzip)' if opener is gzip.open else ''} "
                             f"file ({error}); the shard is corrupt") from None


def _footer_columns(path: Path, file_format: FileFormat) -> list[str]:
    try:
        schema = pq.read_schema(path) if file_format is FileFormat.PARQUET else orc.ORCFile(str(path)).schema
    except (OSError, pa.ArrowException) as error:
        raise InventoryError(f"{path.name}: not a readable {file_format.value} file ({error}); "
                             "the shard is corrupt") from None
    return list(schema.names)


def check_shards(inv: Inventory) -> None:
    expected = [name for name, _ in inv.columns]
    wanted = {name for name, canonical in inv.columns if canonical}
    for index, path in enumerate(inv.shards):
        where = f"{inv.location}: shard {index + 1} of {len(inv.shards)}"
        if inv.file_format is FileFormat.CSV:
            layout = inv.csv
            assert layout is not None
            record = _first_record(path, layout.delimiter)
            if layout.header and record != expected:
                raise InventoryError(f"{where}: its header {record[:6]} differs from the manifest's columns "
                                     f"{expected[:6]}; the shard belongs to another report")
            if record and len(record) != len(expected):
                raise InventoryError(f"{where}: {len(record)} columns, the manifest lists {len(expected)}; "
                                     "the shard is corrupt")
        else:
            missing = wanted - set(_footer_columns(path, inv.file_format))
            if missing:
                raise InventoryError(f"{where}: lacks column(s) {', '.join(sorted(missing))} that the manifest "
                                     "lists; the shard belongs to another report")


def orc_as_parquet(path: Path) -> Path:
    """A Parquet copy of an ORC shard, written next to it, stripe by stripe."""
    target = path.with_name(path.name + ".parquet")
    if target.exists():
        return target
    try:
        reader = orc.ORCFile(str(path))
        with pq.ParquetWriter(target, reader.schema) as writer:
            for stripe in range(reader.nstripes):
                writer.write_batch(reader.read_stripe(stripe))
    except (OSError, pa.ArrowException) as error:
        target.unlink(missing_ok=True)
        raise InventoryError(f"{path.name}: not a readable ORC file ({error}); the shard is corrupt") from None
    return target
