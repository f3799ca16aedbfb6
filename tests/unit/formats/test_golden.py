"""Golden files: every registered format, rendered from the one fixed scan result."""

from __future__ import annotations

import pytest

from residency.findings.model import ScanResult
from residency.formats import FORMATS
from tests.unit.formats.golden import assert_golden


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_matches_its_golden_file(name: str, sample: ScanResult) -> None:
    fmt = FORMATS[name]
    assert_golden(f"residency.{fmt.extension}", fmt.render(sample))
