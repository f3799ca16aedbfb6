"""`residency transfer` end to end on local reports: exit codes, every format, policies, details."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pyarrow.parquet as pq
import pytest

from residency.cli import main
from residency.formats import FORMATS
from scripts.localcloud.inventory_reports import Row
from tests.unit.transfer.helpers import T0, T1, A, B, report

SCHEMA = json.loads((Path(__file__).parents[3] / "residency" / "formats" / "report.schema.json").read_text())


def _moved_everything(tmp_path: Path) -> tuple[str, str, str]:
    older = report(tmp_path / "old", "aws", [Row("eu/k", *A, version="1")], "eu", when=T0)
    newer = report(tmp_path / "new", "aws", [], "eu", when=T1)  # every version purged since
    return older, newer, report(tmp_path, "aws", [Row("us/k", *A)], "us")


def test_everything_moved_and_nothing_left_exits_0(tmp_path, capsys) -> None:
    older, newer, destination = _moved_everything(tmp_path)
    code = main(["transfer", older, newer, destination, "--map", "eu/=us/", "--format", "json"])
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, SCHEMA)
    assert [f["rule"] for f in document["findings"]] == ["transfer-verified"]
    assert document["transfers"][0]["summary"] == {
        "moved": 1, "copied-not-deleted": 0, "not-copied": 0, "lost": 0, "content-mismatch": 0,
        "content-unverified": 0, "residual-versions": 0, "delete-markers": 0}
    assert [i["role"] for i in document["transfers"][0]["inventories"]] == ["from", "from", "to"]


def test_violations_exit_1_and_show_in_every_format(tmp_path, capsys) -> None:
    source = report(tmp_path, "aws", [Row("k", *A, version="1"), Row("j", *B, version="1", current=False)], "eu")
    destination = report(tmp_path, "aws", [Row("k", *A)], "us")
    outputs = []
    for name, fmt in FORMATS.items():
        outputs += ["--format", name, "--output", str(tmp_path / f"r.{fmt.extension}")]
    assert main(["transfer", source, destination, *outputs, "--details", str(tmp_path / "d.csv")]) == 1
    for fmt in FORMATS.values():  # markdown names findings by their rule's title
        text = (tmp_path / f"r.{fmt.extension}").read_text()
        assert ("transfer-lost" in text or "Objects deleted outside before they arrived" in text) and (
            "transfer-copied-not-deleted" in text or "Transferred objects not deleted outside" in text), fmt.name
    jsonschema.validate(json.loads((tmp_path / "r.json").read_text()), SCHEMA)
    assert (tmp_path / "d.csv").read_text().splitlines()[1:] == ['"j","j","lost",5',
                                                                  '"k","k","copied-not-deleted",5']


def test_only_unverifiable_content_exits_3_and_allow_incomplete_0(tmp_path) -> None:
    older = report(tmp_path / "old", "aws", [Row("k", *A, version="1", encryption="SSE-KMS")], "eu", when=T0)
    source = report(tmp_path / "new", "aws", [], "eu", when=T1)
    destination = report(tmp_path, "gcp", [Row("k", *A)], "us")
    assert main(["transfer", older, source, destination, "--format", "json", "--output", str(tmp_path / "r.json")]) == 3
    rules = [f["rule"] for f in json.loads((tmp_path / "r.json").read_text())["findings"]]
    assert rules == ["transfer-content-unverified"]
    assert main(["transfer", older, source, destination, "--allow-incomplete", "-f", "csv",
                 "-o", str(tmp_path / "r")]) == 0


def test_a_corrupt_shard_is_one_line_and_exit_3(tmp_path, capsys) -> None:
    source = Path(report(tmp_path, "aws", [Row("k", *A, version="1")], "eu"))
    key = json.loads(source.read_text())["files"][0]["key"]
    (source.parents[4] / key).write_bytes(b"\x1f\x8bgarbage")
    destination = report(tmp_path, "aws", [Row("k", *A)], "us")
    assert main(["transfer", str(source), destination, "-f", "json", "-o", str(tmp_path / "r.json")]) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unverifiable" in err and "truncated" in err
    findings = json.loads((tmp_path / "r.json").read_text())["findings"]
    assert [(f["rule"], f["status"]) for f in findings] == [("transfer-inventory-unverifiable", "unverifiable")]


@pytest.mark.parametrize("args", [["only-one"], ["a.json", "b.json", "--map", "no-equals"],
                                  ["x", "y", "--memory-limit", "lots"], ["ftp://x", "y"],
                                  ["a.json", "b.json", "--temp-dir", "/nonexistent/dir"]])
def test_usage_errors_exit_2_with_one_line(tmp_path, capsys, args) -> None:
    assert main(["transfer", *args]) == 2
    err = capsys.readouterr().err
    assert err.startswith("residency: error: ") and err.count("\n") == 1


def test_transfers_declared_in_a_policy_carry_its_id_and_severity(tmp_path) -> None:
    older, newer, destination = _moved_everything(tmp_path)
    source = report(tmp_path / "left", "aws", [Row("k", *A, version="1")], "eu2")
    policy = tmp_path / "policies" / "us.yaml"
    policy.parent.mkdir()
    policy.write_text(f"""policies:
  - id: us-user-data
    title: US users' data stays in the United States
    description: Private data of US users is stored only in the US.
    severity: critical
    scope: {{providers: [aws]}}
    allowed: {{countries: [US]}}
    transfers:
      - from: [{Path(older).relative_to(policy.parent.parent).as_posix().join(['../', ''])}, {newer}]
        to: {destination}
        map: {{"eu/": "us/"}}
      - from: {source}
        to: {destination}
""")
    assert main(["transfer", "--policy", str(policy.parent), "-f", "json", "-o", str(tmp_path / "r.json"),
                 "--details", str(tmp_path / "d.parquet")]) == 1
    document = json.loads((tmp_path / "r.json").read_text())
    found = {(f["policy"], f["rule"], f["severity"]) for f in document["findings"]}
    assert found == {("us-user-data", "transfer-verified", "critical"),
                     ("us-user-data", "transfer-not-copied", "critical")}
    assert [t["summary"]["moved"] for t in document["transfers"]] == [1, 0]
    assert pq.read_table(tmp_path / "d-2.parquet").column("class").to_pylist() == ["not-copied"]
