"""One general-purpose or directory bucket -> StorageResource, fetching only what policies need."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from residency.engine.needs import ScanNeeds
from residency.inventory.model import (
    UNKNOWN_TAGS,
    DeletionEvidence,
    Gap,
    Placement,
    PlacementKind,
    Provider,
    StorageResource,
)
from residency.sources.aws.bucket_region import BucketRegion, head_bucket_region, locate_bucket
from residency.sources.aws.deletion_evidence import collect_residue
from residency.sources.aws.directory import ZoneResolver
from residency.sources.aws.errors import describe_error, is_throttled
from residency.sources.aws.listing import ListedBucket, zone_of_directory_bucket
from residency.sources.aws.mrap import MrapMember, mrap_placements
from residency.sources.aws.replication import replica_placement, replication_targets
from residency.sources.aws.session import Clients
from residency.sources.aws.tags import Tags, bucket_tags, directory_bucket_tags

AWS = Provider.AWS
BUCKET_REGION = "bucket region"
OUT_OF_SCOPE = ("scope", "not covered by any loaded policy: not located or inspected")


@dataclass
class BucketContext:
    """What every bucket of one account shares."""

    clients: Clients
    account: str
    partition: str
    needs: ScanNeeds
    deep: bool
    zones: ZoneResolver
    mrap_members: Callable[[], dict[str, list[list[MrapMember]]]]
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

    Tags that cannot be read become a `tags` gap: the engine then reports the bucket to every
    tag-scoped policy that might cover it, so it is located (and its replicas read) anyway."""
    gaps: list[Gap] = []
    tags, tags_unknown, throttled = _tags(ctx, listed, tags, gaps)
    arn = ctx.arn(listed.name)
    located = ctx.where(listed.name) or (BucketRegion(listed.region, "ListBuckets") if listed.region else None)
    if throttled:  # asking again would only add load
        placement = _primary(located or BucketRegion(None, "", "not located: the bucket was throttled"))
        return _resource(ctx, listed.name, "s3-bucket", (placement,), tags, None, gaps, ())
    covered = ctx.needs.covers(AWS, ctx.account, listed.name, arn, tags)
    if not (covered or tags_unknown):
        free = (_primary(located),) if located and located.region else ()  # known without a call
        return _resource(ctx, listed.name, "s3-bucket", free, tags, None, gaps, (OUT_OF_SCOPE,))
    if located is None:
        located = ctx.locate_once(listed.name, lambda: locate_bucket(ctx.s3(), listed.name))
    if located.missing:
        return None
    placements = [_primary(located)]
    attributes = (("region-source", located.source),)
    if located.throttled:  # asking again would only add load; the unknown region says why
        return _resource(ctx, listed.name, "s3-bucket", tuple(placements), tags, None, gaps, attributes)
    residue = None
    throttled = False
    if tags_unknown or ctx.needs.wants_kind(PlacementKind.REPLICA, AWS, ctx.account, listed.name, arn, tags):
        throttled = _replicas(ctx, listed.name, located.region, placements, gaps)
        placements += mrap_placements(listed.name, ctx.mrap_members().get(listed.name, []), ctx.partition)
    if covered and located.region and ctx.needs.wants_deletion_evidence(
        AWS, ctx.account, listed.name, arn, tags, [located.region]
    ):
        if throttled:
            gaps.append(Gap("deletion evidence", "not read: the bucket was still throttled after retries"))
        else:
            residue, residue_gaps = collect_residue(ctx.s3(located.region), listed.name, ctx.deep, ctx.now)
            gaps += residue_gaps
    return _resource(ctx, listed.name, "s3-bucket", tuple(placements), tags, residue, gaps, attributes)


def _tags(
    ctx: BucketContext, listed: ListedBucket, bulk: Tags | None, gaps: list[Gap]
) -> tuple[Tags, bool, bool]:
    """(tags, whether they are unknown, whether the bucket is throttled): the bulk answer, else
    GetBucketTagging."""
    if bulk is not None:
        return bulk, False, False
    tags, error = bucket_tags(ctx.s3(listed.region), listed.name)
    if error is not None:
        gaps.append(Gap(UNKNOWN_TAGS, f"GetBucketTagging: {describe_error(error)}"))
        return (), True, is_throttled(error)
    return tags or (), False, False


def _primary(located: BucketRegion) -> Placement:
    if located.region:
        return Placement(PlacementKind.PRIMARY, located.region, BUCKET_REGION)
    return Placement(PlacementKind.PRIMARY, None, f"bucket region unknown: {located.reason}")


def _replicas(
    ctx: BucketContext, name: str, region: str | None, placements: list[Placement], gaps: list[Gap]
) -> bool:
    """Adds a placement per replication destination; True when the bucket is throttled."""
    targets, error = replication_targets(ctx.s3(region), name)
    if error is not None:
        gaps.append(Gap("replication configuration", f"GetBucketReplication: {describe_error(error)}"))
        return is_throttled(error)
    for target in targets:
        located = ctx.locate_once(target.bucket, partial(head_bucket_region, ctx.s3(), target.bucket))
        placements.append(replica_placement(target, located))
    return False


def scan_directory_bucket(ctx: BucketContext, listed: ListedBucket) -> StorageResource:
    """Scoped like a general-purpose bucket; tags are read only when a tag-scoped policy covers
    the account. Unreadable tags become a `tags` gap, so tag-scoped policies cannot rule it out."""
    zone = zone_of_directory_bucket(listed.name) or "?"
    attributes: tuple[tuple[str, str], ...] = (("zone-id", zone),)
    kind = "s3-directory-bucket"
    if not ctx.needs.wants_account(AWS, ctx.account):
        return _resource(ctx, listed.name, kind, (), (), None, [], (OUT_OF_SCOPE, *attributes))
    gaps: list[Gap] = []
    tags: Tags = ()
    if ctx.needs.scopes_by_tags(AWS, ctx.account):
        read, error = directory_bucket_tags(
            ctx.clients.get("s3control", listed.region), ctx.partition, listed.region or ctx.clients.home_region,
            ctx.account, listed.name,
        )
        if error is not None:
            gaps.append(Gap(UNKNOWN_TAGS, f"ListTagsForResource: {describe_error(error)}"))
        tags = read or ()
    if not (gaps or ctx.needs.covers(AWS, ctx.account, listed.name, ctx.arn(listed.name), tags)):
        return _resource(ctx, listed.name, kind, (), tags, None, gaps, (OUT_OF_SCOPE, *attributes))
    placement = ctx.zones.placement(zone, listed.region)  # the catalog usually answers without a call
    attributes += (("deletion-evidence", "not collected: listing a directory bucket needs CreateSession"),)
    return _resource(ctx, listed.name, kind, (placement,), tags, None, gaps, attributes)


def unreadable_bucket(ctx: BucketContext, listed: ListedBucket, reason: str) -> StorageResource:
    """A bucket whose inspection failed unexpectedly: unverifiable, with the reason, never a crash."""
    kind = "s3-directory-bucket" if zone_of_directory_bucket(listed.name) else "s3-bucket"
    placement = Placement(PlacementKind.PRIMARY, None, f"inspection failed: {reason[:300]}")
    return _resource(ctx, listed.name, kind, (placement,), (), None, [Gap("inspection", reason[:300])], ())


def _resource(
    ctx: BucketContext,
    name: str,
    kind: str,
    placements: tuple[Placement, ...],
    tags: Tags,
    residue: DeletionEvidence | None,
    gaps: list[Gap],
    attributes: tuple[tuple[str, str], ...],
) -> StorageResource:
    return StorageResource(
        provider=AWS,
        account=ctx.account,
        id=ctx.arn(name),
        name=name,
        kind=kind,
        placements=placements,
        tags=tags,
        deletion_evidence=residue,
        gaps=tuple(gaps),
        attributes=attributes,
    )
