"""Azure Backup on the local ARM server: Recovery Services vaults (`recoveryservices/vaults/get`,
api-version 2026-11-01), their backup storage config, policies and protected items
(`backup/protected-items`, 2026-10-01), and Data Protection backup vaults and backup instances
(`dataprotection/backup-vaults`, 2026-06-01).

As on Azure: a Recovery Services vault is geo-redundant unless set otherwise, cross-region restore
needs geo-redundant storage, and its storage type cannot change once an item is protected; a
resource is protected by a vault in its own region under a policy of that vault; a Data
Protection vault needs its storage settings. Vaults answer 201, protected items 202, backup
instances 201 on the first PUT, each with an Azure-AsyncOperation.
"""

from __future__ import annotations

import copy
from typing import Any

from scripts.localcloud.azure.arm_containers import denied_read
from scripts.localcloud.azure.arm_resources import (
    GROUP,
    envelope,
    find,
    get_item,
    item_routes,
    list_handler,
    location_code,
    must_find,
    one_of,
    plain_put,
    put_handler,
    require,
)
from scripts.localcloud.azure.request import Handler, Reply, Request
from scripts.localcloud.azure.store import Store, StoreError

VAULT = GROUP + r"/providers/Microsoft\.RecoveryServices/vaults/(?P<vault>[^/]+)"
ITEM = (VAULT + r"/backupFabrics/(?P<fabric>[^/]+)/protectionContainers/(?P<container>[^/]+)/protectedItems/"
        r"(?P<item>[^/]+)")
DP_VAULT = GROUP + r"/providers/Microsoft\.DataProtection/backupVaults/(?P<vault>[^/]+)"
RS_REDUNDANCY = ("GeoRedundant", "LocallyRedundant", "ZoneRedundant")
ITEM_TYPE = "Microsoft.RecoveryServices/vaults/backupFabrics/protectionContainers/protectedItems"
# protectedItemType -> (workload, the resource types it protects)
WORKLOADS = {
    "AzureFileShareProtectedItem": ("AzureFileShare", ("microsoft.storage/storageaccounts",)),
    "Microsoft.Compute/virtualMachines": ("VM", ("microsoft.compute/virtualmachines",)),
}


def build_vault(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    body = request.body
    one_of((body.get("sku") or {}).get("name"), ("Standard", "RS0"), "sku.name")
    props = dict(body.get("properties") or {})
    existing = find(store, rid)
    current = (existing or {}).get("properties", {}).get("redundancySettings") or {}
    asked = dict(props.get("redundancySettings") or {})
    redundancy = one_of(asked.get("standardTierStorageRedundancy"), RS_REDUNDANCY,
                        "redundancySettings.standardTierStorageRedundancy",
                        current.get("standardTierStorageRedundancy", "GeoRedundant"))
    restore = one_of(asked.get("crossRegionRestore"), ("Enabled", "Disabled"), "redundancySettings.crossRegionRestore",
                     current.get("crossRegionRestore", "Disabled"))
    require(restore == "Disabled" or redundancy == "GeoRedundant", "BMSUserErrorCrossRegionRestoreNotAllowed",
            "Cross-region restore needs geo-redundant vault storage.")
    if existing is not None and redundancy != current.get("standardTierStorageRedundancy"):
        _refuse_change_with_items(store, rid)
    return envelope(rid, body, location_code(body.get("location"), "Microsoft.RecoveryServices/vaults"),
                    sku={"name": (body.get("sku") or {}).get("name"), "tier": "Standard"},
                    etag=f'W/"datetime\'{len(store.resources)}\'"', properties={
                        "redundancySettings": {"standardTierStorageRedundancy": redundancy,
                                               "crossRegionRestore": restore},
                        "publicNetworkAccess": props.get("publicNetworkAccess") or "Enabled",
                        "backupStorageVersion": "V2"})


def _refuse_change_with_items(store: Store, vault_id: str) -> None:
    if any(key.startswith(vault_id.lower() + "/backupfabrics/") for key in store.resources):
        raise StoreError(400, "BMSUserErrorStorageTypeConversionNotAllowed",
                         "The vault's storage redundancy cannot change once an item is protected in it.")


def _storage_config(vault: dict[str, Any]) -> dict[str, Any]:
    """Backup Resource Storage Configs Non CRR - Get: the vault's storage type, as the vault says."""
    settings = vault["properties"]["redundancySettings"]
    kind = settings["standardTierStorageRedundancy"]
    return {"id": f"{vault['id']}/backupstorageconfig/vaultstorageconfig", "name": "vaultstorageconfig",
            "type": "Microsoft.RecoveryServices/vaults/backupstorageconfig",
            "properties": {"storageModelType": kind, "storageType": kind, "storageTypeState": "Unlocked",
                           "crossRegionRestoreFlag": settings["crossRegionRestore"] == "Enabled",
                           "dedupState": "Disabled", "xcoolState": "Disabled"}}


def get_storage_config(store: Store, request: Request, match: dict[str, str]) -> Reply:
    denied_read(store, request, match["sub"])
    return 200, _storage_config(must_find(store, request.path.split("/backupstorageconfig")[0], "vault")), {}


def put_storage_config(store: Store, request: Request, match: dict[str, str]) -> Reply:
    vault = must_find(store, request.path.split("/backupstorageconfig")[0], "vault")
    props = dict(request.body.get("properties") or {})
    settings = vault["properties"]["redundancySettings"]
    wanted = one_of(props.get("storageType") or props.get("storageModelType"), RS_REDUNDANCY,
                    "properties.storageType", settings["standardTierStorageRedundancy"])
    if wanted != settings["standardTierStorageRedundancy"]:
        _refuse_change_with_items(store, vault["id"])
    restore = props.get("crossRegionRestoreFlag")
    settings.update(standardTierStorageRedundancy=wanted,
                    crossRegionRestore=("Enabled" if restore else "Disabled") if restore is not None
                    else settings["crossRegionRestore"])
    require(settings["crossRegionRestore"] == "Disabled" or wanted == "GeoRedundant",
            "BMSUserErrorCrossRegionRestoreNotAllowed", "Cross-region restore needs geo-redundant vault storage.")
    return 200, _storage_config(vault), {}


def build_policy(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    """Protection Policies - Create Or Update: the policy items are protected under."""
    must_find(store, rid.split("/backupPolicies/")[0], "vault")
    props = dict(request.body.get("properties") or {})
    require(bool(props.get("backupManagementType")), "BMSUserErrorInvalidInput",
            "A backup policy needs backupManagementType.")
    return {"id": rid, "name": rid.rsplit("/", 1)[-1], "type": "Microsoft.RecoveryServices/vaults/backupPolicies",
            "properties": {**props, "protectedItemsCount": 0}}


def build_item(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    vault = must_find(store, rid.split("/backupFabrics/")[0], "vault")
    props = dict(request.body.get("properties") or {})
    item_type = str(props.get("protectedItemType") or "")
    require(item_type in WORKLOADS, "BMSUserErrorInvalidInput",
            f"protectedItemType '{item_type}' is not served by the local server ({', '.join(WORKLOADS)}).")
    workload, types = WORKLOADS[item_type]
    source_id = str(props.get("sourceResourceId"))
    source = find(store, source_id) or _storage_account(store, source_id)
    require(str(source["type"]).lower() in types, "BMSUserErrorInvalidInput",
            f"A {item_type} protects a {' or '.join(types)}.")
    require(source["location"] == vault["location"], "BMSUserErrorVaultAndResourceLocationMismatch",
            f"The vault ({vault['location']}) must be in the protected resource's region ({source['location']}).")
    policy = must_find(store, str(props.get("policyId")), "backup policy")
    return {"id": rid, "name": match["item"], "type": ITEM_TYPE, "properties": {
        **props, "protectedItemType": item_type, "workloadType": workload, "backupManagementType":
        "AzureStorage" if workload == "AzureFileShare" else "AzureIaasVM", "sourceResourceId": source["id"],
        "policyId": policy["id"], "policyName": policy["name"], "containerName": match["container"],
        "friendlyName": props.get("friendlyName") or match["item"].rsplit(";", 1)[-1],
        "protectionState": "Protected", "lastBackupStatus": "Completed", "vaultId": vault["id"]}}


def _storage_account(store: Store, resource_id: str) -> dict[str, Any]:
    """Storage accounts live in the older account table of the store, not among generic resources."""
    name = resource_id.rstrip("/").rsplit("/", 1)[-1]
    account = store.accounts.get(name.lower())
    if account is None or account.id.lower() != resource_id.rstrip("/").lower():
        raise StoreError(404, "BMSUserErrorSourceResourceNotFound", f"The resource '{resource_id}' was not found.")
    return {"id": account.id, "type": "Microsoft.Storage/storageAccounts", "location": account.location}


def list_items(store: Store, request: Request, match: dict[str, str]) -> Reply:
    """Backup Protected Items - List: every protected item of the vault."""
    vault = must_find(store, request.path.split("/backupProtectedItems")[0], "vault")
    handler = list_handler(ITEM_TYPE, lambda m: str(vault["id"]))
    return handler(store, request, match)


def build_backup_vault(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    body = request.body
    props = dict(body.get("properties") or {})
    settings = list(props.get("storageSettings") or [])
    require(bool(settings), "UserErrorInvalidRequestParameter", "A backup vault needs storageSettings.")
    for setting in settings:
        one_of(setting.get("datastoreType"), ("VaultStore", "ArchiveStore", "OperationalStore"),
               "storageSettings.datastoreType")
        one_of(setting.get("type"), RS_REDUNDANCY, "storageSettings.type")
    location = location_code(body.get("location"), "Microsoft.DataProtection/backupVaults")
    replicated = [location_code(r, "Microsoft.DataProtection/backupVaults", "replicatedRegions")
                  for r in props.get("replicatedRegions") or []]
    return envelope(rid, body, location, identity=body.get("identity"), properties={
        "storageSettings": settings, "replicatedRegions": replicated,
        "featureSettings": props.get("featureSettings") or {"crossRegionRestoreSettings": {"state": "Disabled"}},
        "securitySettings": props.get("securitySettings") or {"softDeleteSettings": {"state": "On",
                                                                                     "retentionDurationInDays": 14}},
        "monitoringSettings": props.get("monitoringSettings") or {}})


def build_dp_policy(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    must_find(store, rid.split("/backupPolicies/")[0], "backup vault")
    props = dict(request.body.get("properties") or {})
    require(bool(props.get("datasourceTypes")) and bool(props.get("policyRules")), "UserErrorInvalidRequestParameter",
            "A backup policy needs datasourceTypes and policyRules.")
    return {"id": rid, "name": rid.rsplit("/", 1)[-1], "type": "Microsoft.DataProtection/backupVaults/backupPolicies",
            "properties": copy.deepcopy(props)}


def build_instance(store: Store, request: Request, match: dict[str, str], rid: str) -> dict[str, Any]:
    vault = must_find(store, rid.split("/backupInstances/")[0], "backup vault")
    props = dict(request.body.get("properties") or {})
    info = dict(props.get("dataSourceInfo") or {})
    source = must_find(store, str(info.get("resourceID")), "data source")
    require(source["location"] == vault["location"], "UserErrorVaultAndDatasourceLocationMismatch",
            f"The backup vault ({vault['location']}) must be in the data source's region ({source['location']}).")
    policy = must_find(store, str((props.get("policyInfo") or {}).get("policyId")), "backup policy")
    info.update(resourceID=source["id"], resourceLocation=source["location"], resourceName=source["name"],
                resourceType=source["type"], objectType="Datasource")
    return {"id": rid, "name": rid.rsplit("/", 1)[-1], "type": "Microsoft.DataProtection/backupVaults/backupInstances",
            "tags": dict(request.body.get("tags") or {}), "properties": {
                **props, "dataSourceInfo": info, "policyInfo": {**(props.get("policyInfo") or {}),
                                                                "policyId": policy["id"]},
                "objectType": "BackupInstance", "friendlyName": props.get("friendlyName") or source["name"],
                "protectionStatus": {"status": "ProtectionConfigured"}, "currentProtectionState":
                "ProtectionConfigured"}}


ROUTES: list[tuple[str, str, Handler]] = [
    *item_routes(VAULT, "Microsoft.RecoveryServices/vaults", build_vault, 201),
    ("GET", VAULT + r"/backupstorageconfig/vaultstorageconfig", get_storage_config),
    ("PUT", VAULT + r"/backupstorageconfig/vaultstorageconfig", put_storage_config),
    ("PATCH", VAULT + r"/backupstorageconfig/vaultstorageconfig", put_storage_config),
    ("PUT", VAULT + r"/backupPolicies/(?P<policy>[^/]+)", plain_put(build_policy)),
    ("GET", VAULT + r"/backupPolicies/[^/]+", get_item),
    ("PUT", ITEM, put_handler(build_item, 202)),
    ("GET", ITEM, get_item),
    ("GET", VAULT + r"/backupProtectedItems", list_items),
    *item_routes(DP_VAULT, "Microsoft.DataProtection/backupVaults", build_backup_vault, 201),
    ("PUT", DP_VAULT + r"/backupPolicies/(?P<policy>[^/]+)", plain_put(build_dp_policy)),
    ("GET", DP_VAULT + r"/backupPolicies/[^/]+", get_item),
    *item_routes(DP_VAULT + r"/backupInstances/(?P<instance>[^/]+)",
                 "Microsoft.DataProtection/backupVaults/backupInstances", build_instance, 201),
]
