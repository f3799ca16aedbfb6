"""Google Cloud adapter: Cloud Storage buckets of every project, where they live, what is left.

`entry.ENTRY` is what the source registry uses; `permissions.permissions()` prints the IAM
permissions of exactly the calls it makes. See docs/gcp.md.
"""
