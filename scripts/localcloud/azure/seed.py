"""Build local Azure estates through the real SDKs (azure-mgmt-storage, azure-storage-blob).

Shared by the integration tests and the demo: nothing here edits server state directly.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from azure.core import MatchConditions
from azure.mgmt.resource.resources import ResourceManagementClient
from azure.mgmt.resource.resources.models import ResourceGroup
from azure.mgmt.storage import StorageManagementClient
from azure.mgmt.storage.models import (
    BlobServiceProperties,
    BlobServicePropertiesProperties,
    ChangeFeed,
    DeleteRetentionPolicy,
    ImmutabilityPolicy,
    ImmutabilityPolicyProperty,
    LegalHold,
    ObjectReplicationPolicy,
    ObjectReplicationPolicyProperties,
    ObjectReplicationPolicyRule,
    Sku,
    StorageAccount,
    StorageAccountCreateParameters,
)
from azure.storage.blob import BlobServiceClient
from azure.storage.blob import ImmutabilityPolicy as BlobImmutabilityPolicy

from residency.sources.azure.clients import AzureClients
from scripts.localcloud.azure.azurite import LOCAL_ACCOUNT_KEY, LOCAL_MANAGEMENT_TOKEN

RESOURCE_GROUP = "rg-residency"


@dataclass
class AzureSeeder:
    management_url: str
    clients: AzureClients = field(init=False)
    accounts: dict[str, StorageAccount] = field(default_factory=dict)  # name -> as created
    groups: set[str] = field(default_factory=set)  # subscriptions whose resource group exists

    def __post_init__(self) -> None:
        self.clients = AzureClients(self.management_url, LOCAL_MANAGEMENT_TOKEN, LOCAL_ACCOUNT_KEY, read_only=False)

    def group(self, subscription: str, location: str = "eastus") -> None:
        """The resource group everything is created in: on Azure it must exist first."""
        if subscription in self.groups:
            return
        client = ResourceManagementClient(self.clients.credential, subscription,
                                          **self.clients.management_kwargs())
        client.resource_groups.create_or_update(RESOURCE_GROUP, ResourceGroup(location=location))
        client.close()
        self.groups.add(subscription)

    def mgmt(self, subscription: str) -> StorageManagementClient:
        return self.clients.storage(subscription)

    def account(
        self, subscription: str, name: str, location: str, sku: str = "Standard_LRS",
        tags: dict[str, str] | None = None,
    ) -> StorageAccount:
        self.group(subscription)
        params = StorageAccountCreateParameters(
            sku=Sku(name=sku), kind="StorageV2", location=location, tags=tags or {})
        created = self.mgmt(subscription).storage_accounts.begin_create(RESOURCE_GROUP, name, params).result()
        self.accounts[name] = created
        return created

    def blob_service_settings(
        self, subscription: str, name: str, versioning: bool = False, delete_days: int | None = None,
        container_delete_days: int | None = None, change_feed: bool | None = None,
    ) -> None:
        """Blob service settings; the change feed is left as it is unless `change_feed` says otherwise."""
        props = BlobServiceProperties(blob_service_properties=BlobServicePropertiesProperties(
            is_versioning_enabled=versioning,
            delete_retention_policy=DeleteRetentionPolicy(enabled=delete_days is not None, days=delete_days),
            container_delete_retention_policy=DeleteRetentionPolicy(
                enabled=container_delete_days is not None, days=container_delete_days),
            change_feed=ChangeFeed(enabled=change_feed) if change_feed is not None else None,
        ))
        self.mgmt(subscription).blob_services.set_service_properties(RESOURCE_GROUP, name, props)

    def replication_prerequisites(self, subscription: str, name: str, source: bool) -> None:
        """Object replication needs blob versioning on both accounts and the change feed on the source."""
        props = BlobServiceProperties(blob_service_properties=BlobServicePropertiesProperties(
            is_versioning_enabled=True, change_feed=ChangeFeed(enabled=True) if source else None))
        self.mgmt(subscription).blob_services.set_service_properties(RESOURCE_GROUP, name, props)

    def replicate(self, source: StorageAccount, destination: StorageAccount, container: str = "media") -> str:
        """As Azure requires: versioning (and the source's change feed) first; the policy on the
        destination (policy id `default`), then on the source with the policy and rule ids it got."""
        dst_sub, src_sub = str(destination.id).split("/")[2], str(source.id).split("/")[2]
        self.replication_prerequisites(dst_sub, str(destination.name), source=False)
        self.replication_prerequisites(src_sub, str(source.name), source=True)
        rule = ObjectReplicationPolicyRule(source_container=container, destination_container=container)
        policy = ObjectReplicationPolicy(properties=ObjectReplicationPolicyProperties(
            source_account=str(source.id), destination_account=str(destination.id), rules=[rule]))
        made = self.mgmt(dst_sub).object_replication_policies.create_or_update(
            RESOURCE_GROUP, str(destination.name), "default", policy)
        policy_id = str(made.policy_id)
        on_source = ObjectReplicationPolicy(properties=ObjectReplicationPolicyProperties(
            source_account=str(source.id), destination_account=str(destination.id), rules=made.rules))
        self.mgmt(src_sub).object_replication_policies.create_or_update(
            RESOURCE_GROUP, str(source.name), policy_id, on_source)
        return policy_id

    def delete_account(self, subscription: str, name: str) -> None:
        self.mgmt(subscription).storage_accounts.delete(RESOURCE_GROUP, name)

    def blobs(self, name: str) -> BlobServiceClient:
        account = self.accounts[name]
        endpoint = account.primary_endpoints.blob if account.primary_endpoints else None
        return self.clients.blob_service(str(endpoint), name)

    def upload(self, name: str, container: str, blobs: dict[str, bytes], create: bool = True) -> None:
        service = self.blobs(name)
        if create:
            service.create_container(container)
        for blob, data in blobs.items():
            service.get_blob_client(container, blob).upload_blob(data, overwrite=True)

    def lock_container(self, subscription: str, name: str, container: str, days: int) -> None:
        """A time-based retention policy on the container, then locked (irreversible on Azure)."""
        containers = self.mgmt(subscription).blob_containers
        policy = containers.create_or_update_immutability_policy(
            RESOURCE_GROUP, name, container,
            parameters=ImmutabilityPolicy(properties=ImmutabilityPolicyProperty(
                immutability_period_since_creation_in_days=days)))
        containers.lock_immutability_policy(RESOURCE_GROUP, name, container, etag=str(policy.etag),
                                            match_condition=MatchConditions.IfNotModified)

    def container_legal_hold(self, subscription: str, name: str, container: str, tag: str) -> None:
        self.mgmt(subscription).blob_containers.set_legal_hold(
            RESOURCE_GROUP, name, container, LegalHold(tags=[tag]))

    def blob_legal_hold(self, name: str, container: str, blob: str) -> None:
        self.blobs(name).get_blob_client(container, blob).set_legal_hold(True)

    def blob_immutability(self, name: str, container: str, blob: str, days: int, locked: bool) -> None:
        until = dt.datetime.now(dt.UTC) + dt.timedelta(days=days)
        policy = BlobImmutabilityPolicy(expiry_time=until, policy_mode="Locked" if locked else "Unlocked")
        self.blobs(name).get_blob_client(container, blob).set_immutability_policy(policy)

    def close(self) -> None:
        self.clients.close()
