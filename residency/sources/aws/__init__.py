"""AWS adapter: every place AWS keeps a copy of the data, read-only.

`entry.ENTRY` is what the source registry uses; `permissions.permissions()` prints the
least-privilege IAM policy for exactly the calls the adapter makes. See docs/aws.md.
"""
