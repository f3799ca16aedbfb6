"""Deletion evidence for one bucket: what data is left, and what keeps it there.

Three listings (objects.list): live objects, all generations (`versions=true`, whose
entries with `timeDeleted` are noncurrent) and soft-deleted objects (`softDeleted=true`;
it cannot be combined with `versions`). By default each is a probe of one small page, so
counts mean "at least"; with `deep` every page is read and the counts are exact. When the
live probe finds the bucket empty, every generation the versions probe returns is
noncurrent, so "deleted data left behind" is decided from the first page either way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from residency.inventory.model import DeletionEvidence, Facet, Gap, RetentionLock
from residency.inventory.tally import counted
from residency.sources.gcp.calls import MAX_OBJECT_PAGES, CallLimits, raw_pages
from residency.sources.gcp.errors import CLOUD_ERRORS, describe_error
from residency.sources.gcp.facts import BucketFacts, MalformedRecord
from residency.sources.paging import PageGuard
from residency.untrusted.redact import clip

EVIDENCE = Facet.DELETION_EVIDENCE

PROBE_PAGE = 50
DEEP_PAGE = 1000
# Partial response: only what the tally reads (the JSON API `fields` selector).
LIST_FIELDS = ("items(name,generation,size,timeDeleted,temporaryHold,eventBasedHold,retention,"
               "retentionExpirationTime),nextPageToken")

ListBlobs = Callable[..., Any]  # storage.Client.list_blobs


@dataclass
class Tally:
    """One listing's counts (`count`: every entry; `noncurrent`: those with timeDeleted), plus the
    holds and retention seen on them."""

    count: int = 0
    noncurrent: int = 0
    size: int = 0
    complete: bool = True  # False: pages were left unread (a probe), so the counts are lower bounds
    temporary_holds: int = 0
    event_based_holds: int = 0
    retention_modes: dict[str, int] = field(default_factory=dict)
    retain_until: str | None = None
    retention_expires: str | None = None
    cut_short: str | None = None  # why a --deep listing stopped before its last page

    def add(self, item: dict[str, Any]) -> None:
        self.count += 1
        self.noncurrent += 1 if item.get("timeDeleted") else 0
        self.size += int(item.get("size") or 0)
        self.temporary_holds += 1 if item.get("temporaryHold") else 0
        self.event_based_holds += 1 if item.get("eventBasedHold") else 0
        retention = item.get("retention") or {}
        if retention.get("mode"):
            self.retention_modes[retention["mode"]] = self.retention_modes.get(retention["mode"], 0) + 1
            self.retain_until = max(filter(None, (self.retain_until, retention.get("retainUntilTime"))))
        if item.get("retentionExpirationTime"):
            self.retention_expires = max(filter(None, (self.retention_expires, item["retentionExpirationTime"])))


def tally(list_blobs: ListBlobs, bucket: str, deep: bool, limits: CallLimits, **kwargs: Any) -> Tally:
    result = Tally()
    iterator = list_blobs(bucket, page_size=DEEP_PAGE if deep else PROBE_PAGE, fields=LIST_FIELDS,
                          retry=limits.retry, timeout=limits.timeout, **kwargs)
    guard = PageGuard(f"objects.list of gs://{bucket}", MAX_OBJECT_PAGES)
    for page in raw_pages(iterator, guard):
        for item in page:
            if not isinstance(item, dict):
                raise MalformedRecord(f"objects.list of gs://{bucket} answered an entry that is not an object")
            result.add(item)
        if not deep:
            result.complete = iterator.next_page_token is None
            break
    if guard.cut_short:
        result.complete, result.cut_short = False, guard.cut_short
    return result


@dataclass
class Listings:
    live: Tally | None = None
    versions: Tally | None = None
    soft_deleted: Tally | None = None
    gaps: list[Gap] = field(default_factory=list)


def collect(
    list_blobs: ListBlobs, facts: BucketFacts, deep: bool, limits: CallLimits,
) -> tuple[DeletionEvidence, tuple[Gap, ...]]:
    listings = Listings()
    for attr, what, kwargs in (
        ("live", "objects", {}),
        ("versions", "noncurrent object generations", {"versions": True}),
        ("soft_deleted", "soft-deleted objects", {"soft_deleted": True}),
    ):
        try:
            setattr(listings, attr, tally(list_blobs, facts.name, deep, limits, **kwargs))
        except CLOUD_ERRORS as error:
            listings.gaps.append(Gap(what, describe_error(error), EVIDENCE))
        except (MalformedRecord, KeyError, TypeError, ValueError) as error:  # one listing's answer, not its bucket
            listings.gaps.append(Gap(what, clip(f"unexpected answer ({type(error).__name__}: {error})", 300), EVIDENCE))
    return build_residue(facts, listings), tuple(listings.gaps)


def build_residue(facts: BucketFacts, listings: Listings) -> DeletionEvidence:
    """Three listings, each complete or cut short on its own: every count is proven by its own
    listing (see `residency.inventory.tally.counted`); the evidence is exact when all three are."""
    live, versions, soft = listings.live, listings.versions, listings.soft_deleted
    exact = all(t is not None and t.complete for t in (live, versions, soft))
    return DeletionEvidence(
        live_objects=_seen(live, live.count if live else 0),
        noncurrent_versions=_seen(versions, versions.noncurrent if versions else 0),
        soft_deleted_objects=_seen(soft, soft.count if soft else 0),
        bytes=_bytes(live, versions, soft),
        exact=exact,
        locks=_locks(facts, live, versions, exact),
        notes=_notes(facts, listings),
    )


def _seen(listing: Tally | None, count: int) -> int | None:
    """None when not listed; GCS may answer a page with no entries but a nextPageToken, so a zero
    from a listing cut short is unknown rather than "none left"."""
    return None if listing is None else counted(count, listing.complete)


def _bytes(live: Tally | None, versions: Tally | None, soft: Tally | None) -> int | None:
    """Every stored byte: all generations (live ones included) plus soft-deleted objects."""
    stored = versions or live
    if stored is None or soft is None:
        return None
    return counted(stored.size + soft.size, stored.complete and soft.complete)


def _holds_data(live: Tally | None, versions: Tally | None) -> bool:
    """Locks only matter while objects they protect exist (or could not be counted)."""
    return any(t is None or t.count > 0 for t in (live, versions))


def _locks(facts: BucketFacts, live: Tally | None, versions: Tally | None,
           exact: bool) -> tuple[RetentionLock, ...]:
    locks: list[RetentionLock] = []
    at_least = "" if exact else "at least "
    listed = [t for t in (versions or live,) if t is not None]  # versions include the live objects
    settings = facts.settings
    if settings.retention_period is not None and _holds_data(live, versions):
        days = f"{settings.retention_period / 86400:g} day(s)"
        if settings.retention_locked:
            until = listed[0].retention_expires if listed and exact else None
            locks.append(RetentionLock("bucket-lock", f"Bucket Lock: a locked retention policy keeps each "
                                       f"object for {days} after it was written", until))
        else:
            locks.append(RetentionLock("retention-policy", f"an unlocked retention policy keeps each object "
                                       f"for {days}; the bucket owner can remove it", None, False))
    for seen in listed:
        if seen.temporary_holds:
            locks.append(RetentionLock("temporary-hold", f"temporary hold on {at_least}{seen.temporary_holds} "
                                       "object(s)"))
        if seen.event_based_holds:
            locks.append(RetentionLock("event-based-hold", f"event-based hold on {at_least}"
                                       f"{seen.event_based_holds} object(s)"))
        for mode, count in sorted(seen.retention_modes.items()):
            locked = mode == "Locked"
            locks.append(RetentionLock(f"object-retention-{mode.lower()}", f"{mode.lower()} object retention "
                                       f"on {at_least}{count} object(s)", seen.retain_until, locked))
    return tuple(locks)


def _notes(facts: BucketFacts, listings: Listings) -> tuple[str, ...]:
    tallies = [t for t in (listings.live, listings.versions, listings.soft_deleted) if t is not None]
    cut_short = any(not t.complete and t.cut_short is None for t in tallies)
    settings = facts.settings
    versioning = {True: "enabled", False: "disabled", None: "not reported"}[settings.versioning]
    notes = [f"object versioning {versioning}"]
    if settings.soft_delete_seconds:
        notes.append(f"soft delete keeps deleted objects for {settings.soft_delete_seconds / 86400:g} day(s); "
                     "they cannot be purged earlier")
    elif settings.soft_delete_seconds == 0:
        notes.append("soft delete disabled")
    else:
        notes.append("soft delete policy not reported; soft-deleted objects were listed all the same")
    if facts.rpo == "ASYNC_TURBO":
        notes.append("turbo replication (RPO ASYNC_TURBO): both regions hold a copy within 15 minutes")
    if settings.default_event_based_hold:
        notes.append("new objects get an event-based hold by default")
    if cut_short:
        notes.append(f"counts come from a one-page probe ({PROBE_PAGE} entries per listing) and mean "
                     "'at least'; --deep counts every object")
    notes += [f"{t.cut_short}: counts are lower bounds" for t in tallies if t.cut_short]
    return tuple(notes)
