"""Small inventory reports on disk, written by the same generator the local clouds use."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from residency.transfer.model import PrefixMap, TransferResult
from residency.transfer.verify import EngineOptions, TransferSpec, verify
from scripts.localcloud.inventory_reports import Row, content, local_sink, write_azure, write_gcs, write_s3

T0 = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
T1 = dt.datetime(2026, 1, 2, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 1, 3, tzinfo=dt.UTC)
A, B, C, D = content("alpha"), content("bravo"), content("charlie"), content("delta, not alpha")


def report(root: Path, cloud: str, rows: Sequence[Row], name: str, file_format: str = "CSV",
           versions: bool = True, when: dt.datetime = T2, container: str = "data") -> str:
    """Write a report of `rows` under root/name and return its manifest's path."""
    folder = root / name
    sink = local_sink(folder)
    if cloud == "aws":
        key = write_s3(sink, rows, name, file_format=file_format, versions=versions, when=when, rows_per_file=3)
    elif cloud == "gcp":
        key = write_gcs(sink, rows, name, file_format=file_format, when=when, rows_per_file=3)
    else:
        key = write_azure(sink, rows, name, container, file_format=file_format, versions=versions, when=when,
                          rows_per_file=3)
    return str(folder / key)


def prove(sources: Sequence[str], destination: str, prefix_map: Sequence[tuple[str, str]] = (),
          engine: str = "duckdb", details: Path | None = None, session: object = None) -> TransferResult:
    spec = TransferSpec(tuple(sources), destination, tuple(PrefixMap(s, d) for s, d in prefix_map))
    return verify(spec, EngineOptions(engine=engine, memory_limit="256MB", spark_session=session), details)


def classes(result: TransferResult) -> dict[str, int]:
    return {name: count for name, count in result.summary().items() if count}
