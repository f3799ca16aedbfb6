"""The local admin servers number their enums exactly as the client libraries do."""

from __future__ import annotations

from enum import IntEnum

import pytest
from google.cloud import bigquery_datatransfer_v1, bigtable_admin_v2, compute_v1, spanner_admin_instance_v1
from google.cloud.firestore_admin_v1.types import backup as firestore_backup
from google.cloud.firestore_admin_v1.types import database as firestore_database

from scripts.localcloud.gcp.admin import bigquery, bigtable, compute, firestore, spanner


@pytest.mark.parametrize(("served", "library"), [
    (spanner.CONFIG_TYPES, spanner_admin_instance_v1.InstanceConfig.Type),
    (spanner.REPLICA_TYPES, spanner_admin_instance_v1.ReplicaInfo.ReplicaType),
    (spanner.STATES, spanner_admin_instance_v1.Instance.State),
    (spanner.EDITIONS, spanner_admin_instance_v1.Instance.Edition),
    (firestore.DATABASE_TYPES, firestore_database.Database.DatabaseType),
    (firestore.CONCURRENCY, firestore_database.Database.ConcurrencyMode),
    (firestore.BACKUP_STATES, firestore_backup.Backup.State),
    (bigtable.INSTANCE_TYPES, bigtable_admin_v2.Instance.Type),
    (bigtable.STORAGE_TYPES, bigtable_admin_v2.StorageType),
    (bigquery.TRANSFER_STATES, bigquery_datatransfer_v1.TransferState),
])
def test_enum_numbers_match_the_client_library(served: dict[str, int], library: type[IntEnum]) -> None:
    assert served == {member.name: member.value for member in library}


def test_single_values_match_the_client_library() -> None:
    assert (bigtable.READY.number, bigtable.BACKUP_READY.number) == (
        bigtable_admin_v2.Instance.State.READY.value, bigtable_admin_v2.Backup.State.READY.value)
    assert compute.DONE.number == compute_v1.Operation.Status.DONE.value
