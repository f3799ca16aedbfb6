"""AWS data stores in a plan: tables, instances, clusters, volumes, caches, log groups, streams.

A resource's region is its planned `region` (provider 6's per-resource argument), its `region`
argument, else its provider configuration's; an EBS volume's comes from its availability zone.
Replicas and copies a resource declares itself (a table's `replica` blocks, a cluster's inline
`snapshot_copy`) are its own placements; the resources that link others are in
`aws_datastore_links.py`.
"""

from __future__ import annotations

from residency.catalog import normalise_code
from residency.inventory.kinds import aws_datastores as k
from residency.inventory.model import Lineage, Placement, PlacementKind, Provider, ResourceKey, StorageResource
from residency.sources.terraform.aws import aws_account, aws_tags, provider_region
from residency.sources.terraform.values import Unknown, Values
from residency.sources.terraform.view import KNOWN_AFTER_APPLY, PLANNED, ResourceView

P = PlacementKind
_ZONE_SUFFIX = "abcdefghijklmnopqrstuvwxyz"


def region_of(view: ResourceView) -> tuple[str | None, str]:
    planned = view.after.text("region")
    if isinstance(planned, str):
        return normalise_code(planned), "region argument" if view.expression("region") else "planned region"
    if view.expression("region") is not None:
        resolved = view.evaluate("region")
        if resolved.text:
            return normalise_code(resolved.text), f"region argument ({resolved.source})"
        return None, f"{KNOWN_AFTER_APPLY}: the region argument is {resolved.why or 'null'}"
    return provider_region(view)


def planned(view: ResourceView, kind: str, name_attribute: str, *placements: Placement,
            region: tuple[str | None, str] | None = None, lineage: Lineage | None = None) -> StorageResource:
    where, reason = region or region_of(view)
    name = view.after.text(name_attribute)
    return StorageResource(
        provider=Provider.AWS, account=aws_account(view), id=view.address,
        name=name if isinstance(name, str) else view.address, kind=kind,
        placements=(Placement(P.PRIMARY, where, reason), *placements), tags=aws_tags(view),
        attributes=tuple(view.base_attributes()), collected=PLANNED, lineage=lineage,
    )


def dynamodb_table(view: ResourceView) -> StorageResource:
    """`replica` blocks (global tables 2019.11.21) are replica placements of the table."""
    replicas = view.after.blocks("replica")
    placements: list[Placement] = []
    if isinstance(replicas, Unknown):
        placements.append(Placement(P.REPLICA, None, f"{KNOWN_AFTER_APPLY} (the table's replica blocks)"))
    else:
        for replica in replicas:
            region = replica.text("region_name")
            placements.append(Placement(P.REPLICA, normalise_code(region), f"replica block in {region}")
                              if isinstance(region, str) else
                              Placement(P.REPLICA, None, f"{KNOWN_AFTER_APPLY} (a replica block's region_name)"))
    return planned(view, k.DYNAMODB_TABLE.id, "name", *placements)


def db_instance(view: ResourceView) -> StorageResource:
    return planned(view, k.RDS_INSTANCE.id, "identifier")


def rds_cluster(view: ResourceView) -> StorageResource:
    return planned(view, k.RDS_CLUSTER.id, "cluster_identifier")


def ebs_volume(view: ResourceView) -> StorageResource:
    zone = view.after.text("availability_zone")
    region: tuple[str | None, str] | None = None
    if isinstance(zone, str) and zone[-1:] in _ZONE_SUFFIX:
        region = normalise_code(zone[:-1]), f"volume in {zone}"
    return planned(view, k.EBS_VOLUME.id, "id", region=region)


def redshift_cluster(view: ResourceView) -> StorageResource:
    """Provider 5 and earlier: an inline `snapshot_copy` block copies snapshots to another region."""
    placements = []
    for block in _blocks(view, "snapshot_copy"):
        destination = block.text("destination_region")
        placements.append(Placement(P.DERIVED, normalise_code(destination) if isinstance(destination, str) else None,
                                    f"snapshot copy to {destination}" if isinstance(destination, str)
                                    else f"{KNOWN_AFTER_APPLY} (the snapshot copy's destination_region)"))
    return planned(view, k.REDSHIFT_CLUSTER.id, "cluster_identifier", *placements)


def elasticache_group(view: ResourceView) -> StorageResource:
    return planned(view, k.ELASTICACHE_REPLICATION_GROUP.id, "replication_group_id")


def log_group(view: ResourceView) -> StorageResource:
    return planned(view, k.LOG_GROUP.id, "name")


def delivery_stream(view: ResourceView) -> StorageResource:
    return planned(view, k.FIREHOSE_STREAM.id, "name")


def _blocks(view: ResourceView, name: str) -> list[Values]:
    blocks = view.after.blocks(name)
    return [] if isinstance(blocks, Unknown) else blocks


def copy_of(view: ResourceView, kind: str, name_attribute: str, source_attribute: str, region_attribute: str,
            source_kind: str, arn_resource: str) -> StorageResource:
    """An EBS snapshot or AMI copy: a resource of its own, whose data class is its source's."""
    source, source_region = view.after.text(source_attribute), view.after.text(region_attribute)
    if isinstance(source, str) and isinstance(source_region, str):
        arn = f"arn:aws:ec2:{normalise_code(source_region)}::{arn_resource}/{source}"
        key = ResourceKey(Provider.AWS, aws_account(view), source_kind, arn, source, None)
        lineage = Lineage(key, f"{source_attribute} {source} in {source_region} (a resource outside the plan)")
    else:
        lineage = Lineage(None, f"{KNOWN_AFTER_APPLY} (the copy's {source_attribute})")
    return planned(view, kind, name_attribute, lineage=lineage)
