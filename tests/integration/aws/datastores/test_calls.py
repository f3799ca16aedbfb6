"""What the scans of the databases and copies called: reads only, each granted by the printed IAM
policy, one list call per region and kind, per-resource reads only where needed, and nothing of a
service no policy's kinds need."""

from __future__ import annotations

import json
from collections import Counter

from residency.inventory.kinds import reads_of
from residency.inventory.kinds.aws_datastores import KINDS
from residency.inventory.model import Provider
from residency.sources.aws.permissions import operation_permissions, permissions
from tests.integration.aws.conftest import READ_ONLY
from tests.integration.aws.datastores.conftest import DatastoreScan

REGIONS = 17  # enabled for the account: the regions AWS enables without opt-in
PER_REGION = {
    ("dynamodb", "ListTables"), ("dynamodb", "ListGlobalTables"), ("dynamodb", "ListBackups"),
    ("dynamodb", "ListExports"), ("rds", "DescribeDBInstances"), ("rds", "DescribeDBClusters"),
    ("rds", "DescribeGlobalClusters"), ("rds", "DescribeDBInstanceAutomatedBackups"), ("rds", "DescribeDBSnapshots"),
    ("rds", "DescribeDBClusterSnapshots"), ("rds", "DescribeExportTasks"), ("ec2", "DescribeVolumes"),
    ("ec2", "DescribeSnapshots"), ("ec2", "DescribeImages"), ("dlm", "GetLifecyclePolicies"),
    ("backup", "ListBackupVaults"), ("backup", "ListCopyJobs"), ("backup", "ListBackupPlans"),
    ("redshift", "DescribeClusters"), ("elasticache", "DescribeReplicationGroups"),
    ("elasticache", "DescribeGlobalReplicationGroups"), ("logs", "DescribeLogGroups"),
    ("firehose", "ListDeliveryStreams"),
}


def operations(scan: DatastoreScan) -> Counter[tuple[str, str]]:
    return Counter((service, op) for service, op, _ in scan.calls)


def test_every_call_is_a_read_granted_by_the_printed_policy(
    full_scan: DatastoreScan, kinds_scan: DatastoreScan,
) -> None:
    assert full_scan.refused == kinds_scan.refused == []
    called = set(operations(full_scan)) | set(operations(kinds_scan))
    assert {op for _, op in called if not READ_ONLY.match(op)} == set()
    table = operation_permissions()
    assert called <= set(table), called - set(table)
    granted = {action for statement in json.loads(permissions())["Statement"] for action in statement["Action"]}
    assert {table[call] for call in called} - {None} <= granted


def test_the_full_scan_made_every_registered_read_of_the_new_kinds(full_scan: DatastoreScan) -> None:
    registered = {tuple(call.operation.split(":", 1)) for call in reads_of(Provider.AWS, [k.id for k in KINDS])}
    # HeadBucket, GetBucketLocation: the exports' bucket is the account's own, located by ListBuckets'
    # BucketRegion; AssumeRole, ListAccounts: other accounts (the bucket tests cover all four).
    assert registered - set(operations(full_scan)) == {("s3", "HeadBucket"), ("s3", "GetBucketLocation"),
                                                       ("sts", "AssumeRole"), ("organizations", "ListAccounts")}


def test_one_list_call_per_region_and_kind(full_scan: DatastoreScan) -> None:
    counts = operations(full_scan)
    assert {call: counts[call] for call in PER_REGION} == dict.fromkeys(PER_REGION, REGIONS)
    assert counts[("ec2", "DescribeRegions")] == 1
    assert counts[("resourcegroupstaggingapi", "GetResources")] == REGIONS + 1  # the regional kinds' tags, and S3's


def test_per_resource_reads_only_where_a_policy_needs_them(full_scan: DatastoreScan) -> None:
    counts = operations(full_scan)
    # Replicas of the tables some policy covers (users, orders x2, eu-customers), not of the untagged
    # replicas of users and eu-customers (global table replicas are peers, each judged by its own tags).
    assert counts[("dynamodb", "DescribeTable")] == 4
    assert counts[("dynamodb", "DescribeExport")] == 1  # the one export, of a covered table
    assert counts[("logs", "DescribeSubscriptionFilters")] == 1  # the one covered log group
    assert counts[("logs", "DescribeDestinations")] == 1  # once for its region
    assert counts[("firehose", "DescribeDeliveryStream")] == 2  # the Dublin stream (via the log group), clickstream
    assert counts[("backup", "ListRecoveryPointsByBackupVault")] == 2  # one per vault
    assert counts[("backup", "GetBackupPlan")] == counts[("backup", "GetBackupSelection")] == 1
    assert counts[("backup", "DescribeRegionSettings")] == 1  # only where a plan exists
    assert counts[("ec2", "DescribeInstances")] == 1  # where a lifecycle policy targets instances


def test_services_no_policys_kinds_need_are_not_called(kinds_scan: DatastoreScan) -> None:
    """The only policy names DynamoDB tables: their backups (AWS Backup) may hold their data too."""
    services = {service for service, _ in operations(kinds_scan)}
    assert services == {"sts", "s3", "resourcegroupstaggingapi", "ec2", "dynamodb", "backup"}
    assert {op for service, op in operations(kinds_scan) if service == "ec2"} == {"DescribeRegions"}
    # the bucket listing's bulk tags only: no policy scopes by tags, so no regional kind's tags are read
    assert {target for _, op, target in kinds_scan.calls if op == "GetResources"} == {"s3"}
