"""Bucket tags in bulk from the Resource Groups Tagging API, per bucket only as a fallback.

The Tagging API is regional on AWS: a region's answer lists the tagged buckets of that
region (untagged buckets never appear). So a bucket missing from the answer of its own
region is untagged. Some endpoints (moto) answer every region with every bucket; one bucket
seen in the answer of a region other than its own proves that, and then one answer is
enough for all regions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from residency.inventory.model import sorted_tags
from residency.sources.aws.errors import AWS_ERRORS, describe_error, error_code, is_access_denied

Tags = tuple[tuple[str, str], ...]
RESOURCES_PER_PAGE = 100
_NO_TAGS_CODES = frozenset({"NoSuchTagSet", "NoSuchTagSetError"})


def tagged_buckets_in_region(tagging: Any, partition: str) -> dict[str, Tags]:
    """Bucket name -> tags for every tagged bucket the region's Tagging API reports."""
    prefix = f"arn:{partition}:s3:::"
    found: dict[str, Tags] = {}
    params: dict[str, Any] = {"ResourceTypeFilters": ["s3"], "ResourcesPerPage": RESOURCES_PER_PAGE}
    while True:
        page = tagging.get_resources(**params)
        for mapping in page.get("ResourceTagMappingList", []):
            arn = str(mapping.get("ResourceARN", ""))
            name = arn[len(prefix):]
            if arn.startswith(prefix) and name and "/" not in name:
                found[name] = sorted_tags({t["Key"]: t["Value"] for t in mapping.get("Tags", [])})
        token = page.get("PaginationToken")
        if not token:
            return found
        params["PaginationToken"] = token


def bucket_tags(s3: Any, name: str) -> tuple[Tags | None, Exception | None]:
    """GetBucketTagging: (tags, None) or (None, error). NoSuchTagSet means no tags."""
    try:
        tag_set = s3.get_bucket_tagging(Bucket=name).get("TagSet", [])
    except AWS_ERRORS as error:
        if error_code(error) in _NO_TAGS_CODES:
            return (), None
        return None, error
    return sorted_tags({t["Key"]: t["Value"] for t in tag_set}), None


@dataclass
class TagIndex:
    """What the Tagging API answers have told us so far, region by region."""

    partition: str
    regions: dict[str, str] = field(default_factory=dict)  # bucket -> region, as learned
    seen: dict[str, Tags] = field(default_factory=dict)
    seen_in: dict[str, str] = field(default_factory=dict)  # bucket -> first region whose answer had it
    asked: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)  # region -> why its answer is missing
    answers_globally: bool = False
    denied: bool = False  # AccessDenied: IAM is global, so no other region would answer either

    def ask(self, tagging: Any, region: str) -> None:
        if region in self.asked or region in self.failed:
            return
        try:
            found = tagged_buckets_in_region(tagging, self.partition)
        except AWS_ERRORS as error:
            self.failed[region] = f"tag:GetResources in {region}: {describe_error(error)}"
            self.denied = self.denied or is_access_denied(error)
            return
        self.record_answer(region, found)

    def record_answer(self, region: str, found: dict[str, Tags]) -> None:
        self.asked.add(region)
        for name, tags in found.items():
            self.seen.setdefault(name, tags)
            self.seen_in.setdefault(name, region)
            self._check_global(name)

    def learn_region(self, name: str, region: str) -> None:
        self.regions[name] = region
        self._check_global(name)

    def _check_global(self, name: str) -> None:
        where, answered = self.regions.get(name), self.seen_in.get(name)
        if where and answered and where != answered:
            self.answers_globally = True

    def tags_of(self, name: str) -> Tags | None:
        """The bucket's tags, () when provably untagged, None while not known."""
        if name in self.seen:
            return self.seen[name]
        if self.answers_globally and self.asked:
            return ()
        region = self.regions.get(name)
        if region is not None and region in self.asked:
            return ()
        return None

    def regions_to_ask(self) -> list[str]:
        if self.denied:
            return []
        known = {r for r in self.regions.values()}
        return sorted(known - self.asked - set(self.failed))


def directory_bucket_tags(
    s3control: Any, partition: str, region: str, account: str, name: str
) -> tuple[Tags | None, Exception | None]:
    """S3 Control ListTagsForResource with the directory bucket's s3express ARN, which botocore
    routes to the regional `s3express-control` endpoint (so the client must be of that region)."""
    arn = f"arn:{partition}:s3express:{region}:{account}:bucket/{name}"
    try:
        tag_list = s3control.list_tags_for_resource(AccountId=account, ResourceArn=arn).get("Tags", [])
    except AWS_ERRORS as error:
        return None, error
    return sorted_tags({t["Key"]: t["Value"] for t in tag_list}), None
