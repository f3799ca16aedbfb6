"""Where a bucket's data lives: its location, branched on the API's `locationType`.

- region: one PRIMARY placement (`us-central1`).
- dual-region: one MEMBER placement per member region. A configurable dual-region reads
  `location == "US"` with its regions in `customPlacementConfig.dataLocations`; a predefined
  one (NAM4, EUR4, ASIA1 ...) expands through the catalog, and when the catalog does not know
  it, stays one MEMBER placement with its own code (the engine then reports it unknown).
- multi-region: one MEMBER placement with the multi-region code (`us`, `eu`, `asia`).
"""

from __future__ import annotations

from residency.catalog import Catalog, LocationType, normalise_code
from residency.inventory.model import Placement, PlacementKind
from residency.sources.gcp.facts import BucketFacts

_TYPES = {"region": LocationType.REGION, "dual-region": LocationType.DUAL_REGION,
          "multi-region": LocationType.MULTI_REGION}


def bucket_placements(facts: BucketFacts, catalog: Catalog) -> tuple[Placement, ...]:
    if facts.location_problem:
        return (Placement(PlacementKind.PRIMARY, None, facts.location_problem),)
    if not facts.location:
        return (Placement(PlacementKind.PRIMARY, None, "the bucket resource carries no location"),)
    code = normalise_code(facts.location)
    location_type = _location_type(facts, code, catalog)
    if location_type is LocationType.REGION:
        return (Placement(PlacementKind.PRIMARY, code, f"bucket location {facts.location} (region)"),)
    if location_type is LocationType.DUAL_REGION:
        return _dual_region(facts, code, catalog)
    if location_type is LocationType.MULTI_REGION:
        return (Placement(PlacementKind.MEMBER, code, f"multi-region {facts.location}"),)
    return (Placement(PlacementKind.PRIMARY, code,
                      f"bucket location {facts.location} (location type {facts.location_type!r})"),)


def _location_type(facts: BucketFacts, code: str, catalog: Catalog) -> LocationType | None:
    """The API's `locationType`; the catalog decides only where the API says nothing useful.

    GCS itself is consistent, but emulators report every bucket as `multi-region` even when
    its location is a region; a region code the catalog knows with no data locations is a
    region whatever such a server claims. Data locations make a configurable dual-region
    whatever the (missing or other) type says: the data is in those regions.
    """
    if facts.data_locations:
        return LocationType.DUAL_REGION
    stated = _TYPES.get((facts.location_type or "").lower())
    known = catalog.lookup("gcp", code)
    if known is not None and known.type is LocationType.REGION:
        return LocationType.REGION
    if stated is not None:
        return stated
    return known.type if known is not None else None


def _dual_region(facts: BucketFacts, code: str, catalog: Catalog) -> tuple[Placement, ...]:
    if facts.data_locations:
        members = [normalise_code(region) for region in facts.data_locations]
        reason = f"configurable dual-region {facts.location} ({', '.join(facts.data_locations)})"
        return tuple(Placement(PlacementKind.MEMBER, member, reason) for member in members)
    known = catalog.lookup("gcp", code)
    if known is None or not known.members:
        return (Placement(PlacementKind.MEMBER, code,
                          f"dual-region {facts.location} (member regions not in the catalog)"),)
    reason = f"predefined dual-region {facts.location} ({', '.join(known.members)})"
    return tuple(Placement(PlacementKind.MEMBER, member, reason) for member in known.members)
