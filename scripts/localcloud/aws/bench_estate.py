"""The benchmark's synthetic S3 estate: N buckets, mixed regions, half in scope, a tenth replicating.

Bucket i: region REGIONS[i % 8]; even i tagged `data-class=us-user-data` (in scope of the US
policy), i % 4 == 1 tagged `data-class=public`, i % 4 == 3 untagged. Every in-scope bucket holds an object; every
tenth (always an in-scope one) is also versioned, holds a deleted object (a noncurrent version
and a delete marker), and replicates to bucket i + 10 (also in scope, another region).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from residency.inventory.model import Provider
from residency.policy.model import LocationSet, Policy, Scope, Severity
from scripts.localcloud.aws.seed import Seeder

REGIONS = ("us-east-1", "eu-west-1", "us-west-2", "ap-southeast-1", "us-east-2", "eu-central-1",
           "ap-northeast-1", "sa-east-1")
US_REGIONS = frozenset({"us-east-1", "us-east-2", "us-west-2"})
IN_SCOPE = {"data-class": "us-user-data"}
OUT_OF_SCOPE = {"data-class": "public"}


@dataclass(frozen=True)
class BenchBucket:
    index: int

    @property
    def name(self) -> str:
        return f"bench-{self.index:05d}"

    @property
    def region(self) -> str:
        return REGIONS[self.index % len(REGIONS)]

    @property
    def tags(self) -> dict[str, str] | None:
        if self.index % 2 == 0:
            return IN_SCOPE
        return OUT_OF_SCOPE if self.index % 4 == 1 else None

    @property
    def replicating(self) -> bool:
        return self.index % 10 == 0

    @property
    def category(self) -> str:
        if self.tags is not IN_SCOPE:
            return "out of scope"
        return "in scope, allowed region" if self.region in US_REGIONS else "in scope, outside region"


def estate(count: int) -> list[BenchBucket]:
    return [BenchBucket(i) for i in range(count)]


def seed(seeder: Seeder, count: int, workers: int = 16) -> None:
    buckets = estate(count)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda b: _create(seeder, b), buckets))
        list(pool.map(lambda b: _replicate(seeder, b, count), [b for b in buckets if b.replicating]))


def _create(seeder: Seeder, bucket: BenchBucket) -> None:
    seeder.bucket(bucket.name, bucket.region, bucket.tags, versioned=bucket.replicating)
    if bucket.tags is IN_SCOPE:
        seeder.put(bucket.name, "kept.json")
    if bucket.replicating:
        seeder.put(bucket.name, "deleted.json")
        seeder.delete(bucket.name, "deleted.json")


def _replicate(seeder: Seeder, bucket: BenchBucket, count: int) -> None:
    destination = BenchBucket(bucket.index + 10)
    if destination.index < count:
        seeder.replicate(bucket.name, [(destination.name, None)])


def us_policy() -> Policy:
    return Policy(
        id="us-user-data", title="US user data stays in the US", description="benchmark policy",
        severity=Severity.HIGH, scope=Scope(frozenset({Provider.AWS}), tags=(("data-class", ("us-user-data",)),)),
        allowed=LocationSet(countries=frozenset({"US"})), denied=None,
    )


def categories(count: int) -> dict[str, str]:
    return {b.name: b.category for b in estate(count)}
