"""Deletion evidence from listed entries: counts, bytes, locks, notes (pure: no server)."""

from __future__ import annotations

from typing import Any

from residency.sources.gcp.deletion_evidence import Listings, Tally, build_residue
from residency.sources.gcp.facts import BucketFacts


def _facts(**resource: Any) -> BucketFacts:
    return BucketFacts.from_api({"name": "b", "location": "EUROPE-WEST1", **resource}, "proj")


def _tally(*items: dict[str, Any], complete: bool = True) -> Tally:
    tally = Tally(complete=complete)
    for item in items:
        tally.add(item)
    return tally


LIVE = {"name": "a", "size": "10"}
NONCURRENT = {"name": "a", "size": "7", "timeDeleted": "2026-01-01T00:00:00.000Z"}


def test_counts_bytes_and_exactness() -> None:
    listings = Listings(_tally(LIVE), _tally(LIVE, NONCURRENT), _tally({"name": "x", "size": "5"}))
    whole = build_residue(_facts(), listings)
    assert (whole.live_objects, whole.noncurrent_versions, whole.soft_deleted_objects) == (1, 1, 1)
    assert (whole.bytes, whole.exact) == (22, True)
    assert not any("one-page probe" in note for note in whole.notes)
    cut = Listings(_tally(LIVE, complete=False), _tally(LIVE, NONCURRENT, complete=False), _tally())
    probe = build_residue(_facts(), cut)
    assert (probe.bytes, probe.exact) == (17, False)  # a lower bound, as every count of a probe
    assert any("one-page probe" in note for note in probe.notes)


def test_a_listing_that_failed_stays_unknown() -> None:
    residue = build_residue(_facts(), Listings(_tally(), None, _tally()))
    assert (residue.live_objects, residue.noncurrent_versions, residue.soft_deleted_objects) == (0, None, 0)
    assert residue.has_deleted_data is None and residue.bytes == 0 and residue.exact is False


def test_locked_retention_policy_blocks_while_objects_exist() -> None:
    facts = _facts(retentionPolicy={"retentionPeriod": "2592000", "isLocked": True})
    expiring = {**LIVE, "retentionExpirationTime": "2026-02-01T00:00:00.000Z"}
    (lock,) = build_residue(facts, Listings(_tally(expiring), _tally(expiring), _tally())).locks
    assert (lock.kind, lock.blocks_deletion, lock.until) == ("bucket-lock", True, "2026-02-01T00:00:00.000Z")
    assert "30 day(s)" in lock.detail
    empty = build_residue(facts, Listings(_tally(), _tally(), _tally()))
    assert empty.locks == ()  # nothing left to protect


def test_unlocked_retention_policy_does_not_block() -> None:
    facts = _facts(retentionPolicy={"retentionPeriod": "86400"})
    (lock,) = build_residue(facts, Listings(_tally(LIVE), _tally(LIVE), _tally())).locks
    assert (lock.kind, lock.blocks_deletion) == ("retention-policy", False)


def test_holds_and_object_retention_on_listed_objects() -> None:
    held = {"name": "h", "temporaryHold": True, "eventBasedHold": True,
            "retention": {"mode": "Locked", "retainUntilTime": "2030-01-01T00:00:00Z"}}
    unlocked = {"name": "u", "retention": {"mode": "Unlocked", "retainUntilTime": "2027-01-01T00:00:00Z"}}
    cut = Listings(_tally(held, unlocked, complete=False), _tally(held, unlocked, complete=False), _tally())
    residue = build_residue(_facts(), cut)
    assert [(lock.kind, lock.detail, lock.blocks_deletion) for lock in residue.locks] == [
        ("temporary-hold", "temporary hold on at least 1 object(s)", True),
        ("event-based-hold", "event-based hold on at least 1 object(s)", True),
        ("object-retention-locked", "locked object retention on at least 1 object(s)", True),
        ("object-retention-unlocked", "unlocked object retention on at least 1 object(s)", False),
    ]
    assert residue.locks[2].until == "2030-01-01T00:00:00Z"


def test_notes_record_versioning_soft_delete_and_turbo_replication() -> None:
    facts = _facts(versioning={"enabled": True}, softDeletePolicy={"retentionDurationSeconds": "604800"},
                   rpo="ASYNC_TURBO", defaultEventBasedHold=True)
    notes = build_residue(facts, Listings(_tally(), _tally(), _tally())).notes
    assert notes == (
        "object versioning enabled",
        "soft delete keeps deleted objects for 7 day(s); they cannot be purged earlier",
        "turbo replication (RPO ASYNC_TURBO): both regions hold a copy within 15 minutes",
        "new objects get an event-based hold by default",
    )
    off = build_residue(_facts(softDeletePolicy={"retentionDurationSeconds": "0"}), Listings())
    assert off.notes == ("object versioning disabled", "soft delete disabled")


def test_a_zero_from_an_incomplete_probe_page_is_unknown_not_empty() -> None:
    # GCS may answer a page with no entries and a nextPageToken: that proves nothing is left.
    incomplete = Listings(_tally(complete=False), _tally(LIVE, complete=False), _tally(complete=False))
    residue = build_residue(_facts(), incomplete)
    assert (residue.live_objects, residue.noncurrent_versions, residue.soft_deleted_objects) == (None, None, None)
    assert residue.has_live_data is None and residue.has_deleted_data is None
    seen = build_residue(_facts(), Listings(_tally(LIVE, complete=False), _tally(NONCURRENT, complete=False),
                                            _tally(complete=True)))
    assert (seen.live_objects, seen.noncurrent_versions, seen.soft_deleted_objects) == (1, 1, 0)
