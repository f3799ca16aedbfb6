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
