"""Where a bucket is: HeadBucket's region header first, GetBucketLocation as the last resort.

HeadBucket returns `x-amz-bucket-region` whether access is authorised or not (real S3);
GetBucketLocation reports us-east-1 as None/"" and eu-west-1 as the legacy "EU".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from residency.sources.aws.errors import (
    AWS_ERRORS,
    MalformedAnswer,
    describe_error,
    http_status,
    is_not_found,
    is_throttled,
    response_header,
)

REGION_HEADER = "x-amz-bucket-region"
_LEGACY_CONSTRAINTS = {"": "us-east-1", "EU": "eu-west-1"}


@dataclass(frozen=True, slots=True)
class BucketRegion:
    region: str | None
    source: str  # which call told us: "ListBuckets", "HeadBucket", "GetBucketLocation"
    reason: str = ""  # why the region is unknown, when it is
    missing: bool = False  # the bucket does not exist (404)
    throttled: bool = False  # still throttled after retries: ask this bucket nothing more


def normalise_location_constraint(value: object) -> str:
    """None is us-east-1 (S3 answers an empty LocationConstraint there, by design)."""
    if value is None:
        return "us-east-1"
    if not isinstance(value, str):
        raise MalformedAnswer(f"GetBucketLocation answered a LocationConstraint of type {type(value).__name__}")
    return _LEGACY_CONSTRAINTS.get(value, value).lower()


def head_bucket_region(s3: Any, name: str) -> BucketRegion:
    try:
        response = s3.head_bucket(Bucket=name)
    except AWS_ERRORS as error:
        region = response_header(error, REGION_HEADER)
        if region:
            return BucketRegion(region.lower(), "HeadBucket")
        if is_not_found(error) or http_status(error) == 404:
            return BucketRegion(None, "HeadBucket", f"bucket {name} does not exist (HeadBucket: 404)", missing=True)
        reason = f"HeadBucket: {describe_error(error)}, without a region header"
        return BucketRegion(None, "HeadBucket", reason, throttled=is_throttled(error))
    headers = response.get("ResponseMetadata", {}).get("HTTPHeaders", {})
    region = response.get("BucketRegion") or headers.get(REGION_HEADER)
    if region:
        return BucketRegion(str(region).lower(), "HeadBucket")
    return BucketRegion(None, "HeadBucket", "HeadBucket answered without a region header")


def locate_bucket(s3: Any, name: str) -> BucketRegion:
    """An own bucket: HeadBucket, then GetBucketLocation."""
    headed = head_bucket_region(s3, name)
    if headed.region or headed.missing or headed.throttled:
        return headed
    try:
        region = normalise_location_constraint(s3.get_bucket_location(Bucket=name).get("LocationConstraint"))
    except AWS_ERRORS as error:
        if is_not_found(error):
            return BucketRegion(None, "GetBucketLocation", f"bucket {name} does not exist", missing=True)
        reason = f"{headed.reason}; GetBucketLocation: {describe_error(error)}"
        return BucketRegion(None, "GetBucketLocation", reason, throttled=is_throttled(error))
    return BucketRegion(region, "GetBucketLocation")

