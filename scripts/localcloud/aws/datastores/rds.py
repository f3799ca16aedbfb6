"""RDS where moto 5.2.5 falls short: automated-backup replication, copies' lineage, global tags.

moto keeps instances, clusters, read replicas, snapshots, copies and global clusters; requests
still go to it and this server learns from its answers. What it adds, as AWS answers:
- `StartDBInstanceAutomatedBackupsReplication` / `Stop...` (not implemented in moto), and the
  replicated backups in `DescribeDBInstanceAutomatedBackups` of the destination region, with the
  source's `Region` and `DBInstanceArn`; the source instance's `DBInstanceAutomatedBackupsReplications`;
  automated backups with their real fields (moto gives only an identifier and a status), and those
  retained after `DeleteDBInstance(DeleteAutomatedBackups=False)`;
- `SourceRegion` / `SourceDBSnapshotIdentifier` on cross-region and cross-account snapshot copies
  (botocore turns `CopyDBSnapshot(SourceRegion=...)` into a `PreSignedUrl`; the source's region is
  in its ARN), and `SourceDBClusterSnapshotArn` on cluster snapshot copies;
- the tags `CreateGlobalCluster` was given (moto drops them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from scripts.localcloud.aws.datastores.protocol import ApiError, Call
from scripts.localcloud.aws.datastores.state import Store, account_of_arn, hex_id, now, region_of_arn


@dataclass
class Rds:
    instances: dict[str, dict[str, Any]] = field(default_factory=dict)  # arn -> what moto answered
    backup_arns: dict[str, str] = field(default_factory=dict)  # instance arn -> its automated backups' ARN
    replications: dict[str, dict[str, Any]] = field(default_factory=dict)  # replicated backups' arn -> record
    retained: dict[str, dict[str, Any]] = field(default_factory=dict)  # automated backups arn -> record
    copies: dict[str, tuple[str, str]] = field(default_factory=dict)  # copy arn -> (source arn, source region)
    global_tags: dict[str, list[dict[str, str]]] = field(default_factory=dict)


def _state(store: Store, call: Call) -> Rds:
    return store.of(call.account, Rds)


def _backups_arn(state: Rds, instance_arn: str) -> str:
    region, account = region_of_arn(instance_arn), account_of_arn(instance_arn)
    return state.backup_arns.setdefault(instance_arn, f"arn:aws:rds:{region}:{account}:auto-backup:{hex_id('ab', 26)}")


def instance_created(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    instance = upstream["DBInstance"]
    _state(store, call).instances[instance["DBInstanceArn"]] = instance
    return upstream


def instance_deleted(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    """`DeleteAutomatedBackups=False` keeps the automated backups, as status "retained"."""
    state = _state(store, call)
    instance = upstream["DBInstance"]
    state.instances.pop(instance["DBInstanceArn"], None)
    if call.params.get("DeleteAutomatedBackups") is False:
        arn = _backups_arn(state, instance["DBInstanceArn"])
        state.retained[arn] = {**_automated_backup(state, instance, call.region), "Status": "retained"}
    return upstream


def _automated_backup(state: Rds, instance: dict[str, Any], region: str) -> dict[str, Any]:
    arn = instance["DBInstanceArn"]
    record = {
        "DBInstanceArn": arn, "DbiResourceId": instance.get("DbiResourceId", ""), "Region": region_of_arn(arn),
        "DBInstanceIdentifier": instance["DBInstanceIdentifier"], "Status": "active",
        "Engine": instance.get("Engine", ""), "AllocatedStorage": instance.get("AllocatedStorage", 0),
        "BackupRetentionPeriod": instance.get("BackupRetentionPeriod", 1), "Encrypted": False,
        "DBInstanceAutomatedBackupsArn": _backups_arn(state, arn), "BackupTarget": "region",
    }
    if instance.get("InstanceCreateTime"):
        record["InstanceCreateTime"] = instance["InstanceCreateTime"]
    replicated = [{"DBInstanceAutomatedBackupsArn": a} for a, r in sorted(state.replications.items())
                  if r["DBInstanceArn"] == arn]
    if replicated:
        record["DBInstanceAutomatedBackupsReplications"] = replicated
    return record


def start_replication(store: Store, call: Call) -> dict[str, Any]:
    """Called in the destination region with the source instance's ARN."""
    state, source_arn = _state(store, call), call.params["SourceDBInstanceArn"]
    instance = state.instances.get(source_arn)
    if instance is None:
        raise ApiError("DBInstanceNotFound", f"DBInstance {source_arn} not found.", 404)
    if region_of_arn(source_arn) == call.region:
        raise ApiError("InvalidParameterValue", "automated backups can only be replicated to another region")
    arn = f"arn:aws:rds:{call.region}:{call.account}:auto-backup:{hex_id('ab', 26)}"
    retention = call.params.get("BackupRetentionPeriod", 7)
    record = {**_automated_backup(state, instance, call.region), "DBInstanceAutomatedBackupsArn": arn,
              "Status": "replicating", "BackupRetentionPeriod": retention}
    record.pop("DBInstanceAutomatedBackupsReplications", None)
    state.replications[arn] = {**record, "destination": call.region, "started": now()}
    return {"DBInstanceAutomatedBackup": record}


def stop_replication(store: Store, call: Call) -> dict[str, Any]:
    state, source_arn = _state(store, call), call.params["SourceDBInstanceArn"]
    found = [a for a, r in state.replications.items() if r["DBInstanceArn"] == source_arn and
             r["destination"] == call.region]
    if not found:
        raise ApiError("DBInstanceAutomatedBackupNotFound", f"no replication of {source_arn} to {call.region}", 404)
    record = state.replications.pop(found[0])
    return {"DBInstanceAutomatedBackup": _public(record)}


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if k not in ("destination", "started")}


def automated_backups(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    """This region's instances' automated backups (real fields), retained ones, and replicated ones."""
    state = _state(store, call)
    listed = []
    for item in upstream.get("DBInstanceAutomatedBackups", []):
        instance = next((i for a, i in state.instances.items() if region_of_arn(a) == call.region and
                         i["DBInstanceIdentifier"] == item.get("DBInstanceIdentifier")), None)
        listed.append(_automated_backup(state, instance, call.region) if instance else item)
    listed += [r for a, r in sorted(state.retained.items()) if region_of_arn(a) == call.region]
    listed += [_public(r) for _, r in sorted(state.replications.items()) if r["destination"] == call.region]
    wanted = call.params.get("DBInstanceIdentifier")
    return {"DBInstanceAutomatedBackups": [b for b in listed if wanted in (None, b["DBInstanceIdentifier"])]}


def describe_instances(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    state = _state(store, call)
    for instance in upstream.get("DBInstances", []):
        replicated = [{"DBInstanceAutomatedBackupsArn": a} for a, r in sorted(state.replications.items())
                      if r["DBInstanceArn"] == instance["DBInstanceArn"]]
        if replicated:
            instance["DBInstanceAutomatedBackupsReplications"] = replicated
    return upstream


def snapshot_copied(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    source = call.params["SourceDBSnapshotIdentifier"]
    copy = upstream["DBSnapshot"]
    _state(store, call).copies[copy["DBSnapshotArn"]] = (source, region_of_arn(source) or call.region)
    return {"DBSnapshot": _with_source(store, call, copy)}


def _with_source(store: Store, call: Call, snapshot: dict[str, Any]) -> dict[str, Any]:
    copied = _state(store, call).copies.get(snapshot.get("DBSnapshotArn", ""))
    if copied is None:
        return snapshot
    source, region = copied
    elsewhere = region != call.region or account_of_arn(source) not in (None, call.account)
    if elsewhere:
        snapshot["SourceRegion"] = region
        snapshot["SourceDBSnapshotIdentifier"] = source
    return snapshot


def describe_snapshots(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    upstream["DBSnapshots"] = [_with_source(store, call, s) for s in upstream.get("DBSnapshots", [])]
    return upstream


def cluster_snapshot_copied(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    source = call.params["SourceDBClusterSnapshotIdentifier"]
    copy = upstream["DBClusterSnapshot"]
    if not source.startswith("arn:"):
        source = f"arn:aws:rds:{call.region}:{call.account}:cluster-snapshot:{source}"
    _state(store, call).copies[copy["DBClusterSnapshotArn"]] = (source, region_of_arn(source) or call.region)
    copy["SourceDBClusterSnapshotArn"] = source
    return upstream


def describe_cluster_snapshots(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    copies = _state(store, call).copies
    for snapshot in upstream.get("DBClusterSnapshots", []):
        copied = copies.get(snapshot.get("DBClusterSnapshotArn", ""))
        if copied:
            snapshot["SourceDBClusterSnapshotArn"] = copied[0]
    return upstream


def global_cluster_created(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    tags = call.params.get("Tags", [])
    _state(store, call).global_tags[call.params["GlobalClusterIdentifier"]] = tags
    upstream["GlobalCluster"]["TagList"] = tags
    return upstream


def describe_global_clusters(store: Store, call: Call, upstream: dict[str, Any]) -> dict[str, Any]:
    tags = _state(store, call).global_tags
    for cluster in upstream.get("GlobalClusters", []):
        cluster["TagList"] = tags.get(cluster["GlobalClusterIdentifier"], cluster.get("TagList", []))
    return upstream


OWNED = {"StartDBInstanceAutomatedBackupsReplication": start_replication,
         "StopDBInstanceAutomatedBackupsReplication": stop_replication}
AFTER_UPSTREAM = {
    "CreateDBInstance": instance_created, "CreateDBInstanceReadReplica": instance_created,
    "DeleteDBInstance": instance_deleted, "DescribeDBInstanceAutomatedBackups": automated_backups,
    "DescribeDBInstances": describe_instances, "CopyDBSnapshot": snapshot_copied,
    "DescribeDBSnapshots": describe_snapshots, "CopyDBClusterSnapshot": cluster_snapshot_copied,
    "DescribeDBClusterSnapshots": describe_cluster_snapshots, "CreateGlobalCluster": global_cluster_created,
    "DescribeGlobalClusters": describe_global_clusters,
}
