"""`make report-shot` (scripts/report_shot.py) writes a PNG of the HTML report."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from scripts import report_shot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not report_shot.CHROMIUM.exists(), reason="/usr/bin/chromium absent"),
]


def test_shoots_the_sample_when_no_report_is_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_shot, "ROOT", tmp_path)  # no reports/ here: falls back to the sample
    output = tmp_path / "docs" / "report.png"
    assert report_shot.main(["--output", str(output), "--width", "900"]) == 0
    assert output.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_newest_report_wins(tmp_path: Path) -> None:
    old, new = tmp_path / "a.html", tmp_path / "b.html"
    old.write_text("<p>old</p>")
    new.write_text("<p>new</p>")
    os.utime(old, (1, 1))
    assert report_shot.newest_report(tmp_path) == new
    assert report_shot.newest_report(tmp_path / "missing") is None
