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


class TargetIndex:
    """Finds the plan's containers that references name, following module outputs.

    A module output is resolved once per (module path, output, wanted types) and remembered:
    outputs referencing every output of the module below would otherwise be followed
    fanout^depth times (a 13 KB plan that never finishes). The remembered answer holds every
    container the output can lead to in any instance of the module; the instance keys a
    reference names (`module.m["eu"].out`) are then checked against each container's own
    module steps. `steps` counts the outputs resolved (at most one per output in the
    configuration and linker type set), for tests and the benchmark.
    """

    def __init__(self, located: list[PlannedContainer], config: Configuration) -> None:
        self._all = located
        self._config = config
        self._by_resource: dict[tuple[tuple[str, ...], str, str], list[PlannedContainer]] = {}
        for item in located:
            names = tuple(name for name, _ in item.module_steps)
            self._by_resource.setdefault((names, item.type, item.tf_name), []).append(item)
        self._outputs: dict[tuple[tuple[str, ...], str, frozenset[str]], tuple[PlannedContainer, ...]] = {}
        self.steps = 0

    def by_name(self, types: frozenset[str], name: str) -> list[PlannedContainer]:
        return [i for i in self._all if i.type in types and i.name_known and i.resource.name == name]

    def by_references(self, view: ResourceView, types: frozenset[str], references: list[str]) -> list[PlannedContainer]:
        location = view.change.location
        scope = location.module_steps
        hits = {item.resource.id: item for item in self._targets(_names_of(scope), references, types)
                if _within(item, scope)}
        found = list(hits.values())
        if len(found) > 1 and any(r in {"each.key", "each.value", "count.index"} for r in references):
            found = [item for item in found if item.key == location.key] or found
        return found

    def _targets(self, path: tuple[str, ...], references: list[str], types: frozenset[str]) -> list[PlannedContainer]:
        """Containers the references (written in module `path`) can name, in any instance of that
        module; instance keys named inside the references are already applied."""
        parsed_all = [parse_reference(reference) for reference in references]
        # Terraform lists `r["a"].id`, `r["a"]` and `r`: the keyed form says which instance.
        keyed = {(p.type, p.name) for p in parsed_all if isinstance(p, ResourceReference) and p.key is not None}
        found: list[PlannedContainer] = []
        for parsed in parsed_all:
            if isinstance(parsed, ResourceReference) and parsed.key is None and (parsed.type, parsed.name) in keyed:
                continue
            if isinstance(parsed, ResourceReference) and parsed.type in types:
                found += [i for i in self._by_resource.get((path, parsed.type, parsed.name), ())
                          if parsed.key is None or i.key == parsed.key]
            elif isinstance(parsed, OutputReference):
                level = len(path)
                found += [i for i in self._output((*path, parsed.call), parsed.output, types)
                          if parsed.key is None or i.module_steps[level][1] == parsed.key]
        return found

    def _output(self, path: tuple[str, ...], output: str, types: frozenset[str]) -> tuple[PlannedContainer, ...]:
        memo_key = (path, output, types)
        known = self._outputs.get(memo_key)
        if known is None:
            self.steps += 1  # outputs only lead to deeper modules: no cycle can reach this key again
            references = self._config.output_references(path, output)
            known = tuple({id(i): i for i in self._targets(path, references, types)}.values())
            self._outputs[memo_key] = known
        return known


def _names_of(steps: ModuleSteps) -> tuple[str, ...]:
    return tuple(name for name, _ in steps)


def _within(item: PlannedContainer, scope: ModuleSteps) -> bool:
    """The container lies in module instance `scope` or below it (a None key matches any instance)."""
    if len(item.module_steps) < len(scope):
        return False
    return all(
        name == want_name and (want_key is None or key == want_key)
        for (name, key), (want_name, want_key) in zip(item.module_steps, scope, strict=False)
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

