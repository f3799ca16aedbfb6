"""Google Cloud kinds beyond Cloud Storage: databases, analytics, backups and snapshots.

Each service's read calls are named by their API method id (as the discovery documents spell
them) with the IAM permission that grants it. Backups, snapshots, images and copies are kinds of
their own (`derived`): a resource wherever the copy lives, with the lineage of its source.
"""

from __future__ import annotations

from residency.inventory.kinds.spec import ReadCall, ResourceKind
from residency.inventory.model import PlacementKind, Provider

GCP = Provider.GCP
P = PlacementKind

SQL_INSTANCES = ReadCall("sqladmin.instances.list", "cloudsql.instances.list",
                         "Cloud SQL instances: region, zones, read replicas, backup location, labels")
SQL_BACKUP_RUNS = ReadCall("sqladmin.backupRuns.list", "cloudsql.backupRuns.list",
                           "Cloud SQL backup runs and where each is stored")
SPANNER_INSTANCES = ReadCall("spanner.projects.instances.list", "spanner.instances.list",
                             "Spanner instances: configuration, edition, labels")
SPANNER_CONFIG = ReadCall("spanner.projects.instanceConfigs.get", "spanner.instanceConfigs.get",
                          "the replica regions of a Spanner instance configuration (read-write, read-only, witness)")
SPANNER_BACKUPS = ReadCall("spanner.projects.instances.backups.list", "spanner.backups.list",
                           "Spanner backups and copied backups of each instance")
BQ_DATASETS = ReadCall("bigquery.datasets.list", "bigquery.datasets.get",
                       "BigQuery datasets: location (regions, US/EU multi-regions), labels")
BQ_TABLES = ReadCall("bigquery.tables.list", "bigquery.tables.list", "tables of a dataset, with their type")
BQ_TABLE = ReadCall("bigquery.tables.get", "bigquery.tables.get",
                    "a table's snapshot or clone definition (its base table)")
BQ_TRANSFERS = ReadCall("bigquerydatatransfer.projects.locations.transferConfigs.list", "bigquery.transfers.get",
                        "Data Transfer configs per dataset location: cross-region dataset copies")
FIRESTORE_DATABASES = ReadCall("firestore.projects.databases.list", "datastore.databases.list",
                               "Firestore / Datastore databases and their locationId")
FIRESTORE_SCHEDULES = ReadCall("firestore.projects.databases.backupSchedules.list", "datastore.backupSchedules.list",
                               "Firestore backup schedules (backups to come)")
FIRESTORE_BACKUPS = ReadCall("firestore.projects.locations.backups.list", "datastore.backups.list",
                             "Firestore backups of every location")
BIGTABLE_INSTANCES = ReadCall("bigtableadmin.projects.instances.list", "bigtable.instances.list",
                              "Bigtable instances and labels")
BIGTABLE_CLUSTERS = ReadCall("bigtableadmin.projects.instances.clusters.list", "bigtable.clusters.list",
                             "the clusters (zones) of every Bigtable instance")
BIGTABLE_BACKUPS = ReadCall("bigtableadmin.projects.instances.clusters.backups.list", "bigtable.backups.list",
                            "Bigtable backups and copied backups of each instance's clusters")
DISKS = ReadCall("compute.disks.aggregatedList", "compute.disks.list",
                 "persistent disks of every zone: zone, labels, attached snapshot schedules")
RESOURCE_POLICIES = ReadCall("compute.resourcePolicies.aggregatedList", "compute.resourcePolicies.list",
                             "snapshot schedules and their storage locations")
SNAPSHOTS = ReadCall("compute.snapshots.list", "compute.snapshots.list", "disk snapshots and their storageLocations")
MACHINE_IMAGES = ReadCall("compute.machineImages.list", "compute.machineImages.list",
                          "machine images and their storageLocations")

CLOUDSQL_INSTANCE = ResourceKind(
    "cloudsql-instance", GCP, "Cloud SQL", "Cloud SQL instance",
    frozenset({P.PRIMARY, P.SECONDARY, P.REPLICA, P.MEMBER, P.DERIVED}), (SQL_INSTANCES, SQL_BACKUP_RUNS),
    terraform_types=("google_sql_database_instance",),
)
CLOUDSQL_BACKUP = ResourceKind(
    "cloudsql-backup", GCP, "Cloud SQL", "Cloud SQL backup", frozenset({P.PRIMARY, P.MEMBER}),
    (SQL_INSTANCES, SQL_BACKUP_RUNS), derived=True,
)
SPANNER_INSTANCE = ResourceKind(
    "spanner-instance", GCP, "Spanner", "Spanner instance", frozenset({P.PRIMARY, P.MEMBER, P.DERIVED}),
    (SPANNER_INSTANCES, SPANNER_CONFIG, SPANNER_BACKUPS), terraform_types=("google_spanner_instance",),
)
SPANNER_BACKUP = ResourceKind(
    "spanner-backup", GCP, "Spanner", "Spanner backup", frozenset({P.PRIMARY, P.MEMBER}),
    (SPANNER_INSTANCES, SPANNER_CONFIG, SPANNER_BACKUPS), derived=True,
)
BIGQUERY_DATASET = ResourceKind(
    "bigquery-dataset", GCP, "BigQuery", "BigQuery dataset", frozenset({P.PRIMARY, P.MEMBER, P.DERIVED}),
    (BQ_DATASETS, BQ_TRANSFERS, BQ_TABLES, BQ_TABLE), terraform_types=("google_bigquery_dataset",),
)
BIGQUERY_DATASET_COPY = ResourceKind(
    "bigquery-dataset-copy", GCP, "BigQuery Data Transfer", "BigQuery cross-region dataset copy",
    frozenset({P.PRIMARY, P.MEMBER}), (BQ_DATASETS, BQ_TRANSFERS), derived=True,
    terraform_types=("google_bigquery_data_transfer_config",),
)
BIGQUERY_TABLE_SNAPSHOT = ResourceKind(
    "bigquery-table-snapshot", GCP, "BigQuery", "BigQuery table snapshot", frozenset({P.PRIMARY, P.MEMBER}),
    (BQ_DATASETS, BQ_TABLES, BQ_TABLE), derived=True,
)
BIGQUERY_TABLE_CLONE = ResourceKind(
    "bigquery-table-clone", GCP, "BigQuery", "BigQuery table clone", frozenset({P.PRIMARY, P.MEMBER}),
    (BQ_DATASETS, BQ_TABLES, BQ_TABLE), derived=True,
)
FIRESTORE_DATABASE = ResourceKind(
    "firestore-database", GCP, "Firestore", "Firestore database", frozenset({P.PRIMARY, P.MEMBER, P.DERIVED}),
    (FIRESTORE_DATABASES, FIRESTORE_SCHEDULES, FIRESTORE_BACKUPS), terraform_types=("google_firestore_database",),
)
FIRESTORE_BACKUP = ResourceKind(
    "firestore-backup", GCP, "Firestore", "Firestore backup", frozenset({P.PRIMARY, P.MEMBER}),
    (FIRESTORE_DATABASES, FIRESTORE_BACKUPS), derived=True,
)
BIGTABLE_INSTANCE = ResourceKind(
    "bigtable-instance", GCP, "Bigtable", "Bigtable instance", frozenset({P.PRIMARY, P.DERIVED}),
    (BIGTABLE_INSTANCES, BIGTABLE_CLUSTERS, BIGTABLE_BACKUPS), terraform_types=("google_bigtable_instance",),
)
BIGTABLE_BACKUP = ResourceKind(
    "bigtable-backup", GCP, "Bigtable", "Bigtable backup", frozenset({P.PRIMARY}),
    (BIGTABLE_INSTANCES, BIGTABLE_CLUSTERS, BIGTABLE_BACKUPS), derived=True,
)
COMPUTE_DISK = ResourceKind(
    "compute-disk", GCP, "Compute Engine", "persistent disk", frozenset({P.PRIMARY, P.DERIVED}),
    (DISKS, RESOURCE_POLICIES, SNAPSHOTS, MACHINE_IMAGES),
)
COMPUTE_SNAPSHOT = ResourceKind(
    "compute-snapshot", GCP, "Compute Engine", "disk snapshot", frozenset({P.PRIMARY, P.MEMBER}),
    (SNAPSHOTS, DISKS), derived=True, terraform_types=("google_compute_snapshot",),
)
COMPUTE_MACHINE_IMAGE = ResourceKind(
    "compute-machine-image", GCP, "Compute Engine", "machine image", frozenset({P.PRIMARY, P.MEMBER}),
    (MACHINE_IMAGES, DISKS), derived=True,
)
COMPUTE_SNAPSHOT_SCHEDULE = ResourceKind(
    "compute-snapshot-schedule", GCP, "Compute Engine", "snapshot schedule (disks outside the plan)",
    frozenset({P.DERIVED}), (), terraform_types=("google_compute_resource_policy",), scanned=False,
)

KINDS = (
    CLOUDSQL_INSTANCE, CLOUDSQL_BACKUP, SPANNER_INSTANCE, SPANNER_BACKUP, BIGQUERY_DATASET, BIGQUERY_DATASET_COPY,
    BIGQUERY_TABLE_SNAPSHOT, BIGQUERY_TABLE_CLONE, FIRESTORE_DATABASE, FIRESTORE_BACKUP, BIGTABLE_INSTANCE,
    BIGTABLE_BACKUP, COMPUTE_DISK, COMPUTE_SNAPSHOT, COMPUTE_MACHINE_IMAGE, COMPUTE_SNAPSHOT_SCHEDULE,
)
