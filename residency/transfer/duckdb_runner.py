"""The embedded engine: DuckDB in this process, out of core within a memory limit.

It reads the shards the tool already fetched through the SDKs (local files only): no
extension is installed or loaded at run time, and external access is limited to the files
it is handed. Joins, windows and aggregates spill to `temp_directory` beyond the limit.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from residency.transfer.inventories.shapes import orc_as_parquet
from residency.transfer.inventories.store import InventoryError
from residency.transfer.model import FileFormat, Inventory
from residency.transfer.plan import Statement

_PARAM = re.compile(r":([a-z]+\d+)\b")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _paths(paths: list[Path]) -> str:
    return "[" + ", ".join(_literal(str(p)) for p in paths) + "]"


class DuckDBRunner:
    engine = "duckdb"

    def __init__(self, memory_limit: str, temp_dir: Path, threads: int | None = None) -> None:
        config: dict[str, Any] = {
            "memory_limit": memory_limit,
            "temp_directory": str(temp_dir),
            "preserve_insertion_order": False,  # lets joins and aggregates stream and spill
            "autoinstall_known_extensions": False,
            "autoload_known_extensions": False,
        }
        if threads:
            config["threads"] = threads
        self.connection = duckdb.connect(":memory:", config=config)
        # The shared SQL uses Spark's names: DuckDB's are from_base64, regexp_matches and hash (its own
        # 64-bit hash, unsigned: only equality within one run matters).
        self.connection.execute("CREATE MACRO unbase64(text) AS from_base64(text)")
        self.connection.execute("CREATE MACRO rlike(text, pattern) AS regexp_matches(text, pattern)")
        self.connection.execute("CREATE MACRO xxhash64(text) AS hash(text)")
        self.connection.execute("CREATE MACRO shiftrightunsigned(value, bits) AS CAST(value >> bits AS BIGINT)")

    def register(self, view: str, inventory: Inventory) -> None:
        used = [(name, canonical) for name, canonical in inventory.columns if canonical]
        if inventory.file_format is FileFormat.CSV:
            layout = inventory.csv
            assert layout is not None
            names = {f"c{i}": "VARCHAR" for i in range(len(inventory.columns))}
            gzip = all(p.name.endswith(".gz") for p in inventory.shards)
            source = (f"read_csv({_paths(list(inventory.shards))}, columns={names!r}, header={layout.header}, "
                      f"delim={_literal(layout.delimiter)}, quote='\"', escape='\"', auto_detect=false, "
                      f"compression={_literal('gzip' if gzip else 'none')}, strict_mode=true)")
            position = {name: i for i, (name, _) in enumerate(inventory.columns)}
            select = ", ".join(f"c{position[name]} AS {canonical}" for name, canonical in used)
        else:
            paths = list(inventory.shards)
            if inventory.file_format is FileFormat.ORC:
                paths = [orc_as_parquet(p) for p in paths]
            source = f"read_parquet({_paths(paths)}, union_by_name=true)"
            select = ", ".join(f"{_ident(name)} AS {canonical}" for name, canonical in used)
        self.connection.execute(f"CREATE OR REPLACE TEMP VIEW {view} AS SELECT {select} FROM {source}")

    def create(self, statement: Statement) -> None:
        # Views may hold no prepared parameters, so they become standard SQL literals ('' for ').
        sql = _PARAM.sub(lambda m: _literal(statement.params[m.group(1)]), statement.sql)
        kind = "TABLE" if statement.materialize else "VIEW"
        self._execute(f"CREATE OR REPLACE TEMP {kind} {statement.name} AS {sql}", {})

    def rows(self, sql: str, params: dict[str, str] | None = None) -> list[tuple[Any, ...]]:
        return self._execute(_PARAM.sub(r"$\1", sql), params or {}).fetchall()

    def batches(self, sql: str) -> Iterator[pa.RecordBatch]:
        try:
            reader = self.connection.sql(sql).to_arrow_reader(100_000)
        except duckdb.Error as error:
            raise InventoryError(f"DuckDB could not list the keys: {str(error).splitlines()[0][:300]}") from None
        yield from reader

    def _execute(self, sql: str, params: dict[str, str]) -> duckdb.DuckDBPyConnection:
        try:
            return self.connection.execute(sql, params or None)
        except duckdb.Error as error:
            first = str(error).splitlines()[0][:300]
            raise InventoryError(f"DuckDB could not read the inventory rows: {first}; a shard is corrupt "
                                 "or not in the format its manifest names") from None

    def close(self) -> None:
        self.connection.close()
