"""Benchmark the GCP adapter against the local GCS server.

    python -m scripts.localcloud.gcp.bench [--projects 4] [--buckets 250] [--workers 16]

Seeds N projects x M buckets through the SDK (a tenth of them outside the US holding
objects, so they need deletion evidence), then times one scan with the US policy.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from residency.catalog import load_catalog
from residency.engine.needs import PolicyNeeds
from residency.inventory.model import Provider
from residency.policy.model import LocationSet, Policy, Scope, Severity
from residency.sources.contract import CommonOptions, NullProgress
from residency.sources.gcp.adapter import GcpAdapter
from residency.sources.gcp.options import GcpOptions
from scripts.localcloud.gcp.seed import BucketSpec, client_for, create_bucket, upload
from scripts.localcloud.services import ServiceGroup, free_port, python_command

POLICY = Policy("us-user-data", "US data in the US", "", Severity.HIGH,
                Scope(frozenset({Provider.GCP}), (("data-class", ("us-user-data",)),), kinds=("gcs-bucket",)),
                LocationSet(countries=frozenset({"US"})), None)


def _seed_project(url: str, project: str, buckets: int) -> None:
    client = client_for(url, project)
    for n in range(buckets):
        abroad = n % 10 == 0
        spec = BucketSpec(f"{project}-b{n:05d}", "europe-west1" if abroad else "us-central1",
                          {"data-class": "us-user-data"})
        bucket = create_bucket(client, project, spec)
        if abroad:
            upload(bucket, ["a", "b"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--projects", type=int, default=4)
    parser.add_argument("--buckets", type=int, default=250, help="buckets per project")
    parser.add_argument("--workers", type=int, default=16)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as logs, ServiceGroup(Path(logs)) as group:
        port = free_port()
        url = group.start("gcs-server", python_command("-m", "scripts.localcloud.gcp.server", "--port", str(port)),
                          port).url
        projects = [f"bench-{p}" for p in range(args.projects)]
        started = time.monotonic()
        with ThreadPoolExecutor(8) as pool:
            list(pool.map(lambda p: _seed_project(url, p, args.buckets), projects))
        seeded = time.monotonic() - started
        os.environ["STORAGE_EMULATOR_HOST"] = url
        adapter = GcpAdapter(CommonOptions(max_workers=args.workers), GcpOptions(tuple(projects)))
        started = time.monotonic()
        inventory = adapter.collect(PolicyNeeds([POLICY], load_catalog()), NullProgress())
        scanned = time.monotonic() - started
    with_evidence = sum(1 for r in inventory.resources if r.deletion_evidence is not None)
    print(f"seeded {len(projects)} projects x {args.buckets} buckets in {seeded:.1f}s; scanned "
          f"{len(inventory.resources)} buckets ({with_evidence} with deletion evidence) in {scanned:.2f}s "
          f"with {args.workers} workers")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
