"""One estate on the local Google Cloud admin APIs, seeded through the real client libraries and
scanned once per session (with every policy below): the tests assert on that scan.

Projects: `acme-data` (US user data, labelled `data-class: us-user-data`), `acme-eu` (EU data,
scoped by project: Firestore databases carry no labels), `acme-denied` (every call answers 403).
"""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from residency.catalog import load_catalog
from residency.engine.needs import PolicyNeeds
from residency.inventory.model import Inventory, Provider
from residency.policy.model import LocationSet, Policy, Scope, Severity
from residency.sources.contract import CommonOptions, NullProgress
from residency.sources.gcp.adapter import GcpAdapter
from residency.sources.gcp.options import GcpOptions
from scripts.localcloud.gcp import admin_seed as seed
from scripts.localcloud.gcp.admin.server import SERVICES
from scripts.localcloud.services import ServiceGroup, free_port, python_command

DATA, EU_PROJECT, DENIED = "acme-data", "acme-eu", "acme-denied"
US = {"data-class": "us-user-data"}
US_USER_DATA = Policy(
    id="us-user-data", title="US", description="US user data", severity=Severity.HIGH,
    scope=Scope(providers=frozenset({Provider.GCP}), tags=(("data-class", ("us-user-data",)),)),
    allowed=LocationSet(countries=frozenset({"US"})), denied=None,
)
EU_PROJECT_DATA = Policy(
    id="eu-project", title="EU", description="everything in acme-eu", severity=Severity.HIGH,
    scope=Scope(providers=frozenset({Provider.GCP}), accounts=(EU_PROJECT,)),
    allowed=LocationSet(groups=frozenset({"eu"})), denied=None,
)
POLICIES = (US_USER_DATA, EU_PROJECT_DATA)


@dataclass(frozen=True)
class AdminEstate:
    env: dict[str, str]
    inventory: Inventory
    requests: list[tuple[str, str, str, str]]  # (api, method, API method id, path) the scan sent


def _seed(env: dict[str, str]) -> None:
    seed.sql_instance(env, DATA, "orders", "us-central1", US, secondary_zone="us-central1-c")
    seed.sql_instance(env, DATA, "orders-eu", "europe-west1", US, master="orders")
    seed.sql_backup(env, DATA, "orders")
    seed.sql_instance(env, DATA, "billing", "us-east1", US, backup_location="eu")
    seed.sql_instance(env, DATA, "sydney", "australia-southeast1", US)
    seed.spanner_instance(env, DATA, "global", "nam-eur-asia1", US, edition="ENTERPRISE_PLUS")
    seed.spanner_backup(env, DATA, "global", "ledger", "ledger-daily")
    seed.spanner_instance(env, DATA, "archive", "regional-us-east1")
    seed.spanner_copy_backup(env, DATA, f"projects/{DATA}/instances/global/backups/ledger-daily", "archive",
                             "ledger-copy")
    seed.spanner_custom_config(env, DATA, "custom-us-plus-london", "regional-us-central1", ("europe-west2",))
    seed.spanner_instance(env, DATA, "reporting", "custom-us-plus-london", US, edition="ENTERPRISE")
    seed.bq_dataset(env, DATA, "events", "US", US)
    seed.bq_dataset(env, DATA, "events_eu", "EU")
    seed.bq_dataset(env, DATA, "snapshots", "US")
    seed.bq_table(env, DATA, "events.clicks")
    seed.bq_copy(env, DATA, "events.clicks", "snapshots.clicks_0101", "SNAPSHOT")
    seed.bq_copy(env, DATA, "events.clicks", "snapshots.clicks_dev", "CLONE")
    seed.bq_cross_region_copy(env, DATA, "eu", DATA, "events", "events_eu")
    seed.bigtable_instance(env, DATA, "profiles", {"iowa": "us-central1-b", "belgium": "europe-west1-b"}, US)
    seed.bigtable_backup(env, DATA, "profiles", "iowa", "users", "users-daily")
    seed.bigtable_copy_backup(env, DATA, f"projects/{DATA}/instances/profiles/clusters/iowa/backups/users-daily",
                              "profiles", "belgium", "users-daily-copy")
    seed.compute_disk(env, DATA, "us-central1-a", "uploads", US)
    seed.compute_snapshot(env, DATA, "us-central1-a", "uploads", "uploads-eu", ("europe-west1",))
    seed.compute_machine_image(env, DATA, "us-central1-a", "uploads", "uploads-image")
    seed.compute_snapshot_schedule(env, DATA, "us-central1", "nightly", ("eu",), (("us-central1-a", "uploads"),))
    seed.firestore_database(env, EU_PROJECT, "(default)", "eur3", schedule=True)
    seed.firestore_database(env, EU_PROJECT, "us-mirror", "nam5")
    seed.firestore_run_schedules(env, EU_PROJECT)
    seed.close_clients()


def _requests(url: str, since: int = 0) -> tuple[int, list[tuple[str, str, str, str]]]:
    with urllib.request.urlopen(f"{url}/_residency/requests?since={since}", timeout=10) as response:
        body = json.load(response)
    return int(body["count"]), [tuple(r) for r in body["requests"]]


def _control(url: str, action: str, project: str) -> None:
    request = urllib.request.Request(f"{url}/_residency/{action}?project={project}", method="POST")
    with urllib.request.urlopen(request, timeout=10):
        pass


def start_admin_servers(group: ServiceGroup) -> dict[str, str]:
    """The admin API server on seven free ports: RESIDENCY_GCP_<SERVICE>_URL for each."""
    ports = {name: free_port() for name in SERVICES}
    args = [arg for name, port in ports.items() for arg in (f"--{name}", str(port))]
    service = group.start("gcp-admin-apis", python_command("-m", "scripts.localcloud.gcp.admin.server", *args),
                          ports["sqladmin"])
    return {f"RESIDENCY_GCP_{name.upper()}_URL": service.url.rsplit(":", 1)[0] + f":{port}"
            for name, port in ports.items()}


@pytest.fixture(scope="session")
def admin_estate(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AdminEstate]:
    logs: Path = tmp_path_factory.mktemp("gcp-admin-logs")
    with ServiceGroup(logs) as group, pytest.MonkeyPatch.context() as patch:
        gcs_port = free_port()
        gcs = group.start("gcs-server", python_command("-m", "scripts.localcloud.gcp.server", "--port",
                                                       str(gcs_port)), gcs_port)
        env = {**start_admin_servers(group), "STORAGE_EMULATOR_HOST": gcs.url}
        for name, value in env.items():
            patch.setenv(name, value)
        _seed(env)
        _control(env["RESIDENCY_GCP_SQLADMIN_URL"], "deny", DENIED)
        since, _ = _requests(env["RESIDENCY_GCP_SQLADMIN_URL"])
        adapter = GcpAdapter(CommonOptions(max_workers=4), GcpOptions((DATA, EU_PROJECT, DENIED)))
        inventory = adapter.collect(PolicyNeeds(POLICIES, load_catalog()), NullProgress())
        _, requests = _requests(env["RESIDENCY_GCP_SQLADMIN_URL"], since)
        yield AdminEstate(env, inventory, requests)
