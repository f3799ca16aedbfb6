"""A copy's lineage, followed to the resource whose data it is, and the derived placements that
resource gets for each copy.

A copy of a copy (a snapshot copied to Singapore from a snapshot of a volume) inherits the data
class of the volume, not of the intermediate snapshot: the engine looks one step up, so the
lineage recorded is the end of the chain, and `how` tells every step. A chain that ends at a
resource no longer listed (a deleted volume) keeps that resource's key with unknown tags, so
tag-scoped policies report the copy as possibly in scope; a chain that cannot be followed at
all is `Lineage(None, why)`.
"""

from __future__ import annotations

from residency.inventory.kinds import display_name
from residency.inventory.model import Facet, Lineage, PlacementKind, Provider, ResourceKey
from residency.sources.aws.estate import Estate
from residency.sources.aws.regional import Arn, Draft, Origin

AWS = Provider.AWS
_MAX_STEPS = 16


def lineage_of(estate: Estate, draft: Draft) -> Lineage | None:
    """The resource whose data a copy or replica holds (None for a resource that is neither)."""
    if _source(draft) is None:
        return None
    steps: list[str] = []
    current, seen = draft, {draft.id}
    for _ in range(_MAX_STEPS):
        origin = _source(current)
        if origin is None:
            break
        steps.append(origin.how if current is draft else f"{current.name}: {origin.how}")
        if origin.source_id is None:
            return Lineage(None, "; ".join(steps))
        source = estate.drafts.get(origin.source_id)
        if source is None:
            known = estate.known.get(origin.source_id)
            if known is not None:
                return Lineage(known, "; ".join(steps))
            return Lineage(_missing(estate, origin.source_id, origin.source_kind, origin.source_name),
                           "; ".join([*steps, "the source is not in the account's listings (deleted?)"]))
        if _source(source) is None:
            return Lineage(source.key, "; ".join(steps))
        if source.id in seen:
            return Lineage(None, "; ".join([*steps, "the copies name each other as source"]))
        seen.add(source.id)
        current = source
    return Lineage(None, "; ".join([*steps, "lineage longer than the scan follows"]))


def _source(draft: Draft) -> Origin | None:
    return draft.origin or draft.replica_of


def _missing(estate: Estate, source_id: str, kind: str, name: str) -> ResourceKey:
    arn = Arn.parse(source_id)
    account = arn.account if arn and arn.account else estate.account
    return ResourceKey(AWS, account, kind, source_id, name or source_id, None)


def needed(estate: Estate, draft: Draft) -> bool:
    """A copy is needed when the plan covers it, or the resource whose data it holds."""
    if estate.plan.covers(draft.key):
        return True
    lineage = draft.lineage if draft.lineage is not None else lineage_of(estate, draft)
    return lineage is None or lineage.source is None or estate.plan.covers(lineage.source)


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
