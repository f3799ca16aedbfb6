"""Every answer the datastore server wrote, to the seeding and to the scan, fits botocore's model."""

from __future__ import annotations

import pytest

from scripts.localcloud.aws.datastores import server
from tests.integration.aws.datastores.conftest import DatastoreCloud, DatastoreScan
from tests.integration.aws.datastores.wire_shapes import problems

# The reads the scan makes of what the server keeps or completes, and the create calls that seed it.
READS = {
    "DescribeTable", "ListTables", "ListGlobalTables", "ListBackups", "ListExports", "DescribeExport",
    "ListBackupVaults", "ListRecoveryPointsByBackupVault", "ListCopyJobs", "ListBackupPlans", "GetBackupPlan",
    "ListBackupSelections", "GetBackupSelection", "DescribeRegionSettings", "ListTags", "GetLifecyclePolicies",
    "GetLifecyclePolicy", "DescribeSubscriptionFilters", "DescribeDBInstances", "DescribeDBInstanceAutomatedBackups",
    "DescribeDBSnapshots", "DescribeGlobalClusters", "DescribeRegions", "DescribeSnapshots", "DescribeImages",
    "DescribeReplicationGroups", "DescribeGlobalReplicationGroups",
}
CREATES = {
    "CreateTable", "UpdateTable", "DeleteTable", "CreateBackup", "UpdateContinuousBackups", "ExportTableToPointInTime",
    "CreateGlobalTable", "StartDBInstanceAutomatedBackupsReplication", "CopyDBSnapshot", "CreateDBInstance",
    "CreateDBInstanceReadReplica", "CreateGlobalCluster", "CopySnapshot", "CopyImage", "RegisterImage",
    "CreateLifecyclePolicy", "CreateBackupVault", "PutBackupVaultLockConfiguration", "CreateBackupPlan",
    "CreateBackupSelection", "StartBackupJob", "StartCopyJob", "CreateReplicationGroup",
    "CreateGlobalReplicationGroup", "CreateLogGroup", "PutSubscriptionFilter",
}


def test_every_answer_the_server_wrote_fits_the_model(
    datastore_cloud: DatastoreCloud, full_scan: DatastoreScan,
) -> None:
    answers = datastore_cloud.seeding.answers + full_scan.rendered.answers
    found = {f"{operation.name}: {p}" for operation, status, body in answers if status == 200
             for p in problems(operation, body)}
    assert found == set()
    assert {operation.name for operation, status, _ in answers if status == 200} >= READS | CREATES


def test_the_create_and_read_calls_are_the_servers_own_or_completed() -> None:
    """Every call named above is one the server keeps (OWNED) or completes after moto (AFTER_UPSTREAM)."""
    handled = {name for _, name in server.OWNED} | {name for _, name in server.AFTER_UPSTREAM}
    assert handled >= READS | CREATES


@pytest.mark.parametrize("body", [
    b'{"Table": {"TableName": "t", "Replica": []}}',  # a misspelt member
    b'{"Table": {"Replicas": [{"RegionName": "x", "ReplicaStatus": "SOMETIMES"}]}}',  # not an enum value
    b'{"Table": {"TableName": 7}}',  # not a string
])
def test_the_wire_check_refuses_what_the_sdk_would_silently_drop(body: bytes) -> None:
    from scripts.localcloud.aws.datastores.protocol import service_model

    assert problems(service_model("dynamodb").operation_model("DescribeTable"), body)


def test_the_wire_check_refuses_a_wrong_xml_element() -> None:
    from scripts.localcloud.aws.datastores.protocol import service_model

    body = (b'<DescribeDBSnapshotsResponse xmlns="http://rds.amazonaws.com/doc/2014-10-31/"><DescribeDBSnapshotsResult>'
            b'<DBSnapshots><DBSnapshot><SourceRegions>x</SourceRegions></DBSnapshot></DBSnapshots>'
            b'</DescribeDBSnapshotsResult></DescribeDBSnapshotsResponse>')
    assert problems(service_model("rds").operation_model("DescribeDBSnapshots"), body)
