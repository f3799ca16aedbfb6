"""AWS resources of a plan that place another resource's data elsewhere: table replicas, read
replicas, global databases and datastores, automated-backup replication, snapshot copy, backup
plans and selections, lifecycle policies, log subscriptions, delivery streams, snapshot and image
copies.

A link's target is matched by the name the plan knows or by the configuration's references, as
bucket replication is (`links.py`); a target outside the plan stands on its own or is reported
as such. A backup plan or lifecycle policy counts before any copy exists.
"""

from __future__ import annotations

from residency.catalog import normalise_code
from residency.inventory.kinds import aws_datastores as k
from residency.inventory.model import Placement, PlacementKind, Provider, StorageResource
from residency.sources.terraform.addresses import ResourceReference, parse_reference
from residency.sources.terraform.aws import aws_account
from residency.sources.terraform.aws_datastores import copy_of, planned, region_of
from residency.sources.terraform.links import Contribution, Target, TargetIndex, resolve_targets, target_placement
from residency.sources.terraform.values import Unknown, Values
from residency.sources.terraform.view import KNOWN_AFTER_APPLY, PLANNED, ResourceView, merged_tags

P = PlacementKind
PLANNABLE = frozenset({"aws_dynamodb_table", "aws_db_instance", "aws_rds_cluster", "aws_ebs_volume"})
Links = Contribution | tuple[Contribution, ...]


def _name(value: str | Unknown | None) -> str | Unknown | None:
    """An ARN's last name (`...:table/users` -> `users`, `...:db:users` -> `users`); names pass through."""
    if not isinstance(value, str) or not value.startswith("arn:"):
        return value
    return value.rsplit(":", 1)[-1].rsplit("/", 1)[-1]


def _owner(view: ResourceView, index: TargetIndex, types: frozenset[str], attribute: str) -> Target | None:
    value = _name(view.after.get(attribute))
    names: list[str | Unknown] = [value] if isinstance(value, (str, Unknown)) else []
    targets = resolve_targets(view, index, types, names, view.reference_groups(attribute)[:1])
    return targets[0] if targets else None


def _single(target: Target | None) -> str | None:
    return target.hits[0].resource.id if target is not None and len(target.hits) == 1 else None


def _here(view: ResourceView, kind: PlacementKind, what: str) -> Placement:
    region, reason = region_of(view)
    return Placement(kind, region, f"{what} ({reason})" if region else f"{what}: {reason}", target=view.address)


def table_replica(view: ResourceView, index: TargetIndex) -> Links:
    owner = _single(_owner(view, index, frozenset({"aws_dynamodb_table"}), "global_table_arn"))
    return Contribution(owner, (_here(view, P.REPLICA, f"table replica {view.address}"),)) if owner else Contribution()


def db_replica(view: ResourceView, index: TargetIndex) -> Links:
    """aws_db_instance with `replicate_source_db`: a read replica of the source, wherever it is."""
    if view.expression("replicate_source_db") is None and not isinstance(view.after.get("replicate_source_db"), str):
        return Contribution()
    owner = _single(_owner(view, index, frozenset({"aws_db_instance"}), "replicate_source_db"))
    return Contribution(owner, (_here(view, P.REPLICA, f"read replica {view.address}"),)) if owner else Contribution()


def backups_replication(view: ResourceView, index: TargetIndex) -> Links:
    owner = _single(_owner(view, index, frozenset({"aws_db_instance"}), "source_db_instance_arn"))
    placement = _here(view, P.DERIVED, "automated backups replicated by " + view.address)
    return Contribution(owner, (placement,)) if owner else Contribution()


def global_cluster(view: ResourceView, index: TargetIndex) -> Links:
    """Every member cluster holds the global database's data: each one is a replica of the others."""
    members = _members(view, "aws_rds_cluster", "global_cluster_identifier", index)
    return tuple(Contribution(member.id, tuple(
        Placement(P.REPLICA, _primary(other), f"member {other.id} of global database {view.address}", target=other.id)
        for other in members if other.id != member.id)) for member in members)


def global_datastore(view: ResourceView, index: TargetIndex) -> Links:
    members = _members(view, "aws_elasticache_replication_group", "global_replication_group_id", index)
    primary = _single(_owner(view, index, frozenset({"aws_elasticache_replication_group"}),
                             "primary_replication_group_id"))
    if primary is None:
        return Contribution()
    return Contribution(primary, tuple(Placement(P.REPLICA, _primary(m), f"member {m.id} of global datastore "
                                                 f"{view.address}", target=m.id) for m in members if m.id != primary))


def _primary(resource: StorageResource) -> str | None:
    return next((p.region for p in resource.placements if p.kind is P.PRIMARY), None)


def _members(view: ResourceView, member_type: str, attribute: str, index: TargetIndex) -> list[StorageResource]:
    """Planned resources of `member_type` whose `attribute` refers to this resource."""
    found = []
    for change in view.context.document.changes:
        if change.type != member_type or change.deletes_only:
            continue
        member = view.context.view(change)
        if any(_refers_to(reference, view) for group in member.reference_groups(attribute) for reference in group):
            item = index.by_address(member.address)
            if item is not None:
                found.append(item.resource)
    return found


def _refers_to(reference: str, view: ResourceView) -> bool:
    parsed = parse_reference(reference)
    location = view.change.location
    return (isinstance(parsed, ResourceReference) and (parsed.type, parsed.name) == (location.type, location.name)
            and (parsed.key is None or parsed.key == location.key))


def snapshot_copy(view: ResourceView, index: TargetIndex) -> Links:
    """aws_redshift_snapshot_copy: the cluster's snapshots are copied to destination_region."""
    destination = view.after.text("destination_region")
    placement = Placement(P.DERIVED, normalise_code(destination) if isinstance(destination, str) else None,
                          f"snapshot copy to {destination} ({view.address})" if isinstance(destination, str)
                          else f"{KNOWN_AFTER_APPLY} (the snapshot copy's destination_region)", target=view.address)
    owner = _single(_owner(view, index, frozenset({"aws_redshift_cluster"}), "cluster_identifier"))
    if owner:
        return Contribution(owner, (placement,))
    return Contribution(standalone=planned(view, k.REDSHIFT_CLUSTER.id, "cluster_identifier", placement))


def subscription_filter(view: ResourceView, index: TargetIndex) -> Links:
    owner = _single(_owner(view, index, frozenset({"aws_cloudwatch_log_group"}), "log_group_name"))
    if owner is None:
        return Contribution()
    streams = _owner(view, index, frozenset({"aws_kinesis_firehose_delivery_stream"}), "destination_arn")
    if streams is not None and len(streams.hits) == 1:
        stream = streams.hits[0].resource
        change = next(c for c in view.context.document.changes if c.address == stream.id)
        delivered = delivery_bucket(view.context.view(change), index)
        through = stream.placements + (delivered.placements if isinstance(delivered, Contribution) else ())
        return Contribution(owner, tuple(p._replace(reason=f"subscription {view.address} to {stream.id}: {p.reason}",
                                                    kind=P.DERIVED) for p in through))
    arn = view.after.text("destination_arn")
    region = arn.split(":")[3] if isinstance(arn, str) and arn.count(":") >= 5 else None
    why = f"subscription {view.address} to {arn}" if isinstance(arn, str) else f"{KNOWN_AFTER_APPLY} (destination_arn)"
    return Contribution(owner, (Placement(P.DERIVED, normalise_code(region) if region else None, why),))


def delivery_bucket(view: ResourceView, index: TargetIndex) -> Links:
    configuration = view.after.blocks("extended_s3_configuration")
    if isinstance(configuration, Unknown) or not configuration:
        return Contribution()
    names = [_name(configuration[0].text("bucket_arn"))]
    groups = view.reference_groups("extended_s3_configuration", "bucket_arn")
    targets = resolve_targets(view, index, frozenset({"aws_s3_bucket"}), [n for n in names if n is not None], groups)
    return Contribution(view.address, tuple(target_placement(t, P.DERIVED, "delivery bucket") for t in targets))


def ebs_snapshot_copy(view: ResourceView, index: TargetIndex) -> Links:
    return Contribution(standalone=copy_of(view, k.EBS_SNAPSHOT.id, "id", "source_snapshot_id", "source_region",
                                           k.EBS_SNAPSHOT.id, "snapshot"))


def ami_copy(view: ResourceView, index: TargetIndex) -> Links:
    return Contribution(standalone=copy_of(view, k.EC2_IMAGE.id, "name", "source_ami_id", "source_ami_region",
                                           k.EC2_IMAGE.id, "image"))


def copy_actions(view: ResourceView) -> tuple[Placement, ...]:
    """The places an aws_backup_plan's rules put copies: its own region, and each copy_action's vault."""
    placements = [_here(view, P.DERIVED, f"backup plan {view.address} backs up to its vault")]
    for rule in _list(view.after.blocks("rule")):
        for action in _list(rule.blocks("copy_action")):
            vault = action.text("destination_vault_arn")
            region = vault.split(":")[3] if isinstance(vault, str) and vault.count(":") >= 5 else None
            placements.append(Placement(P.DERIVED, normalise_code(region) if region else None,
                                        f"backup plan {view.address} rule {rule.text('rule_name')} copies to {vault}"
                                        if region else f"{KNOWN_AFTER_APPLY} (a copy_action's destination vault)"))
    return tuple(placements)


def backup_plan(view: ResourceView, index: TargetIndex) -> Links:
    name = view.after.text("name")
    return Contribution(standalone=StorageResource(
        provider=Provider.AWS, account=aws_account(view), id=view.address,
        name=name if isinstance(name, str) else view.address, kind=k.BACKUP_PLAN.id, placements=copy_actions(view),
        tags=merged_tags(view, {}, "tags"), attributes=tuple(view.base_attributes()), collected=PLANNED))


def backup_selection(view: ResourceView, index: TargetIndex) -> Links:
    """The plan's copies are placements of every planned resource the selection names (ARNs) or tags."""
    plans = [view.context.view(c) for c in view.context.document.changes if c.type == "aws_backup_plan"
             and any(_refers_to(r, view.context.view(c)) for g in view.reference_groups("plan_id") for r in g)]
    if len(plans) != 1:
        return Contribution()
    placements = copy_actions(plans[0])
    owners = {h.resource.id for t in resolve_targets(view, index, PLANNABLE, [], view.reference_groups("resources"))
              for h in t.hits}
    wanted = [(t.text("key"), t.text("value")) for t in _list(view.after.blocks("selection_tag"))]
    region = region_of(plans[0])[0]
    for item in index.of_types(PLANNABLE):
        tags = dict(item.resource.tags)
        if wanted and _primary(item.resource) == region and any(tags.get(str(key)) == value for key, value in wanted):
            owners.add(item.resource.id)  # selection tags are ORed, like the API's ListOfTags
    return tuple(Contribution(owner, placements) for owner in sorted(owners))


def lifecycle_policy(view: ResourceView, index: TargetIndex) -> Links:
    """A DLM policy's cross_region_copy_rule copies the snapshots of every volume it targets. It also
    stands on its own, scoped by the tags it targets (the data class of what it copies)."""
    details = _first(view.after.blocks("policy_details"))
    placements = []
    targets: dict[str, str] = {}
    if details is not None:
        mapping = details.string_map("target_tags")
        targets = mapping if isinstance(mapping, dict) else {}
        for schedule in _list(details.blocks("schedule")):
            for rule in _list(schedule.blocks("cross_region_copy_rule")):
                target = rule.text("target") or rule.text("target_region")
                placements.append(Placement(P.DERIVED, normalise_code(target) if isinstance(target, str) else None,
                                            f"lifecycle policy {view.address} copies snapshots to {target}"
                                            if isinstance(target, str) else f"{KNOWN_AFTER_APPLY} (the copy target)"))
    region = region_of(view)[0]
    volumes = [i.resource.id for i in index.of_types(frozenset({"aws_ebs_volume"})) if _primary(i.resource) == region
               and targets and any(dict(i.resource.tags).get(key) == value for key, value in targets.items())]
    description = view.after.text("description")
    policy = StorageResource(
        provider=Provider.AWS, account=aws_account(view), id=view.address,
        name=description if isinstance(description, str) else view.address, kind=k.DLM_POLICY.id,
        placements=tuple(placements), tags=tuple(sorted(targets.items())),
        attributes=(*view.base_attributes(), ("scoped-by", "the tags it targets")), collected=PLANNED)
    return (Contribution(standalone=policy), *(Contribution(volume, tuple(placements)) for volume in volumes))


def _list(blocks: list[Values] | Unknown) -> list[Values]:
    return [] if isinstance(blocks, Unknown) else blocks


def _first(blocks: list[Values] | Unknown) -> Values | None:
    items = _list(blocks)
    return items[0] if items else None


LINKERS = {
    "aws_dynamodb_table_replica": table_replica, "aws_db_instance": db_replica,
    "aws_db_instance_automated_backups_replication": backups_replication, "aws_rds_global_cluster": global_cluster,
    "aws_elasticache_global_replication_group": global_datastore, "aws_redshift_snapshot_copy": snapshot_copy,
    "aws_cloudwatch_log_subscription_filter": subscription_filter,
    "aws_kinesis_firehose_delivery_stream": delivery_bucket,
    "aws_ebs_snapshot_copy": ebs_snapshot_copy, "aws_ami_copy": ami_copy, "aws_backup_plan": backup_plan,
    "aws_backup_selection": backup_selection, "aws_dlm_lifecycle_policy": lifecycle_policy,
}
