"""Address parsing, reference parsing, unknown-aware values and constant folding of variables."""

from __future__ import annotations

import pytest

from residency.sources.terraform.addresses import (
    OutputReference,
    ResourceReference,
    parse_module_path,
    parse_reference,
    parse_resource_address,
)
from residency.sources.terraform.configuration import Configuration
from residency.sources.terraform.values import UNKNOWN, Values


def test_resource_address_with_quoted_keys_holding_dots_and_brackets() -> None:
    address = parse_resource_address('module.a["x.y]"].module.b[0].aws_s3_bucket.c["k.1"]')
    assert address.module_steps == (("a", "x.y]"), ("b", 0))
    assert address.module_path == ("a", "b")
    assert (address.mode, address.type, address.name, address.key) == ("managed", "aws_s3_bucket", "c", "k.1")
    assert address.config_address == "aws_s3_bucket.c"


def test_data_resource_address() -> None:
    address = parse_resource_address("module.m.data.aws_region.current")
    assert (address.mode, address.config_address, address.module_path) == ("data", "data.aws_region.current", ("m",))


@pytest.mark.parametrize("bad", ["aws_s3_bucket", "module.m", 'aws_s3_bucket.b["x]', "a.b.c",
                                 "aws_s3_bucket.b[١]", "module.m[٢].aws_s3_bucket.b", "aws_s3_bucket.b[each.key]",
                                 "aws_s3_bucket.b[" + "9" * 5000 + "]"])
def test_malformed_addresses_raise(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_resource_address(bad)


def test_module_paths_in_both_the_current_and_the_0_12_spelling() -> None:
    assert parse_module_path('module.a["k"].module.b') == ("a", "b")
    assert parse_module_path("a.b") == ("a", "b")
    assert parse_module_path("") == ()


def test_references() -> None:
    assert parse_reference('aws_s3_bucket.dest["eu"].arn') == ResourceReference("aws_s3_bucket", "dest", "eu", True)
    assert parse_reference("aws_s3_bucket.dest[each.key]") == ResourceReference("aws_s3_bucket", "dest", None, True)
    assert parse_reference('module.replica["eu"].arn') == OutputReference("replica", "eu", "arn")
    assert parse_reference("module.replica") is None
    assert parse_reference("var.region") is None
    assert parse_reference("data.aws_region.current.name") is None


def test_values_follow_after_unknown_down_to_blocks() -> None:
    after = Values(
        {"rule": [{"destination": [{"storage_class": "STANDARD"}]}], "tags": {"a": "1"}, "name": "n"},
        {"rule": [{"destination": [{"bucket": True}]}], "tags": {"b": True}, "region": True, "acl": False},
    )
    assert after.get("rule", 0, "destination", 0, "bucket") is UNKNOWN
    assert after.get("rule", 0, "destination", 0, "storage_class") == "STANDARD"
    assert after.text("region") is UNKNOWN and after.text("name") == "n" and after.text("acl") is None
    assert after.string_map("tags") == {"a": "1"}
    assert Values({}, {"rule": True}).blocks("rule") is UNKNOWN
    assert after.has("region") and after.has("name") and not after.has("missing")


CONFIG = {
    "root_module": {
        "module_calls": {
            "outer": {
                "expressions": {"settings": {"references": ["var.root_settings"]},
                                "computed": {"references": ["random_id.x.hex", "random_id.x"]}},
                "module": {
                    "variables": {"settings": {}, "computed": {}, "fallback": {"default": "eu-west-1"}},
                    "module_calls": {"inner": {
                        "expressions": {"region": {"references": ["var.settings.placement[1]", "var.settings"]}},
                        "module": {"variables": {"region": {}}},
                    }},
                },
            },
        },
        "variables": {"root_settings": {}, "with_default": {"default": "us-east-2"}},
    },
}


def _config() -> Configuration:
    return Configuration(CONFIG, {"root_settings": {"placement": ["us-east-1", "us-west-2"]}})


def test_a_variable_resolves_through_module_calls_and_traversals() -> None:
    resolved = _config().evaluate({"references": ["var.region"]}, ("outer", "inner"))
    assert (resolved.known, resolved.value) == (True, "us-west-2")


def test_variable_defaults_apply_when_nothing_sets_the_variable() -> None:
    config = _config()
    assert config.variable("fallback", ("outer",)).value == "eu-west-1"
    assert config.variable("with_default", ()).value == "us-east-2"


def test_anything_but_a_plain_variable_is_unknown_with_the_reason() -> None:
    config = _config()
    computed = config.evaluate({"references": ["var.computed"]}, ("outer",))
    assert not computed.known
    assert computed.why == "taken from var.computed of module.outer, which is computed from random_id.x.hex, " \
                           "random_id.x, which the plan does not record"
    two_variables = config.evaluate({"references": ["var.a", "var.b"]}, ())
    assert not two_variables.known and "var.a, var.b" in two_variables.why
    assert config.evaluate({}, ()).why == "computed by an expression the plan does not record"
    assert config.variable("nowhere", ()).why == "taken from var.nowhere, which has no value in the plan"
