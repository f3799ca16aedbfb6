"""`--details FILE`: every key that did not move, with its class, for remediation.

Parquet (the default, keys verbatim) or CSV when FILE ends in .csv. In the CSV a key that
a spreadsheet would run as a formula gets a leading quote, as in the CSV report (keys come
from the clouds, not from us); use Parquet for scripts that need every key byte for byte.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

SCHEMA = pa.schema([("source_key", pa.string()), ("destination_key", pa.string()), ("class", pa.string()),
                    ("bytes", pa.int64())])
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _defused(column: pa.ChunkedArray | pa.Array) -> pa.Array | pa.ChunkedArray:
    risky = None
    for start in _FORMULA_START:
        hit = pc.starts_with(column, start)
        risky = hit if risky is None else pc.or_(risky, hit)
    return pc.if_else(risky, pc.binary_join_element_wise("'", column, ""), column)


def _conform(batch: pa.RecordBatch) -> pa.RecordBatch:
    arrays = [batch.column(name).cast(SCHEMA.field(name).type) for name in SCHEMA.names]
    return pa.RecordBatch.from_arrays(arrays, schema=SCHEMA)


def write_details(batches: Iterable[pa.RecordBatch], path: Path) -> int:
    """Write every batch to `path` (complete files only: a temporary name, then rename)."""
    as_csv = path.suffix.lower() == ".csv"
    partial = path.with_name(f".{path.name}.partial")
    rows = 0
    try:
        if as_csv:
            with pacsv.CSVWriter(partial, SCHEMA) as writer:
                for batch in batches:
                    batch = _conform(batch)
                    keys = [_defused(batch.column(i)) if i < 2 else batch.column(i) for i in range(4)]
                    writer.write_batch(pa.RecordBatch.from_arrays(keys, schema=SCHEMA))
                    rows += batch.num_rows
        else:
            with pq.ParquetWriter(partial, SCHEMA) as writer:
                for batch in batches:
                    writer.write_batch(_conform(batch))
                    rows += batch.num_rows
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return rows
