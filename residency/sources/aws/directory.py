"""Directory buckets (S3 Express One Zone, Dedicated Local Zones): where is the zone?

The zone id is in the bucket name (`base--use1-az4--x-s3`). The catalog knows zone ids with
their parent region and country; for a zone it lacks, DescribeAvailabilityZones says whether
it is an ordinary Availability Zone (then it is in its region) or a Local Zone, which can be
in another country than its parent region and so stays unknown rather than guessed.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from residency.catalog import Catalog
from residency.inventory.model import Placement, PlacementKind, Provider
from residency.sources.aws.answers import entries, text
from residency.sources.aws.errors import AWS_ERRORS, describe_error


@dataclass(frozen=True, slots=True)
class ZoneInfo:
    zone_id: str
    zone_type: str | None  # "availability-zone", "local-zone", ... None when not described
    region: str | None
    group: str | None
    error: str = ""


def describe_zones(ec2: Any, zone_ids: list[str]) -> dict[str, ZoneInfo]:
    try:
        zones = entries(ec2.describe_availability_zones(ZoneIds=zone_ids, AllAvailabilityZones=True),
                        "AvailabilityZones", "DescribeAvailabilityZones")
    except AWS_ERRORS as error:
        reason = f"DescribeAvailabilityZones: {describe_error(error)}"
        return {z: ZoneInfo(z, None, None, None, reason) for z in zone_ids}
    found = {
        zone: ZoneInfo(zone, text(z, "ZoneType"), text(z, "RegionName"), text(z, "GroupName"))
        for z in zones if (zone := text(z, "ZoneId"))
    }
    missing = "DescribeAvailabilityZones does not list it"
    return {z: found.get(z, ZoneInfo(z, None, None, None, missing)) for z in zone_ids}


class ZoneResolver:
    """Zone id -> PRIMARY placement, asking EC2 at most once per zone."""

    def __init__(self, catalog: Catalog, clients: Any) -> None:
        self._catalog = catalog
        self._clients = clients
        self._lock = threading.Lock()
        self._described: dict[str, ZoneInfo] = {}

    def placement(self, zone_id: str, region: str | None) -> Placement:
        known = self._catalog.lookup(Provider.AWS, zone_id)
        if known is not None:
            return Placement(PlacementKind.PRIMARY, known.code, f"directory bucket in zone {zone_id} ({known.name})")
        info = self._describe(zone_id, region)
        if info.zone_type == "availability-zone" and info.region:
            reason = f"directory bucket in Availability Zone {zone_id} of {info.region}"
            return Placement(PlacementKind.PRIMARY, info.region, reason)
        if info.zone_type:
            reason = (
                f"directory bucket in {info.zone_type} {zone_id} ({info.group or '?'}, parent region "
                f"{info.region or '?'}), which the catalog does not place in a country"
            )
        else:
            reason = f"directory bucket in zone {zone_id}, not in the catalog ({info.error})"
        return Placement(PlacementKind.PRIMARY, zone_id, reason)

    def _describe(self, zone_id: str, region: str | None) -> ZoneInfo:
        with self._lock:
            cached = self._described.get(zone_id)
        if cached is None:
            cached = describe_zones(self._clients.get("ec2", region), [zone_id])[zone_id]
            with self._lock:
                self._described[zone_id] = cached
        return cached
