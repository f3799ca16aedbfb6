"""Reading `terraform show -json` plan output (format_version 0.1 to 1.x) into checked records.

Everything the translators rely on is type-checked here, so a malformed or non-plan file
fails with one line naming the file, the JSON path and what is wrong, never a traceback.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from residency.errors import InputError
from residency.sources.terraform.addresses import ResourceAddress, parse_module_path, parse_resource_address
from residency.sources.terraform.values import Values
from residency.text import is_ascii_digits, one_line, quoted
from residency.untrusted.files import GIB, FileRules, read_regular_file
from residency.untrusted.jsonfile import parse_json

MAX_PLAN_BYTES = 2 * GIB
SUPPORTED_MAJOR_VERSIONS = (0, 1)
_PLAN_KEYS = ("planned_values", "resource_changes", "deferred_changes", "configuration")
_CONVERT_HINT = "convert a saved plan with: terraform show -json plan.out > plan.json"
_PLAN_FILE = FileRules("plan", _CONVERT_HINT, MAX_PLAN_BYTES, too_big_fix="is this really a plan JSON?")


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """One managed resource instance in the plan and what will happen to it."""

    address: str
    location: ResourceAddress
    provider_name: str
    actions: tuple[str, ...]
    before: Values
    after: Values
    deferred: str | None = None  # Terraform's reason when the change was deferred

    @property
    def type(self) -> str:
        return self.location.type

    @property
    def deletes_only(self) -> bool:
        return bool(self.actions) and all(a in {"delete", "forget"} for a in self.actions)

    @property
    def replaces(self) -> bool:
        return "create" in self.actions and ("delete" in self.actions or "forget" in self.actions)

    @property
    def action(self) -> str:
        if self.replaces:
            return "replace"
        return "/".join(self.actions) or "no-op"


@dataclass(frozen=True, slots=True)
class PlanDocument:
    path: str
    format_version: tuple[int, int]
    terraform_version: str
    variables: dict[str, Any]  # root variable name -> value
    changes: tuple[PlannedChange, ...]
    configuration: dict[str, Any]


class _Checker:
    """Type checks that fail with `<file>: <json path>: <problem>`."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, problem: str) -> InputError:
        place = f"{where}: " if where else ""
        return InputError(one_line(f"{self.path}: {place}{problem}"))

    def object(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected a JSON object, found {_kind(value)}")
        return value

    def optional_object(self, value: Any, where: str) -> dict[str, Any]:
        return {} if value is None else self.object(value, where)

    def list(self, value: Any, where: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, found {_kind(value)}")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value:
            raise self.fail(where, f"expected a non-empty string, found {_kind(value)}")
        return value


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}.get(type(value), "a number")


def read_plan(path: str | Path) -> PlanDocument:
    """Parse and check a plan JSON file. Raises InputError with a one-line message."""
    shown = one_line(str(path))
    check = _Checker(shown)
    document = check.object(_load_json(Path(path), check), "")
    version = _format_version(document, check)
    if not any(key in document for key in _PLAN_KEYS):
        if "values" in document:
            raise check.fail("", f"this is Terraform state, not a plan; {_CONVERT_HINT}")
        raise check.fail("", "not a Terraform plan (no planned_values, resource_changes or configuration)")
    variables = {
        name: check.object(entry, f"variables.{name}").get("value")
        for name, entry in check.optional_object(document.get("variables"), "variables").items()
    }
    configuration = check.optional_object(document.get("configuration"), "configuration")
    _check_provider_configs(configuration, check)
    changes = list(_resource_changes(document, check))
    changes += _deferred_changes(document, check)
    changes += _planned_only(document, check, {c.address for c in changes})
    return PlanDocument(
        path=shown,
        format_version=version,
        terraform_version=str(document.get("terraform_version") or "unknown"),
        variables=variables,
        changes=tuple(changes),
        configuration=configuration,
    )


def _load_json(path: Path, check: _Checker) -> Any:
    data = read_regular_file(path, _PLAN_FILE, check.path)
    if data.startswith(b"PK\x03\x04"):
        raise check.fail("", f"this is a binary Terraform plan file; {_CONVERT_HINT}")
    return parse_json(data, check.path, _CONVERT_HINT)


def _format_version(document: dict[str, Any], check: _Checker) -> tuple[int, int]:
    raw = document.get("format_version")
    if raw is None:
        raise check.fail("", f"no format_version: not the JSON of a Terraform plan; {_CONVERT_HINT}")
    text = check.string(raw, "format_version")
    major, _, minor = text.partition(".")
    if not (is_ascii_digits(major) and (is_ascii_digits(minor) or not minor)) or len(text) > 20:
        raise check.fail("format_version", f"{quoted(text)} is not a version like \"1.2\"")
    version = (int(major), int(minor or 0))
    if version[0] not in SUPPORTED_MAJOR_VERSIONS:
        raise check.fail("format_version", f"{text} is not supported (this tool reads plan formats 0.1 to 1.x)")
    return version


def _check_provider_configs(configuration: dict[str, Any], check: _Checker) -> None:
    """Each provider configuration's module address must parse: it says which module's settings apply."""
    configs = check.optional_object(configuration.get("provider_config"), "configuration.provider_config")
    for key, raw in configs.items():
        where = f"configuration.provider_config[{json.dumps(key)}]"
        entry = check.object(raw, where)
        for name in ("name", "alias", "module_address"):
            value = entry.get(name)
            if value is not None and not isinstance(value, str):
                raise check.fail(f"{where}.{name}", f"expected a string, found {_kind(value)}")
        try:
            parse_module_path(entry.get("module_address") or "")
        except ValueError:
            raise check.fail(f"{where}.module_address", f"{quoted(entry['module_address'])} is not a module address "
                                                       "like module.a[\"x\"].module.b") from None


def _resource_changes(document: dict[str, Any], check: _Checker) -> Iterator[PlannedChange]:
    for position, raw in enumerate(check.list(document.get("resource_changes"), "resource_changes")):
        where = f"resource_changes[{position}]"
        entry = check.object(raw, where)
        if entry.get("mode", "managed") != "managed" or entry.get("deposed"):
            continue  # data sources are read, not created; deposed objects are only ever deleted
        yield _change(entry, where, check)


def _deferred_changes(document: dict[str, Any], check: _Checker) -> list[PlannedChange]:
    changes = []
    for position, raw in enumerate(check.list(document.get("deferred_changes"), "deferred_changes")):
        where = f"deferred_changes[{position}]"
        entry = check.object(raw, where)
        inner = check.object(entry.get("resource_change"), f"{where}.resource_change")
        if inner.get("mode", "managed") != "managed":
            continue
        reason = str(entry.get("reason") or "unknown")
        change = _change(inner, f"{where}.resource_change", check)
        changes.append(PlannedChange(change.address, change.location, change.provider_name, change.actions,
                                     change.before, change.after, reason))
    return changes


def _change(entry: dict[str, Any], where: str, check: _Checker) -> PlannedChange:
    address = check.string(entry.get("address"), f"{where}.address")
    location = _address(address, f"{where}.address", check)
    change = check.object(entry.get("change"), f"{where}.change")
    actions = check.list(change.get("actions"), f"{where}.change.actions")
    if not actions or not all(isinstance(a, str) for a in actions):
        raise check.fail(f"{where}.change.actions", "expected a non-empty list of action names")
    for side in ("before", "after"):
        if change.get(side) is not None and not isinstance(change[side], dict):
            raise check.fail(f"{where}.change.{side}", f"expected an object or null, found {_kind(change[side])}")
    return PlannedChange(
        address=address,
        location=location,
        provider_name=str(entry.get("provider_name") or ""),
        actions=tuple(actions),
        before=Values(change.get("before")),
        after=Values(change.get("after"), change.get("after_unknown")),
    )


def _address(address: str, where: str, check: _Checker) -> ResourceAddress:
    try:
        return parse_resource_address(address)
    except ValueError:
        raise check.fail(where, f"{quoted(address)} is not a Terraform resource address") from None


def _planned_only(document: dict[str, Any], check: _Checker, seen: set[str]) -> list[PlannedChange]:
    """Resources listed in planned_values without a resource_changes entry (never in practice
    since 0.12, but the format allows it): planned values omit unknown attributes."""
    planned = check.optional_object(document.get("planned_values"), "planned_values")
    root = check.optional_object(planned.get("root_module"), "planned_values.root_module")
    changes = []
    for entry, where in _module_resources(root, "planned_values.root_module", check):
        address = check.string(entry.get("address"), f"{where}.address")
        if entry.get("mode", "managed") != "managed" or address in seen:
            continue
        values = check.optional_object(entry.get("values"), f"{where}.values")
        location = _address(address, f"{where}.address", check)
        changes.append(PlannedChange(address, location, str(entry.get("provider_name") or ""), ("no-op",),
                                     Values(values), Values(values)))
    return changes


def _module_resources(
    module: dict[str, Any], where: str, check: _Checker
) -> Iterator[tuple[dict[str, Any], str]]:
    for position, raw in enumerate(check.list(module.get("resources"), f"{where}.resources")):
        yield check.object(raw, f"{where}.resources[{position}]"), f"{where}.resources[{position}]"
    for position, raw in enumerate(check.list(module.get("child_modules"), f"{where}.child_modules")):
        child_where = f"{where}.child_modules[{position}]"
        yield from _module_resources(check.object(raw, child_where), child_where, check)
