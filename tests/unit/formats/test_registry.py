"""Every registered format renders, deterministically, for a full and for an empty scan."""

from __future__ import annotations

from dataclasses import replace

import pytest

from residency.findings.model import ScanResult
from residency.formats import FORMATS


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_renders_deterministically_and_not_empty(name: str, sample: ScanResult) -> None:
    render = FORMATS[name].render
    first = render(sample)
    assert first.strip()
    assert render(sample) == first


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_renders_a_scan_with_no_findings_and_no_policies(name: str, sample: ScanResult) -> None:
    empty = ScanResult(replace(sample.meta, account_gaps=(), policy_files=()), (), ())
    assert FORMATS[name].render(empty).strip()


def test_extensions_are_distinct_so_output_dir_writes_one_file_per_format() -> None:
    extensions = [fmt.extension for fmt in FORMATS.values()]
    assert len(extensions) == len(set(extensions))
