"""One rule for every cloud: a listing cut short gives lower bounds, and its zeros prove nothing."""

from __future__ import annotations

from residency.inventory.model import RetentionLock
from residency.inventory.tally import ObjectTally, counted


def test_a_complete_listing_is_exact_and_its_zeros_mean_none() -> None:
    evidence = ObjectTally(live=0, noncurrent=2, bytes=7).evidence([RetentionLock("legal-hold", "held")], ["n"])
    assert (evidence.exact, evidence.live_objects, evidence.noncurrent_versions, evidence.bytes) == (True, 0, 2, 7)
    assert evidence.has_live_data is False and evidence.has_deleted_data is True
    assert evidence.locks[0].kind == "legal-hold" and evidence.notes == ("n",)


def test_a_listing_cut_short_gives_lower_bounds_and_unknown_zeros() -> None:
    evidence = ObjectTally(live=0, noncurrent=3, complete=False).evidence()
    assert (evidence.exact, evidence.live_objects, evidence.noncurrent_versions) == (False, None, 3)
    assert evidence.has_live_data is None
    assert counted(0, complete=False) is None and counted(0, complete=True) == 0 and counted(4, False) == 4
