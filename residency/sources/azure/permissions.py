"""The least-privilege custom role for the Azure adapter: exactly the calls it makes."""

from __future__ import annotations

import json

# (action, the SDK call that needs it)
ACTIONS: tuple[tuple[str, str], ...] = (
    ("Microsoft.Resources/subscriptions/read", "subscriptions.list"),
    ("Microsoft.Storage/storageAccounts/read", "storage_accounts.list / get_properties (replica destinations)"),
    ("Microsoft.Storage/deletedAccounts/read", "deleted_accounts.list"),
    ("Microsoft.Storage/storageAccounts/objectReplicationPolicies/read", "object_replication_policies.list"),
    ("Microsoft.Storage/storageAccounts/blobServices/read", "blob_services.get_service_properties"),
    ("Microsoft.Storage/storageAccounts/blobServices/containers/read", "List Containers (include=deleted)"),
    ("Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/read",
     "blob_containers.get_immutability_policy"),
)
DATA_ACTIONS: tuple[tuple[str, str], ...] = (
    ("Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
     "List Blobs (include=versions,deleted,immutabilitypolicy,legalhold)"),
)


def role_definition() -> dict[str, object]:
    return {
        "Name": "residency scanner (read-only)",
        "IsCustom": True,
        "Description": "Reads where storage accounts keep data (locations, geo-redundancy, object "
                       "replication, deleted accounts) and what deleted data remains. Never writes.",
        "Actions": [action for action, _ in ACTIONS],
        "NotActions": [],
        "DataActions": [action for action, _ in DATA_ACTIONS],
        "NotDataActions": [],
        "AssignableScopes": ["/subscriptions/<subscription-id>"],
    }


def permissions() -> str:
    return json.dumps(role_definition(), indent=2) + "\n"
