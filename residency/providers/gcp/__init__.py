"""Google Cloud Storage adapter: `create(options)` and `permissions()` (see `residency.providers`)."""

from __future__ import annotations

from residency.providers.base import ScanOptions
from residency.providers.gcp.adapter import GcpAdapter
from residency.providers.gcp.permissions import permissions

__all__ = ["GcpAdapter", "create", "permissions"]


def create(options: ScanOptions) -> GcpAdapter:
    return GcpAdapter(options)
