"""The SQL both engines run: per-report normalisation, the prefix map, then classes.sql.

Everything here is text and parameters; a runner (duckdb_runner, spark_runner) only exposes
each report's files as a view `raw_N` with canonical column names and executes these
statements, so the classes are defined once. Parameters are written `:name` (Spark's form; the
DuckDB runner rewrites them), and only integers are ever formatted into the text: names and
prefixes come from users and clouds.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import pyarrow as pa

from residency.transfer.details import write_details
from residency.transfer.model import ClassCount, Cloud, EngineCounts, FileFormat, Inventory, PrefixMap

_VIEW = re.compile(r"^-- view: (\w+)\s*$", re.MULTILINE)
BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="
KEEP = frozenset({"src_now", "classified"})  # read twice each: computed once
NORMALISED = ("inv", "source_key", "key", "version", "is_current", "is_delete_marker", "size", "md5",
              "crc32c", "crc64", "etag", "modified")


@dataclass(frozen=True, slots=True)
class Statement:
    name: str
    sql: str
    params: dict[str, str] = field(default_factory=dict)
    materialize: bool = False  # read several times: worth keeping rather than re-reading the files


class Runner(Protocol):
    engine: str

    def register(self, view: str, inventory: Inventory) -> None:
        """Expose the report's files as `view`, one column per canonical name it has."""
        ...

    def create(self, statement: Statement) -> None: ...

    def rows(self, sql: str, params: dict[str, str] | None = None) -> list[tuple[Any, ...]]: ...

    def batches(self, sql: str) -> Iterator[pa.RecordBatch]: ...


def _text(column: str, present: frozenset[str]) -> str:
    return f"NULLIF(CAST({column} AS STRING), '')" if column in present else "CAST(NULL AS STRING)"


def _bool(column: str, present: frozenset[str], default: str) -> str:
    if column not in present:
        return default
    return f"COALESCE(CAST({_text(column, present)} AS BOOLEAN), {default})"


def _base64_digest(expression: str, length: int) -> str:
    """A base64 digest of the expected length, else NULL (hostile or empty cells compare as unknown)."""
    return (f"CASE WHEN length({expression}) = {length} AND translate({expression}, '{BASE64}', '') = '' "
            f"THEN {expression} END")


def _s3(inv: Inventory, present: frozenset[str]) -> dict[str, str]:
    etag = f"replace({_text('e_tag', present)}, '\"', '')"
    key = _text("key", present)
    if inv.file_format is FileFormat.CSV:  # S3 CSV keys are form-encoded: '+' is a space
        key = f"url_decode(replace({key}, '+', '%20'))"
    md5 = (f"CASE WHEN length({etag}) = 32 AND translate(lower({etag}), '0123456789abcdef', '') = '' "
           f"AND {_bool('is_multipart_uploaded', present, 'FALSE')} = FALSE "
           f"AND {_text('encryption_status', present)} IN ('SSE-S3', 'NOT-SSE') "
           f"THEN base64(unhex(lower({etag}))) END")
    marker = _bool("is_delete_marker", present, "FALSE") if inv.versions_listed else "FALSE"
    current = f"({_bool('is_latest', present, 'TRUE')} AND NOT {marker})" if inv.versions_listed else "TRUE"
    return {"key": key, "version": _text("version_id", present), "is_current": current,
            "is_delete_marker": marker, "size": f"CAST({_text('size', present)} AS BIGINT)", "md5": md5,
            "crc32c": "CAST(NULL AS STRING)", "crc64": "CAST(NULL AS STRING)",
            "etag": f"CASE WHEN {etag} IS NOT NULL THEN concat('s3:', {etag}) END",
            "modified": _text("last_modified_date", present)}


def _gcs(present: frozenset[str]) -> dict[str, str]:
    deleted = "time_deleted" in present
    return {"key": _text("name", present), "version": _text("generation", present),
            "is_current": f"{_text('time_deleted', present)} IS NULL" if deleted else "TRUE",
            "is_delete_marker": "FALSE", "size": f"CAST({_text('size', present)} AS BIGINT)",
            "md5": _base64_digest(_text("md5_hash", present), 24),
            "crc32c": _base64_digest(_text("crc32c", present), 8), "crc64": "CAST(NULL AS STRING)",
            "etag": "CAST(NULL AS STRING)", "modified": _text("updated", present)}


def _azure(inv: Inventory, present: frozenset[str]) -> dict[str, str]:
    skip = len(inv.container) + 2  # "container/" precedes every key
    current = (f"(NOT {_bool('deleted', present, 'FALSE')} AND {_text('snapshot', present)} IS NULL "
               f"AND {_bool('is_current_version', present, 'TRUE')})")
    return {"key": f"substr({_text('name', present)}, {skip})",
            "version": f"COALESCE({_text('version_id', present)}, {_text('snapshot', present)})",
            "is_current": current, "is_delete_marker": "FALSE",
            "size": f"CAST({_text('content_length', present)} AS BIGINT)",
            "md5": _base64_digest(_text("content_md5", present), 24), "crc32c": "CAST(NULL AS STRING)",
            "crc64": _text("content_crc64", present), "etag": "CAST(NULL AS STRING)",
            "modified": _text("last_modified", present)}


def key_column(inv: Inventory) -> str:
    return "key" if inv.cloud is Cloud.AWS else "name"


def normalise(index: int, inv: Inventory, view: str, params: dict[str, str]) -> str:
    """One SELECT giving the report's rows in the normalised shape (NORMALISED, minus source_key)."""
    present = inv.canonical
    expressions = (_s3(inv, present) if inv.cloud is Cloud.AWS else _gcs(present) if inv.cloud is Cloud.GCP
                   else _azure(inv, present))
    select = ", ".join(f"{expressions[name]} AS {name}" for name in NORMALISED[3:])
    where = ""
    if inv.cloud is Cloud.AZURE:
        params[f"container{index}"] = f"{inv.container}/"
        where = (f" WHERE substr({_text('name', present)}, 1, {len(inv.container) + 1}) = :container{index}")
    return f"SELECT {index} AS inv, {expressions['key']} AS key, {select} FROM {view}{where}"


def mapped_key(prefix_map: Sequence[PrefixMap], params: dict[str, str]) -> str:
    """The destination key of a source key: the longest matching source prefix is replaced."""
    cases = []
    for n, rule in enumerate(sorted(prefix_map, key=lambda r: len(r.source), reverse=True)):
        params[f"from{n}"], params[f"to{n}"] = rule.source, rule.destination
        length = len(rule.source)
        cases.append(f"WHEN substr(key, 1, {length}) = :from{n} THEN concat(:to{n}, substr(key, {length + 1}))")
    return f"CASE {' '.join(cases)} ELSE key END" if cases else "key"


def statements(sources: Sequence[Inventory], destination: Inventory,
               prefix_map: Sequence[PrefixMap]) -> list[Statement]:
    params: dict[str, str] = {}
    parts = [normalise(i, inv, f"raw_{i}", params) for i, inv in enumerate(sources)]
    mapped = mapped_key(prefix_map, params)
    columns = ", ".join(NORMALISED[3:])
    src = " UNION ALL ".join(f"SELECT inv, key AS source_key, {mapped} AS key, {columns} FROM ({part}) n{i}"
                             for i, part in enumerate(parts))
    dst_params: dict[str, str] = {}
    dst = normalise(len(sources), destination, "raw_dst", dst_params)
    found = [Statement("src_rows", src, params, materialize=True),
             Statement("dst_rows", f"SELECT inv, key AS source_key, key, {columns} FROM ({dst}) d", dst_params,
                       materialize=True)]
    text = resources.files("residency.transfer").joinpath("classes.sql").read_text(encoding="utf-8")
    text = text.replace("{newest}", str(len(sources) - 1))
    chunks = _VIEW.split(text)[1:]
    for name, body in zip(chunks[::2], chunks[1::2], strict=True):
        sql = "\n".join(line for line in body.splitlines() if not line.lstrip().startswith("--")).strip()
        found.append(Statement(name, sql, materialize=name in KEEP))
    return found


def run(runner: Runner, sources: Sequence[Inventory], destination: Inventory,
        prefix_map: Sequence[PrefixMap], details: Path | None = None) -> EngineCounts:
    views = [f"raw_{i}" for i in range(len(sources))] + ["raw_dst"]
    for view, inv in zip(views, [*sources, destination], strict=True):
        runner.register(view, inv)
    counting = " UNION ALL ".join(
        f"SELECT {n} AS n, COUNT(*) AS total, COUNT({_text(key_column(inv), inv.canonical)}) AS keyed FROM {view}"
        for n, (view, inv) in enumerate(zip(views, [*sources, destination], strict=True)))
    rows = [(int(total), int(keyed)) for _, total, keyed in sorted(runner.rows(counting))]
    for statement in statements(sources, destination, prefix_map):
        runner.create(statement)
    found = runner.rows("SELECT class, objects, bytes FROM class_counts UNION ALL "
                        "SELECT '~residual', residual_rows, residual_bytes FROM residue UNION ALL "
                        "SELECT '~markers', delete_markers, 0 FROM residue")
    totals = {str(name): ClassCount(int(objects or 0), int(size or 0)) for name, objects, size in found}
    residual, markers = totals.pop("~residual"), totals.pop("~markers").objects
    if details is not None:
        write_details(runner.batches("SELECT * FROM details ORDER BY destination_key"), details)
    return EngineCounts(totals, residual, markers, tuple(total for total, _ in rows),
                        tuple(total - keyed for total, keyed in rows))
