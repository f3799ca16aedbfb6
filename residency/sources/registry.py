"""Cloud adapters by provider, declared once.

Each provider has a light options module (its CLI flags) and an adapter module with
`create(common, options) -> InventorySource`, imported only when a scan needs that provider,
so a GCP-only scan never imports boto3. `permissions` names the module whose `permissions()`
prints the least-privilege document.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from residency.inventory.model import Provider
from residency.sources.aws import options as aws_options
from residency.sources.azure import options as azure_options
from residency.sources.contract import CommonOptions, Diagnosis, InventorySource, OptionsModule, ProviderOptions
from residency.sources.gcp import options as gcp_options

Factory = Callable[[CommonOptions, ProviderOptions], InventorySource]


@dataclass(frozen=True, slots=True)
class ProviderEntry:
    provider: Provider
    title: str  # the argparse group title
    options: OptionsModule
    adapter_module: str  # defines create(common, options) -> InventorySource
    permissions_module: str  # defines permissions() -> str
    doctor_module: str  # defines diagnose(common, options) -> Diagnosis

    def create(self, common: CommonOptions, options: ProviderOptions) -> InventorySource:
        module = importlib.import_module(self.adapter_module)
        return cast(Factory, module.create)(common, options)

    def permissions(self) -> str:
        module = importlib.import_module(self.permissions_module)
        return cast(Callable[[], str], module.permissions)()

    def diagnose(self, common: CommonOptions, options: ProviderOptions) -> Diagnosis:
        module = importlib.import_module(self.doctor_module)
        return cast(Callable[[CommonOptions, ProviderOptions], Diagnosis], module.diagnose)(common, options)


ENTRIES: dict[Provider, ProviderEntry] = {
    entry.provider: entry
    for entry in (
        ProviderEntry(Provider.AWS, "AWS", aws_options, "residency.sources.aws.adapter",
                      "residency.sources.aws.permissions", "residency.sources.aws.doctor"),
        ProviderEntry(Provider.GCP, "Google Cloud", gcp_options, "residency.sources.gcp.adapter",
                      "residency.sources.gcp.permissions", "residency.sources.gcp.doctor"),
        ProviderEntry(Provider.AZURE, "Azure", azure_options, "residency.sources.azure.adapter",
                      "residency.sources.azure.permissions", "residency.sources.azure.doctor"),
    )
}


def permissions_document(provider: Provider) -> str:
    return ENTRIES[provider].permissions()
