"""RDS and Aurora: instances, clusters, read replicas and global databases.

Per region: DescribeDBInstances and DescribeDBClusters (tags, read replicas and automated-backup
replications come in the listing: no call per instance), DescribeGlobalClusters (members; the
same global database is answered in every region and counted once). A cross-region read replica
is named by its ARN, so its region needs no call. A read replica (or a secondary cluster) is a
replica placement of its source and, being the same data, inherits its source's data class.
"""

from __future__ import annotations

from typing import Any

from residency.inventory.kinds.aws_datastores import RDS_CLUSTER, RDS_INSTANCE
from residency.inventory.model import Facet, PlacementKind
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Draft, Origin, list_all, region_of_arn

FAMILY = "rds"
_REPLICAS = "rds-replicas"  # (owner id, kind of link, other resource's id or identifier, region)
_GLOBAL = "rds-global"


def list_region(estate: Estate, region: str) -> None:
    rds = estate.client("rds", region)
    guard = estate.failures.guard
    guard("RDS DB instances (DescribeDBInstances)", region, lambda: _instances(estate, rds, region))
    guard("RDS DB clusters (DescribeDBClusters)", region, lambda: _clusters(estate, rds, region))
    guard("Aurora global databases (DescribeGlobalClusters)", region, lambda: _global(estate, rds))


def _arn_or_local(estate: Estate, value: str, region: str, resource: str) -> str:
    """Replicas in the same region are named by identifier, in another region by ARN."""
    return value if value.startswith("arn:") else estate.arn("rds", region, f"{resource}:{value}")


def _instances(estate: Estate, rds: Any, region: str) -> None:
    for item in list_all(rds.describe_db_instances, "DBInstances", "RDS DB instances", "Marker", "Marker"):
        with estate.reading(RDS_INSTANCE.id, region, item, "DBInstanceArn"):
            arn = str(item.get("DBInstanceArn") or estate.arn("rds", region, f"db:{item.get('DBInstanceIdentifier')}"))
            draft = Draft(RDS_INSTANCE.id, arn, str(item.get("DBInstanceIdentifier", arn)), estate.account, region,
                          "instance region")
            draft.set_tags(item.get("TagList"))
            draft.attributes.append(("engine", str(item.get("Engine", "?"))))
            if item.get("DBClusterIdentifier"):
                draft.attributes.append(("cluster", str(item["DBClusterIdentifier"])))
            source = item.get("ReadReplicaSourceDBInstanceIdentifier")
            if source:
                draft.replica_of = Origin(_arn_or_local(estate, str(source), region, "db"),
                                          "read replica (ReadReplicaSourceDBInstanceIdentifier)", RDS_INSTANCE.id)
            for replica in item.get("ReadReplicaDBInstanceIdentifiers") or []:
                target = _arn_or_local(estate, str(replica), region, "db")
                estate.keep(_REPLICAS, (arn, "read replica", target, region_of_arn(target)))
            for replication in item.get("DBInstanceAutomatedBackupsReplications") or []:
                target = str(replication.get("DBInstanceAutomatedBackupsArn", ""))
                estate.keep(_REPLICAS, (arn, "automated backups replicated", target, region_of_arn(target)))
            estate.found(draft)


def _clusters(estate: Estate, rds: Any, region: str) -> None:
    for item in list_all(rds.describe_db_clusters, "DBClusters", "RDS DB clusters", "Marker", "Marker"):
        with estate.reading(RDS_CLUSTER.id, region, item, "DBClusterArn"):
            identifier = item.get("DBClusterIdentifier")
            arn = str(item.get("DBClusterArn") or estate.arn("rds", region, f"cluster:{identifier}"))
            draft = Draft(RDS_CLUSTER.id, arn, str(item.get("DBClusterIdentifier", arn)), estate.account, region,
                          "cluster region")
            draft.set_tags(item.get("TagList"))
            draft.attributes.append(("engine", str(item.get("Engine", "?"))))
            source = item.get("ReplicationSourceIdentifier")
            if source:
                draft.replica_of = Origin(_arn_or_local(estate, str(source), region, "cluster"),
                                          "replica cluster (ReplicationSourceIdentifier)", RDS_CLUSTER.id)
            for replica in item.get("ReadReplicaIdentifiers") or []:
                target = _arn_or_local(estate, str(replica), region, "cluster")
                estate.keep(_REPLICAS, (arn, "read replica cluster", target, region_of_arn(target)))
            estate.found(draft)


def _global(estate: Estate, rds: Any) -> None:
    for item in list_all(rds.describe_global_clusters, "GlobalClusters", "Aurora global databases", "Marker",
                         "Marker"):
        estate.keep(_GLOBAL, item)


def complete(estate: Estate) -> None:
    """Replica placements (read replicas, global database members), and replicas' lineage."""
    for owner_id, how, target, region in estate.kept(_REPLICAS):
        owner = estate.drafts.get(owner_id)
        if owner is None:
            continue
        if how == "automated backups replicated":
            if target not in estate.drafts and estate.wants(PlacementKind.DERIVED, owner):
                owner.add(PlacementKind.DERIVED, region, f"automated backups replicated to {region} "
                          "(DBInstanceAutomatedBackupsReplications; not found in that region's listing)", target)
                owner.collected.add(Facet.COPIES)
        elif estate.wants(PlacementKind.REPLICA, owner):
            owner.add(PlacementKind.REPLICA, region, f"{how} {target.rpartition(':')[2]} in {region}", target)
    seen: set[str] = set()
    for item in estate.kept(_GLOBAL):
        name = str(item.get("GlobalClusterIdentifier", "?"))
        if name in seen:
            continue
        seen.add(name)
        _global_members(estate, name, item.get("GlobalClusterMembers") or [])
    for draft in estate.of_kind(RDS_INSTANCE.id, RDS_CLUSTER.id):
        if estate.wants(PlacementKind.REPLICA, draft):
            draft.collected.add(Facet.REPLICAS)


def _global_members(estate: Estate, name: str, members: list[dict[str, Any]]) -> None:
    writers = [str(m.get("DBClusterArn")) for m in members if m.get("IsWriter")]
    for writer_id in writers:
        writer = estate.drafts.get(writer_id)
        for member in members:
            member_id = str(member.get("DBClusterArn", ""))
            if member.get("IsWriter") or not member_id:
                continue
            secondary = estate.drafts.get(member_id)
            if secondary is not None and secondary.replica_of is None:
                secondary.replica_of = Origin(writer_id, f"secondary cluster of global database {name}",
                                              RDS_CLUSTER.id)
            if writer is not None and estate.wants(PlacementKind.REPLICA, writer):
                region = region_of_arn(member_id)
                writer.add(PlacementKind.REPLICA, region,
                           f"global database {name} member {member_id.rpartition(':')[2]} in {region}", member_id)
