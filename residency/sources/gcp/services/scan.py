"""Run every Google Cloud service scan for every project, on the adapter's thread pool.

One task per (project, service): each builds its own clients (the HTTP transports are not shared
across threads) and records a failure as a gap of that project and service only.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor

from google.auth import credentials as auth_credentials

from residency.catalog import Catalog
from residency.inventory.model import AccountGap, Provider, StorageResource
from residency.sources.contract import CollectionPlan, Progress
from residency.sources.gcp.services import bigquery, bigtable, cloudsql, compute, firestore, spanner
from residency.sources.gcp.services.context import Found, ServiceContext, describe

LABEL = "gcp: databases, analytics, backups"
SCANS: dict[str, Callable[[ServiceContext, str], Found]] = {
    cloudsql.SERVICE: cloudsql.scan,
    spanner.SERVICE: spanner.scan,
    bigquery.SERVICE: bigquery.scan,
    firestore.SERVICE: firestore.scan,
    bigtable.SERVICE: bigtable.scan,
    compute.SERVICE: compute.scan,
}


def collect(projects: Sequence[str], plan: CollectionPlan, credentials: auth_credentials.Credentials,
            catalog: Catalog, pool: Executor, progress: Progress) -> tuple[list[StorageResource], list[AccountGap]]:
    context = ServiceContext(plan, catalog, credentials)
    tasks = [(project, service) for project in projects for service in SCANS]
    progress.begin(LABEL, len(tasks))

    def run(task: tuple[str, str]) -> Found:
        project, service = task
        try:
            return SCANS[service](context, project)
        except Exception as error:  # an unexpected failure: this project's service is unverified, not the scan
            reason = f"{service}: could not be scanned ({describe(error)})"
            return Found(gaps=[AccountGap(Provider.GCP, project, reason)])
        finally:
            progress.advance(LABEL)

    resources: list[StorageResource] = []
    gaps: list[AccountGap] = []
    for found in pool.map(run, tasks):
        resources += found.resources
        gaps += found.gaps
    return resources, gaps
