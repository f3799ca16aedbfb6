"""The fixed scan result every format test renders."""

from __future__ import annotations

import pytest

from residency.findings.model import ScanResult
from scripts.report_sample import sample_result


@pytest.fixture(scope="session")
def sample() -> ScanResult:
    return sample_result()
