"""Shared helpers for the policy loader tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from residency.catalog import Catalog, load_catalog

REPO = Path(__file__).resolve().parents[3]
CORPUS = REPO / "tests" / "data" / "bad_policies"
EXAMPLES = REPO / "policies"

MINIMAL = """\
policies:
  - id: us-user-data
    title: US users' data stays in the United States
    description: Private data of US users is stored only in the US, and deleted elsewhere.
    severity: high
    scope:
      providers: [aws, gcp, azure]
      tags: {data-class: us-user-data}     # S3/Azure tags, GCS labels
    allowed:
      countries: [US]
    exemptions:
      - resource: "arn:aws:s3:::legacy-archive-*"
        reason: Archive being migrated, ticket DATA-142
        owner: data-platform@example.com
        expires: 2026-12-31
"""


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str | bytes], Path]:
    """Write a file under tmp_path and return its path."""

    def _write(name: str, content: str | bytes) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return _write
