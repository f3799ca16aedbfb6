"""A synthetic estate for the report benchmarks: policy files and an inventory snapshot on disk.

Built on the engine benchmark's estate (`scripts/bench_engine.py`: three providers, tags that
twenty policies select, replicas, geo-redundant secondaries, residue), with what reports are
sensitive to added: realistic resource ids and names, accounts spread over `accounts`
accounts, exemptions (active and expired), unscanned accounts and unknown regions.

    .venv/bin/python -m scripts.report_estate --resources 200000 --accounts 3000 --out /tmp/estate
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import sys
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from residency.inventory.model import AccountGap, Gap, Inventory, Placement, PlacementKind, Provider
from residency.inventory.snapshot import dumps
from residency.policy.model import LocationSet, Policy
from scripts.bench_engine import build_inventory, build_policies

POLICY_COUNT = 20
CLASSES = 16
_ID_PREFIX = {Provider.AWS: "arn:aws:s3:::", Provider.GCP: "gs://", Provider.AZURE: ""}
_ACCOUNT = {
    Provider.AWS: "{n:012d}",
    Provider.GCP: "project-{n:04d}",
    Provider.AZURE: "00000000-0000-4000-8000-{n:012d}",
}


@dataclasses.dataclass(frozen=True, slots=True)
class Estate:
    policy_dir: Path
    snapshot: Path
    resources: int
    accounts: int


def write_estate(out: Path, resources: int, accounts: int, seed: int = 7) -> Estate:
    out.mkdir(parents=True, exist_ok=True)
    policy_dir = out / "policies"
    policy_dir.mkdir(exist_ok=True)
    policies = build_policies(POLICY_COUNT, CLASSES)
    for index, policy in enumerate(policies):
        document = {"policies": [_policy_yaml(policy, index)]}
        (policy_dir / f"{policy.id}.yaml").write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    gc.disable()
    inventory = _realistic(build_inventory(resources, seed, CLASSES), accounts)
    gc.enable()
    snapshot = out / "inventory.json"
    snapshot.write_text(dumps(inventory), encoding="utf-8")
    return Estate(policy_dir, snapshot, resources, accounts)


def _policy_yaml(policy: Policy, index: int) -> dict[str, Any]:
    scope: dict[str, Any] = {"providers": sorted(p.value for p in policy.scope.providers)}
    scope["tags"] = {key: list(values) if len(values) > 1 else values[0] for key, values in policy.scope.tags}
    document: dict[str, Any] = {
        "id": policy.id,
        "title": policy.title,
        "description": f"Synthetic policy {index} for the report benchmark.",
        "severity": policy.severity.value,
        "scope": scope,
        "allowed": _locations(policy.allowed),
    }
    if policy.denied is not None:
        document["denied"] = _locations(policy.denied)
    if index % 5 == 0:  # some exemptions: one active, one expired
        document["exemptions"] = [
            {"resource": "*bucket-1?-*", "reason": "Migration ticket DATA-1", "owner": "data@example.com",
             "expires": "2099-12-31"},
            {"resource": "*bucket-2??-*", "reason": "Old migration", "owner": "ops@example.com",
             "expires": "2020-01-31"},
        ]
    return document


def _locations(locations: LocationSet | None) -> dict[str, Any]:
    assert locations is not None
    document: dict[str, Any] = {}
    if locations.countries:
        document["countries"] = sorted(locations.countries)
    if locations.groups:
        document["groups"] = sorted(locations.groups)
    return document


def _realistic(inventory: Inventory, accounts: int) -> Inventory:
    """Real-looking ids, `accounts` accounts, an unknown region and a gap here and there."""
    resources = []
    for i, resource in enumerate(inventory.resources):
        provider = resource.provider
        account = _ACCOUNT[provider].format(n=i % accounts)
        name = f"{resource.name}-{account[-4:]}"
        rid = _resource_id(provider, account, name)
        placements, gaps = resource.placements, resource.gaps
        if i % 997 == 0:
            placements = (*placements, Placement(PlacementKind.REPLICA, None, "replication configuration"))
            gaps = (*gaps, Gap("replication configuration", "AccessDenied (HTTP 403)"))
        resources.append(dataclasses.replace(resource, account=account, id=rid, name=name,
                                             placements=placements, gaps=gaps))
    scanned = tuple(sorted({(r.provider.value, r.account) for r in resources}))
    unscanned = tuple(AccountGap(Provider.AWS, f"{900000000000 + n:012d}", "AccessDenied on sts:AssumeRole")
                      for n in range(max(1, accounts // 100)))
    return Inventory(tuple(resources), unscanned, scanned, "scan")


def _resource_id(provider: Provider, account: str, name: str) -> str:
    if provider is Provider.AZURE:
        return (f"/subscriptions/{account}/resourceGroups/data/providers/Microsoft.Storage/"
                f"storageAccounts/{name.replace('-', '')[:24]}")
    return _ID_PREFIX[provider] + name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--resources", type=int, default=200_000)
    parser.add_argument("--accounts", type=int, default=50)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    estate = write_estate(args.out, args.resources, args.accounts)
    print(f"policies in {estate.policy_dir}; snapshot {estate.snapshot} "
          f"({estate.snapshot.stat().st_size / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
