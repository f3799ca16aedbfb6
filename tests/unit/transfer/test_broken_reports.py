"""A report that is incomplete, corrupt or mixed up is one clear line, never a partial proof."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from residency.errors import UsageError
from residency.transfer.inventories.store import InventoryError
from scripts.localcloud.inventory_reports import Row
from tests.unit.transfer.helpers import T0, T1, A, B, prove, report

ROWS = [Row("k", *A, version="1"), Row("j", *B, version="1")]


def _s3(tmp_path: Path, file_format: str = "CSV") -> tuple[Path, Path]:
    source = Path(report(tmp_path, "aws", ROWS, "eu", file_format))
    return source, Path(report(tmp_path, "aws", ROWS, "us"))


def _shard(manifest: Path) -> Path:
    key: str = json.loads(manifest.read_text())["files"][0]["key"]
    return manifest.parents[4] / key


def _fails(source: Path | str, destination: Path | str, *needles: str) -> str:
    with pytest.raises(InventoryError) as caught:
        prove([str(source)], str(destination))
    message = str(caught.value)
    assert "\n" not in message and all(n in message for n in needles), message
    return message


def test_a_manifest_that_differs_from_its_checksum(tmp_path) -> None:
    source, destination = _s3(tmp_path)
    source.write_text(source.read_text().replace('"version"', '"version" '))
    _fails(source, destination, "manifest.checksum", "MD5")


def test_a_missing_or_changed_shard(tmp_path) -> None:
    source, destination = _s3(tmp_path)
    shard = _shard(source)
    shard.write_bytes(gzip.compress(b'"eu","k","1","true","false","5","","x","","false","SSE-S3"\n'))
    _fails(source, destination, shard.name.split(".")[0])
    shard.unlink()
    _fails(source, destination, "missing", "incomplete")


def test_a_parquet_shard_of_another_report(tmp_path) -> None:
    source, destination = _s3(tmp_path, "Parquet")
    shard = _shard(source)
    pq.write_table(pa.table({"key": ["k"]}), shard)
    manifest = json.loads(source.read_text())
    manifest["files"][0].update(size=shard.stat().st_size, MD5checksum=__import__("hashlib").md5(
        shard.read_bytes()).hexdigest())
    _rewrite_s3(source, manifest)
    _fails(source, destination, "lacks column", "version_id")


def _rewrite_s3(manifest_path: Path, manifest: dict[str, object]) -> None:
    import hashlib

    body = json.dumps(manifest).encode()
    manifest_path.write_bytes(body)
    (manifest_path.parent / "manifest.checksum").write_text(hashlib.md5(body).hexdigest())


def test_gcs_row_and_shard_counts_are_checked(tmp_path) -> None:
    destination = report(tmp_path, "aws", ROWS, "us")
    manifest = Path(report(tmp_path, "gcp", ROWS, "geu"))
    data = json.loads(manifest.read_text())
    manifest.write_text(json.dumps({**data, "records_processed": 3}))
    _fails(manifest, destination, "counts 3 objects", "hold 2 rows")
    manifest.write_text(json.dumps({**data, "shard_count": 2}))
    _fails(manifest, destination, "shard_count is 2")


def test_azure_runs_that_did_not_succeed_or_name_no_container(tmp_path) -> None:
    destination = report(tmp_path, "aws", ROWS, "us")
    manifest = Path(report(tmp_path, "azure", ROWS, "euacct"))
    data = json.loads(manifest.read_text())
    _write_azure(manifest, {**data, "status": "PartiallySucceeded"})
    _fails(manifest, destination, "not 'Succeeded'")
    filters = {**data["ruleDefinition"]["filters"], "prefixMatch": ["data/", "logs/"]}
    _write_azure(manifest, {**data, "ruleDefinition": {**data["ruleDefinition"], "filters": filters}})
    _fails(manifest, destination, "#CONTAINER")
    assert prove([f"{manifest}#data"], destination).summary()["copied-not-deleted"] == 2


def _write_azure(manifest: Path, data: dict[str, object]) -> None:
    import hashlib

    body = json.dumps(data).encode()
    manifest.write_bytes(body)
    manifest.with_name(manifest.name.replace(".json", ".checksum")).write_text(hashlib.md5(body).hexdigest())


def test_an_azure_csv_whose_header_is_not_the_manifests(tmp_path) -> None:
    destination = report(tmp_path, "aws", ROWS, "us")
    manifest = Path(report(tmp_path, "azure", ROWS, "euacct"))
    shard = manifest.parent / json.loads(manifest.read_text())["files"][0]["blob"].rsplit("/", 1)[1]
    lines = shard.read_text().splitlines(keepends=True)
    shard.write_text("Name,Size\n" + "".join(lines[1:]))
    _write_azure(manifest, {**json.loads(manifest.read_text()), "files": [
        {"blob": json.loads(manifest.read_text())["files"][0]["blob"], "size": shard.stat().st_size}]})
    _fails(manifest, destination, "header")


def test_not_a_manifest_at_all(tmp_path) -> None:
    destination = report(tmp_path, "aws", ROWS, "us")
    (tmp_path / "x.json").write_text('{"hello": 1}')
    _fails(tmp_path / "x.json", destination, "not an S3 Inventory")
    (tmp_path / "y.json").write_text("{oops")
    _fails(tmp_path / "y.json", destination, "invalid JSON at line 1")


def test_from_reports_must_be_one_source_oldest_first(tmp_path) -> None:
    destination = report(tmp_path, "aws", ROWS, "us")
    older = report(tmp_path / "a", "aws", ROWS, "eu", when=T0)
    newer = report(tmp_path / "b", "aws", ROWS, "eu", when=T1)
    other = report(tmp_path / "c", "aws", ROWS, "elsewhere", when=T1)
    with pytest.raises(UsageError, match="older inventories first"):
        prove([newer, older], destination)
    with pytest.raises(UsageError, match="same source"):
        prove([older, other], destination)
    with pytest.raises(UsageError, match="no such file"):
        prove([str(tmp_path / "missing.json")], destination)
