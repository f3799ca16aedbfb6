"""Finding the plan's own buckets/accounts that another resource points at.

A replication destination, a Multi-Region Access Point member or an object-replication
account is matched by the name the plan already knows (`arn:aws:s3:::name`, an Azure
resource id ending in `/storageAccounts/name`) or, when that is known only after apply,
by the configuration's references (`aws_s3_bucket.dest.arn`) within the same module
instance. Whatever is not in the plan is reported as such, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from residency.inventory.model import Placement, PlacementKind, StorageResource
from residency.sources.terraform.addresses import (
    Key,
    ModuleSteps,
    OutputReference,
    ResourceReference,
    parse_reference,
)
from residency.sources.terraform.configuration import Configuration
from residency.sources.terraform.values import Unknown
from residency.sources.terraform.view import KNOWN_AFTER_APPLY, ResourceView


@dataclass(frozen=True, slots=True)
class PlannedContainer:
    """A storage container of the plan: where it is, to resolve links to it."""

    resource: StorageResource
    type: str
    module_steps: ModuleSteps
    tf_name: str  # the Terraform resource name (aws_s3_bucket.<tf_name>)
    key: Key
    name_known: bool  # resource.name is the bucket/account name, not the address

    @property
    def primary(self) -> Placement | None:
        return next((p for p in self.resource.placements if p.kind is PlacementKind.PRIMARY), None)


_MAX_OUTPUT_DEPTH = 8  # module outputs followed through at most this many module levels


class TargetIndex:
    def __init__(self, located: list[PlannedContainer], config: Configuration) -> None:
        self._all = located
        self._config = config

    def of_types(self, types: frozenset[str]) -> list[PlannedContainer]:
        return [i for i in self._all if i.type in types]

    def by_address(self, address: str) -> PlannedContainer | None:
        return next((i for i in self._all if i.resource.id == address), None)

    def by_name(self, types: frozenset[str], name: str) -> list[PlannedContainer]:
        return [i for i in self._all if i.type in types and i.name_known and i.resource.name == name]

    def by_references(self, view: ResourceView, types: frozenset[str], references: list[str]) -> list[PlannedContainer]:
        location = view.change.location
        hits = list(self._resolve(location.module_steps, references, types, 0).values())
        if len(hits) > 1 and any(r in {"each.key", "each.value", "count.index"} for r in references):
            hits = [item for item in hits if item.key == location.key] or hits
        return hits

    def _resolve(
        self, scope: ModuleSteps, references: list[str], types: frozenset[str], depth: int
    ) -> dict[str, PlannedContainer]:
        """Resources the references name in module instance `scope` (a None key matches any
        instance), following child module outputs to the resources behind them."""
        found: dict[str, PlannedContainer] = {}
        parsed_all = [parse_reference(reference) for reference in references]
        # Terraform lists `r["a"].id`, `r["a"]` and `r`: the keyed form says which instance.
        keyed = {(p.type, p.name) for p in parsed_all if isinstance(p, ResourceReference) and p.key is not None}
        for parsed in parsed_all:
            if isinstance(parsed, ResourceReference) and parsed.key is None and (parsed.type, parsed.name) in keyed:
                continue
            if isinstance(parsed, ResourceReference) and parsed.type in types:
                found.update((i.resource.id, i) for i in self._all if _names(i, parsed, scope))
            elif isinstance(parsed, OutputReference) and depth < _MAX_OUTPUT_DEPTH:
                child = (*scope, (parsed.call, parsed.key))
                inner = self._config.output_references(tuple(name for name, _ in child), parsed.output)
                found.update(self._resolve(child, inner, types, depth + 1))
        return found


def _names(item: PlannedContainer, reference: ResourceReference, scope: ModuleSteps) -> bool:
    if (item.type, item.tf_name) != (reference.type, reference.name) or len(item.module_steps) != len(scope):
        return False
    if reference.key is not None and item.key != reference.key:
        return False
    return all(
        name == want_name and (want_key is None or key == want_key)
        for (name, key), (want_name, want_key) in zip(item.module_steps, scope, strict=True)
    )


@dataclass(frozen=True, slots=True)
class Contribution:
    """Placements and attributes for an existing plan resource (`owner`, its id), or, when the
    resource it belongs to is not in the plan, a `standalone` resource of its own."""

    owner: str | None = None
    placements: tuple[Placement, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    standalone: StorageResource | None = None


@dataclass(frozen=True, slots=True)
class Target:
    """One place a link leads: a plan resource (several when the reference is ambiguous),
    a name outside the plan, or unknown."""

    hits: tuple[PlannedContainer, ...] = ()
    outside: str | None = None


def resolve_targets(
    view: ResourceView,
    index: TargetIndex,
    types: frozenset[str],
    names: list[str | Unknown],
    reference_groups: list[list[str]],
) -> list[Target]:
    """Each known name matched by name; the unknown ones through the configuration's references."""
    targets: list[Target] = []
    seen: set[str] = set()
    unknown = 0
    for name in names:
        if isinstance(name, Unknown):
            unknown += 1
            continue
        hits = index.by_name(types, name)
        if hits:
            seen.update(h.resource.id for h in hits)
            targets.append(Target(tuple(hits[:1])))
        else:
            targets.append(Target(outside=name))
    for group in reference_groups:
        hits = index.by_references(view, types, group)
        if hits and not any(h.resource.id in seen for h in hits):
            seen.update(h.resource.id for h in hits)
            targets.append(Target(tuple(hits)))
            unknown -= 1
    targets.extend(Target() for _ in range(max(unknown, 0)))
    return targets


def target_placement(target: Target, kind: PlacementKind, what: str) -> Placement:
    """The placement a link contributes: the target's own primary region, or why it is unknown."""
    if target.outside is not None:
        return Placement(kind, None, f"destination outside the plan ({what} {target.outside})")
    if not target.hits:
        return Placement(kind, None, f"{KNOWN_AFTER_APPLY} (which {what})")
    regions = {h.primary.region if h.primary else None for h in target.hits}
    first = target.hits[0]
    label = first.resource.id if not first.name_known else f"{first.resource.name} ({first.resource.id})"
    if len(target.hits) > 1:
        addresses = ", ".join(sorted(h.resource.id for h in target.hits))
        if len(regions) != 1 or None in regions:
            return Placement(kind, None, f"the {what} is one of {addresses}, in different or unknown regions")
        label = addresses
    region = first.primary.region if first.primary else None
    if region is None:
        why = first.primary.reason if first.primary else "no location in the plan"
        return Placement(kind, None, f"{what} {label}: {why}", target=first.resource.id)
    return Placement(kind, region, f"{what} {label}", target=first.resource.id)


def known_names(values: list[str | Unknown | None]) -> list[str | Unknown]:
    return [v for v in values if v is not None]


def arn_bucket_name(value: str | Unknown | None) -> str | Unknown | None:
    """`arn:aws:s3:::name` -> `name` (plain names pass through)."""
    if value is None or isinstance(value, Unknown):
        return value
    return value.rpartition(":::")[2] if value.startswith("arn:") else value


def azure_account_name(value: str | Unknown | None) -> str | Unknown | None:
    """`/subscriptions/.../storageAccounts/name` -> `name`."""
    if value is None or isinstance(value, Unknown):
        return value
    marker = "/storageaccounts/"
    position = value.lower().rfind(marker)
    return value[position + len(marker):].strip("/") if position >= 0 else value

