"""Scan helpers and policies for the Azure integration tests (fixtures are in conftest)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from residency.catalog import load_catalog
from residency.engine.evaluate import evaluate
from residency.engine.needs import PolicyNeeds
from residency.inventory.model import Inventory, PlacementKind, Provider
from residency.policy.model import ALL_KINDS, LocationSet, Policy, Scope, Severity
from residency.sources.azure.adapter import AzureAdapter
from residency.sources.azure.clients import AzureClients
from residency.sources.azure.options import AzureOptions
from residency.sources.contract import CollectEverything, CollectionPlan, CommonOptions, NullProgress
from scripts.localcloud.azure.azurite import LocalAzure

TODAY = dt.date(2026, 6, 1)


def policy(
    policy_id: str,
    countries: Sequence[str] = (),
    groups: Sequence[str] = (),
    tag: str | None = None,
    subscriptions: Sequence[str] = (),
    denied: Sequence[str] = (),
    counts: frozenset[PlacementKind] = ALL_KINDS,
) -> Policy:
    allowed = LocationSet(countries=frozenset(countries), groups=frozenset(groups)) if countries or groups else None
    return Policy(
        id=policy_id, title=policy_id, description=policy_id, severity=Severity.HIGH,
        scope=Scope(providers=frozenset({Provider.AZURE}), tags=((("data-class", (tag,)),) if tag else ()),
                    accounts=tuple(subscriptions)),
        allowed=allowed, denied=LocationSet(countries=frozenset(denied)) if denied else None, counts=counts,
    )


class StorageOnly(CollectEverything):
    """Everything about storage accounts and containers (always listed), and no other service: not even
    Azure Backup, which is listed for any kind it may hold copies of, storage accounts included."""

    def wants_kind(self, provider: Provider, account: str, kind: str) -> bool:
        return False


def scan(
    local: LocalAzure, subscriptions: Sequence[str], policies: Sequence[Policy] = (), deep: bool = False,
    env: dict[str, str] | None = None, storage_only: bool = False,
) -> Inventory:
    catalog = load_catalog()
    everything = StorageOnly() if storage_only else CollectEverything()
    needs: CollectionPlan = PolicyNeeds(policies, catalog) if policies else everything
    options = (CommonOptions(deep=deep, max_workers=4), AzureOptions(tuple(subscriptions)))
    adapter = AzureAdapter(*options, AzureClients.from_env({**local.scanner_env(), **(env or {})}))
    return adapter.collect(needs, NullProgress())


def findings(inventory: Inventory, policies: Sequence[Policy]) -> list[tuple[str, str, str, str]]:
    """(policy id, rule id, status, resource name), sorted: what the tests assert exactly."""
    result = evaluate(policies, inventory, load_catalog(), TODAY)
    return sorted((f.policy_id, f.rule_id, f.status.value, f.resource.name) for f in result)
