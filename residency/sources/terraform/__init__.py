"""Terraform plan source: evaluate a `terraform show -json` plan before anything is created.

`PlanSource(path, catalog)` keeps the sources' contract: `collect` turns the plan into an
`Inventory` whose resources are keyed by Terraform address, so the engine, formats and exit codes
work exactly as for a scan. A plan holds everything it will create, so the collection plan is not
consulted: nothing is fetched.
"""

from __future__ import annotations

from pathlib import Path

from residency.catalog import Catalog
from residency.inventory.model import Inventory
from residency.sources.contract import CollectionPlan, Progress
from residency.sources.terraform.loader import SUPPORTED_TYPES, load_plan

__all__ = ["SUPPORTED_TYPES", "PlanSource", "load_plan"]


class PlanSource:
    def __init__(self, path: str | Path, catalog: Catalog) -> None:
        self.path = path
        self.catalog = catalog

    def collect(self, plan: CollectionPlan, progress: Progress) -> Inventory:
        del plan, progress  # everything is in the file already
        return load_plan(self.path, self.catalog)
