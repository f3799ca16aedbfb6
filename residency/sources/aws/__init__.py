"""AWS S3 adapter: every place S3 data can live, read-only.

`create(options)` returns the adapter; `permissions()` prints the least-privilege IAM policy
for exactly the calls it makes. See docs/aws.md.
"""

from __future__ import annotations

from collections.abc import Sequence

from residency.sources.aws.adapter import AwsAdapter
from residency.sources.aws.permissions import permissions
from residency.sources.aws.session import Hook
from residency.sources.contract import ScanOptions

__all__ = ["AwsAdapter", "create", "permissions"]


def create(options: ScanOptions, hooks: Sequence[Hook] = ()) -> AwsAdapter:
    return AwsAdapter(options, hooks)
