"""Which provider configuration (region, default tags, account) governs a resource.

Terraform 1.2 (plan format 1.1) and later record each resource's `provider_config_key`
as a direct key into `configuration.provider_config`, already following module
`providers = {...}` mappings. Earlier formats key a module resource by its call name
(`bucket:aws`, `bucket:aws.west`) and list only provider blocks written inside modules
(`module.bucket:aws`); a module without its own block inherits its caller's default
configuration, but the caller may also pass another one, which those formats do not
record. Then the configuration is only certain when the caller has no aliased
configuration of that provider; otherwise the lookup is unknown (never guessed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from residency.sources.terraform.addresses import parse_module_path
from residency.sources.terraform.configuration import Configuration, as_list, as_object
from residency.sources.terraform.values import Resolved

NORMALISED_KEYS_SINCE = (1, 1)  # plan format of Terraform 1.2


@dataclass(frozen=True, slots=True)
class ProviderSetting:
    key: str  # shown in reasons: "aws", "aws.west", "module.eu:aws"
    module_path: tuple[str, ...]  # where its expressions are evaluated
    expressions: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ProviderLookup:
    setting: ProviderSetting | None
    why: str = ""  # when setting is None: why the configuration cannot be known

    def attribute(self, config: Configuration, name: str) -> Resolved:
        """An argument of the configuration; a known None when it is not set."""
        if self.setting is None:
            return Resolved.unknown(self.why)
        expression = self.setting.expressions.get(name)
        if expression is None:
            return Resolved.of(None, "unset")
        return config.evaluate(expression, self.setting.module_path)

    def block_attribute(self, config: Configuration, block: str, name: str) -> Resolved:
        """An argument inside a nested block such as `default_tags { tags = ... }`."""
        if self.setting is None:
            return Resolved.unknown(self.why)
        blocks = as_list(self.setting.expressions.get(block))
        if not blocks:
            return Resolved.of(None, "unset")
        expression = as_object(blocks[0]).get(name)
        if expression is None:
            return Resolved.of(None, "unset")
        return config.evaluate(expression, self.setting.module_path)


class ProviderResolver:
    def __init__(self, config: Configuration, format_version: tuple[int, int]) -> None:
        self.config = config
        self.normalised = format_version >= NORMALISED_KEYS_SINCE
        self._index: dict[tuple[tuple[str, ...], str], tuple[str, dict[str, Any]]] = {}
        for key, entry in config.provider_configs.items():
            path = parse_module_path(str(entry.get("module_address") or ""))
            name = str(entry.get("name") or key.rpartition(":")[2].split(".")[0])
            local = f"{name}.{entry['alias']}" if entry.get("alias") else name
            self._index[(path, local)] = (key, entry)

    def lookup(
        self, path: tuple[str, ...], config_resource: dict[str, Any] | None, provider_name: str, resource_type: str
    ) -> ProviderLookup:
        default = provider_name.rpartition("/")[2] or resource_type.partition("_")[0]
        key = str((config_resource or {}).get("provider_config_key") or default)
        entry = self.config.provider_configs.get(key)
        if entry is not None:
            entry_path = parse_module_path(str(entry.get("module_address") or ""))
            expressions = as_object(entry.get("expressions"))
            # Before 1.2 an unconfigured module entry only echoes required_providers: look upwards.
            if expressions or not entry_path or self.normalised:
                return ProviderLookup(ProviderSetting(key, entry_path, expressions))
        return self._walk(path, key.rpartition(":")[2])

    def _walk(self, path: tuple[str, ...], local: str) -> ProviderLookup:
        found = self._index.get((path, local))
        if found is not None and (as_object(found[1].get("expressions")) or not path):
            key, entry = found
            return ProviderLookup(ProviderSetting(key, path, as_object(entry.get("expressions"))))
        if not path:
            return ProviderLookup(ProviderSetting(local, ()))  # no provider block: all from the environment
        module = "module." + ".module.".join(path)
        name, _, alias = local.partition(".")
        if alias:
            return ProviderLookup(None, f"{module} receives provider configuration {local} from its caller, "
                                        "and this plan does not record which one")
        parent = path[:-1]
        choices = sorted(lc for (p, lc) in self._index if p == parent and lc.partition(".")[0] == name)
        if any("." in choice for choice in choices):
            return ProviderLookup(None, f"{module} may receive any of {', '.join(choices)} from its caller "
                                        "(plans before Terraform 1.2 do not record which)")
        return self._walk(parent, name)

