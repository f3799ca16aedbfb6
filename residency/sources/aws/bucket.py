"""One general-purpose or directory bucket -> StorageResource, fetching only what the plan needs.

Each resource says which facets were collected: an out-of-scope bucket keeps its tags and, when
the listing gave it for free, its region; nothing else is fetched for it, and `check` with
other policies later reports what it would have needed as not collected.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from residency.inventory.kinds.aws import S3_BUCKET, S3_DIRECTORY_BUCKET
from residency.inventory.model import (
    DeletionEvidence,
    Facet,
    Gap,
    Placement,
    PlacementKind,
    Provider,
    ResourceKey,
    StorageResource,
)
from residency.sources.aws.bucket_region import BucketRegion, head_bucket_region, locate_bucket
from residency.sources.aws.deletion_evidence import collect_residue
from residency.sources.aws.directory import ZoneResolver
from residency.sources.aws.errors import describe_error, is_throttled
from residency.sources.aws.listing import ListedBucket, zone_of_directory_bucket
from residency.sources.aws.mrap import MrapIndex, mrap_placements
from residency.sources.aws.replication import replica_placement, replication_targets
from residency.sources.aws.session import Clients
from residency.sources.aws.tags import Tags, bucket_tags, directory_bucket_tags
from residency.sources.contract import CollectionPlan
from residency.untrusted.redact import clip

AWS = Provider.AWS
BUCKET_REGION = "bucket region"
OUT_OF_SCOPE = ("scope", "not covered by any loaded policy: only what the listing gave was recorded")


@dataclass
class BucketContext:
    """What every bucket of one account shares."""

    clients: Clients
    account: str
    partition: str
    plan: CollectionPlan
    deep: bool
    zones: ZoneResolver
    mrap_members: Callable[[], MrapIndex]
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    regions: dict[str, BucketRegion] = field(default_factory=dict)  # bucket name -> where it is (cache)
    pending: dict[str, Future[BucketRegion]] = field(default_factory=dict)  # located right now by a thread
    lock: threading.Lock = field(default_factory=threading.Lock)

    def arn(self, name: str) -> str:
        return f"arn:{self.partition}:s3:::{name}"

    def s3(self, region: str | None = None) -> Any:
        return self.clients.get("s3", region)

    def remember(self, name: str, located: BucketRegion) -> None:
        with self.lock:
            self.regions[name] = located

    def where(self, name: str) -> BucketRegion | None:
        with self.lock:
            return self.regions.get(name)

    def locate_once(self, name: str, locate: Callable[[], BucketRegion]) -> BucketRegion:
        """Each bucket is located at most once per scan, even when two threads ask at the same time
        (a bucket's own inspection and another bucket's replication rule)."""
        with self.lock:
            known = self.regions.get(name)
            if known is not None:
                return known
            pending = self.pending.get(name)
            owner = pending is None
            if pending is None:
                pending = self.pending[name] = Future()
        if not owner:
            return pending.result()
        try:
            located = locate()
        except BaseException as error:
            pending.set_exception(error)
            raise
        self.remember(name, located)
        pending.set_result(located)
        return located


def scan_bucket(ctx: BucketContext, listed: ListedBucket, tags: Tags | None) -> StorageResource | None:
    """None when the bucket vanished between listing and inspection.

    Tags that cannot be read become a gap on the tags facet: the engine then reports the bucket
    to every tag-scoped policy that might cover it, so it is located (and its replicas read) anyway."""
    found = _Found(ctx, listed.name, S3_BUCKET.id)
    tags, tags_unknown, throttled = _tags(ctx, listed, tags, found)
    found.tags = tags
    located = ctx.where(listed.name) or (BucketRegion(listed.region, "ListBuckets") if listed.region else None)
    if throttled:  # asking again would only add load
        found.located(_primary(located or BucketRegion(None, "", "not located: the bucket was throttled")))
        return found.resource()
    key = ResourceKey(AWS, ctx.account, S3_BUCKET.id, ctx.arn(listed.name), listed.name,
                      None if tags_unknown else tags)
    covered = ctx.plan.covers(key)
    if not covered:
        if located and located.region:  # known without a call
            found.located(_primary(located))
        found.attributes.append(OUT_OF_SCOPE)
        return found.resource()
    if located is None:
        located = ctx.locate_once(listed.name, lambda: locate_bucket(ctx.s3(), listed.name))
    if located.missing:
        return None
    found.located(_primary(located))
    found.attributes.append(("region-source", located.source))
    if located.throttled:  # asking again would only add load; the unknown region says why
        return found.resource()
    throttled = False
    if ctx.plan.wants_placements(PlacementKind.REPLICA, key):
        throttled = _replicas(ctx, listed.name, located.region, found)
        _mrap(ctx, listed.name, found)
    if located.region and ctx.plan.wants_deletion_evidence(key, [located.region]):
        found.collected.add(Facet.DELETION_EVIDENCE)
        if throttled:
            found.gap("deletion evidence", "not read: the bucket was still throttled after retries",
                      Facet.DELETION_EVIDENCE)
        else:
            evidence, evidence_gaps = collect_residue(ctx.s3(located.region), listed.name, ctx.deep, ctx.now)
            found.evidence = evidence
            found.gaps += evidence_gaps
    return found.resource()


@dataclass
class _Found:
    """What is known so far about one bucket, and which facets were collected."""

    ctx: BucketContext
    name: str
    kind: str
    tags: Tags = ()
    placements: list[Placement] = field(default_factory=list)
    collected: set[Facet] = field(default_factory=set)
    gaps: list[Gap] = field(default_factory=list)
    attributes: list[tuple[str, str]] = field(default_factory=list)
    evidence: DeletionEvidence | None = None

    def located(self, placement: Placement) -> None:
        self.placements.append(placement)
        self.collected.add(Facet.LOCATION)

    def gap(self, what: str, reason: str, facet: Facet) -> None:
        self.gaps.append(Gap(what, reason, facet))

    def resource(self) -> StorageResource:
        return StorageResource(
            provider=AWS, account=self.ctx.account, id=self.ctx.arn(self.name), name=self.name, kind=self.kind,
            placements=tuple(self.placements), collected=frozenset(self.collected), tags=self.tags,
            deletion_evidence=self.evidence, gaps=tuple(self.gaps), attributes=tuple(self.attributes),
        )


def _tags(ctx: BucketContext, listed: ListedBucket, bulk: Tags | None, found: _Found) -> tuple[Tags, bool, bool]:
    """(tags, whether they are unknown, whether the bucket is throttled): the bulk answer, else
    GetBucketTagging."""
    found.collected.add(Facet.TAGS)
    if bulk is not None:
        return bulk, False, False
    tags, error = bucket_tags(ctx.s3(listed.region), listed.name)
    if error is not None:
        found.gap("tags", f"GetBucketTagging: {describe_error(error)}", Facet.TAGS)
        return (), True, is_throttled(error)
    return tags or (), False, False


def _primary(located: BucketRegion) -> Placement:
    if located.region:
        return Placement(PlacementKind.PRIMARY, located.region, BUCKET_REGION)
    return Placement(PlacementKind.PRIMARY, None, f"bucket region unknown: {located.reason}")


def _replicas(ctx: BucketContext, name: str, region: str | None, found: _Found) -> bool:
    """Adds a placement per replication destination; True when the bucket is throttled."""
    found.collected.add(Facet.REPLICAS)
    targets, error = replication_targets(ctx.s3(region), name)
    if error is not None:
        found.gap("replication configuration", f"GetBucketReplication: {describe_error(error)}", Facet.REPLICAS)
        return is_throttled(error)
    for target in targets:
        located = None if target.problem else ctx.locate_once(
            target.bucket, partial(head_bucket_region, ctx.s3(), target.bucket))
        found.placements.append(replica_placement(target, located))
    return False


def _mrap(ctx: BucketContext, name: str, found: _Found) -> None:
    """Member regions of the bucket's MRAPs; an MRAP listing that failed or was partial leaves the
    bucket's membership unknown, a gap on its replicas (never "in no MRAP")."""
    index = ctx.mrap_members()
    found.placements += mrap_placements(name, index.memberships(name), ctx.partition)
    for reason in index.unknown:
        found.gap("multi-region access points", reason, Facet.REPLICAS)


def scan_directory_bucket(ctx: BucketContext, listed: ListedBucket) -> StorageResource:
    """Scoped like a general-purpose bucket; tags are read only when a tag-scoped policy covers
    the account. Unreadable tags become a gap on the tags facet, so tag-scoped policies cannot rule
    it out."""
    zone = zone_of_directory_bucket(listed.name) or "?"
    found = _Found(ctx, listed.name, S3_DIRECTORY_BUCKET.id, attributes=[("zone-id", zone)])
    if not ctx.plan.wants_account(AWS, ctx.account):
        found.attributes.append(OUT_OF_SCOPE)
        return found.resource()
    tags_unknown = True
    if ctx.plan.scopes_by_tags(AWS, ctx.account):
        found.collected.add(Facet.TAGS)
        read, error = directory_bucket_tags(
            ctx.clients.get("s3control", listed.region), ctx.partition, listed.region or ctx.clients.home_region,
            ctx.account, listed.name,
        )
        if error is not None:
            found.gap("tags", f"ListTagsForResource: {describe_error(error)}", Facet.TAGS)
        else:
            found.tags, tags_unknown = read or (), False
    key = ResourceKey(AWS, ctx.account, S3_DIRECTORY_BUCKET.id, ctx.arn(listed.name), listed.name,
                      None if tags_unknown else found.tags)
    if not ctx.plan.covers(key):
        found.attributes.append(OUT_OF_SCOPE)
        return found.resource()
    found.located(ctx.zones.placement(zone, listed.region))  # the catalog usually answers without a call
    found.attributes.append(("deletion-evidence", "not collected: listing a directory bucket needs CreateSession"))
    return found.resource()


def unreadable_bucket(ctx: BucketContext, listed: ListedBucket, reason: str) -> StorageResource:
    """A bucket whose inspection failed unexpectedly: what is known of it (its region, when the listing
    or a call gave it) and a gap on every other facet, never a crash."""
    kind = S3_DIRECTORY_BUCKET.id if zone_of_directory_bucket(listed.name) else S3_BUCKET.id
    found = _Found(ctx, listed.name, kind)
    reason = f"inspection failed: {clip(reason, 300)}"
    located = ctx.where(listed.name) or BucketRegion(listed.region, "ListBuckets", reason)
    if located.region and kind == S3_BUCKET.id:
        found.located(_primary(located))
        facets: tuple[Facet, ...] = (Facet.TAGS, Facet.REPLICAS, Facet.DELETION_EVIDENCE)
    else:
        found.located(Placement(PlacementKind.PRIMARY, None, reason))
        facets = (Facet.LOCATION, Facet.TAGS, Facet.REPLICAS, Facet.DELETION_EVIDENCE)
    found.collected.update(facets)
    for facet in facets:
        found.gap("inspection", reason, facet)
    return found.resource()
