"""Google Cloud location codes as the services spell them -> placements the engine judges.

- A region (`us-central1`) is one PRIMARY placement; a zone (`us-central1-a`) is its region.
- A multi- or dual-region (`US`, `EU`, `nam5`, `spanner/nam6`) is one MEMBER placement per member
  region the catalog publishes, else one MEMBER placement with its own code (the catalog then
  decides: `us` is the United States, `eu` only "EU member states").
- A code the catalog does not know stays as it is: the engine reports it unverifiable.
- Cloud SQL backups and Compute snapshots without a location go to "the multi-region closest to"
  their source; Google names that multi-region only for us-*, europe-* and asia-* regions (us, eu,
  asia). Elsewhere the closest one is not published: it stays unknown (None), never guessed.
"""

from __future__ import annotations

import re

from residency.catalog import Catalog, LocationType, normalise_code
from residency.inventory.model import Placement, PlacementKind, Provider

_ZONE = re.compile(r"^(?P<region>[a-z]+-[a-z]+\d+)-[a-z]$")
_CLOSEST = {"us": "us", "europe": "eu", "asia": "asia"}


def region_of(location: str) -> str:
    """`us-central1` for `us-central1-b` (or `projects/p/locations/us-central1-b`); other codes as they are."""
    code = normalise_code(location.rsplit("/", 1)[-1])
    match = _ZONE.match(code)
    return match.group("region") if match else code


def closest_multi_region(region: str) -> str | None:
    return _CLOSEST.get(region_of(region).split("-")[0])


def placements(code: str | None, catalog: Catalog, why: str, *, service: str = "",
               kind: PlacementKind | None = None, target: str | None = None) -> tuple[Placement, ...]:
    """Where data at `code` lives. `kind` forces the placement kind (DERIVED for a copy's location on
    its source); otherwise PRIMARY for a region, MEMBER for the members of a multi-location."""
    if not code:
        return (Placement(kind or PlacementKind.PRIMARY, None, f"{why}: no location was given", target=target),)
    normalised = region_of(code)
    found = (catalog.lookup(Provider.GCP, f"{service}/{normalised}") if service else None) \
        or catalog.lookup(Provider.GCP, normalised)
    if found is None or found.type in (LocationType.REGION, LocationType.ZONE):
        return (Placement(kind or PlacementKind.PRIMARY, normalised, f"{why} {code}", target=target),)
    member_kind = kind or PlacementKind.MEMBER
    if found.members:
        reason = f"{why} {code} ({found.name})"
        return tuple(Placement(member_kind, member, reason, target=target) for member in found.members)
    return (Placement(member_kind, found.code, f"{why} {code} ({found.name})", target=target),)


def as_derived(found: tuple[Placement, ...], why: str, target: str) -> tuple[Placement, ...]:
    """A copy's own placements, as DERIVED placements on its source."""
    return tuple(Placement(PlacementKind.DERIVED, p.region, f"{why}: {p.reason}", target=target) for p in found)
