"""Bucket tags in bulk from the Resource Groups Tagging API, per bucket only as a fallback.

The Tagging API is regional on AWS: a region's answer lists the tagged buckets of that
region (untagged buckets never appear). So a bucket missing from the answer of its own
region is untagged. Some endpoints (moto) answer every region with every bucket; one bucket
seen in the answer of a region other than its own proves that, and then one answer is
enough for all regions.

A mapping that cannot be read leaves that bucket's tags unknown, and an answer cut short (a
repeated token, the page cap) or holding a mapping without an ARN proves nothing about the
buckets it left out: those buckets fall back to GetBucketTagging, never to "untagged".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from residency.sources.aws.answers import entries, tag_pairs, text
from residency.sources.aws.errors import AWS_ERRORS, MalformedAnswer, describe_error, error_code, is_access_denied
from residency.sources.paging import PageGuard

Tags = tuple[tuple[str, str], ...]
RESOURCES_PER_PAGE = 100
MAX_TAGGING_PAGES = 10_000  # a million tagged resources of a region at the API's 100 per page
_NO_TAGS_CODES = frozenset({"NoSuchTagSet", "NoSuchTagSetError"})


@dataclass
class RegionAnswer:
    """What one region's Tagging API said: tags of the buckets it listed, buckets whose mapping was
    malformed (their tags are read one by one instead), and why the answer is incomplete, if it is
    (then a bucket missing from it is not provably untagged)."""

    found: dict[str, Tags] = field(default_factory=dict)
    malformed: dict[str, str] = field(default_factory=dict)
    incomplete: str | None = None


def tagged_buckets_in_region(tagging: Any, partition: str, region: str) -> RegionAnswer:
    """Bucket name -> tags for every tagged bucket the region's Tagging API reports."""
    prefix = f"arn:{partition}:s3:::"
    answer = RegionAnswer()
    call = f"tag:GetResources in {region}"
    guard = PageGuard(call, MAX_TAGGING_PAGES)
    params: dict[str, Any] = {"ResourceTypeFilters": ["s3"], "ResourcesPerPage": RESOURCES_PER_PAGE}
    while True:
        page = tagging.get_resources(**params)
        for mapping in entries(page, "ResourceTagMappingList", call):
            arn = text(mapping, "ResourceARN")
            if arn is None:
                answer.incomplete = f"{call} answered a mapping without a ResourceARN"
                continue
            name = arn[len(prefix):]
            if not arn.startswith(prefix) or not name or "/" in name:
                continue
            try:
                answer.found[name] = tag_pairs(mapping.get("Tags"), call)
            except MalformedAnswer as error:
                answer.malformed[name] = str(error)
        token = page.get("PaginationToken")
        if not guard.follow(token):
            answer.incomplete = guard.cut_short or answer.incomplete
            return answer
        params["PaginationToken"] = token


def bucket_tags(s3: Any, name: str) -> tuple[Tags | None, Exception | None]:
    """GetBucketTagging: (tags, None) or (None, error). NoSuchTagSet means no tags."""
    try:
        answer = s3.get_bucket_tagging(Bucket=name)
        return tag_pairs(answer.get("TagSet"), "GetBucketTagging"), None
    except AWS_ERRORS as error:
        if error_code(error) in _NO_TAGS_CODES:
            return (), None
        return None, error


@dataclass
class TagIndex:
    """What the Tagging API answers have told us so far, region by region."""

    partition: str
    regions: dict[str, str] = field(default_factory=dict)  # bucket -> region, as learned
    seen: dict[str, Tags] = field(default_factory=dict)
    seen_in: dict[str, str] = field(default_factory=dict)  # bucket -> first region whose answer had it
    asked: set[str] = field(default_factory=set)
    failed: dict[str, str] = field(default_factory=dict)  # region -> why its answer is missing or partial
    malformed: dict[str, str] = field(default_factory=dict)  # bucket -> why its mapping could not be read
    answers_globally: bool = False
    denied: bool = False  # AccessDenied: IAM is global, so no other region would answer either

    def ask(self, tagging: Any, region: str) -> None:
        if region in self.asked or region in self.failed:
            return
        try:
            answer = tagged_buckets_in_region(tagging, self.partition, region)
        except AWS_ERRORS as error:
            self.failed[region] = f"tag:GetResources in {region}: {describe_error(error)}"
            self.denied = self.denied or is_access_denied(error)
            return
        self.malformed.update(answer.malformed)
        if answer.incomplete:  # what it listed is known; what it left out is not proven untagged
            self.failed[region] = answer.incomplete
        self.record_answer(region, answer.found, complete=answer.incomplete is None)

    def record_answer(self, region: str, found: dict[str, Tags], complete: bool = True) -> None:
        if complete:
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
        if name in self.malformed:
            return None
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
        answer = s3control.list_tags_for_resource(AccountId=account, ResourceArn=arn)
        return tag_pairs(answer.get("Tags"), "ListTagsForResource"), None
    except AWS_ERRORS as error:
        return None, error
