"""An inventory with every outside text redacted (`residency.untrusted.redact`), applied to what each
source returns, so no report, log line or snapshot can carry a credential an SDK or server echoed."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace

from residency.inventory.model import (
    AccountGap,
    DeletionEvidence,
    Gap,
    Inventory,
    Placement,
    RetentionLock,
    StorageResource,
)
from residency.untrusted.redact import mask_secrets, redact


def redact_inventory(inventory: Inventory) -> Inventory:
    """The inventory with every outside text redacted (reasons, notes, details) and every secret
    value masked (in names, ids, tags and attributes too)."""
    return replace(
        inventory,
        resources=tuple(_resource(r) for r in inventory.resources),
        account_gaps=tuple(AccountGap(g.provider, mask_secrets(g.account), redact(g.reason))
                           for g in inventory.account_gaps),
    )


def _resource(resource: StorageResource) -> StorageResource:
    return replace(
        resource,
        id=mask_secrets(resource.id),
        name=mask_secrets(resource.name),
        tags=_pairs(resource.tags, mask_secrets),
        attributes=_pairs(resource.attributes, redact),
        placements=tuple(Placement(p.kind, p.region, redact(p.reason), p.provider,
                                   mask_secrets(p.target) if p.target else None) for p in resource.placements),
        gaps=tuple(Gap(g.what, redact(g.reason), g.facet) for g in resource.gaps),
        deletion_evidence=_evidence(resource.deletion_evidence),
    )


def _pairs(pairs: Iterable[tuple[str, str]], clean: Callable[[str], str]) -> tuple[tuple[str, str], ...]:
    return tuple((mask_secrets(key), clean(value)) for key, value in pairs)


def _evidence(evidence: DeletionEvidence | None) -> DeletionEvidence | None:
    if evidence is None:
        return None
    return evidence._replace(
        locks=tuple(RetentionLock(lk.kind, redact(lk.detail), lk.until, lk.blocks_deletion) for lk in evidence.locks),
        notes=tuple(redact(note) for note in evidence.notes),
    )
