"""Counting what a container holds, the same way for every cloud.

A listing cut short (a one-page probe, or the service ending a page early) gives lower bounds:
a count it saw means "at least" that many, and a zero from it proves nothing, so it is recorded
as unknown. The evidence is exact only when every listing it comes from was complete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from residency.inventory.model import DeletionEvidence, RetentionLock


def counted(value: int, complete: bool) -> int | None:
    """What a listing proves about a count: the count, or None for a zero it cannot vouch for."""
    return value if value > 0 or complete else None


@dataclass
class ObjectTally:
    """Counts over the entries of one container's listing (objects, versions, soft-deleted copies)."""

    live: int = 0
    noncurrent: int = 0
    delete_markers: int = 0
    soft_deleted: int = 0
    bytes: int = 0
    complete: bool = True  # False: pages were left unread, so every count is a lower bound

    def evidence(self, locks: Iterable[RetentionLock] = (), notes: Iterable[str] = ()) -> DeletionEvidence:
        return DeletionEvidence(
            live_objects=counted(self.live, self.complete),
            noncurrent_versions=counted(self.noncurrent, self.complete),
            delete_markers=counted(self.delete_markers, self.complete),
            soft_deleted_objects=counted(self.soft_deleted, self.complete),
            bytes=counted(self.bytes, self.complete),
            exact=self.complete,
            locks=tuple(locks),
            notes=tuple(notes),
        )
