"""The pure pieces of the regional scan: lineage chains, snapshot sources, vault locks, backup
selections, lifecycle policies, listing failures."""

from __future__ import annotations

import datetime as dt

import pytest

from residency.inventory.model import Facet, PlacementKind, Provider, ResourceKey
from residency.sources.aws import backup_plans, chains, dlm
from residency.sources.aws.backup_points import vault_lock
from residency.sources.aws.ebs import COPY_VOLUME_ID, snapshot_origin
from residency.sources.aws.regional import Draft, Failures, Origin, list_all
from residency.sources.paging import PagingCut

ACCOUNT = "123456789012"
NOW = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
US = (("data-class", "us-user-data"),)


def draft(kind: str, resource_id: str, tags: tuple[tuple[str, str], ...] | None = (), origin: Origin | None = None
          ) -> Draft:
    found = Draft(kind, resource_id, resource_id.rsplit("/", 1)[-1], ACCOUNT, "us-east-1", "region")
    if tags is not None:
        found.set_tags(dict(tags))
    found.origin = origin
    return found


def test_a_copy_of_a_copy_inherits_from_the_end_of_the_chain() -> None:
    volume = draft("ebs-volume", "arn:aws:ec2:us-east-1:1:volume/vol-1", US)
    snapshot = draft("ebs-snapshot", "snap-a", (), Origin(volume.id, "snapshot of vol-1 (VolumeId)"))
    copy = draft("ebs-snapshot", "snap-b", (), Origin(snapshot.id, "copied from snap-a ([Copied ...])"))
    drafts = {d.id: d for d in (volume, snapshot, copy)}
    lineage = chains.lineage_of(drafts, {}, ACCOUNT, copy)
    assert lineage is not None and lineage.source == volume.key
    assert lineage.how == "copied from snap-a ([Copied ...]); snap-a: snapshot of vol-1 (VolumeId)"
    assert chains.lineage_of(drafts, {}, ACCOUNT, volume) is None  # not a copy


def test_a_source_that_is_gone_keeps_its_key_with_unknown_tags() -> None:
    copy = draft("dynamodb-backup", "b", (), Origin("arn:aws:dynamodb:eu-west-1:1:table/gone", "ListBackups TableArn",
                                                     "dynamodb-table", "gone"))
    lineage = chains.lineage_of({copy.id: copy}, {}, ACCOUNT, copy)
    assert lineage is not None and lineage.source is not None
    assert (lineage.source.kind, lineage.source.tags, lineage.source.account) == ("dynamodb-table", None, "1")
    assert "deleted?" in lineage.how


def test_a_source_found_by_another_scan_is_used_as_it_was_found() -> None:
    bucket = ResourceKey(Provider.AWS, ACCOUNT, "s3-bucket", "arn:aws:s3:::b", "b", US)
    point = draft("backup-recovery-point", "rp", (), Origin(bucket.id, "recovery point of S3 b (ResourceArn)"))
    lineage = chains.lineage_of({point.id: point}, {bucket.id: bucket}, ACCOUNT, point)
    assert lineage is not None and lineage.source == bucket


@pytest.mark.parametrize("b_source", [
    None,  # the chain stops at a copy whose own source is unknown
    "a",  # copies that name each other
], ids=["unknown", "cycle"])
def test_a_chain_that_cannot_be_followed_has_no_source(b_source: str | None) -> None:
    a = draft("ebs-snapshot", "a", (), Origin("b", "copied from b"))
    b = draft("ebs-snapshot", "b", (), Origin(b_source, "copied" if b_source else "the description was replaced"))
    lineage = chains.lineage_of({"a": a, "b": b}, {}, ACCOUNT, a)
    assert lineage is not None and lineage.source is None


def test_a_replicas_source_is_its_lineage_but_not_its_copy() -> None:
    source = draft("rds-db-instance", "arn:aws:rds:us-east-1:1:db:users", US)
    replica = draft("rds-db-instance", "arn:aws:rds:eu-west-1:1:db:users-eu")
    replica.replica_of = Origin(source.id, "read replica")
    lineage = chains.lineage_of({d.id: d for d in (source, replica)}, {}, ACCOUNT, replica)
    assert lineage is not None and lineage.source == source.key


class FakeEstate:
    account, partition = ACCOUNT, "aws"

    def arn(self, service: str, region: str, resource: str, account: str | None = None) -> str:
        return f"arn:aws:{service}:{region}:{ACCOUNT if account is None else account}:{resource}"


@pytest.mark.parametrize(("description", "volume", "backs", "source"), [
    ("[Copied snap-0abc from us-east-1]", COPY_VOLUME_ID, None, "arn:aws:ec2:us-east-1::snapshot/snap-0abc"),
    ("Copied for DestinationAmi ami-2", COPY_VOLUME_ID, ("arn:img/ami-2", True), "arn:img/ami-2"),
    ("nightly", "vol-1", None, "arn:aws:ec2:eu-west-1:123456789012:volume/vol-1"),
    ("Created by CreateImage", "vol-1", ("arn:img/ami-1", False), "arn:aws:ec2:eu-west-1:123456789012:volume/vol-1"),
    ("manual copy", COPY_VOLUME_ID, None, None),  # a copy whose description was replaced: unknown
])
def test_a_snapshots_source(description: str, volume: str, backs: tuple[str, bool] | None, source: str | None) -> None:
    origin = snapshot_origin(FakeEstate(), description, volume, "eu-west-1", backs)  # type: ignore[arg-type]
    assert origin.source_id == source


def vault(locked: bool, lock_date: dt.datetime | None = None, minimum: int | None = 30) -> dict[str, object]:
    return {"BackupVaultName": "london", "Locked": locked, "MinRetentionDays": minimum, "LockDate": lock_date}


def test_a_compliance_mode_vault_lock_blocks_deletion_until_the_minimum_retention_ends() -> None:
    created = NOW - dt.timedelta(days=10)
    [lock] = vault_lock(vault(True, NOW - dt.timedelta(days=1)), created, NOW).locks
    assert lock.blocks_deletion and lock.until == (created + dt.timedelta(days=30)).isoformat()
    [expired] = vault_lock(vault(True, NOW - dt.timedelta(days=1)), NOW - dt.timedelta(days=40), NOW).locks
    assert not expired.blocks_deletion  # kept the minimum already: deletable


@pytest.mark.parametrize("lock_date", [None, NOW + dt.timedelta(days=2)], ids=["governance", "cooling-off"])
def test_a_lock_that_can_still_be_removed_does_not_block_deletion(lock_date: dt.datetime | None) -> None:
    [lock] = vault_lock(vault(True, lock_date), NOW, NOW).locks
    assert not lock.blocks_deletion and "governance" in lock.detail


def test_an_unlocked_or_unlisted_vault_has_no_lock() -> None:
    assert vault_lock(vault(False), NOW, NOW).locks == ()
    assert "unknown" in vault_lock(None, NOW, NOW).notes[0]


TABLE = "arn:aws:dynamodb:us-east-1:1:table/users"


@pytest.mark.parametrize(("selection", "tags", "expected"), [
    ({"Resources": ["arn:aws:dynamodb:*:*:table/*"]}, (), ""),
    ({"Resources": ["*"], "NotResources": [TABLE]}, (), None),
    ({"ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "data-class", "ConditionValue": "x"},
                     {"ConditionType": "STRINGEQUALS", "ConditionKey": "data-class",
                      "ConditionValue": "us-user-data"}]}, US, ""),  # ListOfTags is ORed
    ({"Resources": ["*"], "Conditions": {"StringEquals": [
        {"ConditionKey": "aws:ResourceTag/data-class", "ConditionValue": "us-user-data"}],
        "StringNotLike": [{"ConditionKey": "aws:ResourceTag/team", "ConditionValue": "ml*"}]}}, US, ""),
    ({"Resources": ["*"], "Conditions": {"StringLike": [
        {"ConditionKey": "aws:ResourceTag/data-class", "ConditionValue": "eu-*"}]}}, US, None),  # ANDed
    ({"ListOfTags": [{"ConditionType": "STRINGEQUALS", "ConditionKey": "data-class", "ConditionValue": "x"}]},
     None, ", counted as covered: its tags are unknown"),
    ({"Resources": ["arn:aws:rds:*"]}, US, None),
])
def test_which_resources_a_backup_selection_covers(
    selection: dict[str, object], tags: tuple[tuple[str, str], ...] | None, expected: str | None,
) -> None:
    assert backup_plans.selects(selection, TABLE, tags) == expected


def test_a_lifecycle_policys_copy_rules_and_targets() -> None:
    policy = {"PolicyId": "policy-1", "Description": "nightly", "PolicyDetails": {
        "ResourceTypes": ["VOLUME"], "TargetTags": [{"Key": "data-class", "Value": "us-user-data"}],
        "Schedules": [{"Name": "n", "CrossRegionCopyRules": [
            {"TargetRegion": "ap-southeast-1"}, {"Target": "arn:aws:outposts:us-east-1:1:outpost/op-1"}]}]}}
    rules = dlm.copy_rules(policy, "us-east-1")
    assert [r.destination for r in rules] == ["ap-southeast-1", None]  # an Outpost's location is not in its ARN
    assert dlm._targets(rules[0], frozenset(US), [])
    assert not dlm._targets(rules[0], frozenset({("data-class", "public")}), [frozenset(US)])  # volumes only
    default = dlm.copy_rules({"PolicyId": "p", "PolicyDetails": {"CrossRegionCopyTargets": [
        {"TargetRegion": "eu-west-1"}]}}, "us-east-1")
    assert [(r.destination, r.target_tags) for r in default] == [("eu-west-1", frozenset())]  # every volume


def test_listing_failures_are_summarised_by_reason() -> None:
    failures = Failures()
    for region in ("us-west-2", "eu-west-1"):
        failures.add("DynamoDB tables (ListTables)", region, "AccessDenied (HTTP 403)")
    failures.add("DynamoDB tables (ListTables)", "us-east-1", "ReadTimeoutError")
    assert failures.summary("DynamoDB tables (ListTables)") == (
        "in eu-west-1, us-west-2 (AccessDenied (HTTP 403)); in us-east-1 (ReadTimeoutError)")
    assert failures.summary("other") is None
    assert not failures.guard("x", "r", lambda: _drain(list_all(_repeating, "Items", "items")))
    assert "repeated a page token" in (failures.summary("x") or "")


def _drain(items: object) -> None:
    list(items)  # type: ignore[call-overload]


def _repeating(**params: object) -> dict[str, object]:
    return {"Items": [1], "NextToken": "same"}


def test_a_draft_freezes_into_a_resource_with_what_was_collected() -> None:
    found = draft("dynamodb-table", "arn:aws:dynamodb:us-east-1:1:table/t", None)
    found.add(PlacementKind.REPLICA, "eu-central-1", "replica", "arn:replica")
    found.add(PlacementKind.REPLICA, "eu-central-1", "replica", "arn:replica")  # once
    resource = found.resource()
    assert [p.kind for p in resource.placements] == [PlacementKind.PRIMARY, PlacementKind.REPLICA]
    assert resource.collected == frozenset({Facet.LOCATION}) and resource.tags_unknown
    export = Draft("dynamodb-export", "e", "e", ACCOUNT, located=False)
    assert export.resource().placements == () and Facet.LOCATION not in export.resource().collected


def test_paging_cut_is_raised_by_list_all() -> None:
    with pytest.raises(PagingCut):
        list(list_all(_repeating, "Items", "items"))


def test_a_malformed_record_is_that_resources_gap_not_the_listings() -> None:
    from residency.sources.aws.estate import Estate

    estate = Estate(None, ACCOUNT, "aws", None, lambda name: None)  # type: ignore[arg-type,return-value]
    for item in ({"DBSnapshotArn": "arn:aws:rds:eu-west-1:1:snapshot:s", "TagList": "oops"}, ["not", "an", "object"]):
        with estate.reading("rds-db-snapshot", "eu-west-1", item, "DBSnapshotArn"):
            Draft("rds-db-snapshot", "x", "x", ACCOUNT).set_tags(item["TagList"])  # type: ignore[call-overload,arg-type]
    broken = estate.drafts["arn:aws:rds:eu-west-1:1:snapshot:s"].resource()
    assert broken.placements[0].region is None and "could not be read" in broken.placements[0].reason
    assert broken.tags_unknown and broken.gaps[0].facet is Facet.LOCATION
    assert len(estate.drafts) == 2 and not estate.failures.by_what


def test_a_failed_copy_listing_is_a_gap_on_the_owners_it_could_concern() -> None:
    from residency.sources.aws.datastores import DatastoreScan
    from residency.sources.aws.estate import Estate
    from residency.sources.contract import CollectEverything, NullProgress

    estate = Estate(None, ACCOUNT, "aws", CollectEverything(), lambda name: None)  # type: ignore[arg-type,return-value]
    table = estate.found(draft("dynamodb-table", "arn:aws:dynamodb:eu-west-1:1:table/t", US))
    table.region = "eu-west-1"
    volume = estate.found(draft("ebs-volume", "arn:aws:ec2:eu-west-1:1:volume/vol-1", US))
    estate.failures.add("DynamoDB backups (ListBackups)", "us-east-1", "AccessDenied")  # another region's backups
    estate.failures.add("EBS snapshots (DescribeSnapshots)", "ap-south-1", "AccessDenied")  # copies go anywhere
    DatastoreScan(estate, 2, NullProgress())._copy_gaps({table.id: True, volume.id: True}, False)
    assert table.gaps == [] and Facet.COPIES in table.collected
    assert [(g.what, g.facet) for g in volume.gaps] == [("EBS snapshots (DescribeSnapshots)", Facet.COPIES)]
    estate.failures.add("DynamoDB backups (ListBackups)", "eu-west-1", "AccessDenied")
    DatastoreScan(estate, 2, NullProgress())._copy_gaps({table.id: True}, False)
    assert [g.reason for g in table.gaps] == ["in eu-west-1 (AccessDenied)"]
