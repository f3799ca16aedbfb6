"""Meta-lint: every registered rule, format, command and provider is documented and wired."""

from __future__ import annotations

import importlib

import pytest

from residency.cli import COMMANDS, build_parser
from residency.findings.rules import RULE_FOR_KIND, RULES
from residency.formats import FORMATS
from residency.inventory.model import PlacementKind, Provider
from residency.sources import ADAPTERS


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_every_rule_is_documented(rule_id: str) -> None:
    rule = RULES[rule_id]
    assert rule.id == rule_id and rule_id == rule_id.lower() and " " not in rule_id
    assert rule.title and rule.doc.endswith(".") and rule.remediation


def test_every_placement_kind_has_an_outside_rule() -> None:
    assert set(RULE_FOR_KIND) == set(PlacementKind)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_is_described(name: str) -> None:
    fmt = FORMATS[name]
    assert fmt.name == name and fmt.extension.replace(".", "").isalnum() and fmt.description


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_and_runs(name: str) -> None:
    module = importlib.import_module(COMMANDS[name])
    assert module.HELP and "not yet" not in module.HELP
    assert callable(module.add_arguments) and callable(module.run)


def test_parser_builds_with_every_command() -> None:
    parser = build_parser()
    assert parser.prog == "residency"


@pytest.mark.parametrize("provider", list(Provider))
def test_every_provider_adapter_module_defines_the_contract(provider: Provider) -> None:
    module = importlib.import_module(ADAPTERS[provider])
    assert callable(module.create) and callable(module.permissions)
    assert module.permissions().strip()
