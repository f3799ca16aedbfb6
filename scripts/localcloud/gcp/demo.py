"""The GCP part of `make demo`: start the local GCS server and seed the demo estate.

The story: Clipwave, a short-video company, is migrating its US users' data (label
`data-class: us-user-data`) into the United States. Some buckets comply; a Belgian bucket
was "emptied" after copying to the US but keeps noncurrent generations and soft-deleted
objects; a Taiwanese mirror was deleted but is soft-deleted, data and all; a Frankfurt
bucket cannot be emptied under a locked retention policy; the finance project denies the
scanner. EU personal data sits in EUR4, europe-west4 and the EU multi-region.

Beyond Cloud Storage (`DATABASES`): the accounts database, a Cloud SQL instance in us-central1,
keeps its backups in the default location (the multi-region closest to it: `us`) but has a read
replica in Belgium; the US events dataset in BigQuery is copied every day to the EU multi-region
(a Data Transfer `cross_region_copy`); the global catalogue runs on Spanner `nam-eur-asia1`, whose
replicas include Belgium and Taiwan.

`DEMO_EXPECTATIONS[small]` lists every finding the scan must produce on GCP, as
(policy id, rule id, status, resource name); for the denied project the name is the project.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scripts.localcloud.gcp import admin_seed
from scripts.localcloud.gcp.admin.server import SERVICES
from scripts.localcloud.gcp.seed import (
    BucketSpec,
    client_for,
    create_bucket,
    delete_live,
    deny,
    lock_retention,
    upload,
)
from scripts.localcloud.services import ServiceGroup, free_port, python_command

PROD, LEGACY, ANALYTICS, FINANCE = "clipwave-prod", "clipwave-legacy-eu", "clipwave-analytics", "clipwave-finance"
PROJECTS_ENV = "RESIDENCY_DEMO_GCP_PROJECTS"
US, EU, BR = "us-user-data", "eu-personal", "br-user-data"
DENY = "no-sanctioned-jurisdictions"
OK = ("locations-allowed", "compliant")
UNVERIFIABLE = ("location-unverifiable", "unverifiable")


@dataclass(frozen=True)
class DemoBucket:
    project: str
    spec: BucketSpec
    expect: tuple[tuple[str, str, str], ...]  # (policy, rule, status), besides the deny-list's
    contents: str = "live"  # live | empty | residue | soft-deleted | locked
    small: bool = False
    deny_list: tuple[str, str] = OK  # what no-sanctioned-jurisdictions (every bucket) says


def _b(project: str, name: str, location: str, data_class: str | None, *expect: tuple[str, str, str],
       data_locations: tuple[str, ...] = (), versioning: bool = False, soft_delete_days: int | None = None,
       turbo: bool = False, contents: str = "live", small: bool = False,
       deny_list: tuple[str, str] = OK) -> DemoBucket:
    labels = {"data-class": data_class, "team": "video"} if data_class else {"team": "platform"}
    spec = BucketSpec(name, location, labels, data_locations, versioning, soft_delete_days, turbo)
    return DemoBucket(project, spec, tuple(expect), contents, small, deny_list)


ESTATE: tuple[DemoBucket, ...] = (
    _b(PROD, "clipwave-us-uploads", "us-central1", US, (US, *OK), small=True),
    _b(PROD, "clipwave-us-transcodes", "NAM4", US, (US, *OK), small=True),
    _b(PROD, "clipwave-us-profiles", "US", US, (US, *OK)),
    _b(PROD, "clipwave-us-backup", "US", US, (US, *OK), data_locations=("US-EAST1", "US-WEST1"), turbo=True),
    _b(PROD, "clipwave-us-thumbnails", "us-east4", US, (US, *OK)),
    _b(PROD, "clipwave-us-logs", "us-west1", US, (US, *OK)),
    _b(PROD, "clipwave-public-assets", "us-central1", None),
    _b(PROD, "clipwave-public-cdn-asia", "ASIA", None, deny_list=UNVERIFIABLE),
    _b(PROD, "clipwave-br-creators", "southamerica-east1", BR, ("br-user-data", *OK)),
    _b(PROD, "clipwave-br-creators-copy", "us-east1", BR, ("br-user-data", "primary-outside", "violation")),
    _b(LEGACY, "clipwave-eu-us-archive", "europe-west1", US, (US, "residual-outside", "violation"),
       (US, "primary-outside", "violation"), contents="residue", versioning=True, small=True),
    _b(LEGACY, "clipwave-tw-us-mirror", "asia-east1", US, (US, "residual-outside", "violation"),
       contents="soft-deleted", small=True),
    _b(LEGACY, "clipwave-de-us-hold", "europe-west3", US, (US, "retention-blocks-deletion", "violation"),
       (US, "primary-outside", "violation"), contents="locked", small=True),
    # Emptied after the migration, nothing left behind; still a bucket outside the US: delete it.
    _b(LEGACY, "clipwave-eu-us-migrated", "europe-west1", US, (US, "primary-outside", "violation"),
       contents="empty", soft_delete_days=0),
    _b(LEGACY, "clipwave-eu-personal-eur4", "EUR4", EU, ("eu-personal-data", *OK), small=True),
    _b(LEGACY, "clipwave-eu-personal-nl", "europe-west4", EU, ("eu-personal-data", *OK)),
    _b(LEGACY, "clipwave-eu-personal-multi", "EU", EU, ("eu-personal-data", *OK)),
    _b(ANALYTICS, "clipwave-analytics-events", "us-central1", US, (US, *OK)),
    _b(ANALYTICS, "clipwave-analytics-public", "EU", None),
    _b(ANALYTICS, "clipwave-analytics-scratch", "us-east1", None),
    _b(FINANCE, "clipwave-finance-ledger", "us-east1", US, small=True),
)
POLICY_IDS = ("us-user-data", "eu-personal-data", "br-user-data", DENY)
US_LABELS = {"data-class": US, "team": "video"}
# (resource name, its findings besides the deny-list's compliant one), all in clipwave-prod.
DATABASES: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("clipwave-us-accounts", ((US, "replica-outside", "violation"),)),  # backups stay in `us`: allowed
    ("clipwave-us-accounts-eu", ((US, "primary-outside", "violation"),)),  # the replica inherits the class
    ("clipwave_us_events", ((US, "copy-outside", "violation"),)),
    ("clipwave_us_events to EU", ((US, "member-outside", "violation"),)),  # the transfer config: a copy
    ("clipwave_events_eu", ()),  # unlabelled: only the deny-list covers it
    ("clipwave-global", ((US, "member-outside", "violation"),)),  # nam-eur-asia1: Belgium, Taiwan
)
FILES = tuple(f"users/{n:04d}/profile.json" for n in range(4))


def estate(small: bool) -> tuple[DemoBucket, ...]:
    return tuple(b for b in ESTATE if b.small or not small)


def projects(small: bool) -> tuple[str, ...]:
    return tuple(dict.fromkeys(b.project for b in estate(small)))


def _expectations(small: bool) -> frozenset[tuple[str, str, str, str]]:
    found: set[tuple[str, str, str, str]] = set()
    for bucket in estate(small):
        if bucket.project == FINANCE:
            continue
        found.update((policy, rule, status, bucket.spec.name) for policy, rule, status in bucket.expect)
        found.add((DENY, *bucket.deny_list, bucket.spec.name))
    for name, expect in DATABASES:
        found.update((policy, rule, status, name) for policy, rule, status in expect)
        found.add((DENY, *OK, name))
    # The denied project: every policy covers it, none can be checked.
    found.update((policy, *UNVERIFIABLE, FINANCE) for policy in POLICY_IDS)
    return frozenset(found)


DEMO_EXPECTATIONS: dict[bool, frozenset[tuple[str, str, str, str]]] = {
    small: _expectations(small) for small in (False, True)
}


def start(group: ServiceGroup, log_dir: Path) -> dict[str, str]:
    """Start the local GCS server and the local admin APIs (one port each); return the environment
    `residency scan --provider gcp` needs: STORAGE_EMULATOR_HOST and RESIDENCY_GCP_<SERVICE>_URL."""
    del log_dir  # the group writes each service's log into its own log directory
    port = free_port()
    service = group.start("gcs-server", python_command("-m", "scripts.localcloud.gcp.server", "--port", str(port)),
                          port)
    ports = {name: free_port() for name in SERVICES}
    args = [arg for name, number in ports.items() for arg in (f"--{name}", str(number))]
    group.start("gcp-admin-apis", python_command("-m", "scripts.localcloud.gcp.admin.server", *args),
                ports["sqladmin"])
    return {
        "STORAGE_EMULATOR_HOST": service.url,
        "RESIDENCY_GCP_RESOURCE_MANAGER_URL": service.url,  # projects.list from the same server
        **{f"RESIDENCY_GCP_{name.upper()}_URL": f"http://127.0.0.1:{number}" for name, number in ports.items()},
        PROJECTS_ENV: ",".join(projects(small=False)),
    }


def scan_args(env: dict[str, str]) -> list[str]:
    """`--gcp-project` for each demo project (listing would find the same ones)."""
    return [arg for project in env.get(PROJECTS_ENV, "").split(",") if project for arg in ("--gcp-project", project)]


def seed(env: dict[str, str], small: bool = False) -> None:
    url = env["STORAGE_EMULATOR_HOST"]
    for bucket in estate(small):
        _seed_bucket(url, bucket)
    deny(url, project=FINANCE)
    seed_databases(env)


def seed_databases(env: dict[str, str]) -> None:
    """The estate beyond Cloud Storage, through the real client libraries (see the module doc)."""
    try:
        admin_seed.sql_instance(env, PROD, "clipwave-us-accounts", "us-central1", US_LABELS)
        admin_seed.sql_instance(env, PROD, "clipwave-us-accounts-eu", "europe-west1", US_LABELS,
                                master="clipwave-us-accounts")
        admin_seed.bq_dataset(env, PROD, "clipwave_us_events", "US", US_LABELS)
        admin_seed.bq_dataset(env, PROD, "clipwave_events_eu", "EU", {"team": "analytics"})
        admin_seed.bq_cross_region_copy(env, PROD, "eu", PROD, "clipwave_us_events", "clipwave_events_eu",
                                        display_name="clipwave_us_events to EU")
        admin_seed.spanner_instance(env, PROD, "clipwave-global", "nam-eur-asia1", US_LABELS,
                                    edition="ENTERPRISE_PLUS")
    finally:
        admin_seed.close_clients()
    admin_seed.deny(env, FINANCE)


def _seed_bucket(url: str, demo: DemoBucket) -> None:
    bucket = create_bucket(client_for(url, demo.project), demo.project, demo.spec)
    upload(bucket, FILES)
    if demo.contents == "empty":
        delete_live(bucket, FILES)  # soft delete off, no versioning: really gone
    elif demo.contents == "residue":
        delete_live(bucket, FILES)  # copied to the US, then "deleted": noncurrent generations remain
        for blob in list(bucket.client.list_blobs(bucket, versions=True))[:2]:
            bucket.delete_blob(blob.name, generation=blob.generation)  # those become soft-deleted
    elif demo.contents == "soft-deleted":
        delete_live(bucket, FILES)  # objects soft-deleted, then the bucket itself
        bucket.delete()
    elif demo.contents == "locked":
        lock_retention(bucket, 30 * 86_400)
