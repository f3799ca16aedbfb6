"""Deletion evidence for one bucket: what is left, and what would stop it being deleted.

By default one page of ListObjectVersions proves "not empty" (counts then mean "at least"; when
that page shows no live object, one ListObjectsV2 key tells whether any exists at all);
`deep` pages through everything and adds bytes. Object Lock: the bucket's default retention
(GetObjectLockConfiguration) and, on a sample of listed versions, retention and legal holds
(GetObjectRetention / GetObjectLegalHold, which need no read access to object data).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from residency.inventory.model import DeletionEvidence, Facet, Gap, RetentionLock
from residency.inventory.tally import ObjectTally
from residency.sources.aws.answers import entries, text
from residency.sources.aws.errors import AWS_ERRORS, MalformedAnswer, describe_error, error_code
from residency.sources.aws.object_lock import default_retention, version_locks
from residency.sources.paging import PageGuard

EVIDENCE = Facet.DELETION_EVIDENCE

PROBE_PAGE_SIZE = 100
DEEP_PAGE_SIZE = 1000
LOCK_SAMPLE_PROBE = 5  # versions whose retention / legal hold is read in a probe
LOCK_SAMPLE_DEEP = 100
_NO_LIFECYCLE_CODES = frozenset({"NoSuchLifecycleConfiguration"})
CALL = "ListObjectVersions"
MAX_VERSION_PAGES = 100_000  # --deep: 100 million versions at 1,000 a page, then the counts are lower bounds


@dataclass
class VersionCounts:
    """The shared object tally, plus what S3's version listing adds."""

    tally: ObjectTally = field(default_factory=ObjectTally)
    versioned_ids: bool = False  # some version has a real id: versioning is or was enabled
    live_known: bool | None = None  # a truncated probe page without live objects: asked ListObjectsV2
    sample: list[tuple[str, str]] = field(default_factory=list)  # (key, version id)
    cut_short: str | None = None  # why a deep listing stopped before its last page

    @property
    def truncated(self) -> bool:
        return not self.tally.complete

    @property
    def is_empty(self) -> bool:
        t = self.tally
        return not (t.live or t.noncurrent or t.delete_markers or self.truncated)

    def add_page(self, page: Any, sample_size: int) -> None:
        tally = self.tally
        for version in entries(page, "Versions", CALL):
            key = text(version, "Key")
            size = version.get("Size", 0) if key is not None else None
            if key is None or not isinstance(size, int) or isinstance(size, bool):
                raise MalformedAnswer(f"{CALL} answered a version without a Key or a numeric Size")
            if version.get("IsLatest") is True:
                tally.live += 1
            else:  # not reported as the latest: counted as "deleted" data left behind
                tally.noncurrent += 1
            tally.bytes += size
            version_id = text(version, "VersionId") or "null"
            self.versioned_ids = self.versioned_ids or version_id != "null"
            if len(self.sample) < sample_size:
                self.sample.append((key, version_id))
        tally.delete_markers += len(entries(page, "DeleteMarkers", CALL))
        tally.complete = page.get("IsTruncated") is False  # not reported: more may follow


def count_versions(s3: Any, name: str, deep: bool) -> VersionCounts:
    counts = VersionCounts()
    sample_size = LOCK_SAMPLE_DEEP if deep else LOCK_SAMPLE_PROBE
    guard = PageGuard(f"{CALL} of {name}", MAX_VERSION_PAGES)
    params: dict[str, Any] = {"Bucket": name, "MaxKeys": DEEP_PAGE_SIZE if deep else PROBE_PAGE_SIZE}
    while True:
        page = s3.list_object_versions(**params)
        counts.add_page(page, sample_size)
        if not (deep and counts.truncated):
            if counts.truncated and counts.tally.live == 0:
                counts.live_known = _any_live_object(s3, name)
            return counts
        key_marker, version_marker = text(page, "NextKeyMarker"), text(page, "NextVersionIdMarker")
        if not guard.follow(f"{key_marker}\x00{version_marker}" if key_marker else None):
            counts.cut_short = guard.cut_short or f"{CALL} of {name} said more versions follow but named no marker"
            return counts
        params["KeyMarker"] = key_marker
        if version_marker:
            params["VersionIdMarker"] = version_marker
        else:
            params.pop("VersionIdMarker", None)


def _any_live_object(s3: Any, name: str) -> bool:
    """ListObjectsV2 lists current objects only: one key proves live data, none proves there is none."""
    page = s3.list_objects_v2(Bucket=name, MaxKeys=1)
    count = page.get("KeyCount")
    if not isinstance(count, int) or isinstance(count, bool):  # not reported: count what was listed
        return bool(entries(page, "Contents", "ListObjectsV2"))
    return count > 0


def versioning_note(s3: Any, name: str) -> str:
    status = s3.get_bucket_versioning(Bucket=name).get("Status")
    return f"versioning: {str(status).lower()}" if status else "versioning: never enabled"


def lifecycle_note(s3: Any, name: str) -> str:
    try:
        rules = entries(s3.get_bucket_lifecycle_configuration(Bucket=name), "Rules", "GetBucketLifecycleConfiguration")
    except AWS_ERRORS as error:
        if error_code(error) in _NO_LIFECYCLE_CODES:
            return "lifecycle: none, so no rule expires noncurrent versions"
        raise
    for rule in rules:
        expiry = rule.get("NoncurrentVersionExpiration") if isinstance(rule, Mapping) else None
        if text(rule, "Status") == "Enabled" and isinstance(expiry, Mapping):
            days = expiry.get("NoncurrentDays", "?")
            return f"lifecycle: rule '{text(rule, 'ID') or '?'}' expires noncurrent versions after {days} days"
    return "lifecycle: no rule expires noncurrent versions"


def collect_residue(s3: Any, name: str, deep: bool, now: dt.datetime) -> tuple[DeletionEvidence, list[Gap]]:
    """Every part that fails becomes a Gap; the rest is still returned. The listing comes first:
    an empty bucket needs nothing else, and lifecycle rules only matter where "deleted" data is left."""
    gaps: list[Gap] = []
    notes: list[str] = []
    counts: VersionCounts | None = None
    try:
        counts = count_versions(s3, name, deep)
    except AWS_ERRORS as error:
        gaps.append(Gap("object versions", f"ListObjectVersions: {describe_error(error)}", EVIDENCE))
    if counts is not None and counts.is_empty:
        return residue_from(counts, [], ["empty: no objects, versions or delete markers"]), gaps
    readers = []
    if counts is None or counts.versioned_ids or counts.tally.delete_markers or counts.truncated:
        readers.append(("versioning", versioning_note))
    else:
        notes.append("versioning: not read, every object is an unversioned ('null') version")
    if counts is None or counts.tally.noncurrent or counts.tally.delete_markers or counts.truncated:
        readers.append(("lifecycle rules", lifecycle_note))
    for what, read_note in readers:
        try:
            notes.append(read_note(s3, name))
        except AWS_ERRORS as error:
            gaps.append(Gap(what, describe_error(error), EVIDENCE))
    locks: list[RetentionLock] = []
    try:
        locks = _locks(s3, name, counts, now, notes, gaps)
    except AWS_ERRORS as error:
        gaps.append(Gap("object lock configuration", f"GetObjectLockConfiguration: {describe_error(error)}", EVIDENCE))
    return residue_from(counts, locks, notes), gaps


def _locks(
    s3: Any, name: str, counts: VersionCounts | None, now: dt.datetime, notes: list[str], gaps: list[Gap]
) -> list[RetentionLock]:
    enabled, default = default_retention(s3, name)
    if not enabled:
        notes.append("object lock: not enabled")
        return []
    holds_versions = counts is None or counts.tally.live + counts.tally.noncurrent > 0 or counts.truncated
    locks = [default] if default and holds_versions else []
    if counts is not None and counts.sample:
        try:
            locks += version_locks(s3, name, counts.sample, now)
        except AWS_ERRORS as error:
            gaps.append(Gap("object retention and legal holds", describe_error(error), EVIDENCE))
            return locks
        notes.append(f"object lock: retention and legal holds read on {len(counts.sample)} version(s)")
    return locks


def residue_from(counts: VersionCounts | None, locks: list[RetentionLock], notes: list[str]) -> DeletionEvidence:
    if counts is None:
        return DeletionEvidence(locks=tuple(locks), notes=tuple(notes))
    if counts.cut_short:
        notes = [*notes, f"{counts.cut_short}: counts are lower bounds"]
    evidence = counts.tally.evidence(locks, notes)
    live = evidence.live_objects if counts.live_known is None else int(counts.live_known)
    # S3 has no soft delete: "deleted" data lives on as noncurrent versions, so none is known exactly.
    return evidence._replace(live_objects=live, soft_deleted_objects=0)
