"""Which keys decide a resource's scope: its own, and for a derived copy its source's.

A copy (backup, snapshot, export) inherits its source's data class: a policy that covers the
source covers the copy, whatever the copy's own tags. The source's key is taken from the
inventory when the source is in it (its tags as scanned), else from what the copy's lineage
recorded. A copy whose lineage could not be established could hold any data: its scope is
treated like unknown tags (tag-scoped policies report it rather than assume it out of scope).
"""

from __future__ import annotations

from collections.abc import Iterable

from residency.inventory.model import ResourceKey, StorageResource


class ScopeKeys:
    def __init__(self, resources: Iterable[StorageResource]) -> None:
        items = list(resources)
        self._by_id = {r.id: r for r in items} if any(r.lineage is not None for r in items) else {}

    def of(self, resource: StorageResource) -> tuple[ResourceKey, ResourceKey | None, str]:
        """(own key, the key whose scope it inherits or None, why it is inherited or possible)."""
        own = resource.key
        lineage = resource.lineage
        if lineage is None:
            return own, None, ""
        if lineage.source is None:
            return own, own._replace(tags=None), f"it is a copy whose source is unknown ({lineage.how})"
        source = self._by_id.get(lineage.source.id)
        inherited = source.key if source is not None else lineage.source
        return own, inherited, f"it is a copy of {inherited.name} ({lineage.how})"
