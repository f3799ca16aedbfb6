"""One planned resource with everything a translator needs: values, configuration, provider."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from residency.catalog import Catalog, normalise_code
from residency.inventory.model import Facet, sorted_tags
from residency.sources.terraform.configuration import Configuration, as_list, as_object
from residency.sources.terraform.plan_json import PlanDocument, PlannedChange
from residency.sources.terraform.provider_configs import ProviderLookup, ProviderResolver
from residency.sources.terraform.values import Resolved, Values

KNOWN_AFTER_APPLY = "region is known only after apply"
UNDETERMINED = "the plan does not determine the region"
PLAN_ACCOUNT = "plan"  # the account when the plan does not say which one
# What a plan tells about each resource it creates: everything configured; nothing exists yet,
# so there is no deletion evidence.
PLANNED = frozenset({Facet.LOCATION, Facet.TAGS, Facet.REPLICAS, Facet.COPIES})


@dataclass(frozen=True, slots=True)
class PlanContext:
    document: PlanDocument
    catalog: Catalog
    config: Configuration
    providers: ProviderResolver

    @classmethod
    def build(cls, document: PlanDocument, catalog: Catalog) -> PlanContext:
        config = Configuration(document.configuration, document.variables)
        return cls(document, catalog, config, ProviderResolver(config, document.format_version))

    def view(self, change: PlannedChange) -> ResourceView:
        location = change.location
        config_resource = self.config.resource(location.module_path, location.config_address)
        provider = self.providers.lookup(location.module_path, config_resource, change.provider_name, change.type)
        return ResourceView(change, as_object(config_resource), provider, self)


@dataclass(frozen=True, slots=True)
class ResourceView:
    change: PlannedChange
    config_resource: dict[str, Any]
    provider: ProviderLookup
    context: PlanContext

    @property
    def address(self) -> str:
        return self.change.address

    @property
    def after(self) -> Values:
        return self.change.after

    @property
    def module_path(self) -> tuple[str, ...]:
        return self.change.location.module_path

    def expression(self, name: str) -> Any:
        """The configuration expression of a top-level argument, or None when not written."""
        return as_object(self.config_resource.get("expressions")).get(name)

    def evaluate(self, name: str) -> Resolved:
        return self.context.config.evaluate(self.expression(name), self.module_path)

    def provider_value(self, name: str) -> Resolved:
        return self.provider.attribute(self.context.config, name)

    def provider_block_value(self, block: str, name: str) -> Resolved:
        return self.provider.block_attribute(self.context.config, block, name)

    def reference_groups(self, *path: str, skip: tuple[str, str] | None = None) -> list[list[str]]:
        """The references of every expression at `path` (nested blocks flattened), one list per
        expression. `skip=(argument, value)` leaves out blocks whose constant argument has that value
        (e.g. disabled replication rules)."""
        return [refs for refs in _references(self.config_resource.get("expressions"), path, skip) if refs]

    def provider_note(self) -> str:
        setting = self.provider.setting
        return setting.key if setting else "unknown"

    def location_change(self, path: tuple[str | int, ...], new_code: str | None) -> str:
        """"; location changes from X to Y: forces replacement" when an update moves the data."""
        old = self.change.before.text(*path)
        if not isinstance(old, str) or new_code is None or normalise_code(old) == normalise_code(new_code):
            return ""
        effect = "forces replacement" if self.change.replaces else "the data moves"
        return f"; location changes from {normalise_code(old)} to {normalise_code(new_code)}: {effect}"

    def base_attributes(self) -> list[tuple[str, str]]:
        attributes = [("terraform-action", self.change.action), ("provider-configuration", self.provider_note())]
        if self.change.deferred:
            attributes.append(("terraform-deferred", self.change.deferred))
        return attributes


def _references(node: Any, path: tuple[str, ...], skip: tuple[str, str] | None) -> Iterator[list[str]]:
    if isinstance(node, list):
        for item in node:
            yield from _references(item, path, skip)
        return
    node = as_object(node)
    if skip is not None and as_object(node.get(skip[0])).get("constant_value") == skip[1]:
        return
    if not path:
        yield [r for r in as_list(node.get("references")) if isinstance(r, str)]
        return
    yield from _references(node.get(path[0]), path[1:], skip)


def string_map_of(resolved: Resolved) -> dict[str, str]:
    if not resolved.known or not isinstance(resolved.value, dict):
        return {}
    return {str(k): str(v) for k, v in resolved.value.items() if isinstance(v, (str, int, float, bool))}


def merged_tags(view: ResourceView, provider_default: dict[str, str], *attributes: str) -> tuple[tuple[str, str], ...]:
    """Provider defaults overlaid by the resource's own tags/labels (later attributes win)."""
    tags = dict(provider_default)
    for attribute in attributes:
        value = view.after.string_map(attribute)
        if isinstance(value, dict):
            tags.update(value)
    return sorted_tags(tags)
