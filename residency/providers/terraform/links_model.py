"""What a linking resource (replication, access point, container) adds to the inventory."""

from __future__ import annotations

from dataclasses import dataclass

from residency.model import Placement, StorageResource


@dataclass(frozen=True, slots=True)
class Contribution:
    """Placements and attributes for an existing plan resource (`owner`, its id), or, when the
    resource it belongs to is not in the plan, a `standalone` resource of its own."""

    owner: str | None = None
    placements: tuple[Placement, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    standalone: StorageResource | None = None
