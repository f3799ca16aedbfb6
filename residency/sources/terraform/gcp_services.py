"""Google Cloud databases, analytics and snapshots in a plan: where each will put data.

- google_sql_database_instance: its region; a replica (`master_instance_name`) adds a REPLICA
  placement to its primary when the primary is in the plan; backups go to
  `settings.backup_configuration.location`, or, when none is set, to the multi-region closest to
  the instance (named only for us-*, europe-*, asia-*; elsewhere unknown).
- google_spanner_instance: `config` (`regional-<region>`, or a configuration the catalog lists
  with its replica regions; a custom or unlisted one is unknown until scanned).
- google_bigquery_dataset: `location`; google_firestore_database: `location_id`;
  google_bigtable_instance: each `cluster`'s zone.
- google_bigquery_data_transfer_config with `data_source_id = "cross_region_copy"`: a copy in the
  config's location with the lineage of its source dataset.
- google_compute_snapshot: `storage_locations`; google_compute_resource_policy: a snapshot
  schedule's `storage_locations`, as a plan that will copy data there (which disks it serves is
  not in the policy, so its scope is unknown).
"""

from __future__ import annotations

from typing import Any

from residency.catalog import LocationType, normalise_code
from residency.inventory.kinds.gcp_services import (
    BIGQUERY_DATASET,
    BIGQUERY_DATASET_COPY,
    BIGTABLE_INSTANCE,
    CLOUDSQL_INSTANCE,
    COMPUTE_SNAPSHOT,
    COMPUTE_SNAPSHOT_SCHEDULE,
    FIRESTORE_DATABASE,
    SPANNER_INSTANCE,
)
from residency.inventory.model import (
    Facet,
    Lineage,
    Placement,
    PlacementKind,
    Provider,
    ResourceKey,
    StorageResource,
    Tags,
    sorted_tags,
)
from residency.sources.terraform.links import Contribution, TargetIndex, known_names, resolve_targets
from residency.sources.terraform.values import Unknown
from residency.sources.terraform.view import (
    KNOWN_AFTER_APPLY,
    PLAN_ACCOUNT,
    PLANNED,
    ResourceView,
    merged_tags,
    string_map_of,
)

P = PlacementKind
_CLOSEST = {"us": "us", "europe": "eu", "asia": "asia"}


def _project(view: ResourceView) -> str:
    project = view.after.text("project")
    if isinstance(project, str):
        return project
    return view.provider_value("project").text or PLAN_ACCOUNT


def _labels(view: ResourceView, *path: str | int) -> Tags:
    defaults = string_map_of(view.provider_value("default_labels"))
    if path:
        own = view.after.get(*path)
        return sorted_tags({**defaults, **(own if isinstance(own, dict) else {})})
    return merged_tags(view, defaults, "labels", "terraform_labels")


def _where(view: ResourceView, code: Any, why: str, service: str = "", kind: PlacementKind | None = None
           ) -> tuple[Placement, ...]:
    """Placements of a location code (region, zone, multi-region, service location) from the plan."""
    if isinstance(code, Unknown):
        return (Placement(kind or P.PRIMARY, None, f"{KNOWN_AFTER_APPLY} ({why})"),)
    if not isinstance(code, str) or not code:
        return (Placement(kind or P.PRIMARY, None, f"the plan gives no {why}"),)
    normalised = normalise_code(code)
    parts = normalised.rsplit("-", 1)
    if len(parts) == 2 and len(parts[1]) == 1 and view.context.catalog.lookup(Provider.GCP, parts[0]):
        normalised = parts[0]  # a zone: its region
    catalog = view.context.catalog
    found = (catalog.lookup(Provider.GCP, f"{service}/{normalised}") if service else None) \
        or catalog.lookup(Provider.GCP, normalised)
    if found is None or found.type in (LocationType.REGION, LocationType.ZONE):
        return (Placement(kind or P.PRIMARY, normalised, f"{why} {code}"),)
    member_kind = kind or P.MEMBER
    if found.members:
        return tuple(Placement(member_kind, m, f"{why} {code} ({found.name})") for m in found.members)
    return (Placement(member_kind, found.code, f"{why} {code} ({found.name})"),)


def _resource(view: ResourceView, kind: str, name: Any, placements: tuple[Placement, ...], tags: Tags,
              collected: frozenset[Facet] = PLANNED, lineage: Lineage | None = None) -> StorageResource:
    return StorageResource(
        provider=Provider.GCP, account=_project(view), id=view.address,
        name=name if isinstance(name, str) else view.address, kind=kind, placements=placements, tags=tags,
        attributes=tuple(view.base_attributes()), collected=collected, lineage=lineage,
    )


def sql_instance(view: ResourceView) -> StorageResource:
    region = view.after.text("region")
    if region is None:
        region = view.provider_value("region").text
    placements = _where(view, region, "instance region")
    if view.after.get("master_instance_name") is None:
        placements += _sql_backups(view, region)
    return _resource(view, CLOUDSQL_INSTANCE.id, view.after.text("name"), placements,
                     _labels(view, "settings", 0, "user_labels"))


def _sql_backups(view: ResourceView, region: Any) -> tuple[Placement, ...]:
    location = view.after.get("settings", 0, "backup_configuration", 0, "location")
    if isinstance(location, str) and location:
        return _where(view, location, "backup location", kind=P.DERIVED)
    if isinstance(location, Unknown) or isinstance(region, Unknown) or not isinstance(region, str):
        return (Placement(P.DERIVED, None, f"{KNOWN_AFTER_APPLY} (the backup location)"),)
    closest = _CLOSEST.get(region.split("-")[0])
    if closest is None:
        return (Placement(P.DERIVED, None, f"no backup location is set: backups go to the multi-region closest to "
                                           f"{region}, which Google does not name for this region"),)
    return _where(view, closest, f"no backup location is set: backups go to the multi-region closest to {region}:",
                  kind=P.DERIVED)


def sql_replica(view: ResourceView, index: TargetIndex) -> Contribution:
    """A read replica adds a REPLICA placement (its own region) to its primary in the plan."""
    master = view.after.text("master_instance_name")
    if master is None:
        return Contribution()
    groups = view.reference_groups("master_instance_name")
    name = master.rpartition(":")[2] if isinstance(master, str) else master
    targets = resolve_targets(view, index, frozenset({"google_sql_database_instance"}), known_names([name]), groups)
    primary = next((t.hits[0] for t in targets if len(t.hits) == 1), None)
    if primary is None:
        return Contribution()
    region = view.after.text("region") or view.provider_value("region").text
    replica = _where(view, region, f"read replica {view.address} in")
    return Contribution(primary.resource.id, tuple(p._replace(kind=P.REPLICA, target=view.address) for p in replica))


def spanner_instance(view: ResourceView) -> StorageResource:
    config = view.after.text("config")
    if isinstance(config, str):
        config = config.rsplit("/", 1)[-1]
    if isinstance(config, str) and config.startswith("regional-"):
        placements = _where(view, config.removeprefix("regional-"), f"regional configuration {config}:")
    elif isinstance(config, str) and view.context.catalog.lookup(Provider.GCP, f"spanner/{config}") is None:
        placements = (Placement(P.MEMBER, None, f"instance configuration {config} is custom or not in the catalog: "
                                                "scan the project to read its replicas"),)
    else:
        placements = _where(view, config, "instance configuration", service="spanner")
    return _resource(view, SPANNER_INSTANCE.id, view.after.text("name"), placements, _labels(view))


def bigquery_dataset(view: ResourceView) -> StorageResource:
    return _resource(view, BIGQUERY_DATASET.id, view.after.text("dataset_id"),
                     _where(view, view.after.text("location"), "dataset location"), _labels(view))


def firestore_database(view: ResourceView) -> StorageResource:
    placements = _where(view, view.after.text("location_id"), "database location", service="firestore")
    return _resource(view, FIRESTORE_DATABASE.id, view.after.text("name"), placements, ())


def bigtable_instance(view: ResourceView) -> StorageResource:
    clusters = view.after.blocks("cluster")
    if isinstance(clusters, Unknown) or not clusters:
        placements: tuple[Placement, ...] = (Placement(P.PRIMARY, None, f"{KNOWN_AFTER_APPLY} (the clusters)"),)
    else:
        placements = tuple(p for cluster in clusters
                           for p in _where(view, cluster.text("zone"), f"cluster {cluster.text('cluster_id')} in zone"))
    return _resource(view, BIGTABLE_INSTANCE.id, view.after.text("name"), placements, _labels(view))


def compute_snapshot(view: ResourceView) -> StorageResource:
    locations = view.after.get("storage_locations")
    if isinstance(locations, list) and locations:
        placements = tuple(p for code in locations for p in _where(view, code, "stored in"))
    else:
        why = KNOWN_AFTER_APPLY if isinstance(locations, Unknown) else "no storage location is set"
        placements = (Placement(P.PRIMARY, None, f"{why}: the snapshot goes to the location closest to its disk"),)
    lineage = Lineage(None, "its source disk is not read from plans")
    return _resource(view, COMPUTE_SNAPSHOT.id, view.after.text("name"), placements, _labels(view), lineage=lineage)


def dataset_copy(view: ResourceView, index: TargetIndex) -> Contribution:
    if view.after.text("data_source_id") != "cross_region_copy":
        return Contribution()
    params = view.after.get("params")
    params = params if isinstance(params, dict) else {}
    source_project, source_dataset = params.get("source_project_id"), params.get("source_dataset_id")
    lineage = Lineage(None, "the source dataset is known only after apply")
    if isinstance(source_dataset, str):
        hits = index.by_name(frozenset({"google_bigquery_dataset"}), source_dataset)
        if hits:
            lineage = Lineage(hits[0].resource.key, f"cross_region_copy from {source_dataset}")
        else:
            project = source_project if isinstance(source_project, str) else PLAN_ACCOUNT
            lineage = Lineage(ResourceKey(Provider.GCP, project, BIGQUERY_DATASET.id, f"{project}.{source_dataset}",
                                          source_dataset, None), f"cross_region_copy from {project}.{source_dataset}")
    where = _where(view, view.after.text("location"), "copy into the transfer config's location")
    copy = _resource(view, BIGQUERY_DATASET_COPY.id, view.after.text("display_name"), where, (), lineage=lineage)
    return Contribution(standalone=copy)


def snapshot_schedule(view: ResourceView, index: TargetIndex) -> Contribution:
    del index
    properties = view.after.get("snapshot_schedule_policy", 0, "snapshot_properties", 0, "storage_locations")
    if view.after.get("snapshot_schedule_policy") in (None, []):
        return Contribution()  # another kind of resource policy: it copies nothing
    if isinstance(properties, list) and properties:
        placements = tuple(p for code in properties for p in _where(view, code, "snapshots stored in", kind=P.DERIVED))
    else:
        why = KNOWN_AFTER_APPLY if isinstance(properties, Unknown) else "no storage location is set"
        placements = (Placement(P.DERIVED, None, f"{why}: snapshots go to the location closest to each disk"),)
    schedule = _resource(view, COMPUTE_SNAPSHOT_SCHEDULE.id, view.after.text("name"), placements, (),
                         collected=PLANNED - {Facet.TAGS})
    return Contribution(standalone=schedule)


