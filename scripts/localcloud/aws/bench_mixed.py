"""The benchmark's mixed estate: N DynamoDB tables, N RDS instances and N EBS snapshots (of N
volumes) over the bucket benchmark's 8 regions, and the naive per-resource loop to compare with.

Resource i: region REGIONS[i % 8]; even i tagged `data-class=us-user-data` (in scope of the US
policy), i % 4 == 1 tagged `data-class=public`, i % 4 == 3 untagged (a snapshot's data class
is its volume's). Every tenth table (an in-scope one) has a replica in the next region, every
tenth snapshot a copy there (with the default `[Copied ...]` description).
"""

from __future__ import annotations

from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from scripts.localcloud.aws.bench_estate import IN_SCOPE, OUT_OF_SCOPE, REGIONS, US_REGIONS
from scripts.localcloud.aws.seed import Seeder

KINDS = ("table", "instance", "snapshot")
# Which kind each call is for, to count calls per resource by kind (the rest is shared).
CALL_KIND = {
    "ListTables": "table", "DescribeTable": "table", "ListTagsOfResource": "table", "ListGlobalTables": "table",
    "ListBackups": "table", "ListExports": "table", "DescribeExport": "table",
    "DescribeDBInstances": "instance", "ListTagsForResource": "instance", "DescribeDBClusters": "instance",
    "DescribeGlobalClusters": "instance", "DescribeDBInstanceAutomatedBackups": "instance",
    "DescribeDBSnapshots": "instance", "DescribeDBClusterSnapshots": "instance", "DescribeExportTasks": "instance",
    "DescribeSnapshots": "snapshot", "DescribeVolumes": "snapshot", "DescribeImages": "snapshot",
}


def tags(index: int) -> dict[str, str] | None:
    if index % 2 == 0:
        return IN_SCOPE
    return OUT_OF_SCOPE if index % 4 == 1 else None


def region(index: int) -> str:
    return REGIONS[index % len(REGIONS)]


def category(index: int) -> str:
    if tags(index) is not IN_SCOPE:
        return "out of scope"
    return "in scope, allowed region" if region(index) in US_REGIONS else "in scope, outside region"


def seed(seeder: Seeder, count: int, workers: int = 16) -> None:
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for task in (_table, _instance, _snapshot):
            list(pool.map(lambda i, task=task: task(seeder, i), range(count)))


def _tag_list(index: int) -> list[dict[str, str]]:
    return [{"Key": k, "Value": v} for k, v in (tags(index) or {}).items()]


def _table(seeder: Seeder, i: int) -> None:
    ddb = seeder.client("dynamodb", region(i))
    ddb.create_table(TableName=f"bench-table-{i:05d}", KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     BillingMode="PAY_PER_REQUEST", **({"Tags": _tag_list(i)} if tags(i) else {}))
    if i % 10 == 0:
        ddb.update_table(TableName=f"bench-table-{i:05d}", ReplicaUpdates=[{"Create": {"RegionName": region(i + 1)}}])


def _instance(seeder: Seeder, i: int) -> None:
    seeder.client("rds", region(i)).create_db_instance(
        DBInstanceIdentifier=f"bench-db-{i:05d}", DBInstanceClass="db.t3.micro", Engine="postgres",
        MasterUsername="bench", MasterUserPassword="bench-local-1", AllocatedStorage=20, BackupRetentionPeriod=1,
        **({"Tags": _tag_list(i)} if tags(i) else {}))


def _snapshot(seeder: Seeder, i: int) -> None:
    ec2 = seeder.client("ec2", region(i))
    spec = [{"ResourceType": "volume", "Tags": _tag_list(i)}] if tags(i) else []
    volume = ec2.create_volume(AvailabilityZone=f"{region(i)}a", Size=8, TagSpecifications=spec)["VolumeId"]
    snapshot = ec2.create_snapshot(VolumeId=volume)["SnapshotId"]
    if i % 10 == 0:
        seeder.client("ec2", region(i + 1)).copy_snapshot(SourceSnapshotId=snapshot, SourceRegion=region(i))


def naive_loop(session: Any) -> int:
    """What most scripts do, region by region: list (with the SDK's paginators), then ask each
    resource for its details and tags. Returns the in-scope resources found outside the US
    (tables, instances, snapshots by their volume's tags)."""
    regions = [r["RegionName"] for r in session.client("ec2").describe_regions()["Regions"]]
    return sum(_naive_region(session, name) for name in regions)


def _naive_region(session: Any, name: str) -> int:
    outside = name not in US_REGIONS
    flagged = 0
    ddb, rds, ec2 = (session.client(s, region_name=name) for s in ("dynamodb", "rds", "ec2"))

    def every(client: Any, operation: str, items: str, **params: Any) -> list[Any]:
        return [item for page in client.get_paginator(operation).paginate(**params) for item in page[items]]

    for table in every(ddb, "list_tables", "TableNames"):
        arn = ddb.describe_table(TableName=table)["Table"]["TableArn"]
        found = {t["Key"]: t["Value"] for t in ddb.list_tags_of_resource(ResourceArn=arn).get("Tags", [])}
        flagged += outside and found == IN_SCOPE
    for instance in every(rds, "describe_db_instances", "DBInstances"):
        found = {t["Key"]: t["Value"] for t in rds.list_tags_for_resource(
            ResourceName=instance["DBInstanceArn"])["TagList"]}
        flagged += outside and found == IN_SCOPE
    for snapshot in every(ec2, "describe_snapshots", "Snapshots", OwnerIds=["self"]):
        volumes = ec2.describe_volumes(Filters=[{"Name": "volume-id", "Values": [snapshot["VolumeId"]]}])["Volumes"]
        found = {t["Key"]: t["Value"] for v in volumes for t in v.get("Tags", [])}
        flagged += outside and found == IN_SCOPE
    return flagged


def per_kind(calls: Counter[str], count: int) -> dict[str, float]:
    """Calls per resource of each kind (its own calls over N), and the shared calls over 3N."""
    by_kind: Counter[str] = Counter()
    for operation, n in calls.items():
        by_kind[CALL_KIND.get(operation, "shared")] += n
    result = {kind: by_kind[kind] / count for kind in KINDS}
    result["shared (per resource)"] = by_kind["shared"] / (count * len(KINDS))
    return result
