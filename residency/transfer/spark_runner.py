"""The distributed engine: Apache Spark, in local mode or on a cluster (`--spark-master URL`).

It runs the same statements as DuckDB (plan.py, classes.sql). Spark reads the shards from
paths every executor can see: the local files the tool fetched in local mode. PySpark is
imported only when this engine is chosen; it needs a Java runtime.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow as pa

from residency.transfer.inventories.store import InventoryError
from residency.transfer.model import FileFormat, Inventory
from residency.transfer.plan import Statement

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

BATCH_ROWS = 100_000


def spark_memory(limit: str) -> str:
    """'2GB' -> '2g': Spark's size syntax."""
    text = limit.strip().lower().replace(" ", "").removesuffix("b").removesuffix("i")
    return text if text[-1:] in "kmgt" else f"{text}b"


def start_session(master: str, memory_limit: str, temp_dir: Path, shuffle_partitions: int = 8) -> SparkSession:
    from pyspark.sql import SparkSession

    builder = (SparkSession.builder.master(master).appName("residency-transfer")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.driver.memory", spark_memory(memory_limit))
               .config("spark.local.dir", str(temp_dir)))
    if master.startswith("local"):
        builder = builder.config("spark.sql.shuffle.partitions", str(shuffle_partitions))
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


class SparkRunner:
    engine = "spark"

    def __init__(self, session: SparkSession, scratch: Path) -> None:
        self.session = session
        self.scratch = scratch
        self._kept: list[DataFrame] = []

    def register(self, view: str, inventory: Inventory) -> None:
        from pyspark.sql import functions as F
        from pyspark.sql.types import StringType, StructField, StructType

        used = [(name, canonical) for name, canonical in inventory.columns if canonical]
        paths = [str(p) for p in inventory.shards]
        reader = self.session.read
        if inventory.file_format is FileFormat.CSV:
            layout = inventory.csv
            assert layout is not None
            schema = StructType([StructField(f"c{i}", StringType()) for i in range(len(inventory.columns))])
            frame = self._guard(lambda: reader.csv(paths, schema=schema, header=layout.header, sep=layout.delimiter,
                                                   quote='"', escape='"', multiLine=layout.multiline, mode="FAILFAST"))
            position = {name: i for i, (name, _) in enumerate(inventory.columns)}
            frame = frame.select(*(F.col(f"c{position[name]}").alias(canonical) for name, canonical in used))
        else:
            frame = self._guard(lambda: reader.parquet(*paths) if inventory.file_format is FileFormat.PARQUET
                                else reader.orc(paths))
            frame = frame.select(*(F.col(f"`{name.replace('`', '``')}`").alias(canonical) for name, canonical in used))
        frame.createOrReplaceTempView(view)

    def create(self, statement: Statement) -> None:
        frame = self._sql(statement.sql, statement.params)
        if statement.materialize:
            from pyspark import StorageLevel

            frame = frame.persist(StorageLevel.MEMORY_AND_DISK)
            self._kept.append(frame)
        frame.createOrReplaceTempView(statement.name)

    def rows(self, sql: str, params: dict[str, str] | None = None) -> list[tuple[Any, ...]]:
        return [tuple(row) for row in self._guard(lambda: self._sql(sql, params or {}).collect())]

    def batches(self, sql: str) -> Iterator[pa.RecordBatch]:
        """Spark writes the (sorted) rows as Parquet parts, read back in order: one job, no driver collect."""
        import pyarrow.parquet as pq

        target = Path(tempfile.mkdtemp(prefix="details-", dir=self.scratch))
        frame = self._sql(sql, {})
        self._guard(lambda: frame.write.mode("overwrite").parquet(str(target / "parts")))
        for part in sorted((target / "parts").glob("part-*.parquet")):
            yield from pq.ParquetFile(part).iter_batches(batch_size=BATCH_ROWS)

    def _sql(self, sql: str, params: dict[str, str]) -> DataFrame:
        frame: DataFrame = self._guard(lambda: self.session.sql(sql, args=params or None))
        return frame

    @staticmethod
    def _guard(action: Any) -> Any:
        from py4j.protocol import Py4JJavaError
        from pyspark.errors import PySparkException

        try:
            return action()
        except (PySparkException, Py4JJavaError) as error:
            first = str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__
            raise InventoryError(f"Spark could not read the inventory rows: {first}; a shard is corrupt "
                                 "or not in the format its manifest names") from None

    def close(self) -> None:
        for frame in self._kept:
            frame.unpersist()
        for view in self.session.catalog.listTables():
            if view.isTemporary:
                self.session.catalog.dropTempView(view.name)
