"""An Azure storage account's blob inventory policy and blob endpoint (management plane, reads only).

The account is found among the storage accounts of the subscriptions the credential can
list. Real Azure: `DefaultAzureCredential`. The project's local management server is used
when `RESIDENCY_AZURE_MANAGEMENT_ENDPOINT` names it (the same switch as `residency scan`), with
`RESIDENCY_AZURE_STORAGE_KEY` as the shared key of its blob endpoints.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from residency.transfer.inventories.store import InventoryError

ENDPOINT_ENV = "RESIDENCY_AZURE_MANAGEMENT_ENDPOINT"
TOKEN_ENV = "RESIDENCY_AZURE_MANAGEMENT_TOKEN"
KEY_ENV = "RESIDENCY_AZURE_STORAGE_KEY"


@dataclass(frozen=True)
class AccountPlace:
    subscription: str
    resource_group: str
    blob_endpoint: str


def _clients() -> tuple[Any, dict[str, Any]]:
    from azure.core.pipeline.policies import SansIOHTTPPolicy

    endpoint = os.environ.get(ENDPOINT_ENV)
    if not endpoint:
        from azure.identity import DefaultAzureCredential

        return DefaultAzureCredential(), {}
    token = os.environ.get(TOKEN_ENV) or "local"

    class Bearer(SansIOHTTPPolicy):  # type: ignore[type-arg]
        def on_request(self, request: Any) -> None:
            request.http_request.headers["Authorization"] = f"Bearer {token}"

    return object(), {"base_url": endpoint.rstrip("/"), "authentication_policy": Bearer()}


def find_account(account: str) -> AccountPlace:
    from azure.mgmt.resource.subscriptions import SubscriptionClient
    from azure.mgmt.storage import StorageManagementClient

    credential, kwargs = _clients()
    from azure.core.exceptions import AzureError

    try:
        with SubscriptionClient(credential, **kwargs) as subscriptions:
            ids = [str(s.subscription_id) for s in subscriptions.subscriptions.list()]
        for subscription in ids:
            with StorageManagementClient(credential, subscription, **kwargs) as storage:
                for found in storage.storage_accounts.list():
                    if found.name == account:
                        group = str(found.id).split("/resourceGroups/", 1)[1].split("/", 1)[0]
                        return AccountPlace(subscription, group, str(found.primary_endpoints.blob))
    except AzureError as error:
        raise InventoryError(f"azure://{account}: the storage account cannot be looked up "
                             f"({' '.join(str(error).split())[:200]})") from None
    raise InventoryError(f"azure://{account}: no storage account of that name in the subscriptions the "
                         "credential can list")


def inventory_policy(account: str) -> dict[str, Any]:
    """The account's blob inventory policy as REST JSON (`policy`: destination, enabled, rules)."""
    from azure.mgmt.storage import StorageManagementClient

    place = find_account(account)
    credential, kwargs = _clients()
    with StorageManagementClient(credential, place.subscription, **kwargs) as storage:
        found = storage.blob_inventory_policies.get(place.resource_group, account, "default")
    return dict(found.policy.as_dict()) if found.policy is not None else {}


def blob_service(account: str) -> Any | None:
    """A data-plane client through the management plane's endpoint, when a local endpoint is set."""
    if not os.environ.get(ENDPOINT_ENV):
        return None
    from azure.core.credentials import AzureNamedKeyCredential
    from azure.storage.blob import BlobServiceClient

    place = find_account(account)
    key = os.environ.get(KEY_ENV)
    if not key:
        raise InventoryError(f"azure://{account}: a local management endpoint needs {KEY_ENV}")
    return BlobServiceClient(place.blob_endpoint, credential=AzureNamedKeyCredential(account, key))
