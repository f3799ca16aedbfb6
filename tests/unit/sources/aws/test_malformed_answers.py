"""What an AWS answer does not say never reads as a safe value (pure parsing: no server)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from residency.sources.aws.answers import entries, tag_pairs
from residency.sources.aws.deletion_evidence import VersionCounts
from residency.sources.aws.errors import MalformedAnswer, describe_error
from residency.sources.aws.listing import BucketListing
from residency.sources.aws.mrap import UNKNOWN_BUCKET, MrapIndex, _add_point, mrap_placements
from residency.sources.aws.object_lock import legal_hold_of, retention_from_config, retention_of
from residency.sources.aws.replication import _target

UNTIL = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)


@pytest.mark.parametrize("tags", [[{"Key": "data-class"}], [{"Key": 1, "Value": "x"}], ["data-class"], {"a": "b"}])
def test_a_tag_that_is_not_a_key_value_pair_is_malformed_not_absent(tags: Any) -> None:
    with pytest.raises(MalformedAnswer):
        tag_pairs(tags, "tag:GetResources")
    assert tag_pairs([{"Key": "b", "Value": "2"}, {"Key": "a", "Value": "1"}], "x") == (("a", "1"), ("b", "2"))


def test_entries_tolerate_absence_but_not_another_shape() -> None:
    assert entries({}, "Buckets", "ListBuckets") == []
    with pytest.raises(MalformedAnswer, match="ListBuckets answered 'Buckets' as dict, not a list"):
        entries({"Buckets": {}}, "Buckets", "ListBuckets")
    assert describe_error(MalformedAnswer("x")) == "unexpected answer: x"


def test_a_nameless_bucket_entry_is_a_problem_and_a_page_served_twice_counts_once() -> None:
    listing = BucketListing()
    for entry in ({"Name": "a", "BucketRegion": "EU-WEST-1"}, {"CreationDate": "x"}, {"Name": "a"}, {"Name": 7}):
        listing.add(entry, "ListBuckets")
    assert [(b.name, b.region) for b in listing.buckets] == [("a", "eu-west-1")]
    assert listing.problems == ["ListBuckets answered an entry without a bucket name: that bucket could not be "
                                "recorded"]


@pytest.mark.parametrize(("rule", "problem"), [
    ({"ID": "r", "Status": "Enabled", "Destination": {}}, True),
    ({"ID": "r", "Status": "Enabled"}, True),
    ("not-a-rule", True),
    ({"ID": "r", "Destination": {"Bucket": "arn:aws:s3:::d"}}, False),
])
def test_a_replication_rule_without_a_destination_is_a_replica_of_unknown_place(rule: Any, problem: bool) -> None:
    target = _target(1, rule)
    assert (target.problem is not None) is problem
    assert target.status in (None, "Enabled")


def test_an_mrap_member_without_a_bucket_still_places_a_copy_and_an_unreadable_point_is_unknown() -> None:
    index = MrapIndex()
    _add_point(index, {"Name": "m", "Regions": [{"Bucket": "own", "Region": "us-east-1"},
                                                {"Region": "ap-southeast-1"}]})
    _add_point(index, {"Name": "broken", "Regions": "eu-west-1"})
    placements = mrap_placements("own", index.memberships("own"), "aws")
    assert [(p.region, p.target) for p in placements] == [("ap-southeast-1", None)]
    assert UNKNOWN_BUCKET in placements[0].reason
    assert index.unknown == ["ListMultiRegionAccessPoints for access point 'broken' answered 'Regions' as str, "
                             "not a list: its member buckets are unknown"]


@pytest.mark.parametrize(("config", "enabled", "blocks"), [
    ({}, True, None),  # does not say whether Object Lock is on: the versions' locks are read anyway
    ({"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Days": 30}}}, True, True),
    ({"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "GOVERNANCE", "Days": 1}}}, True, False),
    ({"ObjectLockEnabled": "Enabled", "Rule": {"DefaultRetention": {"Mode": "COMPLIANCE", "Years": 1}}}, True, True),
    ({"ObjectLockEnabled": "Disabled"}, False, None),
])
def test_a_default_retention_whose_mode_is_not_reported_blocks_deletion(
    config: dict[str, Any], enabled: bool, blocks: bool | None,
) -> None:
    found, lock = retention_from_config(config)
    assert found is enabled and (lock.blocks_deletion if lock else None) is blocks


def test_per_version_retention_and_holds_that_do_not_say_are_malformed() -> None:
    assert retention_of({"Mode": "compliance", "RetainUntilDate": UNTIL}) == ("COMPLIANCE", UNTIL)
    assert retention_of({"Mode": "GOVERNANCE"}) == ("GOVERNANCE", None)  # retained, end unknown
    with pytest.raises(MalformedAnswer):
        retention_of({"Mode": "FOREVER"})
    assert (legal_hold_of({"Status": "ON"}), legal_hold_of({"Status": "OFF"})) == (1, 0)
    with pytest.raises(MalformedAnswer):
        legal_hold_of({})


def test_a_version_page_that_does_not_say_it_is_complete_is_not() -> None:
    counts = VersionCounts()
    counts.add_page({"Versions": [{"Key": "k", "Size": 3, "IsLatest": True}, {"Key": "k", "Size": 2}]}, 5)
    assert (counts.tally.live, counts.tally.noncurrent, counts.tally.complete) == (1, 1, False)
    with pytest.raises(MalformedAnswer):
        VersionCounts().add_page({"Versions": [{"Size": 3}]}, 5)
