"""Multi-Region Access Points: each member bucket's region is a candidate copy location of the
other members (an MRAP only routes requests, but it exists to serve the same data from each).

ListMultiRegionAccessPoints is an s3control call always served from us-west-2.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from residency.inventory.model import Placement, PlacementKind

MRAP_CONTROL_REGION = "us-west-2"


@dataclass(frozen=True, slots=True)
class MrapMember:
    mrap: str
    bucket: str
    region: str | None
    account: str | None


def list_mrap_members(s3control: Any, account: str) -> dict[str, list[list[MrapMember]]]:
    """Bucket name -> the member lists of every MRAP it belongs to."""
    by_bucket: dict[str, list[list[MrapMember]]] = defaultdict(list)
    # One answer holds up to 100 MRAPs, the per-account maximum; MaxResults is documented as
    # "not currently used", so only a NextToken the service returns is followed.
    params: dict[str, Any] = {"AccountId": account}
    while True:
        page = s3control.list_multi_region_access_points(**params)
        for point in page.get("AccessPoints", []):
            members = [
                MrapMember(str(point["Name"]), str(r["Bucket"]), r.get("Region") or None, r.get("BucketAccountId"))
                for r in point.get("Regions", [])
            ]
            for member in members:
                by_bucket[member.bucket].append(members)
        token = page.get("NextToken")
        if not token:
            return dict(by_bucket)
        params["NextToken"] = token


def mrap_placements(bucket: str, memberships: list[list[MrapMember]], partition: str) -> list[Placement]:
    placements = []
    for members in memberships:
        for member in members:
            if member.bucket == bucket:
                continue
            where = member.region or "an unknown region"
            reason = (
                f"Multi-Region Access Point '{member.mrap}' also routes to {member.bucket} in {where} "
                f"(a candidate copy location)"
            )
            target = f"arn:{partition}:s3:::{member.bucket}"
            placements.append(Placement(PlacementKind.REPLICA, member.region, reason, target=target))
    return placements
