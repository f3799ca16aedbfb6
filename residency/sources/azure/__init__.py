"""Azure Blob Storage adapter: storage accounts, geo-redundant secondaries, object replication,
deleted-but-recoverable accounts and deletion evidence (versions, soft delete, immutability).

`create(options)` builds the adapter; `permissions()` prints the custom role definition
with exactly the actions it uses. See docs/azure.md.
"""

from __future__ import annotations

from residency.sources.azure.adapter import AzureAdapter
from residency.sources.azure.permissions import permissions
from residency.sources.contract import ScanOptions

__all__ = ["AzureAdapter", "create", "permissions"]


def create(options: ScanOptions) -> AzureAdapter:
    return AzureAdapter(options)
