"""Terraform plan adapter: evaluate a `terraform show -json` plan before anything is created.

`load_plan(path, catalog)` turns the plan into an `Inventory` whose resources are keyed
by Terraform address, so the engine, formats and exit codes work exactly as for a scan.
"""

from __future__ import annotations

from residency.sources.terraform.loader import SUPPORTED_TYPES, load_plan

__all__ = ["SUPPORTED_TYPES", "load_plan"]
