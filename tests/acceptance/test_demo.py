"""The `make demo` pipeline on the small estate: every finding, exactly.

Starts the same local services as `make demo` (moto, Azurite, our GCS and Azure servers),
seeds the small estate through the real SDKs, runs `residency scan` as a subprocess over all
three providers with the shipped `policies/`, and compares every finding with what each
provider's demo module says its estate must produce.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from scripts.demo import PROVIDER_MODULES, run_demo

pytestmark = pytest.mark.integration


def _expected() -> set[tuple[str, str, str, str]]:
    expected: set[tuple[str, str, str, str]] = set()
    for module in PROVIDER_MODULES.values():
        expected |= set(module.DEMO_EXPECTATIONS[True])
    return expected


@pytest.fixture(scope="module")
def demo_run(tmp_path_factory: pytest.TempPathFactory):
    return run_demo(tmp_path_factory.mktemp("demo") / "reports", small=True, quiet=True)


def test_demo_scan_exits_with_violations(demo_run) -> None:
    assert demo_run.exit_code == 1


def test_demo_findings_are_exactly_the_expected_ones(demo_run) -> None:
    actual = {
        (f["policy"], f["rule"], f["status"], f["resource"]["name"])
        for f in demo_run.report["findings"]
    }
    assert actual == _expected()


def test_demo_writes_every_format(demo_run) -> None:
    from residency.formats import FORMATS

    names = {p.name for p in Path(demo_run.out_dir).iterdir() if p.is_file()}
    assert {f"residency.{f.extension}" for f in FORMATS.values()} <= names
    assert "inventory.json" in names


def test_demo_proves_the_migration_object_by_object(demo_run) -> None:
    import json

    from scripts.localcloud.transfer_story import EXPECTED

    report = json.loads((Path(demo_run.out_dir) / "transfer.json").read_text())
    assert [t["summary"] for t in report["transfers"]] == [EXPECTED]
    rules = {f["rule"] for f in report["findings"]}
    assert rules == {"transfer-lost", "transfer-content-mismatch", "transfer-copied-not-deleted",
                     "transfer-residual-versions"}


def test_no_credential_reaches_any_report(demo_run) -> None:
    assert demo_run.secrets  # the demo hands the scan access keys and tokens
    for path in Path(demo_run.out_dir).iterdir():
        if path.is_file():
            text = path.read_text(errors="replace")
            assert not [secret for secret in demo_run.secrets if secret in text], path.name
