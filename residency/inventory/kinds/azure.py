"""Azure kinds: where data lives on Azure, and the read calls that find it."""

from __future__ import annotations

from residency.inventory.kinds.spec import ReadCall, ResourceKind
from residency.inventory.model import PlacementKind, Provider

AZURE = Provider.AZURE
P = PlacementKind

ACCOUNT_READS = (
    ReadCall("GET /subscriptions", "Microsoft.Resources/subscriptions/read",
             "the subscriptions the credential can see (only without --azure-subscription)"),
)

_ACCOUNT_READS = (
    ReadCall("GET Microsoft.Storage/storageAccounts", "Microsoft.Storage/storageAccounts/read",
             "storage accounts: location, SKU (redundancy), secondary location; replica destinations"),
    ReadCall("GET Microsoft.Storage/deletedAccounts", "Microsoft.Storage/deletedAccounts/read",
             "deleted storage accounts that are still recoverable"),
    ReadCall("GET Microsoft.Storage/storageAccounts/objectReplicationPolicies",
             "Microsoft.Storage/storageAccounts/objectReplicationPolicies/read", "object replication policies"),
    ReadCall("GET Microsoft.Storage/storageAccounts/blobServices",
             "Microsoft.Storage/storageAccounts/blobServices/read",
             "deletion evidence: versioning and soft-delete settings"),
    ReadCall("List Containers", "Microsoft.Storage/storageAccounts/blobServices/containers/read",
             "containers, soft-deleted ones included, and their metadata"),
    ReadCall("GET Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies",
             "Microsoft.Storage/storageAccounts/blobServices/containers/immutabilityPolicies/read",
             "retention that blocks deletion: container immutability policies"),
    ReadCall("List Blobs", "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read",
             "deletion evidence: blobs, versions, soft-deleted blobs, immutability and legal holds", data_plane=True),
)

STORAGE_ACCOUNT = ResourceKind(
    "azure-storage-account", AZURE, "Azure Storage", "storage account",
    frozenset({P.PRIMARY, P.SECONDARY, P.REPLICA, P.RESIDUAL}), _ACCOUNT_READS,
    terraform_types=("azurerm_storage_account", "azurerm_storage_object_replication"),
)
BLOB_CONTAINER = ResourceKind(
    "azure-blob-container", AZURE, "Azure Storage", "blob container",
    frozenset({P.PRIMARY, P.SECONDARY, P.REPLICA, P.RESIDUAL}), _ACCOUNT_READS,
    terraform_types=("azurerm_storage_container",),
)
OBJECT_REPLICATION = ResourceKind(
    "azure-object-replication", AZURE, "Azure Storage", "object replication policy (source outside the plan)",
    frozenset({P.REPLICA}), (), scanned=False,
)

KINDS = (STORAGE_ACCOUNT, BLOB_CONTAINER, OBJECT_REPLICATION)
