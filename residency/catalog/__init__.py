"""Region catalog: provider location codes -> countries, geographies, pairs and groups.

The data lives in `data/*.yaml` beside this module (package data, sources cited in its
comments). A location whose country set is not published is *unknown* (`countries is
None`), never guessed; it may still carry a `bound` (the countries it is promised to stay
within, e.g. the EU member states for the GCS `EU` multi-region) and `promises` (the
groups that promise stands for).
"""

from __future__ import annotations

from residency.catalog.loader import load_catalog
from residency.catalog.types import Catalog, CatalogLocation, LocationGroup, LocationType, normalise_code

__all__ = [
    "Catalog",
    "CatalogLocation",
    "LocationGroup",
    "LocationType",
    "load_catalog",
    "normalise_code",
]
