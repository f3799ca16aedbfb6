"""Each copy's lineage (`chains.py`), whether a copy is needed, and the derived placement the
resource whose data it holds gets for each of its copies."""

from __future__ import annotations

from residency.inventory.kinds import display_name
from residency.inventory.model import Facet, Lineage, PlacementKind
from residency.sources.aws import chains
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Draft


def lineage_of(estate: Estate, draft: Draft) -> Lineage | None:
    """The resource whose data a copy or replica holds (None for a resource that is neither)."""
    return chains.lineage_of(estate.drafts, estate.known, estate.account, draft)


def needed(estate: Estate, draft: Draft) -> bool:
    """A copy is needed when the plan covers it, or the resource whose data it holds."""
    if estate.plan.covers(draft.key):
        return True
    lineage = draft.lineage if draft.lineage is not None else lineage_of(estate, draft)
    if lineage is None:
        return False  # not a copy: only its own key decides
    return lineage.source is None or estate.plan.covers(lineage.source)


def resolve(estate: Estate, wanted_copies: dict[str, bool]) -> None:
    """Set every copy's lineage; give each owner that wants copies a derived placement per copy.
    `wanted_copies`: owner id -> whether the plan wants its derived placements (decided once)."""
    for draft in list(estate.drafts.values()):
        draft.lineage = lineage_of(estate, draft)
    for copy in estate.drafts.values():
        if copy.origin is None:
            continue  # a replica: its source has a replica placement for it already
        source = copy.lineage.source if copy.lineage is not None else None
        owner = estate.drafts.get(source.id) if source is not None else None
        if owner is None or not wanted_copies.get(owner.id):
            continue
        where = copy.region if copy.located else None
        reason = f"{display_name(copy.kind)} {copy.name}"
        reason += f" in {where}" if where else f": {copy.region_reason or 'its location was not read'}"
        owner.add(PlacementKind.DERIVED, where, f"{reason} ({copy.lineage.how})" if copy.lineage else reason,
                  target=copy.id)
        owner.collected.add(Facet.COPIES)
