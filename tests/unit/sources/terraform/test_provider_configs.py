"""Which provider configuration governs a resource, across the key spellings of each plan format."""

from __future__ import annotations

from typing import Any

from residency.sources.terraform.configuration import Configuration
from residency.sources.terraform.provider_configs import ProviderResolver

AWS = "registry.terraform.io/hashicorp/aws"


def _region(expression: dict[str, Any]) -> dict[str, Any]:
    return {"region": expression}


def _resolver(provider_config: dict[str, Any], version: tuple[int, int], calls: dict[str, Any] | None = None,
              ) -> ProviderResolver:
    configuration = {"provider_config": provider_config, "root_module": {"module_calls": calls or {}}}
    return ProviderResolver(Configuration(configuration, {}), version)


def _lookup_region(resolver: ProviderResolver, path: tuple[str, ...], key: str) -> tuple[str, Any, str]:
    lookup = resolver.lookup(path, {"provider_config_key": key}, AWS, "aws_s3_bucket")
    resolved = lookup.attribute(resolver.config, "region")
    return (lookup.setting.key if lookup.setting else "-", resolved.value, resolved.why)


ROOT = {
    "aws": {"name": "aws", "expressions": _region({"constant_value": "us-east-1"})},
}
ROOT_AND_ALIAS = {
    **ROOT,
    "aws.eu": {"name": "aws", "alias": "eu", "expressions": _region({"constant_value": "eu-west-1"})},
}


def test_terraform_1_2_keys_point_straight_at_the_configuration() -> None:
    resolver = _resolver(ROOT_AND_ALIAS, (1, 1))
    assert _lookup_region(resolver, ("replica",), "aws.eu") == ("aws.eu", "eu-west-1", "")


def test_terraform_1_2_module_block_without_region_leaves_it_to_the_environment() -> None:
    config = {**ROOT, "module.m:aws": {"name": "aws", "module_address": "module.m", "expressions": {
        "profile": {"constant_value": "ops"}}}}
    assert _lookup_region(_resolver(config, (1, 2)), ("m",), "module.m:aws") == ("module.m:aws", None, "")


def test_legacy_module_without_a_block_inherits_the_only_root_configuration() -> None:
    resolver = _resolver(ROOT, (0, 1))
    assert _lookup_region(resolver, ("a", "b"), "b:aws") == ("aws", "us-east-1", "")


def test_legacy_key_only_module_entry_is_not_a_configuration() -> None:
    """Terraform 1.1 listed `module.a:aws` for a module that only declares required_providers."""
    config = {**ROOT, "module.a:aws": {"name": "aws", "module_address": "module.a"}}
    assert _lookup_region(_resolver(config, (1, 0)), ("a",), "a:aws") == ("aws", "us-east-1", "")


def test_legacy_module_block_is_evaluated_in_its_module_with_the_call_inputs() -> None:
    config = {**ROOT, "eu:aws": {"name": "aws", "module_address": "eu",
                                 "expressions": _region({"references": ["var.region"]})}}
    calls = {"eu": {"expressions": {"region": {"constant_value": "eu-central-1"}}, "module": {
        "module_calls": {"inner": {"module": {}}}}}}
    resolver = _resolver(config, (0, 1), calls)
    assert _lookup_region(resolver, ("eu",), "eu:aws") == ("eu:aws", "eu-central-1", "")
    # A child of eu without its own block inherits eu's configuration, evaluated in eu.
    assert _lookup_region(resolver, ("eu", "inner"), "inner:aws") == ("eu:aws", "eu-central-1", "")


def test_legacy_module_whose_caller_has_an_alias_is_ambiguous() -> None:
    key, value, why = _lookup_region(_resolver(ROOT_AND_ALIAS, (1, 0)), ("m",), "m:aws")
    assert (key, value) == ("-", None)
    assert why == ("module.m may receive any of aws, aws.eu from its caller "
                   "(plans before Terraform 1.2 do not record which)")


def test_legacy_aliased_configuration_passed_into_a_module_is_unknown() -> None:
    key, _, why = _lookup_region(_resolver(ROOT_AND_ALIAS, (1, 0)), ("m",), "m:aws.eu")
    assert key == "-"
    assert why == ("module.m receives provider configuration aws.eu from its caller, "
                   "and this plan does not record which one")


def test_no_provider_block_at_all_means_the_environment_decides() -> None:
    lookup = _resolver({}, (1, 2)).lookup((), None, AWS, "aws_s3_bucket")
    assert lookup.setting is not None and lookup.setting.key == "aws"
    assert lookup.attribute(_resolver({}, (1, 2)).config, "region").value is None
