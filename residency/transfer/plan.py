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
KEEP: frozenset[str] = frozenset()  # totals take one pass; --details a second one, only when asked
NORMALISED = ("inv", "source_key", "key", "version", "is_current", "is_delete_marker", "size", "md5",
              "crc32c", "crc64", "etag", "modified", "pick", "hashed", "content")
# Derived from the normalised columns of one report (`n`): how to choose and compare content.
PICK = ("concat(lpad(CAST(inv AS STRING), 6, '0'), CASE WHEN is_current THEN '1' ELSE '0' END, "
        "COALESCE(modified, ''))")
# Every content field packed at fixed widths (size 20, md5 32, crc32c 8, crc64 12, etag last), so one
# MAX over pick + content picks the content and classes.sql unpacks it with substr. No field is
# wider (md5 is 32 hex digits, the base64 CRCs 8 and 12 characters; plan.py checks each).
CONTENT = ("concat(lpad(COALESCE(CAST(size AS STRING), ''), 20, ' '), rpad(COALESCE(md5, ''), 32, ' '), "
           "rpad(COALESCE(crc32c, ''), 8, ' '), rpad(COALESCE(crc64, ''), 12, ' '), COALESCE(etag, ''))")
# A hash of every content field as 19 digits (non-negative 63 bits; Spark's xxhash64, a DuckDB macro).
HASHED = ("lpad(CAST(shiftrightunsigned(xxhash64(concat(COALESCE(CAST(size AS STRING), ''), '|', "
          "COALESCE(md5, ''), '|', COALESCE(crc32c, ''), '|', COALESCE(crc64, ''), '|', COALESCE(etag, ''))), 1) "
          "AS STRING), 19, '0')")


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


# Canonical columns each cloud's rows may have (plan reads only these).
COLUMNS = {
    Cloud.AWS: ("key", "version_id", "is_latest", "is_delete_marker", "size", "last_modified_date", "e_tag",
                "is_multipart_uploaded", "encryption_status"),
    Cloud.GCP: ("name", "size", "md5_hash", "crc32c", "generation", "time_deleted", "updated"),
    Cloud.AZURE: ("name", "content_length", "content_md5", "content_crc64", "version_id", "is_current_version",
                  "deleted", "snapshot", "last_modified"),
}


def _text(column: str, present: frozenset[str]) -> str:
    return f"NULLIF(CAST({column} AS STRING), '')" if column in present else "CAST(NULL AS STRING)"


TYPED = frozenset({"size", "content_length", "is_latest", "is_delete_marker", "is_multipart_uploaded",
                   "is_current_version", "deleted"})  # cast by the outer SELECT, from a number, bool or text


def _cleaned(inv: Inventory) -> str:
    """The inner SELECT: every canonical column once; text ('' is NULL) unless Parquet/ORC typed it."""
    present = inv.canonical
    parts = []
    for column in COLUMNS[inv.cloud]:
        if column in present and column in TYPED and inv.file_format is not FileFormat.CSV:
            text = column  # a Parquet/ORC int64 or boolean: no round trip through text
        else:
            text = _text(column, present)
        if column == "e_tag":  # S3 ETags: no quotes, lower-case hex ("abc...-3" when multipart)
            text = f"lower(replace({text}, '\"', ''))"
        parts.append(f"{text} AS {column}")
    return ", ".join(parts)


def _bool(column: str, present: frozenset[str], default: str) -> str:
    return f"COALESCE(CAST({column} AS BOOLEAN), {default})" if column in present else default


def _base64_digest(column: str, length: int, padding: int) -> str:
    """A base64 digest of the expected length and padding, else NULL (hostile or empty cells are unknown)."""
    pattern = f"^[A-Za-z0-9+/]{{{length - padding}}}{'=' * padding}$"
    return f"CASE WHEN rlike({column}, '{pattern}') THEN {column} END"


def _md5_hex(column: str) -> str:
    """A base64 MD5 (GCS md5Hash, Azure Content-MD5) as lower-case hex, the form of an S3 ETag."""
    return f"lower(hex(unbase64({_base64_digest(column, 24, 2)})))"


def _s3(inv: Inventory, present: frozenset[str]) -> dict[str, str]:
    key = "url_decode(replace(key, '+', '%20'))" if inv.file_format is FileFormat.CSV else "key"
    # An ETag is the MD5 only for a single-part upload with SSE-S3 or no encryption (S3 docs, "ETag").
    is_md5 = (f"rlike(e_tag, '^[0-9a-f]{{32}}$') AND {_bool('is_multipart_uploaded', present, 'FALSE')} = FALSE "
              "AND encryption_status IN ('SSE-S3', 'NOT-SSE')")
    marker = _bool("is_delete_marker", present, "FALSE") if inv.versions_listed else "FALSE"
    current = f"({_bool('is_latest', present, 'TRUE')} AND NOT {marker})" if inv.versions_listed else "TRUE"
    return {"key": key, "version": "version_id", "is_current": current, "is_delete_marker": marker,
            "size": "CAST(size AS BIGINT)", "md5": f"CASE WHEN {is_md5} THEN e_tag END",
            "crc32c": "CAST(NULL AS STRING)", "crc64": "CAST(NULL AS STRING)", "modified": "last_modified_date",
            # Any other ETag is an opaque token, equal only to itself (hex digits and '-' only).
            "etag": f"CASE WHEN {is_md5} THEN NULL WHEN rlike(e_tag, '^[0-9a-f-]+$') THEN concat('s3:', e_tag) END"}


def _gcs(present: frozenset[str]) -> dict[str, str]:
    return {"key": "name", "version": "generation",
            "is_current": "time_deleted IS NULL" if "time_deleted" in present else "TRUE",
            "is_delete_marker": "FALSE", "size": "CAST(size AS BIGINT)", "md5": _md5_hex("md5_hash"),
            "crc32c": _base64_digest("crc32c", 8, 2), "crc64": "CAST(NULL AS STRING)",
            "etag": "CAST(NULL AS STRING)", "modified": "updated"}


def _azure(inv: Inventory, present: frozenset[str]) -> dict[str, str]:
    current = (f"(NOT {_bool('deleted', present, 'FALSE')} AND snapshot IS NULL "
               f"AND {_bool('is_current_version', present, 'TRUE')})")
    return {"key": f"substr(name, {len(inv.container) + 2})",  # "container/" precedes every key
            "version": "COALESCE(version_id, snapshot)", "is_current": current, "is_delete_marker": "FALSE",
            "size": "CAST(content_length AS BIGINT)", "md5": _md5_hex("content_md5"),
            "crc32c": "CAST(NULL AS STRING)", "crc64": _base64_digest("content_crc64", 12, 1),
            "etag": "CAST(NULL AS STRING)",
            "modified": "last_modified"}


def key_column(inv: Inventory) -> str:
    return "key" if inv.cloud is Cloud.AWS else "name"


def normalise(index: int, inv: Inventory, view: str, params: dict[str, str]) -> str:
    """One SELECT giving the report's rows in the normalised shape (NORMALISED, minus source_key)."""
    present = inv.canonical
    expressions = (_s3(inv, present) if inv.cloud is Cloud.AWS else _gcs(present) if inv.cloud is Cloud.GCP
                   else _azure(inv, present))
    select = ", ".join(f"{expressions[name]} AS {name}" for name in NORMALISED[3:-3])
    where = ""
    if inv.cloud is Cloud.AZURE:
        params[f"container{index}"] = f"{inv.container}/"
        where = f" WHERE substr(name, 1, {len(inv.container) + 1}) = :container{index}"
    cleaned = f"(SELECT {_cleaned(inv)} FROM {view}) c"
    return f"SELECT {index} AS inv, {expressions['key']} AS key, {select} FROM {cleaned}{where}"


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
    columns = ", ".join(NORMALISED[3:-3])
    derived = f"{PICK} AS pick, {HASHED} AS hashed, {CONTENT} AS content"
    src = " UNION ALL ".join(f"SELECT inv, key AS source_key, {mapped} AS key, {columns}, {derived} FROM ({part}) n{i}"
                             for i, part in enumerate(parts))
    dst_params: dict[str, str] = {}
    dst = normalise(len(sources), destination, "raw_dst", dst_params)
    # Each is read once (one aggregate per side), so neither engine keeps them: both stream.
    found = [Statement("src_rows", src, params),
             Statement("dst_rows", f"SELECT inv, key AS source_key, key, {columns}, {derived} FROM ({dst}) d",
                       dst_params)]
    text = resources.files("residency.transfer").joinpath("classes.sql").read_text(encoding="utf-8")
    text = text.replace("{newest}", str(len(sources) - 1))
    text = text.replace("{source_key}", "MIN(source_key)" if prefix_map else "key")
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
    found = runner.rows("SELECT * FROM totals")
    totals = {str(name): ClassCount(int(objects or 0), int(size or 0)) for name, objects, size, *_ in found}
    residual = ClassCount(sum(int(row[3] or 0) for row in found), sum(int(row[4] or 0) for row in found))
    markers = sum(int(row[5] or 0) for row in found)
    if details is not None:
        write_details(runner.batches("SELECT * FROM details ORDER BY destination_key"), details)
    return EngineCounts(totals, residual, markers, tuple(total for total, _ in rows),
                        tuple(total - keyed for total, keyed in rows))
