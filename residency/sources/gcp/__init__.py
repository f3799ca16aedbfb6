"""Google Cloud Storage adapter: `create(options)` and `permissions()` (see `residency.sources`)."""

from __future__ import annotations

from residency.sources.contract import ScanOptions
from residency.sources.gcp.adapter import GcpAdapter
from residency.sources.gcp.permissions import permissions

__all__ = ["GcpAdapter", "create", "permissions"]


def create(options: ScanOptions) -> GcpAdapter:
    return GcpAdapter(options)
