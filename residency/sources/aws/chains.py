"""Following a copy's (or replica's) sources to the resource whose data it holds.

A copy of a copy (a snapshot copied to Singapore from a snapshot of a volume) holds the volume's
data: the engine looks one step up, so the lineage recorded is the end of the chain, and `how`
tells every step. A chain that ends at a resource no longer listed (a deleted volume) keeps that
resource's key with unknown tags, so tag-scoped policies report the copy as possibly in scope; a
chain that cannot be followed at all is `Lineage(None, why)`.
"""

from __future__ import annotations

from collections.abc import Mapping

from residency.inventory.model import Lineage, Provider, ResourceKey
from residency.sources.aws.regional import Arn, Draft, Origin

AWS = Provider.AWS
_MAX_STEPS = 16


def lineage_of(
    drafts: Mapping[str, Draft], known: Mapping[str, ResourceKey], account: str, draft: Draft,
) -> Lineage | None:
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
        source = drafts.get(origin.source_id)
        if source is None:
            other = known.get(origin.source_id)
            if other is not None:
                return Lineage(other, "; ".join(steps))
            return Lineage(_missing(account, origin.source_id, origin.source_kind, origin.source_name),
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


def _missing(account: str, source_id: str, kind: str, name: str) -> ResourceKey:
    arn = Arn.parse(source_id)
    owner = arn.account if arn and arn.account else account
    return ResourceKey(AWS, owner, kind, source_id, name or source_id, None)
