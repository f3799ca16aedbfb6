"""`check` with report options: the JUnit flavour, the SARIF category, notices on stderr, all-or-nothing writes."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from residency.cli import main
from residency.formats import FORMATS, sarif_results
from scripts.report_estate import Estate, write_estate


@pytest.fixture(scope="module")
def estate(tmp_path_factory: pytest.TempPathFactory) -> Estate:
    return write_estate(tmp_path_factory.mktemp("estate"), resources=300, accounts=5)


def _check(estate: Estate, *options: str) -> int:
    return main(["check", "--policy", str(estate.policy_dir), "--inventory", str(estate.snapshot),
                 "--allow-incomplete", *options])


def test_report_options_reach_the_writers(estate: Estate, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sarif_results, "MAX_RESULTS", 40)
    root = estate.policy_dir.parent
    (root / ".git").mkdir(exist_ok=True)  # the estate is a repository; run from inside it
    monkeypatch.chdir(root)
    junit, sarif = tmp_path / "r.xml", tmp_path / "r.sarif"
    _check(estate, "-f", "junit", "-o", str(junit), "--junit-flavor", "gitlab",
           "-f", "sarif", "-o", str(sarif), "--sarif-category", "residency/check-eu")
    cases = list(ET.parse(junit).getroot().iter("testcase"))
    listed = [case for case in cases if not case.get("name", "").startswith("residency: ")]
    policy_files = {f"policies/{p.name}" for p in estate.policy_dir.iterdir()}
    assert listed and {case.get("file") for case in listed} <= policy_files
    run = json.loads(sarif.read_text())["runs"][0]
    assert run["automationDetails"]["id"] == "residency/check-eu/" and len(run["results"]) == 40
    err = capsys.readouterr().err
    assert "residency: note: sarif: " in err and "findings are not listed one by one" in err


def test_a_failing_writer_leaves_every_earlier_report_untouched(estate: Estate, tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "reports"
    out.mkdir()
    for fmt in FORMATS.values():
        (out / f"residency.{fmt.extension}").write_text("old")

    def broken(*_: object) -> list[str]:
        raise RuntimeError("writer failed")

    monkeypatch.setitem(FORMATS, "oscal", FORMATS["oscal"].__class__("oscal", "oscal.json", "broken", broken))
    assert _check(estate, "--output-dir", str(out)) == 70  # a bug in a writer: an internal error
    assert {p.read_text() for p in out.iterdir()} == {"old"}  # nothing replaced, no temporary file left
