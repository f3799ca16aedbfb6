"""Every cloud adapter is registered, constructible from its own options, and keeps the contract."""

from __future__ import annotations

import argparse

import pytest

from residency.inventory.model import Provider
from residency.sources.contract import CommonOptions, InventorySource, SourceError
from residency.sources.registry import ENTRIES


def _parsed(provider: Provider, argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    ENTRIES[provider].options.add_arguments(parser.add_argument_group(ENTRIES[provider].title))
    return parser.parse_args(argv)


@pytest.mark.parametrize("provider", list(Provider))
def test_every_provider_is_registered_with_its_own_options(provider: Provider) -> None:
    entry = ENTRIES[provider]
    assert entry.provider is provider
    options = entry.options.from_args(_parsed(provider, []))
    assert options.given_flags() == ()


@pytest.mark.parametrize("provider", list(Provider))
def test_every_adapter_is_constructed_and_satisfies_the_contract(
    provider: Provider, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RESIDENCY_AZURE_MANAGEMENT_ENDPOINT", "http://127.0.0.1:9")  # no credential lookup
    entry = ENTRIES[provider]
    adapter = entry.create(CommonOptions(max_workers=2), entry.options.from_args(_parsed(provider, [])))
    assert isinstance(adapter, InventorySource)
    assert callable(adapter.collect)


def test_options_of_another_provider_are_refused() -> None:
    gcp_options = ENTRIES[Provider.GCP].options.from_args(_parsed(Provider.GCP, ["--gcp-project", "p"]))
    assert gcp_options.given_flags() == ("--gcp-project",)
    with pytest.raises(SourceError, match="AWS options expected"):
        ENTRIES[Provider.AWS].create(CommonOptions(), gcp_options)


def test_doctor_says_there_are_no_credentials_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: object,
) -> None:
    from residency.cli import main

    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://doctor:FAKE-doctor-pass@127.0.0.1:9")
    assert main(["doctor", "--provider", "aws"]) == 3
    out = capsys.readouterr().out
    assert "aws: no usable credentials" in out and "FAIL credentials" in out
    assert "FAKE-doctor-pass" not in out and "endpoint AWS_ENDPOINT_URL=http://***@127.0.0.1:9" in out


def test_plans_and_snapshots_are_inventory_sources_too(tmp_path: object) -> None:
    from pathlib import Path

    from residency.catalog import load_catalog
    from residency.inventory.model import Inventory
    from residency.inventory.snapshot import dumps
    from residency.sources.contract import CollectEverything, NullProgress
    from residency.sources.snapshot import SnapshotSource
    from residency.sources.terraform import PlanSource

    snapshot = Path(str(tmp_path)) / "inv.json"
    snapshot.write_text(dumps(Inventory((), scanned=(("aws", "1"),))))
    plan_file = Path(__file__).resolve().parents[2] / "data" / "plans"
    plan = next(p for p in sorted(plan_file.glob("*.json")))
    for source in (SnapshotSource(snapshot), PlanSource(plan, load_catalog())):
        assert isinstance(source, InventorySource)
        assert isinstance(source.collect(CollectEverything(), NullProgress()), Inventory)
