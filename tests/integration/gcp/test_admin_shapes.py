"""The local admin APIs answer in the shapes of the discovery documents googleapiclient ships.

Every list and get the scanner calls is fetched as plain JSON (enums as names, no `$alt`) from the
seeded estate and checked against its response schema: every field is declared, with its JSON
type, and every enum value is one the document lists. Under `$alt=json;enum-encoding=int` (what the
generated REST clients ask for) the same enums come back as the numbers of the client libraries.
"""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path
from typing import Any

import googleapiclient
import pytest

from tests.integration.gcp.admin_estate import DATA, EU_PROJECT, AdminEstate

pytestmark = pytest.mark.integration
DOCUMENTS = Path(googleapiclient.__file__).parent / "discovery_cache" / "documents"
P = f"projects/{DATA}"
# (service, discovery document, path, response schema)
CALLS = [
    ("SQLADMIN", "sqladmin.v1", f"/v1/{P}/instances", "InstancesListResponse"),
    ("SQLADMIN", "sqladmin.v1", f"/v1/{P}/instances/orders", "DatabaseInstance"),
    ("SQLADMIN", "sqladmin.v1", f"/v1/{P}/instances/orders/backupRuns", "BackupRunsListResponse"),
    ("SPANNER", "spanner.v1", f"/v1/{P}/instances", "ListInstancesResponse"),
    ("SPANNER", "spanner.v1", f"/v1/{P}/instanceConfigs/nam-eur-asia1", "InstanceConfig"),
    ("SPANNER", "spanner.v1", f"/v1/{P}/instanceConfigs/custom-us-plus-london", "InstanceConfig"),
    ("SPANNER", "spanner.v1", f"/v1/{P}/instances/archive/backups", "ListBackupsResponse"),
    ("BIGQUERY", "bigquery.v2", f"/bigquery/v2/{P}/datasets", "DatasetList"),
    ("BIGQUERY", "bigquery.v2", f"/bigquery/v2/{P}/datasets/events", "Dataset"),
    ("BIGQUERY", "bigquery.v2", f"/bigquery/v2/{P}/datasets/snapshots/tables", "TableList"),
    ("BIGQUERY", "bigquery.v2", f"/bigquery/v2/{P}/datasets/snapshots/tables/clicks_0101", "Table"),
    ("BIGQUERY", "bigquery.v2", f"/bigquery/v2/{P}/datasets/snapshots/tables/clicks_dev", "Table"),
    ("DATATRANSFER", "bigquerydatatransfer.v1", f"/v1/{P}/locations/eu/transferConfigs",
     "ListTransferConfigsResponse"),
    ("FIRESTORE", "firestore.v1", f"/v1/projects/{EU_PROJECT}/databases",
     "GoogleFirestoreAdminV1ListDatabasesResponse"),
    ("FIRESTORE", "firestore.v1", f"/v1/projects/{EU_PROJECT}/databases/(default)/backupSchedules",
     "GoogleFirestoreAdminV1ListBackupSchedulesResponse"),
    ("FIRESTORE", "firestore.v1", f"/v1/projects/{EU_PROJECT}/locations/-/backups",
     "GoogleFirestoreAdminV1ListBackupsResponse"),
    ("BIGTABLE", "bigtableadmin.v2", f"/v2/{P}/instances", "ListInstancesResponse"),
    ("BIGTABLE", "bigtableadmin.v2", f"/v2/{P}/instances/-/clusters", "ListClustersResponse"),
    ("BIGTABLE", "bigtableadmin.v2", f"/v2/{P}/instances/profiles/clusters/-/backups", "ListBackupsResponse"),
    ("COMPUTE", "compute.v1", f"/compute/v1/{P}/aggregated/disks", "DiskAggregatedList"),
    ("COMPUTE", "compute.v1", f"/compute/v1/{P}/aggregated/resourcePolicies", "ResourcePolicyAggregatedList"),
    ("COMPUTE", "compute.v1", f"/compute/v1/{P}/global/snapshots", "SnapshotList"),
    ("COMPUTE", "compute.v1", f"/compute/v1/{P}/global/machineImages", "MachineImageList"),
]
_JSON_TYPES = {"string": str, "boolean": bool, "object": dict, "array": list}


def _get(url: str) -> Any:
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


def check(value: Any, schema: dict[str, Any], schemas: dict[str, Any], where: str) -> list[str]:
    """Problems of `value` against a discovery schema (empty when it conforms)."""
    if "$ref" in schema:
        return check(value, schemas[schema["$ref"]], schemas, where)
    kind = schema.get("type")
    if kind == "integer" or (kind == "string" and schema.get("format") in ("int64", "uint64")):
        ok = isinstance(value, int) or (isinstance(value, str) and value.lstrip("-").isdigit())
        return [] if ok and not isinstance(value, bool) else [f"{where}: {value!r} is not an integer"]
    if kind == "number":
        return [] if isinstance(value, (int, float)) else [f"{where}: {value!r} is not a number"]
    if kind == "any":
        return []
    if kind in _JSON_TYPES and not isinstance(value, _JSON_TYPES[kind]):
        return [f"{where}: {type(value).__name__}, expected {kind}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} is not one of the enum values"]
    problems: list[str] = []
    if kind == "array":
        for index, item in enumerate(value):
            problems += check(item, schema.get("items", {}), schemas, f"{where}[{index}]")
    elif kind == "object":
        properties, extra = schema.get("properties", {}), schema.get("additionalProperties")
        for name, item in value.items():
            if name in properties:
                problems += check(item, properties[name], schemas, f"{where}.{name}")
            elif extra is not None:
                problems += check(item, extra, schemas, f"{where}[{name!r}]")
            else:
                problems.append(f"{where}: '{name}' is not a field of the schema")
    return problems


@pytest.mark.parametrize(("service", "document", "path", "schema"), CALLS, ids=[c[2] for c in CALLS])
def test_served_shapes_follow_the_discovery_document(admin_estate: AdminEstate, service: str, document: str,
                                                     path: str, schema: str) -> None:
    discovery = json.loads((DOCUMENTS / f"{document}.json").read_text())
    body = _get(admin_estate.env[f"RESIDENCY_GCP_{service}_URL"] + path)
    assert body, path
    assert check(body, discovery["schemas"][schema], discovery["schemas"], schema) == []


def test_the_checker_refuses_what_the_document_does_not_declare() -> None:
    discovery = json.loads((DOCUMENTS / "spanner.v1.json").read_text())
    schemas = discovery["schemas"]
    good = {"name": "projects/p/instanceConfigs/x", "replicas": [{"location": "us-east1", "type": "READ_WRITE"}]}
    assert check(good, schemas["InstanceConfig"], schemas, "c") == []
    assert check({**good, "region": "x"}, schemas["InstanceConfig"], schemas, "c") == ["c: 'region' is not a field "
                                                                                        "of the schema"]
    bad_enum = {"replicas": [{"type": "LEADER"}]}
    assert check(bad_enum, schemas["InstanceConfig"], schemas, "c") == ["c.replicas[0].type: 'LEADER' is not one of "
                                                                        "the enum values"]


def test_enums_are_numbers_when_the_rest_clients_ask(admin_estate: AdminEstate) -> None:
    from google.cloud import spanner_admin_instance_v1 as admin

    url = admin_estate.env["RESIDENCY_GCP_SPANNER_URL"] + f"/v1/{P}/instanceConfigs/nam-eur-asia1"
    named = _get(url)
    numbered = _get(url + "?%24alt=json%3Benum-encoding%3Dint")
    assert [r["type"] for r in named["replicas"]] == ["READ_WRITE", "READ_WRITE", "READ_ONLY", "READ_ONLY", "WITNESS"]
    assert [r["type"] for r in numbered["replicas"]] == [admin.ReplicaInfo.ReplicaType[r["type"]].value
                                                         for r in named["replicas"]]
    assert numbered["configType"] == admin.InstanceConfig.Type.GOOGLE_MANAGED.value
