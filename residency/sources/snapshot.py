"""A saved inventory snapshot as an inventory source (`residency check`): read, never fetched."""

from __future__ import annotations

from pathlib import Path

from residency.inventory.model import Inventory
from residency.inventory.snapshot import load_snapshot
from residency.sources.contract import CollectionPlan, Progress


class SnapshotSource:
    def __init__(self, path: str | Path) -> None:
        self.path = path

    def collect(self, plan: CollectionPlan, progress: Progress) -> Inventory:
        """The snapshot as it was saved; what its scan did not collect stays marked as such."""
        del plan, progress
        return load_snapshot(self.path)
