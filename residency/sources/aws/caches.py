"""Redshift clusters (cross-region snapshot copy) and ElastiCache replication groups (global
datastores), each listed with one paginated call per region.

A Redshift cluster with snapshot copy enabled copies every snapshot to
`ClusterSnapshotCopyStatus.DestinationRegion`: a derived placement there. An ElastiCache global
datastore (DescribeGlobalReplicationGroups with members, the same answer in every region and
counted once) places replicas of its primary group in each secondary member's region; a
secondary holds the primary's data and inherits its data class.
"""

from __future__ import annotations

from typing import Any

from residency.inventory.kinds.aws_datastores import ELASTICACHE_REPLICATION_GROUP, REDSHIFT_CLUSTER
from residency.inventory.model import Facet, PlacementKind
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Draft, Origin, list_all

REDSHIFT, ELASTICACHE = "redshift", "elasticache"
TAG_SERVICE = "elasticache"
_GLOBAL = "elasticache-global"


def list_redshift(estate: Estate, region: str) -> None:
    def read() -> None:
        for item in list_all(estate.client("redshift", region).describe_clusters, "Clusters", "Redshift clusters",
                             "Marker", "Marker"):
            with estate.reading(REDSHIFT_CLUSTER.id, region, item, "ClusterIdentifier"):
                identifier = str(item.get("ClusterIdentifier", "?"))
                draft = Draft(REDSHIFT_CLUSTER.id, estate.arn("redshift", region, f"cluster:{identifier}"), identifier,
                              estate.account, region, "cluster region")
                draft.set_tags(item.get("Tags"))
                copy = item.get("ClusterSnapshotCopyStatus") or {}
                if copy.get("DestinationRegion"):
                    estate.keep(REDSHIFT, (draft.id, str(copy["DestinationRegion"]), copy.get("RetentionPeriod")))
                estate.found(draft)

    estate.failures.guard("Redshift clusters (DescribeClusters)", region, read)


def complete_redshift(estate: Estate) -> None:
    copies = {cluster: (region, days) for cluster, region, days in estate.kept(REDSHIFT)}
    for draft in estate.of_kind(REDSHIFT_CLUSTER.id):
        if not estate.wants(PlacementKind.DERIVED, draft):
            continue
        draft.collected.add(Facet.COPIES)
        if draft.id in copies:
            region, days = copies[draft.id]
            kept = f", kept {days} days" if days else ""
            draft.add(PlacementKind.DERIVED, region,
                      f"cross-region snapshot copy to {region}{kept} (ClusterSnapshotCopyStatus)")


def list_elasticache(estate: Estate, region: str) -> None:
    client = estate.client("elasticache", region)

    def groups() -> None:
        for item in list_all(client.describe_replication_groups, "ReplicationGroups", "replication groups",
                             "Marker", "Marker"):
            with estate.reading(ELASTICACHE_REPLICATION_GROUP.id, region, item, "ARN"):
                identifier = str(item.get("ReplicationGroupId", "?"))
                arn = str(item.get("ARN") or estate.arn("elasticache", region, f"replicationgroup:{identifier}"))
                estate.found(Draft(ELASTICACHE_REPLICATION_GROUP.id, arn, identifier, estate.account, region,
                                   "replication group region"))

    def global_groups() -> None:
        for item in list_all(client.describe_global_replication_groups, "GlobalReplicationGroups",
                             "global datastores", "Marker", "Marker", ShowMemberInfo=True):
            estate.keep(_GLOBAL, item)

    estate.failures.guard("ElastiCache replication groups (DescribeReplicationGroups)", region, groups)
    estate.failures.guard("ElastiCache global datastores (DescribeGlobalReplicationGroups)", region, global_groups)


def complete_elasticache(estate: Estate) -> None:
    seen: set[str] = set()
    for item in estate.kept(_GLOBAL):
        name = str(item.get("GlobalReplicationGroupId", "?"))
        if name not in seen:
            seen.add(name)
            _members(estate, name, item.get("Members") or [])
    for draft in estate.of_kind(ELASTICACHE_REPLICATION_GROUP.id):
        if estate.wants(PlacementKind.REPLICA, draft):
            draft.collected.add(Facet.REPLICAS)


def _members(estate: Estate, name: str, members: list[dict[str, Any]]) -> None:
    def arn(member: dict[str, Any]) -> str:
        return estate.arn("elasticache", str(member.get("ReplicationGroupRegion")),
                          f"replicationgroup:{member.get('ReplicationGroupId')}")

    primaries = [m for m in members if m.get("Role") == "PRIMARY"]
    for primary in primaries:
        owner = estate.drafts.get(arn(primary))
        for member in members:
            if member is primary:
                continue
            secondary = estate.drafts.get(arn(member))
            if secondary is not None and secondary.replica_of is None:
                secondary.replica_of = Origin(arn(primary), f"secondary member of global datastore {name}",
                                              ELASTICACHE_REPLICATION_GROUP.id, str(primary.get("ReplicationGroupId")))
            if owner is not None and estate.wants(PlacementKind.REPLICA, owner):
                region = str(member.get("ReplicationGroupRegion"))
                owner.add(PlacementKind.REPLICA, region, f"global datastore {name} member "
                          f"{member.get('ReplicationGroupId')} in {region}", arn(member))
