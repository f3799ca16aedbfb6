"""Multi-Region Access Points: each member bucket's region is a candidate copy location of the
other members (an MRAP only routes requests, but it exists to serve the same data from each).

ListMultiRegionAccessPoints is an s3control call always served from us-west-2. What cannot be
read is never "no MRAP": a listing that failed or was cut short, or an access point whose member
list is unreadable, leaves every bucket's MRAP membership unknown (`MrapIndex.unknown`, a gap on
each bucket's replicas); a member entry without its bucket is a member of unknown location.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from residency.inventory.model import Placement, PlacementKind
from residency.sources.aws.answers import entries, text
from residency.sources.aws.errors import MalformedAnswer
from residency.sources.paging import PageGuard

MRAP_CONTROL_REGION = "us-west-2"
MAX_MRAP_PAGES = 10  # an account holds at most 100 MRAPs, all of which fit in one answer
CALL = "ListMultiRegionAccessPoints"
UNKNOWN_BUCKET = "(a member whose bucket was not reported)"


@dataclass(frozen=True, slots=True)
class MrapMember:
    mrap: str
    bucket: str
    region: str | None
    account: str | None


@dataclass
class MrapIndex:
    by_bucket: dict[str, list[list[MrapMember]]] = field(default_factory=lambda: defaultdict(list))
    unknown: list[str] = field(default_factory=list)  # why any bucket's membership may be unknown

    def memberships(self, bucket: str) -> list[list[MrapMember]]:
        return self.by_bucket.get(bucket, [])


def list_mrap_members(s3control: Any, account: str) -> MrapIndex:
    """Bucket name -> the member lists of every MRAP it belongs to."""
    index = MrapIndex()
    # One answer holds up to 100 MRAPs, the per-account maximum; MaxResults is documented as
    # "not currently used", so only a NextToken the service returns is followed.
    guard = PageGuard(CALL, MAX_MRAP_PAGES)
    params: dict[str, Any] = {"AccountId": account}
    while True:
        page = s3control.list_multi_region_access_points(**params)
        for point in entries(page, "AccessPoints", CALL):
            _add_point(index, point)
        token = page.get("NextToken")
        if not guard.follow(token):
            if guard.cut_short:
                index.unknown.append(f"{guard.cut_short}: access points after it were not listed")
            return index
        params["NextToken"] = token


def _add_point(index: MrapIndex, point: Any) -> None:
    name = text(point, "Name") or "(unnamed)"
    try:
        regions = entries(point, "Regions", f"{CALL} for access point '{name}'")
    except MalformedAnswer as error:
        index.unknown.append(f"{error}: its member buckets are unknown")
        return
    members = [MrapMember(name, text(r, "Bucket") or UNKNOWN_BUCKET, text(r, "Region"), text(r, "BucketAccountId"))
               for r in regions]
    for member in members:
        if member.bucket != UNKNOWN_BUCKET:
            index.by_bucket[member.bucket].append(members)


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
            known = member.bucket != UNKNOWN_BUCKET
            target = f"arn:{partition}:s3:::{member.bucket}" if known else None
            placements.append(Placement(PlacementKind.REPLICA, member.region, reason, target=target))
    return placements
