"""Provider adapters, by name. Imported lazily so a GCP-only scan never imports boto3."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import cast

from residency.inventory.model import Provider
from residency.sources.contract import ProviderAdapter, ScanOptions

# provider -> (module, adapter factory, permissions function). Each adapter module defines
# `create(options: ScanOptions) -> ProviderAdapter` and `permissions() -> str`.
ADAPTERS: dict[Provider, str] = {
    Provider.AWS: "residency.sources.aws",
    Provider.GCP: "residency.sources.gcp",
    Provider.AZURE: "residency.sources.azure",
}


def create_adapter(provider: Provider, options: ScanOptions) -> ProviderAdapter:
    module = importlib.import_module(ADAPTERS[provider])
    factory = cast(Callable[[ScanOptions], ProviderAdapter], module.create)
    return factory(options)


def permissions_document(provider: Provider) -> str:
    module = importlib.import_module(ADAPTERS[provider])
    return cast(Callable[[], str], module.permissions)()
