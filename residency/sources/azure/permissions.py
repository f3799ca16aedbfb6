"""The least-privilege custom role for the Azure adapter: exactly the calls it makes (from the kind registry)."""

from __future__ import annotations

import json

from residency.inventory.kinds import reads_of
from residency.inventory.model import Provider


def _actions(data_plane: bool) -> tuple[tuple[str, str], ...]:
    """(action, the call that needs it), each action once, in registry order."""
    found: dict[str, str] = {}
    for call in reads_of(Provider.AZURE):
        if call.permission and call.data_plane is data_plane:
            found.setdefault(call.permission, call.operation)
    return tuple(found.items())


ACTIONS = _actions(data_plane=False)
DATA_ACTIONS = _actions(data_plane=True)


def role_definition() -> dict[str, object]:
    return {
        "Name": "residency scanner (read-only)",
        "IsCustom": True,
        "Description": "Reads where storage accounts, SQL databases, Cosmos DB accounts, disks, snapshots, "
                       "gallery images and backup vaults keep data (locations, geo-redundancy, replicas, "
                       "copies, deleted accounts) and what deleted data remains. Never writes.",
        "Actions": [action for action, _ in ACTIONS],
        "NotActions": [],
        "DataActions": [action for action, _ in DATA_ACTIONS],
        "NotDataActions": [],
        "AssignableScopes": ["/subscriptions/<subscription-id>"],
    }


def permissions() -> str:
    return json.dumps(role_definition(), indent=2) + "\n"
