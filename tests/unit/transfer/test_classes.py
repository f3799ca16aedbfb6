"""The classes, key by key, on small reports of every cloud and format (DuckDB)."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest

from scripts.localcloud.inventory_reports import Row
from tests.unit.transfer.helpers import T0, T1, A, B, C, D, classes, prove, report

SOURCE = [
    Row("eu/moved", *A, version="1", current=False, modified=T0),
    Row("eu/moved", delete_marker=True, version="2", modified=T1),
    Row("eu/copied", *B, version="1"),
    Row("eu/not-copied", *C, version="1"),
    Row("eu/lost", *C, version="1", current=False, modified=T0),
    Row("eu/lost", delete_marker=True, version="2", modified=T1),
    Row("eu/mismatch", *A, version="1", current=False),
    Row("eu/mismatch", delete_marker=True, version="2", modified=T1),
]
DESTINATION = [Row("us/moved", *A), Row("us/copied", *B), Row("us/mismatch", *D)]
EVERY_CLASS = {"moved": 1, "copied-not-deleted": 1, "not-copied": 1, "lost": 1, "content-mismatch": 1,
               "residual-versions": 3, "delete-markers": 3}


@pytest.mark.parametrize("file_format", ["CSV", "Parquet", "ORC"])
def test_every_class_from_s3_reports_in_each_format(tmp_path, file_format) -> None:
    result = prove([report(tmp_path, "aws", SOURCE, "eu-bucket", file_format)],
                   report(tmp_path, "aws", DESTINATION, "us-bucket", file_format), [("eu/", "us/")],
                   details=tmp_path / "details.parquet")
    assert classes(result) == EVERY_CLASS
    assert result.residual_verified
    assert result.bytes_by_class()["residual-versions"] == 2 * A[0] + C[0]
    rows = pq.read_table(tmp_path / "details.parquet").to_pylist()
    assert [(r["source_key"], r["destination_key"], r["class"]) for r in rows] == [
        ("eu/copied", "us/copied", "copied-not-deleted"), ("eu/lost", "us/lost", "lost"),
        ("eu/mismatch", "us/mismatch", "content-mismatch"), ("eu/not-copied", "us/not-copied", "not-copied")]


@pytest.mark.parametrize(("cloud", "file_format"), [("gcp", "CSV"), ("gcp", "Parquet"), ("azure", "CSV"),
                                                   ("azure", "Parquet")])
def test_destination_reports_of_gcs_and_azure_compare_with_s3_md5s(tmp_path, cloud, file_format) -> None:
    result = prove([report(tmp_path, "aws", SOURCE, "eu-bucket")],
                   report(tmp_path, cloud, DESTINATION, "us-bucket", file_format), [("eu/", "us/")])
    assert classes(result) == EVERY_CLASS


def test_a_key_gone_entirely_since_an_older_report_still_counts(tmp_path) -> None:
    older = report(tmp_path / "old", "aws", [Row("k1", *A, version="1"), Row("k2", *B, version="1")], "eu", when=T0)
    newer = report(tmp_path / "new", "aws", [Row("k3", *C, version="1", current=False)], "eu", when=T1)
    result = prove([older, newer], report(tmp_path, "aws", [Row("k1", *A)], "us"))
    assert classes(result) == {"moved": 1, "lost": 2, "residual-versions": 1}


def test_only_delete_markers_leave_the_content_unverified_unless_an_older_report_shows_it(tmp_path) -> None:
    markers = [Row("k", delete_marker=True, version="9", modified=T1)]
    destination = report(tmp_path, "aws", [Row("k", *A)], "us")
    newest = report(tmp_path / "new", "aws", markers, "eu", when=T1)
    assert classes(prove([newest], destination)) == {"content-unverified": 1, "delete-markers": 1}
    older = report(tmp_path / "old", "aws", [Row("k", *A, version="1")], "eu", when=T0)
    assert classes(prove([older, newest], destination)) == {"moved": 1, "delete-markers": 1}
    other = report(tmp_path / "old2", "aws", [Row("k", *B, version="1")], "eu", when=T0)
    assert classes(prove([other, newest], destination)) == {"content-mismatch": 1, "delete-markers": 1}


def test_the_newest_noncurrent_version_is_the_content_and_ties_are_ambiguous(tmp_path) -> None:
    rows = [Row("k", *A, version="1", current=False, modified=T0), Row("k", *B, version="2", current=False,
                                                                        modified=T1)]
    source = report(tmp_path, "aws", rows, "eu")
    assert classes(prove([source], report(tmp_path, "aws", [Row("k", *B)], "us")))["moved"] == 1
    assert classes(prove([source], report(tmp_path / "x", "aws", [Row("k", *A)], "us")))["content-mismatch"] == 1
    tied = [Row("k", *A, version="1", current=False, modified=T0), Row("k", *B, version="2", current=False,
                                                                        modified=T0)]
    result = prove([report(tmp_path / "t", "aws", tied, "eu")], report(tmp_path / "u", "aws", [Row("k", *B)], "us"))
    assert classes(result)["content-unverified"] == 1


def test_multipart_etags_match_only_when_equal_and_kms_etags_are_no_md5(tmp_path) -> None:
    size = A[0]
    source = report(tmp_path, "aws", [Row("same", size, version="1", multipart_etag="ab" * 16 + "-3"),
                                      Row("other", size, version="1", multipart_etag="cd" * 16 + "-3"),
                                      Row("kms", *A, version="1", encryption="SSE-KMS")], "eu")
    destination = report(tmp_path, "aws", [Row("same", size, multipart_etag="ab" * 16 + "-3"),
                                           Row("other", size, multipart_etag="ef" * 16 + "-4"),
                                           Row("kms", *A)], "us")
    result = prove([source], destination, details=tmp_path / "d.parquet")
    # equal multipart ETags match; an SSE-KMS ETag is no MD5, so it is never compared with one
    assert classes(result) == {"copied-not-deleted": 1, "content-unverified": 2}
    to_gcs = prove([source], report(tmp_path, "gcp", [Row("kms", *A)], "gus"))
    assert classes(to_gcs)["content-unverified"] == 1


def test_gcs_composite_objects_compare_by_crc32c(tmp_path) -> None:
    source = report(tmp_path, "gcp", [Row("same", 5, b"", "1", crc32c="AAAAAQ=="),
                                      Row("other", 5, b"", "1", crc32c="AAAAAQ==")], "geu")
    destination = report(tmp_path, "gcp", [Row("same", 5, b"", "1", crc32c="AAAAAQ=="),
                                           Row("other", 5, b"", "1", crc32c="AAAAAg==")], "gus")
    result = prove([source], destination)
    assert classes(result) == {"copied-not-deleted": 1, "content-mismatch": 1}
    assert not result.residual_verified and "live objects only" in result.residual_note


def test_azure_keys_lose_the_container_name_and_other_containers_are_ignored(tmp_path) -> None:
    rows = [Row("k", *A, version="v1", current=False), Row("k", *A, snapshot="2026-01-01T00:00:00Z"),
            Row("gone", *B, soft_deleted=True), Row("k", *C, version="v9", container="logs")]
    result = prove([report(tmp_path, "azure", rows, "euacct", container="data")],
                   report(tmp_path, "aws", [Row("k", *A), Row("gone", *B)], "us"))
    assert classes(result) == {"moved": 2, "residual-versions": 3}
    assert result.residual_verified


def test_reports_without_versions_cannot_rule_out_residue(tmp_path) -> None:
    destination = report(tmp_path, "aws", [Row("k", *A)], "us")
    for cloud in ("aws", "azure"):
        result = prove([report(tmp_path / cloud, cloud, [Row("k", *A)], "eu", versions=False)], destination)
        assert classes(result) == {"copied-not-deleted": 1}
        assert not result.residual_verified


def test_the_longest_matching_prefix_maps_a_key(tmp_path) -> None:
    source = report(tmp_path, "aws", [Row("a/b/k", *A, version="1"), Row("a/k", *A, version="1"),
                                      Row("z/k", *A, version="1")], "eu")
    destination = report(tmp_path, "aws", [Row("deep/k", *A), Row("shallow/k", *A), Row("z/k", *A)], "us")
    result = prove([source], destination, [("a/", "shallow/"), ("a/b/", "deep/")])
    assert classes(result) == {"copied-not-deleted": 3}


def test_hostile_names_survive_every_encoding(tmp_path) -> None:
    names = ["a b+c%2F", "quote\"'`", "comma,semi;", "üñï/€", "new\nline", "=SUM(1)", "-x", "back\\slash"]
    for cloud in ("aws", "gcp", "azure"):
        source = report(tmp_path / cloud, cloud, [Row(n, *A, version="1") for n in names], "eu")
        destination = report(tmp_path / cloud, "azure", [Row(n, *A) for n in names], "us")
        result = prove([source], destination, [("", "")], details=tmp_path / f"{cloud}.csv")
        assert classes(result) == {"copied-not-deleted": len(names)}, cloud
    text = (tmp_path / "aws.csv").read_text()
    assert "\"'=SUM(1)\"" in text and "\"'-x\"" in text  # a spreadsheet never runs a key
