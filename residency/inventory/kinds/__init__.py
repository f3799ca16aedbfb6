"""The resource-kind registry: every kind of place where data lives, declared once.

A kind says which provider and service it belongs to, how to call it in prose, which kinds of
placement it can have, which read calls (and the permissions they need) discover it, and which
Terraform resource types create it. `residency permissions`, the docs tables, the Terraform
plan reader and a meta-test read this table, so a kind cannot be half-registered.

The entries live in one module per provider (`aws.py`, `gcp.py`, `azure.py`); this module
assembles them and refuses duplicates.
"""

from __future__ import annotations

from collections.abc import Iterable

from residency.inventory.kinds import aws, azure, gcp
from residency.inventory.kinds.spec import ReadCall, ResourceKind
from residency.inventory.model import Provider

__all__ = ["ACCOUNT_READS", "KINDS", "ReadCall", "ResourceKind", "display_name", "kind_of", "kinds_of", "reads_of"]


class KindRegistryError(Exception):
    """Two kinds share an id, or one is incomplete: a programming error the meta-test catches."""


def _assemble(groups: Iterable[tuple[ResourceKind, ...]]) -> dict[str, ResourceKind]:
    kinds: dict[str, ResourceKind] = {}
    for group in groups:
        for kind in group:
            if kind.id in kinds:
                raise KindRegistryError(f"resource kind {kind.id!r} is registered twice")
            kinds[kind.id] = kind
    return kinds


KINDS: dict[str, ResourceKind] = _assemble((aws.KINDS, gcp.KINDS, azure.KINDS))

# Calls a provider's source makes once per account or organisation, whatever the kinds.
ACCOUNT_READS: dict[Provider, tuple[ReadCall, ...]] = {
    Provider.AWS: aws.ACCOUNT_READS,
    Provider.GCP: gcp.ACCOUNT_READS,
    Provider.AZURE: azure.ACCOUNT_READS,
}


def kind_of(kind_id: str) -> ResourceKind | None:
    return KINDS.get(kind_id)


def display_name(kind_id: str) -> str:
    """"S3 bucket" for "s3-bucket"; an unknown id is shown as it is."""
    kind = KINDS.get(kind_id)
    return kind.display if kind else kind_id


def kinds_of(provider: Provider) -> tuple[ResourceKind, ...]:
    return tuple(kind for kind in KINDS.values() if kind.provider is provider)


def reads_of(provider: Provider, kind_ids: Iterable[str] | None = None) -> tuple[ReadCall, ...]:
    """Every read call of a provider (of the given kinds only, when named), each once, in order."""
    wanted = None if kind_ids is None else set(kind_ids)
    calls: dict[str, ReadCall] = {call.operation: call for call in ACCOUNT_READS[provider]}
    for kind in kinds_of(provider):
        if wanted is None or kind.id in wanted:
            for call in kind.reads:
                calls.setdefault(call.operation, call)
    return tuple(calls.values())


def terraform_types() -> dict[str, str]:
    """Terraform resource type -> the kind it creates or contributes to."""
    return {tf_type: kind.id for kind in KINDS.values() for tf_type in kind.terraform_types}
