"""Azure adapter: storage accounts, geo-redundant secondaries, object replication,
deleted-but-recoverable accounts and deletion evidence (versions, soft delete, immutability).

`entry.ENTRY` is what the source registry uses; `permissions.permissions()` prints the custom
role definition with exactly the actions it uses. See docs/azure.md.
"""
