"""Seed the local Google Cloud admin APIs through the real client libraries, as on Google Cloud.

Each function takes the environment `localcloud` exports (`RESIDENCY_GCP_<SERVICE>_URL`) and makes
the calls an operator would: googleapiclient for Cloud SQL (static discovery document), the
generated clients with transport="rest" for Spanner, Data Transfer, Firestore and Bigtable,
google-cloud-bigquery and google-cloud-compute. Credentials are anonymous: the servers are local.
"""

from __future__ import annotations

from typing import Any

from google.api_core.client_options import ClientOptions
from google.auth.credentials import AnonymousCredentials

URL_ENV = "RESIDENCY_GCP_{}_URL"


def _options(env: dict[str, str], service: str) -> ClientOptions:
    return ClientOptions(api_endpoint=env[URL_ENV.format(service.upper())])


_OPEN: list[Any] = []  # clients of the current seeding call, closed by `close_clients`


def _closing(client: Any) -> Any:
    _OPEN.append(client)
    return client


def close_clients() -> None:
    """Close every client the seeding functions opened (their HTTP sessions keep sockets)."""
    while _OPEN:
        client = _OPEN.pop()
        closer = getattr(client, "close", None) or getattr(getattr(client, "transport", None), "close", None)
        if closer is not None:
            closer()


def _anonymous() -> AnonymousCredentials:
    return AnonymousCredentials()  # type: ignore[no-untyped-call]


# Cloud SQL ---------------------------------------------------------------------------------------

def sqladmin(env: dict[str, str]) -> Any:
    from googleapiclient import discovery

    return _closing(discovery.build("sqladmin", "v1", credentials=_anonymous(), static_discovery=True,
                                    client_options=_options(env, "sqladmin"), cache_discovery=False))


def sql_instance(env: dict[str, str], project: str, name: str, region: str, labels: dict[str, str] | None = None,
                 backup_location: str | None = None, master: str | None = None,
                 secondary_zone: str | None = None) -> None:
    backup: dict[str, Any] = {"enabled": True}
    if backup_location:
        backup["location"] = backup_location
    settings: dict[str, Any] = {"tier": "db-custom-1-3840", "userLabels": labels or {}, "backupConfiguration": backup}
    if secondary_zone:
        settings["availabilityType"] = "REGIONAL"
        settings["locationPreference"] = {"zone": f"{region}-a", "secondaryZone": secondary_zone}
    body: dict[str, Any] = {"name": name, "region": region, "databaseVersion": "POSTGRES_16", "settings": settings}
    if master:
        body["masterInstanceName"] = master
    sqladmin(env).instances().insert(project=project, body=body).execute()


def sql_backup(env: dict[str, str], project: str, instance: str) -> None:
    sqladmin(env).backupRuns().insert(project=project, instance=instance, body={}).execute()


# Spanner -----------------------------------------------------------------------------------------

def spanner_instance(env: dict[str, str], project: str, instance_id: str, config: str,
                     labels: dict[str, str] | None = None, edition: str = "STANDARD") -> None:
    from google.cloud import spanner_admin_instance_v1 as admin

    client = _closing(admin.InstanceAdminClient(credentials=_anonymous(), transport="rest",
                                                client_options=_options(env, "spanner")))
    instance = admin.Instance(config=f"projects/{project}/instanceConfigs/{config}", display_name=instance_id,
                              node_count=1, labels=labels or {}, edition=getattr(admin.Instance.Edition, edition))
    client.create_instance(parent=f"projects/{project}", instance_id=instance_id, instance=instance).result()


def spanner_custom_config(env: dict[str, str], project: str, config_id: str, base: str,
                          read_only: tuple[str, ...]) -> None:
    from google.cloud import spanner_admin_instance_v1 as admin

    client = _closing(admin.InstanceAdminClient(credentials=_anonymous(), transport="rest",
                                                client_options=_options(env, "spanner")))
    base_config = client.get_instance_config(name=f"projects/{project}/instanceConfigs/{base}")
    read_only_type = admin.ReplicaInfo.ReplicaType.READ_ONLY
    replicas = [*base_config.replicas, *(admin.ReplicaInfo(location=region, type_=read_only_type)
                                         for region in read_only)]
    config = admin.InstanceConfig(name=f"projects/{project}/instanceConfigs/{config_id}", display_name=config_id,
                                  base_config=base_config.name, replicas=replicas)
    client.create_instance_config(parent=f"projects/{project}", instance_config_id=config_id,
                                  instance_config=config).result()


def spanner_backup(env: dict[str, str], project: str, instance_id: str, database_id: str, backup_id: str) -> None:
    import datetime as dt

    from google.cloud import spanner_admin_database_v1 as admin

    client = _closing(admin.DatabaseAdminClient(credentials=_anonymous(), transport="rest",
                                                client_options=_options(env, "spanner")))
    parent = f"projects/{project}/instances/{instance_id}"
    client.create_database(parent=parent, create_statement=f"CREATE DATABASE `{database_id}`").result()
    backup = admin.Backup(database=f"{parent}/databases/{database_id}",
                          expire_time=dt.datetime.now(dt.UTC) + dt.timedelta(days=7))
    client.create_backup(parent=parent, backup_id=backup_id, backup=backup).result()


def spanner_copy_backup(env: dict[str, str], project: str, source: str, instance_id: str, backup_id: str) -> None:
    import datetime as dt

    from google.cloud import spanner_admin_database_v1 as admin

    client = _closing(admin.DatabaseAdminClient(credentials=_anonymous(), transport="rest",
                                                client_options=_options(env, "spanner")))
    client.copy_backup(parent=f"projects/{project}/instances/{instance_id}", backup_id=backup_id,
                       source_backup=source, expire_time=dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).result()


# BigQuery and Data Transfer ----------------------------------------------------------------------

def bigquery(env: dict[str, str], project: str) -> Any:
    from google.cloud import bigquery as bq

    return _closing(bq.Client(project=project, credentials=_anonymous(), client_options=_options(env, "bigquery")))


def bq_dataset(env: dict[str, str], project: str, dataset_id: str, location: str,
               labels: dict[str, str] | None = None) -> None:
    from google.cloud import bigquery as bq

    dataset = bq.Dataset(f"{project}.{dataset_id}")
    dataset.location = location
    dataset.labels = labels or {}
    bigquery(env, project).create_dataset(dataset)


def bq_table(env: dict[str, str], project: str, table: str) -> None:
    from google.cloud import bigquery as bq

    schema = [bq.SchemaField("user_id", "STRING")]
    bigquery(env, project).create_table(bq.Table(f"{project}.{table}", schema=schema))


def bq_copy(env: dict[str, str], project: str, source: str, destination: str, operation: str) -> None:
    """A table snapshot (operation SNAPSHOT) or clone (CLONE) by a copy job, as `bq cp --snapshot/--clone`."""
    from google.cloud import bigquery as bq

    config = bq.CopyJobConfig(operation_type=operation)
    bigquery(env, project).copy_table(f"{project}.{source}", f"{project}.{destination}", job_config=config).result()


def bq_cross_region_copy(env: dict[str, str], project: str, location: str, source_project: str,
                         source_dataset: str, destination_dataset: str, display_name: str = "") -> None:
    from google.cloud import bigquery_datatransfer_v1 as dts
    from google.protobuf import struct_pb2

    client = _closing(dts.DataTransferServiceClient(credentials=_anonymous(), transport="rest",
                                                    client_options=_options(env, "datatransfer")))
    params = struct_pb2.Struct()
    params.update({"source_project_id": source_project, "source_dataset_id": source_dataset})
    config = dts.TransferConfig(destination_dataset_id=destination_dataset,
                                display_name=display_name or f"copy of {source_dataset}",
                                data_source_id="cross_region_copy", params=params, schedule="every 24 hours")
    client.create_transfer_config(parent=f"projects/{project}/locations/{location}", transfer_config=config)


# Firestore ---------------------------------------------------------------------------------------

def firestore_admin(env: dict[str, str]) -> Any:
    from google.cloud.firestore_admin_v1.services.firestore_admin import FirestoreAdminClient

    return _closing(FirestoreAdminClient(credentials=_anonymous(), transport="rest",
                                         client_options=_options(env, "firestore")))


def firestore_database(env: dict[str, str], project: str, database_id: str, location: str,
                       schedule: bool = False) -> None:
    from google.cloud.firestore_admin_v1.types import database as fdb
    from google.cloud.firestore_admin_v1.types import schedule as fschedule

    client = firestore_admin(env)
    database = fdb.Database(location_id=location, type_=fdb.Database.DatabaseType.FIRESTORE_NATIVE)
    client.create_database(parent=f"projects/{project}", database=database, database_id=database_id).result()
    if schedule:
        client.create_backup_schedule(parent=f"projects/{project}/databases/{database_id}",
                                      backup_schedule=fschedule.BackupSchedule(
                                          retention="604800s", daily_recurrence=fschedule.DailyRecurrence()))


def firestore_run_schedules(env: dict[str, str], project: str) -> None:
    """Time passes: every backup schedule makes its backup (Firestore has no create-backup call)."""
    import urllib.parse
    import urllib.request

    url = f"{env[URL_ENV.format('FIRESTORE')]}/_residency/firestore/run-schedules?" + urllib.parse.urlencode(
        {"project": project})
    with urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=10):
        pass


# Bigtable ----------------------------------------------------------------------------------------

def bigtable_instance(env: dict[str, str], project: str, instance_id: str, zones: dict[str, str],
                      labels: dict[str, str] | None = None) -> None:
    from google.cloud import bigtable_admin_v2 as admin

    client = _closing(admin.BigtableInstanceAdminClient(credentials=_anonymous(), transport="rest",
                                                        client_options=_options(env, "bigtable")))
    clusters = {cid: admin.Cluster(location=f"projects/{project}/locations/{zone}", serve_nodes=1)
                for cid, zone in zones.items()}
    client.create_instance(parent=f"projects/{project}", instance_id=instance_id,
                           instance=admin.Instance(display_name=instance_id, labels=labels or {}),
                           clusters=clusters).result()


def bigtable_backup(env: dict[str, str], project: str, instance_id: str, cluster_id: str, table_id: str,
                    backup_id: str) -> None:
    import datetime as dt

    from google.cloud import bigtable_admin_v2 as admin

    client = _closing(admin.BigtableTableAdminClient(credentials=_anonymous(), transport="rest",
                                                     client_options=_options(env, "bigtable")))
    parent = f"projects/{project}/instances/{instance_id}"
    client.create_table(parent=parent, table_id=table_id, table=admin.Table())
    backup = admin.Backup(source_table=f"{parent}/tables/{table_id}",
                          expire_time=dt.datetime.now(dt.UTC) + dt.timedelta(days=7))
    client.create_backup(parent=f"{parent}/clusters/{cluster_id}", backup_id=backup_id, backup=backup).result()


def bigtable_copy_backup(env: dict[str, str], project: str, source: str, instance_id: str, cluster_id: str,
                         backup_id: str) -> None:
    import datetime as dt

    from google.cloud import bigtable_admin_v2 as admin

    client = _closing(admin.BigtableTableAdminClient(credentials=_anonymous(), transport="rest",
                                                     client_options=_options(env, "bigtable")))
    client.copy_backup(parent=f"projects/{project}/instances/{instance_id}/clusters/{cluster_id}",
                       backup_id=backup_id, source_backup=source,
                       expire_time=dt.datetime.now(dt.UTC) + dt.timedelta(days=7)).result()


# Compute Engine ----------------------------------------------------------------------------------

def _compute(env: dict[str, str], client: str) -> Any:
    from google.cloud import compute_v1

    return _closing(getattr(compute_v1, client)(credentials=_anonymous(), client_options=_options(env, "compute")))


def compute_disk(env: dict[str, str], project: str, zone: str, name: str, labels: dict[str, str] | None = None) -> None:
    from google.cloud import compute_v1

    disk = compute_v1.Disk(name=name, size_gb=10, labels=labels or {})
    _compute(env, "DisksClient").insert(project=project, zone=zone, disk_resource=disk).result()


def compute_snapshot(env: dict[str, str], project: str, zone: str, disk: str, name: str,
                     storage_locations: tuple[str, ...] = ()) -> None:
    from google.cloud import compute_v1

    snapshot = compute_v1.Snapshot(name=name, source_disk=f"projects/{project}/zones/{zone}/disks/{disk}",
                                   storage_locations=list(storage_locations))
    _compute(env, "SnapshotsClient").insert(project=project, snapshot_resource=snapshot).result()


def compute_machine_image(env: dict[str, str], project: str, zone: str, disk: str, name: str,
                          storage_locations: tuple[str, ...] = ()) -> None:
    from google.cloud import compute_v1

    vm = compute_v1.Instance(name=f"{name}-vm", disks=[compute_v1.AttachedDisk(
        source=f"projects/{project}/zones/{zone}/disks/{disk}", boot=True)])
    _compute(env, "InstancesClient").insert(project=project, zone=zone, instance_resource=vm).result()
    image = compute_v1.MachineImage(name=name, source_instance=f"projects/{project}/zones/{zone}/instances/{name}-vm",
                                    storage_locations=list(storage_locations))
    _compute(env, "MachineImagesClient").insert(project=project, machine_image_resource=image).result()


def compute_snapshot_schedule(env: dict[str, str], project: str, region: str, name: str,
                              storage_locations: tuple[str, ...], disks: tuple[tuple[str, str], ...]) -> None:
    """A snapshot schedule (resource policy) and the disks (zone, name) it is attached to."""
    from google.cloud import compute_v1

    properties = compute_v1.ResourcePolicySnapshotSchedulePolicySnapshotProperties(
        storage_locations=list(storage_locations))
    schedule = compute_v1.ResourcePolicySnapshotSchedulePolicy(snapshot_properties=properties)
    policy = compute_v1.ResourcePolicy(name=name, snapshot_schedule_policy=schedule)
    _compute(env, "ResourcePoliciesClient").insert(project=project, region=region,
                                                   resource_policy_resource=policy).result()
    url = f"projects/{project}/regions/{region}/resourcePolicies/{name}"
    for zone, disk in disks:
        request = compute_v1.DisksAddResourcePoliciesRequest(resource_policies=[url])
        _compute(env, "DisksClient").add_resource_policies(
            project=project, zone=zone, disk=disk, disks_add_resource_policies_request_resource=request).result()


def deny(env: dict[str, str], project: str) -> None:
    """Test-only: every local admin API answers 403 on `project` (as for a scanner without access)."""
    import urllib.parse
    import urllib.request

    url = f"{env[URL_ENV.format('SQLADMIN')]}/_residency/deny?" + urllib.parse.urlencode({"project": project})
    with urllib.request.urlopen(urllib.request.Request(url, method="POST"), timeout=10):
        pass
