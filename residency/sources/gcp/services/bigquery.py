"""BigQuery: datasets (regions and the US/EU multi-regions), cross-region dataset copies (Data
Transfer configs with dataSourceId `cross_region_copy`), and table snapshots and clones kept in
another dataset than their base table.

Per project one paginated datasets.list (location and labels come with it); transferConfigs.list
once per dataset location (a config lives in its destination dataset's location); tables.list per
dataset and tables.get for each snapshot and each table (a clone lists as a plain TABLE: only its
`cloneDefinition` tells). A copy is a resource where it lives, with the lineage of its source
dataset; the source gets a DERIVED placement there. Transfer configs carry no labels.
"""

from __future__ import annotations

import contextlib
from typing import Any

from residency.inventory.kinds.gcp_services import (
    BIGQUERY_DATASET,
    BIGQUERY_DATASET_COPY,
    BIGQUERY_TABLE_CLONE,
    BIGQUERY_TABLE_SNAPSHOT,
)
from residency.inventory.model import AccountGap, Facet, Gap, Lineage, PlacementKind, ResourceKey, StorageResource
from residency.sources.gcp.services.context import (
    Found,
    ServiceContext,
    as_dict,
    closing,
    describe,
    key,
    labels_of,
    link_copies,
    list_gap,
    obj,
    pager_items,
    resource,
    text,
)
from residency.sources.gcp.services.locations import placements
from residency.sources.paging import guarded

SERVICE = "BigQuery"
COPY_KINDS = frozenset({BIGQUERY_DATASET_COPY.id, BIGQUERY_TABLE_SNAPSHOT.id, BIGQUERY_TABLE_CLONE.id})
P = PlacementKind


def dataset_id(project: str, dataset: str) -> str:
    return f"//bigquery.googleapis.com/projects/{project}/datasets/{dataset}"


def scan(ctx: ServiceContext, project: str) -> Found:
    found = Found()
    if not any(ctx.wants_kind(project, kind) for kind in (BIGQUERY_DATASET.id, *COPY_KINDS)):
        return found
    from google.cloud import bigquery

    with contextlib.ExitStack() as stack:
        client = closing(stack, bigquery.Client(project=project, credentials=ctx.credentials_for("bigquery"),
                                                client_options=ctx.client_options("bigquery")))
        return _scan(ctx, project, client, stack)


def _scan(ctx: ServiceContext, project: str, client: Any, stack: contextlib.ExitStack) -> Found:
    found = Found()
    try:
        iterator = client.list_datasets(project=project, page_size=1000)
        datasets = [d._properties for page in guarded(iterator.pages, lambda: iterator.next_page_token,
                                                      "BigQuery datasets") for d in page]
    except Exception as error:  # any cloud or transport error: this project's BigQuery only
        found.gaps.append(list_gap(project, SERVICE, "datasets", error))
        return found
    keys: dict[str, ResourceKey] = {}
    records: dict[str, dict[str, Any]] = {}
    for record in datasets:
        name = str((record.get("datasetReference") or {}).get("datasetId", ""))
        if name:
            keys[name], records[name] = key(project, BIGQUERY_DATASET.id, dataset_id(project, name), name,
                                            labels_of(record.get("labels"))), record
    wants = {name: ctx.plan.wants_placements(P.DERIVED, k) or ctx.wants_copies(k, BIGQUERY_TABLE_SNAPSHOT.id)
             for name, k in keys.items()}
    copies, gaps = _transfers(ctx, project, records, keys, stack)
    found.gaps += gaps
    # A snapshot or clone anywhere may copy a wanted dataset: read every dataset's tables then.
    read_tables = any(wants.values())
    for name, own in keys.items():
        collected = {Facet.LOCATION, Facet.TAGS} | ({Facet.COPIES} if wants[name] else set())
        where = placements(text(records[name], "location"), ctx.catalog, "dataset location")
        table_copies, table_gaps = (_table_copies(ctx, client, project, name, records, keys) if read_tables
                                    else ([], []))
        copies += table_copies
        found.resources.append(resource(own, where, collected, gaps=table_gaps,
                                        attributes={"location": text(records[name], "location") or "unknown"}))
    found.resources = link_copies(found.resources + copies, COPY_KINDS, "copy")
    return found


def _source_key(project: str, dataset: str, keys: dict[str, ResourceKey], owner: str) -> ResourceKey:
    if project == owner and dataset in keys:
        return keys[dataset]
    return key(project, BIGQUERY_DATASET.id, dataset_id(project, dataset), dataset, None)


def _transfers(ctx: ServiceContext, project: str, records: dict[str, dict[str, Any]], keys: dict[str, ResourceKey],
               stack: contextlib.ExitStack) -> tuple[list[StorageResource], list[AccountGap]]:
    from google.cloud import bigquery_datatransfer_v1

    client = closing(stack, bigquery_datatransfer_v1.DataTransferServiceClient(
        credentials=ctx.credentials_for("datatransfer"), client_options=ctx.client_options("datatransfer"),
        transport="rest"))
    copies: list[StorageResource] = []
    gaps: list[AccountGap] = []
    for location in sorted({(text(r, "location") or "").lower() for r in records.values()} - {""}):
        try:
            pager = client.list_transfer_configs(parent=f"projects/{project}/locations/{location}")
            configs = [as_dict(c) for c in pager_items(pager, f"transfer configs in {location}",
                                                       lambda page: page.transfer_configs)]
        except Exception as error:  # copies into this location are unknown
            gaps.append(list_gap(project, "BigQuery Data Transfer", f"transfer configs in {location}", error))
            continue
        copies += [_dataset_copy(ctx, project, c, records, keys) for c in configs
                   if c.get("data_source_id") == "cross_region_copy" and text(c, "name")]
    return copies, gaps


def _dataset_copy(ctx: ServiceContext, project: str, config: dict[str, Any], records: dict[str, dict[str, Any]],
                  keys: dict[str, ResourceKey]) -> StorageResource:
    params = obj(config, "params")
    source_project, source_dataset = params.get("source_project_id"), params.get("source_dataset_id")
    destination = text(config, "destination_dataset_id") or ""
    region = text(config, "dataset_region") or text(records.get(destination, {}), "location")
    where = placements(region, ctx.catalog, f"copy into dataset {destination} in")
    if isinstance(source_project, str) and isinstance(source_dataset, str):
        lineage = Lineage(_source_key(source_project, source_dataset, keys, project),
                          f"cross_region_copy transfer config from {source_project}.{source_dataset}")
    else:
        lineage = Lineage(None, "cross_region_copy transfer config without source_project_id/source_dataset_id")
    own = key(project, BIGQUERY_DATASET_COPY.id, f"//bigquerydatatransfer.googleapis.com/{config['name']}",
              text(config, "display_name") or config["name"].rsplit("/", 1)[-1], ())
    return resource(own, where, {Facet.LOCATION, Facet.TAGS}, lineage=lineage,
                    attributes={"destination-dataset": f"{project}.{destination}",
                                "schedule": text(config, "schedule") or "none"})


def _table_copies(ctx: ServiceContext, client: Any, project: str, dataset: str, records: dict[str, dict[str, Any]],
                  keys: dict[str, ResourceKey]) -> tuple[list[StorageResource], list[Gap]]:
    try:
        iterator = client.list_tables(f"{project}.{dataset}", page_size=1000)
        tables = [t._properties for page in guarded(iterator.pages, lambda: iterator.next_page_token,
                                                    f"tables of {dataset}") for t in page]
        copies = []
        for table in tables:
            if table.get("type") not in ("SNAPSHOT", "TABLE"):
                continue
            reference = table.get("tableReference") or {}
            detail = client.get_table(f"{project}.{dataset}.{reference.get('tableId', '')}")._properties
            copy = _table_copy(ctx, project, dataset, detail, records, keys)
            if copy is not None:
                copies.append(copy)
        return copies, []
    except Exception as error:  # the snapshots and clones kept in this dataset are unknown
        return [], [Gap("table snapshots and clones", describe(error), Facet.COPIES)]


def _table_copy(ctx: ServiceContext, project: str, dataset: str, table: dict[str, Any],
                records: dict[str, dict[str, Any]], keys: dict[str, ResourceKey]) -> StorageResource | None:
    for field, kind, verb in (("snapshotDefinition", BIGQUERY_TABLE_SNAPSHOT, "snapshot"),
                              ("cloneDefinition", BIGQUERY_TABLE_CLONE, "clone")):
        definition = table.get(field)
        if not isinstance(definition, dict):
            continue
        base = definition.get("baseTableReference") or {}
        base_project, base_dataset = str(base.get("projectId", "")), str(base.get("datasetId", ""))
        if (base_project, base_dataset) == (project, dataset):
            return None  # in its base table's own dataset: the dataset's placements already hold it
        table_id = str((table.get("tableReference") or {}).get("tableId", ""))
        own = key(project, kind.id, f"{dataset_id(project, dataset)}/tables/{table_id}", f"{dataset}.{table_id}",
                  labels_of(table.get("labels")))
        lineage = Lineage(_source_key(base_project, base_dataset, keys, project),
                          f"table {verb} of {base_project}.{base_dataset}.{base.get('tableId', '')} ({field})")
        where = placements(text(records[dataset], "location"), ctx.catalog, f"{verb} in dataset {dataset} in")
        return resource(own, where, {Facet.LOCATION, Facet.TAGS}, lineage=lineage)
    return None


