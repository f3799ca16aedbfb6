"""`load_plan`: a Terraform plan JSON -> the Inventory it would create, before anything exists.

Two passes: storage containers first (buckets, accounts: where each one is), then the
resources that link them (replication, access points, containers), which add placements
to a container of the plan or, when theirs is outside the plan, stand on their own.
Resources the plan only deletes are not evaluated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from residency.catalog import Catalog
from residency.inventory.model import Inventory, Placement, StorageResource
from residency.sources.terraform import (
    aws,
    aws_datastore_links,
    aws_datastores,
    azure,
    azure_stores,
    gcp,
    gcp_services,
)
from residency.sources.terraform.links import Contribution, PlannedContainer, TargetIndex
from residency.sources.terraform.plan_json import PlanDocument, read_plan
from residency.sources.terraform.view import KNOWN_AFTER_APPLY, PlanContext, ResourceView

Container = Callable[[ResourceView], StorageResource]
Linker = Callable[[ResourceView, TargetIndex], Contribution | tuple[Contribution, ...] | list[Contribution]]

CONTAINERS: dict[str, Container] = {
    "aws_s3_bucket": aws.bucket,
    "aws_s3_directory_bucket": aws.directory_bucket,
    "aws_dynamodb_table": aws_datastores.dynamodb_table,
    "aws_db_instance": aws_datastores.db_instance,
    "aws_rds_cluster": aws_datastores.rds_cluster,
    "aws_ebs_volume": aws_datastores.ebs_volume,
    "aws_redshift_cluster": aws_datastores.redshift_cluster,
    "aws_elasticache_replication_group": aws_datastores.elasticache_group,
    "aws_cloudwatch_log_group": aws_datastores.log_group,
    "aws_kinesis_firehose_delivery_stream": aws_datastores.delivery_stream,
    "google_storage_bucket": gcp.bucket,
    "azurerm_storage_account": azure.storage_account,
    "azurerm_mssql_database": azure_stores.mssql_database,
    "azurerm_cosmosdb_account": azure_stores.cosmosdb_account,
    "azurerm_snapshot": azure_stores.snapshot,
    "azurerm_shared_image_version": azure_stores.shared_image_version,
    "azurerm_recovery_services_vault": azure_stores.recovery_services_vault,
    "azurerm_data_protection_backup_vault": azure_stores.data_protection_backup_vault,
    "google_sql_database_instance": gcp_services.sql_instance,
    "google_spanner_instance": gcp_services.spanner_instance,
    "google_bigquery_dataset": gcp_services.bigquery_dataset,
    "google_firestore_database": gcp_services.firestore_database,
    "google_bigtable_instance": gcp_services.bigtable_instance,
    "google_compute_snapshot": gcp_services.compute_snapshot,
}
LINKERS: dict[str, Linker] = {
    "aws_s3_bucket": aws.inline_replication,
    "aws_s3_bucket_replication_configuration": aws.replication_configuration,
    "aws_s3control_multi_region_access_point": aws.multi_region_access_point,
    **aws_datastore_links.LINKERS,
    "azurerm_storage_object_replication": azure.object_replication,
    "azurerm_storage_container": azure.container,
    "azurerm_mssql_database": azure_stores.mssql_secondary,
    "azurerm_mssql_failover_group": azure_stores.mssql_failover_group,
    "google_sql_database_instance": gcp_services.sql_replica,
    "google_bigquery_data_transfer_config": gcp_services.dataset_copy,
    "google_compute_resource_policy": gcp_services.snapshot_schedule,
}
SUPPORTED_TYPES = frozenset(CONTAINERS) | frozenset(LINKERS)


def load_plan(path: str | Path, catalog: Catalog) -> Inventory:
    """The storage a plan would create or keep. Raises InputError for a malformed or non-plan file."""
    return plan_inventory(read_plan(path), catalog)[0]


def plan_inventory(document: PlanDocument, catalog: Catalog) -> tuple[Inventory, TargetIndex]:
    """The plan's inventory, and the index that resolved its links (its `steps` show the work done)."""
    context = PlanContext.build(document, catalog)
    views = [
        context.view(change)
        for change in document.changes
        if change.type in SUPPORTED_TYPES and not change.deletes_only
    ]
    located = [_locate(view, CONTAINERS[view.change.type](view)) for view in views if view.change.type in CONTAINERS]
    index = TargetIndex(located, context.config)
    resources = {item.resource.id: item.resource for item in located}
    for view in views:
        linker = LINKERS.get(view.change.type)
        if linker is not None:
            made = linker(view, index)
            for contribution in made if isinstance(made, (list, tuple)) else (made,):
                _apply(resources, contribution)
    deferred = {view.address: view.change.deferred for view in views if view.change.deferred}
    final = sorted((_deferred(r, deferred.get(r.id)) for r in resources.values()), key=lambda r: r.id)
    scanned = sorted({(r.provider.value, r.account) for r in final})
    return Inventory(tuple(final), (), tuple(scanned), f"terraform-plan:{document.path}"), index


def _locate(view: ResourceView, resource: StorageResource) -> PlannedContainer:
    location = view.change.location
    return PlannedContainer(resource, location.type, location.module_steps, location.name, location.key,
                   name_known=resource.name != resource.id)


def _apply(resources: dict[str, StorageResource], contribution: Contribution) -> None:
    if contribution.standalone is not None:
        resources[contribution.standalone.id] = contribution.standalone
        return
    owner = resources.get(contribution.owner or "")
    if owner is None or not (contribution.placements or contribution.attributes):
        return
    resources[owner.id] = replace(
        owner,
        placements=owner.placements + contribution.placements,
        attributes=_merged_attributes(owner.attributes, contribution.attributes),
    )


def _merged_attributes(
    current: tuple[tuple[str, str], ...], added: tuple[tuple[str, str], ...]
) -> tuple[tuple[str, str], ...]:
    """Repeated keys (several containers, several replication configurations) join with ", "."""
    merged = dict(current)
    for key, value in added:
        merged[key] = f"{merged[key]}, {value}" if key in merged else value
    return tuple(merged.items())


def _deferred(resource: StorageResource, reason: str | None) -> StorageResource:
    """Terraform planned nothing definite for a deferred change: none of its locations is known."""
    if reason is None:
        return resource
    why = f"{KNOWN_AFTER_APPLY} (Terraform deferred this change: {reason})"
    return replace(resource, placements=tuple(Placement(p.kind, None, why) for p in resource.placements))
