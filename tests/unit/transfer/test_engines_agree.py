"""DuckDB and Spark (local mode) run the same definition and give identical results.

One Spark session for the module (its JVM takes seconds to start) and one test that runs
every case, so pytest-xdist never starts a second JVM on the other worker.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from residency.transfer.inventories.store import InventoryError
from residency.transfer.model import SUMMARY_KEYS
from scripts.localcloud.inventory_reports import Row
from tests.unit.transfer.helpers import T0, T1, T2, A, B, C, D, prove, report
from tests.unit.transfer.test_classes import DESTINATION, SOURCE

pytestmark = pytest.mark.skipif(shutil.which("java") is None,
                                reason="no Java runtime: scripts/install_system_deps.sh installs Debian's "
                                       "openjdk-17-jre-headless, which Spark needs")


@pytest.fixture(scope="module")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    from residency.transfer.spark_runner import start_session

    session = start_session("local[1]", "512m", tmp_path_factory.mktemp("spark"), shuffle_partitions=1)
    yield session
    session.stop()


MIXED = [Row("k", *A, version="1", current=False, modified=T0),
         Row("k", *B, version="2", current=False, modified=T1),
         Row("k", delete_marker=True, version="3", modified=T1),
         Row("m", 5, version="1", multipart_etag="ab" * 16 + "-2"),
         Row("gone", *C, version="1", current=False), Row("tie", *A, version="1", current=False),
         Row("tie", *D, version="2", current=False), Row("a b+c%2F", *A, version="1"),
         Row("new\nline", *C, version="1"), Row("snap", *A, snapshot="2026-01-01T00:00:00Z"),
         Row("soft", *B, soft_deleted=True)]
TARGET = [Row("k", *B), Row("m", 5, multipart_etag="ab" * 16 + "-2"), Row("tie", *A), Row("a b+c%2F", *A),
          Row("snap", *A), Row("soft", *D), Row("new\nline", *C)]


def _cases(root: Path) -> list[tuple[str, list[str], str, list[tuple[str, str]]]]:
    """Three transfers that read every cloud's every format and produce every class."""
    history = [report(root / "csv", "aws", [Row("eu/early", *A, version="1"), Row("eu/dropped", *B, version="1")],
                      "eu", "CSV", when=T0),
               report(root / "orc", "aws", MIXED, "eu", "ORC", when=T1),
               report(root / "parquet", "aws", [*SOURCE, *MIXED], "eu", "Parquet", when=T2)]
    to_azure = report(root / "azure-to", "azure", [*DESTINATION, *TARGET, Row("us/early", *A)], "us", "CSV")
    return [("s3 CSV, ORC, Parquet -> azure CSV", history, to_azure, [("eu/", "us/")]),
            ("gcs Parquet -> s3 Parquet", [report(root / "gcs", "gcp", MIXED, "eu", "Parquet")],
             report(root / "s3-to", "aws", TARGET, "us", "Parquet"), []),
            ("azure Parquet -> gcs CSV", [report(root / "azure", "azure", MIXED, "eu", "Parquet")],
             report(root / "gcs-to", "gcp", TARGET, "us", "CSV"), [])]


def test_duckdb_and_spark_agree_on_every_cloud_format_and_class(tmp_path, spark) -> None:
    differences: list[object] = []
    seen: set[str] = set()
    for name, sources, destination, prefix_map in _cases(tmp_path):
        found = {}
        for engine in ("duckdb", "spark"):
            details = tmp_path / f"{name}-{engine}.parquet".replace(" ", "-")
            result = prove(sources, destination, prefix_map, engine=engine, details=details, session=spark)
            found[engine] = (result.summary(), result.bytes_by_class(), result.counts.rows,
                             pq.read_table(details).to_pylist())
        if found["duckdb"] != found["spark"]:
            differences.append((name, found))
        seen.update(name for name, count in found["duckdb"][0].items() if count)
    assert not differences
    assert seen == set(SUMMARY_KEYS)  # every class, residual versions and delete markers were compared
    with pytest.raises(InventoryError, match="Spark could not read"):  # a cell no engine can read
        bad = [Row("k", *A, version="1")]
        source = Path(report(tmp_path / "bad", "azure", bad, "eu"))
        shard = next(source.parent.glob("*.csv"))
        shard.write_text(shard.read_text().replace(f",{A[0]},", ",five,"))
        import hashlib
        import json

        manifest = json.loads(source.read_text())
        manifest["files"][0]["size"] = shard.stat().st_size
        body = json.dumps(manifest).encode()
        source.write_bytes(body)
        source.with_name(source.name.replace(".json", ".checksum")).write_text(hashlib.md5(body).hexdigest())
        prove([str(source)], destination, engine="spark", session=spark)
