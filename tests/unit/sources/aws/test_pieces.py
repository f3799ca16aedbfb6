"""Pure pieces of the AWS adapter: names, regions, placements, residue, errors, the IAM policy."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError, ReadTimeoutError

from residency.inventory.model import Facet, PlacementKind, RetentionLock
from residency.inventory.tally import ObjectTally
from residency.sources.aws.bucket_region import BucketRegion, normalise_location_constraint
from residency.sources.aws.deletion_evidence import VersionCounts, residue_from
from residency.sources.aws.errors import describe_error, is_access_denied, is_throttled, response_header
from residency.sources.aws.listing import zone_of_directory_bucket
from residency.sources.aws.mrap import MrapIndex, MrapMember, mrap_placements
from residency.sources.aws.permissions import operation_permissions, permissions, required_actions
from residency.sources.aws.replication import ReplicationTarget, replica_placement


def client_error(code: str, status: int, headers: dict[str, str] | None = None, retries: int = 0) -> ClientError:
    response = {"Error": {"Code": code, "Message": "Access Denied" if code == "AccessDenied" else ""},
                "ResponseMetadata": {"HTTPStatusCode": status, "HTTPHeaders": headers or {}, "RetryAttempts": retries}}
    return ClientError(response, "HeadBucket")


def test_directory_bucket_zone_ids_come_from_the_name() -> None:
    assert zone_of_directory_bucket("logs--use1-az4--x-s3") == "use1-az4"
    assert zone_of_directory_bucket("a--b--use1-qro1-az1--x-s3") == "use1-qro1-az1"
    assert zone_of_directory_bucket("general-purpose-bucket") is None
    assert zone_of_directory_bucket("--x-s3") is None


def test_location_constraints_none_empty_and_eu() -> None:
    assert normalise_location_constraint(None) == "us-east-1"
    assert normalise_location_constraint("") == "us-east-1"
    assert normalise_location_constraint("EU") == "eu-west-1"
    assert normalise_location_constraint("ap-southeast-2") == "ap-southeast-2"


def test_errors_are_one_line_reasons() -> None:
    denied = client_error("AccessDenied", 403, {"x-amz-bucket-region": "eu-west-1"})
    assert describe_error(denied) == "AccessDenied: Access Denied (HTTP 403)"
    assert is_access_denied(denied) and not is_throttled(denied)
    assert response_header(denied, "x-amz-bucket-region") == "eu-west-1"
    slow = client_error("SlowDown", 503, retries=3)
    assert describe_error(slow) == "SlowDown after 3 retries (HTTP 503)"
    assert is_throttled(slow)
    timeout = ReadTimeoutError(endpoint_url="https://s3.eu-west-1.amazonaws.com/b")
    assert describe_error(timeout).startswith("ReadTimeoutError: Read timeout on endpoint URL")


def test_replica_placements_say_which_rule_and_why_unknown() -> None:
    target = ReplicationTarget("to-sg", "arn:aws:s3:::dest", "999999999999", status="Disabled")
    assert target.bucket == "dest"
    known = replica_placement(target, BucketRegion("ap-southeast-1", "HeadBucket"))
    assert (known.kind, known.region, known.target) == (PlacementKind.REPLICA, "ap-southeast-1", "arn:aws:s3:::dest")
    assert "in account 999999999999" in known.reason and "rule disabled" in known.reason
    unknown = replica_placement(target, BucketRegion(None, "HeadBucket", "HeadBucket: 403"))
    assert unknown.region is None and "destination region unknown (HeadBucket: 403)" in unknown.reason
    no_status = replica_placement(ReplicationTarget("r", "arn:aws:s3:::dest", None, status=None),
                                  BucketRegion("eu-west-1", "HeadBucket"))
    assert no_status.region == "eu-west-1" and "status not reported: counted as enabled" in no_status.reason
    nowhere = replica_placement(ReplicationTarget("r", "", None, "Enabled", "the rule names no destination"), None)
    assert (nowhere.region, nowhere.target) == (None, None) and "names no destination" in nowhere.reason


def test_mrap_members_are_candidate_replicas_of_each_other() -> None:
    members = [MrapMember("media", "us-bucket", "us-east-1", None),
               MrapMember("media", "sg-bucket", "ap-southeast-1", None),
               MrapMember("media", "far-bucket", None, "111111111111")]
    placements = mrap_placements("us-bucket", [members], "aws")
    assert [(p.region, p.target) for p in placements] == [
        ("ap-southeast-1", "arn:aws:s3:::sg-bucket"), (None, "arn:aws:s3:::far-bucket")]
    assert all(p.kind is PlacementKind.REPLICA and "'media'" in p.reason for p in placements)


def test_a_truncated_probe_reports_at_least_and_unknown_zeros() -> None:
    counts = VersionCounts(ObjectTally(live=0, noncurrent=40, delete_markers=0, bytes=100, complete=False))
    residue = residue_from(counts, [], [])
    assert (residue.exact, residue.live_objects, residue.noncurrent_versions, residue.delete_markers) == (
        False, None, 40, None)
    assert residue.has_deleted_data is True and residue.has_live_data is None
    counts.live_known = False  # ListObjectsV2 found no current object
    assert residue_from(counts, [], []).live_objects == 0
    whole = residue_from(VersionCounts(), [RetentionLock("legal-hold", "1 held")], ["versioning: enabled"])
    assert (whole.exact, whole.live_objects, whole.has_deleted_data) == (True, 0, False)
    assert whole.notes == ("versioning: enabled",) and whole.locks[0].kind == "legal-hold"


def test_the_iam_policy_grants_exactly_the_mapped_read_actions() -> None:
    document = json.loads(permissions())
    assert document["Version"] == "2012-10-17"
    granted = [action for statement in document["Statement"] for action in statement["Action"]]
    assert sorted(granted) == required_actions() == sorted(set(granted))
    assert set(granted) == {a for a in operation_permissions().values() if a}
    assert all(statement["Effect"] == "Allow" for statement in document["Statement"])
    writes = [a for a in granted if not a.split(":")[1].startswith(("Get", "List", "Describe"))]
    assert writes == ["sts:AssumeRole"]


def test_an_unexpected_failure_makes_one_unverifiable_bucket() -> None:
    import boto3

    from residency.catalog import load_catalog
    from residency.sources.aws.bucket import BucketContext, unreadable_bucket
    from residency.sources.aws.directory import ZoneResolver
    from residency.sources.aws.listing import ListedBucket
    from residency.sources.aws.session import Clients, client_config
    from residency.sources.contract import CollectEverything

    clients = Clients(boto3.Session(region_name="us-east-1"), "us-east-1", client_config(4))
    ctx = BucketContext(clients, "123456789012", "aws-us-gov", CollectEverything(), False,
                        ZoneResolver(load_catalog(), clients), MrapIndex)
    resource = unreadable_bucket(ctx, ListedBucket("logs--use1-az4--x-s3", None), "KeyError: 'Buckets'")
    assert (resource.id, resource.kind) == ("arn:aws-us-gov:s3:::logs--use1-az4--x-s3", "s3-directory-bucket")
    assert resource.placements[0].region is None and "KeyError" in resource.placements[0].reason
    assert {gap.what for gap in resource.gaps} == {"inspection"}
    assert {gap.facet for gap in resource.gaps} == {Facet.LOCATION, Facet.TAGS, Facet.REPLICAS,
                                                    Facet.DELETION_EVIDENCE}
    assert Facet.LOCATION in resource.collected
    known = unreadable_bucket(ctx, ListedBucket("logs", "eu-west-1"), "KeyError: 'Versions'")
    assert known.placements[0].region == "eu-west-1"  # what the listing gave is kept
    assert {gap.facet for gap in known.gaps} == {Facet.TAGS, Facet.REPLICAS, Facet.DELETION_EVIDENCE}
