"""Verify one transfer: read every report, run the classes on an engine, judge what it shows."""

from __future__ import annotations

import contextlib
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from residency.errors import UsageError
from residency.transfer import plan
from residency.transfer.inventories import open_inventory
from residency.transfer.inventories.store import InventoryError
from residency.transfer.locate import Where, parse
from residency.transfer.model import Cloud, Inventory, PrefixMap, TransferResult

ENGINES = ("duckdb", "spark")


@dataclass(frozen=True, slots=True)
class TransferSpec:
    sources: tuple[str, ...]  # oldest first
    destination: str
    prefix_map: tuple[PrefixMap, ...] = ()
    policy_id: str | None = None

    @property
    def label(self) -> str:
        return f"{self.sources[-1]} -> {self.destination}"


@dataclass(frozen=True, slots=True)
class EngineOptions:
    engine: str = "duckdb"
    memory_limit: str = "2GB"
    spark_master: str = "local[2]"
    threads: int | None = None
    temp_dir: Path | None = None
    spark_session: Any = None  # an existing SparkSession (tests, notebooks); else one is started


def parse_map(text: str) -> PrefixMap:
    source, sep, destination = text.partition("=")
    if not sep:
        raise UsageError(f"--map {text}: write SOURCE_PREFIX=DESTINATION_PREFIX, e.g. --map eu/users/=users/")
    return PrefixMap(source, destination)


@contextlib.contextmanager
def _runner(options: EngineOptions, scratch: Path) -> Iterator[plan.Runner]:
    if options.engine == "duckdb":
        from residency.transfer.duckdb_runner import DuckDBRunner

        duck = DuckDBRunner(options.memory_limit, scratch, options.threads)
        try:
            yield duck
        finally:
            duck.close()
        return
    try:
        import pyspark  # noqa: F401
    except ImportError:
        raise UsageError("--engine spark needs PySpark and a Java 17+ runtime: pip install 'residency[spark]'") \
            from None
    from residency.transfer.spark_runner import SparkRunner, start_session

    try:
        session = options.spark_session or start_session(options.spark_master, options.memory_limit, scratch)
    except Exception as error:  # PySpark raises its own runtime errors when Java or the master is missing
        first = " ".join(str(error).split())[:200]
        raise UsageError(f"--engine spark: Spark did not start ({first}); it needs a Java 17+ runtime "
                         "and a reachable --spark-master") from None
    spark = SparkRunner(session, scratch)
    try:
        yield spark
    finally:
        spark.close()
        if options.spark_session is None:
            session.stop()


def _same_source(inventories: Sequence[Inventory], given: Sequence[str]) -> None:
    first = inventories[0]
    for inv, text in zip(inventories[1:], given[1:], strict=True):
        if inv.container_url != first.container_url:
            raise UsageError(f"FROM {text}: is a report of {inv.container_url}, the first FROM of "
                             f"{first.container_url}; every FROM must be a report of the same source")
    for earlier, later, text in zip(inventories, inventories[1:], given[1:], strict=False):
        if later.taken_at < earlier.taken_at:
            raise UsageError(f"FROM {text}: taken {later.taken_at}, before the FROM given ahead of it "
                             f"({earlier.taken_at}); give older inventories first")


def _check_counts(inventories: Sequence[Inventory], rows: Sequence[int], keyless: Sequence[int]) -> None:
    for inv, count, missing in zip(inventories, rows, keyless, strict=True):
        if inv.expected_rows is not None and inv.expected_rows != count:
            raise InventoryError(f"{inv.location}: the manifest counts {inv.expected_rows} objects but its files "
                                 f"hold {count} rows; a shard is missing or truncated")
        if missing:
            raise InventoryError(f"{inv.location}: {missing} row(s) have no object name; the report is corrupt")


def _residual(newest: Inventory, where: Where) -> tuple[bool, str]:
    if newest.versions_listed:
        return True, "the source report lists every version, delete marker and soft-deleted copy"
    if newest.cloud is Cloud.AWS and where.kind == "s3":
        from residency.transfer.inventories import clouds

        never = clouds.s3_versioning_never_enabled(newest.container)
        if never:
            return True, (f"{newest.versions_note}; but versioning was never enabled on s3://{newest.container} "
                          "(GetBucketVersioning has no status), so no noncurrent version can exist")
    live = "" if newest.cloud is not Cloud.AWS or where.kind == "s3" else (
        "; give the source as s3://BUCKET so the live bucket can show versioning was never enabled")
    return False, f"{newest.versions_note}{live}"


def verify(spec: TransferSpec, options: EngineOptions, details: Path | None = None,
           progress: Callable[[str], None] | None = None) -> TransferResult:
    """Read every report of `spec`, classify every source key, return the counts and what they prove."""
    say = progress or (lambda _: None)
    wheres = [parse(text, "FROM") for text in spec.sources]
    destination_where = parse(spec.destination, "TO")
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="residency-transfer-", dir=options.temp_dir))
    try:
        sources = []
        for index, where in enumerate(wheres):
            say(f"reading FROM {where.given}")
            sources.append(open_inventory(where, scratch / f"from-{index}", say))
        say(f"reading TO {destination_where.given}")
        destination = open_inventory(destination_where, scratch / "to", say)
        _same_source(sources, spec.sources)
        say(f"classifying with {options.engine}")
        with _runner(options, scratch) as runner:
            counts = plan.run(runner, sources, destination, spec.prefix_map, details)
        _check_counts([*sources, destination], counts.rows, counts.keyless)
        counted = [_with_rows(inv, rows) for inv, rows in zip([*sources, destination], counts.rows, strict=True)]
        verified, note = _residual(sources[-1], wheres[-1])
        return TransferResult(
            sources=tuple(counted[:-1]), destination=counted[-1], prefix_map=spec.prefix_map, counts=counts,
            residual_verified=verified, residual_note=note, engine=options.engine, policy_id=spec.policy_id,
            details_file=str(details) if details else None, seconds=time.monotonic() - started,
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _with_rows(inventory: Inventory, rows: int) -> Inventory:
    from dataclasses import replace

    return replace(inventory, rows=rows)
