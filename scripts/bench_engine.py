"""Benchmark the rule engine on a synthetic estate.

    .venv/bin/python scripts/bench_engine.py [--resources 1000000] [--policies 20] [--seed 7]

Builds a mixed inventory (three providers, tags, primary/replica/secondary/member placements,
some residue and gaps), then times `evaluate` on one core and reports peak memory (RSS high
water mark of this process, inventory included). Target: < 10 s and < 2 GiB at 1,000,000.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from residency.catalog import load_catalog
from residency.engine.evaluate import evaluate
from residency.inventory.model import (
    ALL_FACETS,
    DeletionEvidence,
    Inventory,
    Placement,
    PlacementKind,
    Provider,
    StorageResource,
)
from residency.policy.model import LocationSet, Policy, Scope, Severity

REGIONS = {
    Provider.AWS: ["us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-1", "sa-east-1"],
    Provider.GCP: ["us-central1", "us-east1", "europe-west1", "asia-east1", "nam4", "eur4", "eu", "us"],
    Provider.AZURE: ["eastus", "westus2", "northeurope", "westeurope", "brazilsouth", "southeastasia"],
}
NAMED_CLASSES = ["us-user-data", "eu-personal", "br-user-data", "public", "analytics", "logs"]
DATA_CLASSES = NAMED_CLASSES + [f"class-{n:02d}" for n in range(len(NAMED_CLASSES), 20)]
TEAMS = ["media", "ads", "search", "payments", "ml"]
TEAM_POLICIES = 4  # the last policies select by a team glob; the others by data class


def build_policies(count: int, classes: int) -> list[Policy]:
    """`classes` distinct data classes among the data-class policies: fewer means more overlap."""
    allowed_sets = [
        LocationSet(countries=frozenset({"US"})),
        LocationSet(groups=frozenset({"eea"})),
        LocationSet(countries=frozenset({"BR"})),
        LocationSet(groups=frozenset({"eu"})),
    ]
    policies = []
    for i in range(count):
        tags: tuple[tuple[str, tuple[str, ...]], ...]
        if i >= count - TEAM_POLICIES:
            tags = (("team", (f"{TEAMS[(count - i) % len(TEAMS)]}*",)),)  # glob selector
        else:
            tags = (("data-class", (DATA_CLASSES[i % classes],)),)
        denied = LocationSet(countries=frozenset({"CN", "RU"})) if i % 7 == 0 else None
        policies.append(Policy(
            id=f"policy-{i:02d}", title=f"Policy {i}", description="synthetic", severity=list(Severity)[i % 4],
            scope=Scope(providers=frozenset(Provider), tags=tags),
            allowed=allowed_sets[i % len(allowed_sets)], denied=denied,
        ))
    return policies


def build_inventory(count: int, seed: int, classes: int = 16) -> Inventory:
    """Resources carry one of the `classes` selected data classes or one of 4 no policy selects."""
    rng = random.Random(seed)
    providers = list(Provider)
    tag_sets = [
        tuple(sorted({"data-class": dc, "team": f"{team}-{n}"}.items()))
        for dc in DATA_CLASSES[:classes] + DATA_CLASSES[16:] for team in TEAMS for n in range(3)
    ]
    residues = [None, None, None, DeletionEvidence(live_objects=0, noncurrent_versions=4, soft_deleted_objects=0),
                DeletionEvidence(live_objects=12, noncurrent_versions=0, soft_deleted_objects=1)]
    resources = []
    for i in range(count):
        provider = providers[i % 3]
        regions = REGIONS[provider]
        region = regions[rng.randrange(len(regions))]
        placements = [Placement(PlacementKind.PRIMARY, region, "primary")]
        if i % 10 == 0:
            placements.append(Placement(PlacementKind.REPLICA, regions[rng.randrange(len(regions))], "replica"))
        if provider is Provider.AZURE and i % 4 == 0:
            placements.append(Placement(PlacementKind.SECONDARY, regions[(i // 4) % len(regions)], "grs"))
        resources.append(StorageResource(
            provider=provider, account=f"acct-{i % 50}", id=f"{provider.value}://bucket-{i}", name=f"bucket-{i}",
            kind="s3-bucket", placements=tuple(placements), collected=ALL_FACETS,
            tags=tag_sets[rng.randrange(len(tag_sets))],
            deletion_evidence=residues[i % len(residues)],
        ))
    return Inventory(tuple(resources))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=1_000_000)
    parser.add_argument("--policies", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--classes", type=int, default=16,
                        help="distinct data classes (1-16) the 16 data-class policies select; resources carry "
                             "one of them or one of 4 unselected classes (default 16: ~1.8 policies per "
                             "resource; 6: policies overlap, ~2.4 per resource)")
    args = parser.parse_args()
    catalog = load_catalog()
    policies = build_policies(args.policies, args.classes)
    started = time.perf_counter()
    gc.disable()  # building a million frozen objects trips the cyclic GC over and over
    inventory = build_inventory(args.resources, args.seed, args.classes)
    gc.enable()
    gc.freeze()  # the inventory is long-lived: keep it out of later collections
    built = time.perf_counter() - started
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    started, cpu_started = time.perf_counter(), time.process_time()
    findings = evaluate(policies, inventory, catalog, dt.date(2026, 11, 25))
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    statuses: dict[str, int] = {}
    for finding in findings:
        statuses[finding.status.value] = statuses.get(finding.status.value, 0) + 1
    print(f"resources          {args.resources:,}")
    print(f"policies           {args.policies} ({args.classes} data classes selected)")
    print(f"findings           {len(findings):,} ({', '.join(f'{k} {v:,}' for k, v in sorted(statuses.items()))})")
    print(f"inventory build    {built:.2f} s (not timed below)")
    print(f"evaluate wall time {elapsed:.2f} s   (target < 10 s; CPU time {cpu:.2f} s, one core)")
    print(f"peak RSS           {peak:,.0f} MiB (after building the inventory: {rss_before:,.0f} MiB; target < 2048)")
    return 0 if elapsed < 10 and peak < 2048 else 1


if __name__ == "__main__":
    raise SystemExit(main())
