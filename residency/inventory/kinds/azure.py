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


# Azure SQL Database and Managed Instance (Microsoft.Sql, REST api-version 2025-01-01).
SQL = "Microsoft.Sql"
_SQL_READS = (
    ReadCall("GET Microsoft.Sql/servers", f"{SQL}/servers/read", "logical SQL servers of the subscription"),
    ReadCall("GET Microsoft.Sql/servers/databases", f"{SQL}/servers/databases/read",
             "databases: location, requested and current backup storage redundancy"),
    ReadCall("GET Microsoft.Sql/servers/databases/replicationLinks",
             f"{SQL}/servers/databases/replicationLinks/read", "geo-replicas: partnerLocation of each link"),
    ReadCall("GET Microsoft.Sql/servers/failoverGroups", f"{SQL}/servers/failoverGroups/read",
             "failover groups: partner servers and their locations"),
    ReadCall("GET Microsoft.Sql/locations/longTermRetentionServers/longTermRetentionBackups",
             f"{SQL}/locations/longTermRetentionServers/longTermRetentionBackups/read",
             "long-term retention backups of each server's databases"),
)
SQL_DATABASE = ResourceKind(
    "azure-sql-database", AZURE, "Azure SQL Database", "SQL database",
    frozenset({P.PRIMARY, P.REPLICA, P.DERIVED}), _SQL_READS,
    terraform_types=("azurerm_mssql_database", "azurerm_mssql_failover_group"),
)
SQL_FAILOVER_GROUP = ResourceKind(
    "azure-sql-failover-group", AZURE, "Azure SQL Database", "SQL failover group (databases outside the plan)",
    frozenset({P.REPLICA}), (), scanned=False,
)
SQL_LTR_BACKUP = ResourceKind(
    "azure-sql-ltr-backup", AZURE, "Azure SQL Database", "SQL long-term retention backup",
    frozenset({P.PRIMARY, P.SECONDARY}), _SQL_READS, derived=True,
)
SQL_MANAGED_INSTANCE = ResourceKind(
    "azure-sql-managed-instance", AZURE, "Azure SQL Managed Instance", "SQL managed instance",
    frozenset({P.PRIMARY, P.REPLICA, P.DERIVED}),
    (
        ReadCall("GET Microsoft.Sql/managedInstances", f"{SQL}/managedInstances/read",
                 "managed instances: location, requested and current backup storage redundancy"),
        ReadCall("GET Microsoft.Sql/locations/instanceFailoverGroups", f"{SQL}/locations/instanceFailoverGroups/read",
                 "instance failover groups: partner regions and instances"),
    ),
)

# Azure Cosmos DB (Microsoft.DocumentDB, api-version 2026-03-15).
COSMOSDB_ACCOUNT = ResourceKind(
    "azure-cosmosdb-account", AZURE, "Azure Cosmos DB", "Cosmos DB account",
    frozenset({P.PRIMARY, P.REPLICA, P.DERIVED}),
    (
        ReadCall("GET Microsoft.DocumentDB/databaseAccounts", "Microsoft.DocumentDB/databaseAccounts/read",
                 "accounts: locations, read and write locations, failover policies, backup policy"),
    ),
    terraform_types=("azurerm_cosmosdb_account",),
)

# Managed disks, snapshots and Compute Gallery image versions (Microsoft.Compute).
COMPUTE = "Microsoft.Compute"
MANAGED_DISK = ResourceKind(
    "azure-managed-disk", AZURE, "Azure Managed Disks", "managed disk",
    frozenset({P.PRIMARY, P.DERIVED}),
    (ReadCall("GET Microsoft.Compute/disks", f"{COMPUTE}/disks/read", "managed disks: location"),),
)
_SNAPSHOT_READS = (
    ReadCall("GET Microsoft.Compute/snapshots", f"{COMPUTE}/snapshots/read",
             "snapshots: location and the disk or snapshot each was copied from"),
)
DISK_SNAPSHOT = ResourceKind(
    "azure-disk-snapshot", AZURE, "Azure Managed Disks", "disk snapshot",
    frozenset({P.PRIMARY, P.DERIVED}), _SNAPSHOT_READS, terraform_types=("azurerm_snapshot",), derived=True,
)
GALLERY_IMAGE_VERSION = ResourceKind(
    "azure-gallery-image-version", AZURE, "Azure Compute Gallery", "gallery image version",
    frozenset({P.PRIMARY, P.REPLICA}),
    (
        ReadCall("GET Microsoft.Compute/galleries", f"{COMPUTE}/galleries/read", "Compute Galleries"),
        ReadCall("GET Microsoft.Compute/galleries/images", f"{COMPUTE}/galleries/images/read",
                 "image definitions of each gallery"),
        ReadCall("GET Microsoft.Compute/galleries/images/versions", f"{COMPUTE}/galleries/images/versions/read",
                 "image versions: target regions (replicas) and source disk or snapshot"),
    ),
    terraform_types=("azurerm_shared_image_version",), derived=True,
)

# Azure Backup: Recovery Services vaults and Data Protection backup vaults.
RS = "Microsoft.RecoveryServices/vaults"
RECOVERY_SERVICES_VAULT = ResourceKind(
    "azure-recovery-services-vault", AZURE, "Azure Backup", "Recovery Services vault",
    frozenset({P.PRIMARY, P.SECONDARY}),
    (
        ReadCall("GET Microsoft.RecoveryServices/vaults", f"{RS}/read",
                 "vaults: location, storage redundancy, cross-region restore"),
        ReadCall("GET Microsoft.RecoveryServices/vaults/backupstorageconfig", f"{RS}/backupstorageconfig/read",
                 "backup storage config: storage type and cross-region restore flag"),
    ),
    terraform_types=("azurerm_recovery_services_vault",),
)
BACKUP_PROTECTED_ITEM = ResourceKind(
    "azure-backup-protected-item", AZURE, "Azure Backup", "backup protected item (Recovery Services)",
    frozenset({P.PRIMARY, P.SECONDARY}),
    (ReadCall("GET Microsoft.RecoveryServices/vaults/backupProtectedItems", f"{RS}/backupProtectedItems/read",
              "the protected items of each vault and the resource each one backs up"),),
    derived=True,
)
DP = "Microsoft.DataProtection/backupVaults"
BACKUP_VAULT = ResourceKind(
    "azure-backup-vault", AZURE, "Azure Backup", "Data Protection backup vault",
    frozenset({P.PRIMARY, P.SECONDARY, P.REPLICA}),
    (ReadCall("GET Microsoft.DataProtection/backupVaults", f"{DP}/read",
              "backup vaults: location, storage settings, replicated regions"),),
    terraform_types=("azurerm_data_protection_backup_vault",),
)
BACKUP_INSTANCE = ResourceKind(
    "azure-backup-instance", AZURE, "Azure Backup", "backup instance (Data Protection)",
    frozenset({P.PRIMARY, P.SECONDARY, P.REPLICA}),
    (ReadCall("GET Microsoft.DataProtection/backupVaults/backupInstances", f"{DP}/backupInstances/read",
              "the backup instances of each vault and the resource each one backs up"),),
    derived=True,
)

# Azure Database for PostgreSQL / MySQL flexible servers.
POSTGRESQL_FLEXIBLE_SERVER = ResourceKind(
    "azure-postgresql-flexible-server", AZURE, "Azure Database for PostgreSQL", "PostgreSQL flexible server",
    frozenset({P.PRIMARY, P.REPLICA, P.DERIVED}),
    (
        ReadCall("GET Microsoft.DBforPostgreSQL/flexibleServers", "Microsoft.DBforPostgreSQL/flexibleServers/read",
                 "servers: location, geo-redundant backup, replication role and source server"),
        ReadCall("GET Microsoft.DBforPostgreSQL/flexibleServers/replicas",
                 "Microsoft.DBforPostgreSQL/flexibleServers/replicas/read", "read replicas of each server"),
    ),
)
MYSQL_FLEXIBLE_SERVER = ResourceKind(
    "azure-mysql-flexible-server", AZURE, "Azure Database for MySQL", "MySQL flexible server",
    frozenset({P.PRIMARY, P.REPLICA, P.DERIVED}),
    (
        ReadCall("GET Microsoft.DBforMySQL/flexibleServers", "Microsoft.DBforMySQL/flexibleServers/read",
                 "servers: location, geo-redundant backup, replication role and source server"),
        ReadCall("GET Microsoft.DBforMySQL/flexibleServers/replicas",
                 "Microsoft.DBforMySQL/flexibleServers/replicas/read", "read replicas of each server"),
    ),
)

KINDS = (
    STORAGE_ACCOUNT, BLOB_CONTAINER, OBJECT_REPLICATION,
    SQL_DATABASE, SQL_FAILOVER_GROUP, SQL_LTR_BACKUP, SQL_MANAGED_INSTANCE, COSMOSDB_ACCOUNT,
    MANAGED_DISK, DISK_SNAPSHOT, GALLERY_IMAGE_VERSION,
    RECOVERY_SERVICES_VAULT, BACKUP_PROTECTED_ITEM, BACKUP_VAULT, BACKUP_INSTANCE,
    POSTGRESQL_FLEXIBLE_SERVER, MYSQL_FLEXIBLE_SERVER,
)
