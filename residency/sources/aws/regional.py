"""What every regional kind shares: ARNs, the resource being built (`Draft`), paged list calls,
the enabled regions, and listing failures that become gaps.

A `Draft` is one resource while the scan still learns about it (a table's tags arrive from the
Tagging API, a snapshot's lineage from another region's listing, a backup plan's copy rule from
AWS Backup); `Draft.resource()` freezes it into a `StorageResource`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from residency.inventory.model import (
    DeletionEvidence,
    Facet,
    Gap,
    Lineage,
    Placement,
    PlacementKind,
    Provider,
    ResourceKey,
    StorageResource,
    Tags,
    sorted_tags,
)
from residency.sources.aws.errors import AWS_ERRORS, describe_error
from residency.sources.paging import PagingCut, pages

AWS = Provider.AWS


@dataclass(frozen=True, slots=True)
class Arn:
    partition: str
    service: str
    region: str
    account: str
    resource: str

    @classmethod
    def parse(cls, text: str) -> Arn | None:
        parts = str(text).split(":", 5)
        if len(parts) != 6 or parts[0] != "arn" or not parts[2]:
            return None
        return cls(parts[1], parts[2], parts[3], parts[4], parts[5])


def region_of_arn(text: str) -> str | None:
    arn = Arn.parse(text)
    return arn.region or None if arn else None


@dataclass(frozen=True, slots=True)
class Origin:
    """The resource a copy was made from (itself maybe a copy), and how that is known."""

    source_id: str | None  # None: the lineage could not be established
    how: str
    source_kind: str = ""  # the kind the source would have, when it is not in the inventory
    source_name: str = ""


@dataclass
class Draft:
    kind: str
    id: str
    name: str
    account: str
    region: str | None = None  # its own region; None with `region_reason` when unknown or not read
    region_reason: str = ""
    tags: Tags | None = None  # None: not read (or unreadable, with a gap)
    placements: list[Placement] = field(default_factory=list)
    collected: set[Facet] = field(default_factory=set)
    gaps: list[Gap] = field(default_factory=list)
    attributes: list[tuple[str, str]] = field(default_factory=list)
    origin: Origin | None = None  # a copy's immediate source (the source gets a derived placement)
    replica_of: Origin | None = None  # a replica's source (the source has a replica placement already)
    lineage: Lineage | None = None  # resolved from `origin` once every region is listed
    evidence: DeletionEvidence | None = None
    located: bool = True  # the listing says where it is (exports: only after DescribeExport)

    def set_tags(self, tags: dict[str, str] | list[dict[str, str]] | None) -> None:
        """Tags as the listing gave them (a TagList or a map): collected, even when empty."""
        if isinstance(tags, list):
            tags = {str(t.get("Key", "")): str(t.get("Value", "")) for t in tags}
        self.tags = sorted_tags(tags or {})
        self.collected.add(Facet.TAGS)

    def tags_unreadable(self, what: str, reason: str) -> None:
        self.tags = None
        self.collected.add(Facet.TAGS)
        self.gaps.append(Gap(what, reason, Facet.TAGS))

    @property
    def key(self) -> ResourceKey:
        unknown = self.tags is None or any(g.facet is Facet.TAGS for g in self.gaps)
        return ResourceKey(AWS, self.account, self.kind, self.id, self.name, None if unknown else self.tags)

    def add(self, kind: PlacementKind, region: str | None, reason: str, target: str | None = None) -> None:
        placement = Placement(kind, region, reason, target=target)
        if placement not in self.placements:
            self.placements.append(placement)

    def resource(self) -> StorageResource:
        placements = list(self.placements)
        if self.located:
            self.collected.add(Facet.LOCATION)
            own = (Placement(PlacementKind.PRIMARY, self.region, self.region_reason or "region")
                   if self.region else Placement(PlacementKind.PRIMARY, None, self.region_reason or "unknown"))
            placements.insert(0, own)
        return StorageResource(
            provider=AWS, account=self.account, id=self.id, name=self.name, kind=self.kind,
            placements=tuple(placements), collected=frozenset(self.collected), tags=self.tags or (),
            deletion_evidence=self.evidence, gaps=tuple(self.gaps), attributes=tuple(self.attributes),
            lineage=self.lineage,
        )


@dataclass
class Failures:
    """Listings that failed or were cut short, by what was listed: (region, reason) each."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    by_what: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def add(self, what: str, region: str, reason: str) -> None:
        with self.lock:
            self.by_what.setdefault(what, []).append((region, reason))

    def summary(self, what: str) -> str | None:
        """"in eu-west-1, ap-south-1 (AccessDenied ...); in us-east-1 (...)", or None when nothing failed."""
        regions_by_reason: dict[str, list[str]] = {}
        for region, reason in sorted(self.by_what.get(what, [])):
            regions_by_reason.setdefault(reason, []).append(region)
        return "; ".join(f"in {', '.join(regions)} ({reason})" for reason, regions in regions_by_reason.items()) or None

    def guard(self, what: str, region: str, task: Callable[[], None]) -> bool:
        """Run one listing; a cloud error or a cut listing is recorded, never raised. True when it ran."""
        try:
            task()
        except PagingCut as cut:
            self.add(what, region, cut.reason)
            return False
        except AWS_ERRORS as error:
            self.add(what, region, describe_error(error))
            return False
        return True


def list_all(
    call: Callable[..., Any], items: str, what: str, token_out: str = "NextToken", token_in: str | None = None,
    **params: Any,
) -> Iterator[dict[str, Any]]:
    """Every item of a paginated list call (raises the cloud's errors and `PagingCut`)."""
    def fetch(token: str | None) -> tuple[list[dict[str, Any]], str | None]:
        answer = call(**params, **({token_in or token_out: token} if token else {}))
        following = answer.get(token_out)
        return list(answer.get(items) or []), str(following) if following else None

    for batch in pages(fetch, what):
        yield from batch


def enabled_regions(ec2: Any) -> list[str]:
    """The regions enabled for the account (DescribeRegions without AllRegions lists only those)."""
    answer = ec2.describe_regions()
    return sorted({str(r["RegionName"]) for r in answer.get("Regions", []) if r.get("RegionName")})
