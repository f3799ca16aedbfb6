"""In-memory state of the local Azure server: subscriptions, storage accounts, blob data.

Shared by the ARM handlers (`azure_arm`) and the blob data-plane handlers (`azure_blob`)
so a policy set through the management plane (versioning, soft delete, a container's
immutability policy) governs what the data plane keeps. Every access holds `Store.lock`.
"""

from __future__ import annotations

import datetime as dt
import itertools
import threading
from dataclasses import dataclass, field
from typing import Any

GEO_REDUNDANT = frozenset({"GRS", "RAGRS", "GZRS", "RAGZRS"})

# The region pairs the local estates use, as Azure reports them in `secondaryLocation`.
# A geo-redundant account elsewhere gets no `secondaryLocation`, which is how the tests
# reach the adapter's catalog fallback.
REGION_PAIRS = {
    "eastus": "westus", "westus": "eastus", "eastus2": "centralus", "centralus": "eastus2",
    "westus2": "westcentralus", "westcentralus": "westus2", "westus3": "eastus",
    "southcentralus": "northcentralus", "northcentralus": "southcentralus",
    "brazilsouth": "southcentralus", "northeurope": "westeurope", "westeurope": "northeurope",
    "uksouth": "ukwest", "ukwest": "uksouth", "eastasia": "southeastasia",
    "southeastasia": "eastasia", "japaneast": "japanwest", "japanwest": "japaneast",
    "australiaeast": "australiasoutheast", "australiasoutheast": "australiaeast",
    "canadacentral": "canadaeast", "canadaeast": "canadacentral",
    "francecentral": "francesouth", "germanywestcentral": "germanynorth",
}

_counter = itertools.count(1)


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def unique_stamp() -> str:
    """A version id / etag suffix that never repeats within the process."""
    moment = now().strftime("%Y-%m-%dT%H:%M:%S")
    return f"{moment}.{next(_counter):07d}Z"


def redundancy(sku: str) -> str:
    return sku.split("_", 1)[-1].upper()


@dataclass
class Account:
    subscription: str
    resource_group: str
    name: str
    location: str
    sku: str
    kind: str
    tags: dict[str, str]
    blob_endpoint: str
    created: dt.datetime = field(default_factory=now)
    blob_service: dict[str, Any] = field(default_factory=dict)  # REST `properties` of blobServices/default
    replication: dict[str, dict[str, Any]] = field(default_factory=dict)  # policyId -> REST `properties`
    inventory_policy: dict[str, Any] | None = None  # blob inventory policy, REST `properties.policy`

    @property
    def id(self) -> str:
        return (
            f"/subscriptions/{self.subscription}/resourceGroups/{self.resource_group}"
            f"/providers/Microsoft.Storage/storageAccounts/{self.name}"
        )

    @property
    def secondary_location(self) -> str | None:
        if redundancy(self.sku) not in GEO_REDUNDANT:
            return None
        return REGION_PAIRS.get(self.location)

    def service_flag(self, key: str) -> bool:
        return bool(self.blob_service.get(key))

    def retention_days(self, key: str) -> int | None:
        policy = self.blob_service.get(key) or {}
        return int(policy.get("days") or 7) if policy.get("enabled") else None


@dataclass
class DeletedAccount:
    account: Account
    deleted: dt.datetime


@dataclass
class BlobEntry:
    name: str
    size: int
    content_type: str
    metadata: dict[str, str]
    version_id: str | None = None
    current: bool = True
    deleted: bool = False
    deleted_time: dt.datetime | None = None
    snapshot: str | None = None
    created: dt.datetime = field(default_factory=now)
    etag: str = field(default_factory=lambda: f'"0x{next(_counter):015X}"')
    legal_hold: bool = False
    immutable_until: dt.datetime | None = None
    immutable_mode: str | None = None

    def is_immutable(self) -> bool:
        return self.legal_hold or (self.immutable_until is not None and self.immutable_until > now())


@dataclass
class Container:
    name: str
    metadata: dict[str, str]
    created: dt.datetime = field(default_factory=now)
    etag: str = field(default_factory=lambda: f'"0x{next(_counter):015X}"')
    deleted_time: dt.datetime | None = None
    version: str | None = None  # set when soft-deleted
    legal_hold_tags: list[str] = field(default_factory=list)
    immutability: dict[str, Any] | None = None  # REST `properties` of immutabilityPolicies/default
    blobs: list[BlobEntry] = field(default_factory=list)

    @property
    def deleted(self) -> bool:
        return self.deleted_time is not None


class StoreError(Exception):
    """A request the real service would refuse: HTTP status, error code, message."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


@dataclass
class Store:
    subscriptions: dict[str, str] = field(default_factory=dict)  # id -> display name
    accounts: dict[str, Account] = field(default_factory=dict)  # lower-case name -> account
    deleted: list[DeletedAccount] = field(default_factory=list)
    containers: dict[str, list[Container]] = field(default_factory=dict)  # account -> containers
    denied: frozenset[str] = frozenset()  # subscriptions whose reads answer 403 (test-only)
    groups: dict[str, dict[str, Any]] = field(default_factory=dict)  # "sub/rg" (lower case) -> resource group JSON
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)  # lower-case ARM id -> resource JSON
    operations: dict[str, list[Any]] = field(default_factory=dict)  # async operation id -> [resource id, polls]
    lock: threading.RLock = field(default_factory=threading.RLock)

    def account(self, subscription: str, resource_group: str, name: str) -> Account:
        found = self.accounts.get(name.lower())
        if (
            found is None
            or found.subscription.lower() != subscription.lower()
            or found.resource_group.lower() != resource_group.lower()
        ):
            raise StoreError(
                404, "ResourceNotFound",
                f"The Resource 'Microsoft.Storage/storageAccounts/{name}' under resource group "
                f"'{resource_group}' was not found.",
            )
        return found

    def require_group(self, subscription: str, resource_group: str) -> None:
        """Resources are created in an existing resource group, as on Azure."""
        if f"{subscription}/{resource_group}".lower() not in self.groups:
            raise StoreError(404, "ResourceGroupNotFound", f"Resource group '{resource_group}' could not be found.")

    def data_account(self, name: str) -> Account:
        found = self.accounts.get(name.lower())
        if found is None:
            raise StoreError(404, "ResourceNotFound", f"The storage account '{name}' does not exist.")
        return found

    def live_containers(self, account: str) -> list[Container]:
        return [c for c in self.containers.setdefault(account.lower(), []) if not c.deleted]

    def container(self, account: str, name: str) -> Container:
        for container in self.live_containers(account):
            if container.name == name:
                return container
        raise StoreError(404, "ContainerNotFound", "The specified container does not exist.")

    def delete_account(self, subscription: str, resource_group: str, name: str) -> None:
        account = self.account(subscription, resource_group, name)
        del self.accounts[name.lower()]
        self.deleted.append(DeletedAccount(account, now()))
