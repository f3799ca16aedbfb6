"""The local ARM server refuses what Azure refuses, and runs creates the way Azure does.

A lenient emulator would hide seeding code that fails on Azure: an account outside a resource
group, in a made-up region or with a made-up SKU, object replication without versioning and the
change feed, a source-side policy without the destination's rule ids, a snapshot "copied" across
regions without CopyStart. Creates answer with the first status each service uses (what its SDK
accepts), then an Azure-AsyncOperation that reports InProgress before Succeeded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.core.pipeline import PipelineResponse
from azure.mgmt.storage.models import Sku, StorageAccountCreateParameters

from residency.sources.azure.clients import AzureClients
from scripts.localcloud.azure.azurite import LOCAL_ACCOUNT_KEY, LOCAL_MANAGEMENT_TOKEN, LocalAzure
from scripts.localcloud.azure.seed import RESOURCE_GROUP, AzureSeeder
from scripts.localcloud.azure.seed_stores import StoreSeeder

pytestmark = pytest.mark.integration


def _create_account(seeder: AzureSeeder, sub: str, name: str, location: str, sku: str) -> None:
    params = StorageAccountCreateParameters(sku=Sku(name=sku), kind="StorageV2", location=location)
    seeder.mgmt(sub).storage_accounts.begin_create(RESOURCE_GROUP, name, params).result()


def test_resources_need_an_existing_resource_group(seeder: AzureSeeder) -> None:
    with pytest.raises(ResourceNotFoundError, match="ResourceGroupNotFound"):
        _create_account(seeder, str(uuid.uuid4()), "nogroupacct", "eastus", "Standard_LRS")


@pytest.mark.parametrize(("location", "sku", "code"), [
    ("atlantis", "Standard_LRS", "LocationNotAvailableForResourceType"),
    ("eastus", "Bogus_XYZ", "InvalidValuesForRequestParameters"),
])
def test_made_up_locations_and_skus_are_refused(seeder: AzureSeeder, location: str, sku: str, code: str) -> None:
    sub = str(uuid.uuid4())
    seeder.group(sub)
    with pytest.raises(HttpResponseError, match=code):
        _create_account(seeder, sub, "madeupacct", location, sku)
    with pytest.raises(HttpResponseError, match="LocationNotAvailableForResourceType"):
        StoreSeeder(seeder).disk(sub, "madeup-disk", location="atlantis")


def test_object_replication_needs_versioning_change_feed_and_rule_ids(seeder: AzureSeeder) -> None:
    from azure.mgmt.storage.models import (
        ObjectReplicationPolicy,
        ObjectReplicationPolicyProperties,
        ObjectReplicationPolicyRule,
    )

    sub = str(uuid.uuid4())
    source = seeder.account(sub, "orstrictsrc", "eastus")
    destination = seeder.account(sub, "orstrictdst", "westus")
    rule = ObjectReplicationPolicyRule(source_container="media", destination_container="media")
    policy = ObjectReplicationPolicy(properties=ObjectReplicationPolicyProperties(
        source_account=str(source.id), destination_account=str(destination.id), rules=[rule]))
    policies = seeder.mgmt(sub).object_replication_policies
    with pytest.raises(HttpResponseError, match="blob versioning"):
        policies.create_or_update(RESOURCE_GROUP, "orstrictdst", "default", policy)
    seeder.replication_prerequisites(sub, "orstrictdst", source=False)
    seeder.blob_service_settings(sub, "orstrictsrc", versioning=True)
    with pytest.raises(HttpResponseError, match="change feed"):
        policies.create_or_update(RESOURCE_GROUP, "orstrictdst", "default", policy)
    seeder.replication_prerequisites(sub, "orstrictsrc", source=True)
    with pytest.raises(HttpResponseError, match="destination account only"):
        policies.create_or_update(RESOURCE_GROUP, "orstrictsrc", "default", policy)
    made = policies.create_or_update(RESOURCE_GROUP, "orstrictdst", "default", policy)
    with pytest.raises(HttpResponseError, match="ruleId"):  # the rule without the id the destination gave it
        policies.create_or_update(RESOURCE_GROUP, "orstrictsrc", str(made.policy_id), policy)
    with pytest.raises(HttpResponseError, match="cannot be turned off"):
        seeder.blob_service_settings(sub, "orstrictdst", versioning=False)


def test_snapshots_cross_regions_only_by_copy_start(seeder: AzureSeeder) -> None:
    stores, sub = StoreSeeder(seeder), str(uuid.uuid4())
    disk = stores.disk(sub, "strict-disk", "eastus")
    with pytest.raises(HttpResponseError, match="CopyStart"):
        stores.snapshot(sub, "strict-snap-we", "westeurope", disk)
    snapshot = stores.snapshot(sub, "strict-snap", "eastus", disk)
    assert stores.snapshot(sub, "strict-snap-we", "westeurope", snapshot, copy_start=True).endswith("strict-snap-we")


def test_backups_need_a_vault_in_the_resources_region(seeder: AzureSeeder) -> None:
    stores, sub = StoreSeeder(seeder), str(uuid.uuid4())
    seeder.account(sub, "strictfiles", "westeurope")
    stores.recovery_vault(sub, "strict-rsv", "eastus")
    with pytest.raises(HttpResponseError, match="region"):
        stores.protect_file_share(sub, "strict-rsv", "strictfiles", "share")


@dataclass
class _Recording(AzureClients):
    """Seeding clients that note each response: method, path, status."""

    sent: list[tuple[str, str, int]] = field(default_factory=list)

    def _record(self, response: PipelineResponse[Any, Any]) -> None:
        http = response.http_response
        self.sent.append((http.request.method, http.request.url.split("?")[0], http.status_code))

    def _management_kwargs(self) -> dict[str, Any]:
        return {**super()._management_kwargs(), "raw_response_hook": self._record}


def test_creates_run_as_azure_runs_them(local_azure: LocalAzure) -> None:
    """The first PUT's status per service, then the Azure-AsyncOperation polls, then the read."""
    clients = _Recording(local_azure.management_url, LOCAL_MANAGEMENT_TOKEN, LOCAL_ACCOUNT_KEY, read_only=False)
    sent = clients.sent
    seeder = AzureSeeder(local_azure.management_url)
    seeder.clients.close()
    seeder.clients = clients
    stores, sub = StoreSeeder(seeder), str(uuid.uuid4())
    stores.sql_server(sub, "lro-sql", "eastus")
    stores.cosmos_account(sub, "lro-cosmos", ["eastus"])
    stores.disk(sub, "lro-disk", "eastus")
    stores.recovery_vault(sub, "lro-rsv", "eastus")
    stores.backup_vault(sub, "lro-bv", "eastus")
    stores.mysql_server(sub, "lro-mysql", "eastus")  # final state via Location: the server, once done
    first = {url.rsplit("/", 2)[-2]: status for method, url, status in sent if method == "PUT"}
    assert first == {"resourcegroups": 201, "servers": 202, "databaseAccounts": 200, "disks": 202,
                     "vaults": 201, "backupVaults": 201, "flexibleServers": 202}
    polls = [status for method, url, status in sent if "/operationStatuses/" in url]
    assert len(polls) == 2 * 6 and set(polls) == {200}
    assert [status for method, url, status in sent if "/operationResults/" in url] == [200]
    clients.close()
