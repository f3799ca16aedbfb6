"""What the scans called: reads only, all covered by `permissions()`, nothing no policy needs."""

from __future__ import annotations

import json
import math

import boto3
import pytest

from residency.inventory.kinds import reads_of
from residency.inventory.model import Provider
from residency.sources.aws.permissions import operation_permissions, permissions
from tests.integration.aws.conftest import READ_ONLY, AwsCloud, CallRecorder, Scan, WriteAttempted

OUT_OF_SCOPE = ("public-assets", "untagged-logs", "mrap-eu", "sg-replica")
IN_ALLOWED_REGIONS = ("us-east-plain", "us-east2-data", "us-west2-data", "mrap-us", "us-replicating")
S3_KINDS = ("s3-bucket", "s3-directory-bucket")
DELETION_EVIDENCE = {"ListObjectVersions", "ListObjectsV2", "GetBucketVersioning", "GetObjectLockConfiguration",
                     "GetBucketLifecycleConfiguration", "GetObjectRetention", "GetObjectLegalHold"}


def test_the_read_only_hook_refuses_a_write(aws_cloud: AwsCloud) -> None:
    """The hook both scans ran through really stops a mutating call before it is sent."""
    session = boto3.Session(aws_access_key_id=aws_cloud.admin["AWS_ACCESS_KEY_ID"],
                            aws_secret_access_key=aws_cloud.admin["AWS_SECRET_ACCESS_KEY"], region_name="us-east-1")
    session.events.register("before-parameter-build", CallRecorder())
    s3 = session.client("s3", endpoint_url=aws_cloud.moto_shapes)
    with pytest.raises(WriteAttempted, match="s3:DeleteBucket"):
        s3.delete_bucket(Bucket="us-east-plain")
    assert s3.head_bucket(Bucket="us-east-plain")["ResponseMetadata"]["HTTPStatusCode"] == 200


def test_every_call_is_a_read(scan_a: Scan, scan_b: Scan) -> None:
    assert scan_a.refused == scan_b.refused == []
    operations = {(service, op) for service, op, _ in scan_a.calls + scan_b.calls}
    assert {op for _, op in operations if not READ_ONLY.match(op)} == {"AssumeRole"}


def test_every_call_is_covered_by_the_printed_iam_policy(scan_a: Scan, scan_b: Scan) -> None:
    document = json.loads(permissions())
    granted = {action for statement in document["Statement"] for action in statement["Action"]}
    called = {(service, op) for service, op, _ in scan_a.calls + scan_b.calls}
    assert called <= set(operation_permissions()), called - set(operation_permissions())
    needed = {operation_permissions()[call] for call in called} - {None}
    assert needed <= granted, needed - granted
    # The scans exercised nearly the whole S3 table: only Organizations and GetBucketTagging (fallbacks) remain.
    # (The databases and copies are exercised by tests/integration/aws/datastores/.)
    s3_table = {tuple(call.operation.split(":", 1)) for call in reads_of(Provider.AWS, S3_KINDS)}
    assert s3_table - called <= {("organizations", "ListAccounts"), ("s3", "GetBucketTagging"),
                                 ("s3", "GetBucketLocation")}


def test_out_of_scope_buckets_are_not_inspected(scan_a: Scan, scan_b: Scan) -> None:
    for scan in (scan_a, scan_b):
        touched = {(op, bucket) for _, op, bucket in scan.calls if bucket in OUT_OF_SCOPE}
        # sg-replica is only located, as the destination of an in-scope bucket's replication rule
        assert touched <= {("HeadBucket", "sg-replica")}
    assert not {b for _, op, b in scan_b.calls if op == "HeadBucket" and b != "gone-target"}  # BucketRegion


def test_no_deletion_evidence_for_buckets_in_allowed_regions(scan_a: Scan) -> None:
    for name in IN_ALLOWED_REGIONS:
        assert not {op for _, op, bucket in scan_a.calls if bucket == name} & DELETION_EVIDENCE, name


def test_tags_come_in_bulk_and_bucket_pages_are_followed(scan_b: Scan) -> None:
    operations = [op for _, op, _ in scan_b.calls]
    assert "GetBucketTagging" not in operations
    s3_tags = [op for _, op, target in scan_b.calls if op == "GetResources" and target == "s3"]
    assert len(s3_tags) == 2  # one answer per account proves a global Tagging API
    own = [r for r in scan_b.inventory.resources if r.account == "123456789012" and r.kind == "s3-bucket"]
    assert operations.count("ListBuckets") == math.ceil(len(own) / 4) + 1  # 4 a page; the partner has one
