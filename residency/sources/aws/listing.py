"""Listing general-purpose and directory buckets, paginating by hand (and boundedly).

ListBuckets is asked with `MaxBuckets` because real S3 only returns `BucketRegion` when the
request has a parameter. Pagination follows `ContinuationToken` ourselves: some S3-compatible
endpoints (moto) truncate at MaxBuckets without a token, so the page size is the API maximum.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from residency.sources.aws.answers import entries, text
from residency.sources.paging import PageGuard

MAX_BUCKETS_PER_PAGE = 10_000  # the API maximum: never truncated by an endpoint that omits the token
MAX_DIRECTORY_BUCKETS_PER_PAGE = 1000
# Page caps: far above any real account (S3 allows up to a million general-purpose buckets and a
# few hundred directory buckets), low enough that a server issuing new tokens forever is stopped.
MAX_LIST_BUCKETS_PAGES = 1000
MAX_DIRECTORY_BUCKETS_PAGES = 100
DIRECTORY_SUFFIX = "--x-s3"

# Regions that host S3 Express One Zone directory buckets (AZs and Dedicated Local Zones),
# from the S3 user guide's "S3 Express One Zone Availability Zones and Regions" table.
DIRECTORY_BUCKET_REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-2",
    "ap-south-1",
    "ap-northeast-1",
    "eu-west-1",
    "eu-north-1",
)


@dataclass(frozen=True, slots=True)
class ListedBucket:
    name: str
    region: str | None  # from the listing's BucketRegion; None when the endpoint omits it


@dataclass
class BucketListing:
    buckets: list[ListedBucket] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what the listing could not say: the account's gaps
    general: bool = False  # ListDirectoryBuckets answered with a general-purpose bucket (see below)
    _names: set[str] = field(default_factory=set)

    def add(self, entry: Any, call: str, region: str | None = None) -> ListedBucket | None:
        """One entry; a nameless one is a problem (no bucket to record it on), a malformed
        BucketRegion is dropped (the bucket is then located by HeadBucket)."""
        name = text(entry, "Name")
        if name is None:
            problem = f"{call} answered an entry without a bucket name: that bucket could not be recorded"
            if problem not in self.problems:
                self.problems.append(problem)
            return None
        if name in self._names:
            return None  # a page served twice: each bucket once
        self._names.add(name)
        bucket = ListedBucket(name, (text(entry, "BucketRegion") or region or "").lower() or None)
        self.buckets.append(bucket)
        return bucket

    def cut_short(self, guard: PageGuard) -> None:
        if guard.cut_short:
            self.problems.append(f"{guard.cut_short}: buckets after it were not listed")


def list_buckets(s3: Any) -> BucketListing:
    listing = BucketListing()
    guard = PageGuard("ListBuckets", MAX_LIST_BUCKETS_PAGES)
    params: dict[str, Any] = {"MaxBuckets": MAX_BUCKETS_PER_PAGE}
    while True:
        page = s3.list_buckets(**params)
        for entry in entries(page, "Buckets", "ListBuckets"):
            listing.add(entry, "ListBuckets")
        token = page.get("ContinuationToken")
        if not guard.follow(token):
            listing.cut_short(guard)
            return listing
        params["ContinuationToken"] = token


def zone_of_directory_bucket(name: str) -> str | None:
    """`base--use1-az4--x-s3` -> `use1-az4`; None for a name that is not a directory bucket's."""
    if not name.endswith(DIRECTORY_SUFFIX):
        return None
    stem = name[: -len(DIRECTORY_SUFFIX)]
    _, sep, zone = stem.rpartition("--")
    return zone if sep and zone else None


def list_directory_buckets(s3: Any, region: str) -> BucketListing:
    """Directory buckets of one region; `general` when the answer also held general-purpose buckets.

    Real S3 never answers ListDirectoryBuckets with a general-purpose bucket; an endpoint that
    does (moto) does not implement directory buckets, and its other regions need not be asked.
    """
    listing = BucketListing()
    call = f"ListDirectoryBuckets in {region}"
    guard = PageGuard(call, MAX_DIRECTORY_BUCKETS_PAGES)
    params: dict[str, Any] = {"MaxDirectoryBuckets": MAX_DIRECTORY_BUCKETS_PER_PAGE}
    while True:
        page = s3.list_directory_buckets(**params)
        for entry in entries(page, "Buckets", call):
            name = text(entry, "Name")
            if name is not None and not zone_of_directory_bucket(name):
                listing.general = True
            else:
                listing.add(entry, call, region)
        token = page.get("ContinuationToken")
        if not guard.follow(token):
            listing.cut_short(guard)
            return listing
        params["ContinuationToken"] = token
