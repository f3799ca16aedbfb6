"""Listing general-purpose and directory buckets, paginating by hand.

ListBuckets is asked with `MaxBuckets` because real S3 only returns `BucketRegion` when the
request has a parameter. Pagination follows `ContinuationToken` ourselves: some S3-compatible
endpoints (moto) truncate at MaxBuckets without a token, so the page size is the API maximum.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MAX_BUCKETS_PER_PAGE = 10_000  # the API maximum: never truncated by an endpoint that omits the token
MAX_DIRECTORY_BUCKETS_PER_PAGE = 1000
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


def list_buckets(s3: Any) -> list[ListedBucket]:
    buckets: list[ListedBucket] = []
    params: dict[str, Any] = {"MaxBuckets": MAX_BUCKETS_PER_PAGE}
    while True:
        page = s3.list_buckets(**params)
        buckets.extend(ListedBucket(b["Name"], b.get("BucketRegion") or None) for b in page.get("Buckets", []))
        token = page.get("ContinuationToken")
        if not token:
            return buckets
        params["ContinuationToken"] = token


def zone_of_directory_bucket(name: str) -> str | None:
    """`base--use1-az4--x-s3` -> `use1-az4`; None for a name that is not a directory bucket's."""
    if not name.endswith(DIRECTORY_SUFFIX):
        return None
    stem = name[: -len(DIRECTORY_SUFFIX)]
    _, sep, zone = stem.rpartition("--")
    return zone if sep and zone else None


def list_directory_buckets(s3: Any) -> tuple[list[ListedBucket], bool]:
    """(directory buckets of one region, whether the answer also held general-purpose buckets).

    Real S3 never answers ListDirectoryBuckets with a general-purpose bucket; an endpoint that
    does (moto) does not implement directory buckets, and its other regions need not be asked.
    """
    buckets: list[ListedBucket] = []
    general = False
    params: dict[str, Any] = {"MaxDirectoryBuckets": MAX_DIRECTORY_BUCKETS_PER_PAGE}
    while True:
        page = s3.list_directory_buckets(**params)
        for bucket in page.get("Buckets", []):
            if zone_of_directory_bucket(bucket["Name"]):
                buckets.append(ListedBucket(bucket["Name"], bucket.get("BucketRegion") or None))
            else:
                general = True
        token = page.get("ContinuationToken")
        if not token:
            return buckets, general
        params["ContinuationToken"] = token
