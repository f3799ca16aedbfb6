"""The plan's `configuration` section: resources per module, module inputs, variables.

Terraform records configuration expressions, not their values: a constant is given as
`constant_value`, anything else only as the `references` it makes. A value can therefore
be known here only when it is a constant or exactly a variable (`var.region`,
`var.settings.region`), resolved through module calls up to the plan's root `variables`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from residency.sources.terraform.addresses import split_segments
from residency.sources.terraform.values import Resolved


def as_object(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


@dataclass(frozen=True, slots=True)
class ConfigModule:
    path: tuple[str, ...]
    resources: dict[str, dict[str, Any]] = field(default_factory=dict)  # "aws_s3_bucket.b" -> resource
    calls: dict[str, dict[str, Any]] = field(default_factory=dict)  # call name -> module call
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)  # declared variables
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)  # output name -> output


class Configuration:
    """Lookups and constant folding over one plan's configuration."""

    def __init__(self, configuration: dict[str, Any], plan_variables: dict[str, Any]) -> None:
        self.provider_configs: dict[str, dict[str, Any]] = {
            key: as_object(value) for key, value in as_object(configuration.get("provider_config")).items()
        }
        self.plan_variables = plan_variables
        self.modules: dict[tuple[str, ...], ConfigModule] = {}
        self._index(as_object(configuration.get("root_module")), ())

    def _index(self, module: dict[str, Any], path: tuple[str, ...]) -> None:
        resources = {
            str(r.get("address")): r for r in map(as_object, as_list(module.get("resources"))) if r.get("address")
        }
        calls = {str(name): as_object(call) for name, call in as_object(module.get("module_calls")).items()}
        variables = {str(k): as_object(v) for k, v in as_object(module.get("variables")).items()}
        outputs = {str(k): as_object(v) for k, v in as_object(module.get("outputs")).items()}
        self.modules[path] = ConfigModule(path, resources, calls, variables, outputs)
        for name, call in calls.items():
            self._index(as_object(call.get("module")), (*path, name))

    def resource(self, path: tuple[str, ...], config_address: str) -> dict[str, Any] | None:
        module = self.modules.get(path)
        return module.resources.get(config_address) if module else None

    def output_references(self, path: tuple[str, ...], output: str) -> list[str]:
        """What a module output's expression references (inside that module)."""
        module = self.modules.get(path)
        expression = as_object(as_object(module.outputs.get(output) if module else None).get("expression"))
        return [r for r in as_list(expression.get("references")) if isinstance(r, str)]

    def evaluate(self, expression: Any, path: tuple[str, ...]) -> Resolved:
        """The value of a configuration expression evaluated in module `path`, if the plan knows it."""
        expression = as_object(expression)
        if "constant_value" in expression:
            return Resolved.of(expression["constant_value"], "constant")
        references = [r for r in as_list(expression.get("references")) if isinstance(r, str)]
        if not references:
            return Resolved.unknown("computed by an expression the plan does not record")
        traversal = _single_variable_traversal(references)
        if traversal is None:
            shown = ", ".join(references[:3])
            return Resolved.unknown(f"computed from {shown}, which the plan does not record")
        name, steps = traversal
        resolved = self.variable(name, path)
        if not resolved.known:
            return resolved
        value = resolved.value
        for step in steps:
            value = _step_into(value, step)
        source = "var." + ".".join([name, *(str(s) for s in steps)])
        return Resolved.of(value, source)

    def variable(self, name: str, path: tuple[str, ...]) -> Resolved:
        if not path:
            if name in self.plan_variables:
                return Resolved.of(self.plan_variables[name], f"var.{name}")
            return self._default(name, path)
        parent = self.modules.get(path[:-1])
        call = parent.calls.get(path[-1], {}) if parent else {}
        expression = as_object(call.get("expressions")).get(name)
        if expression is not None:
            resolved = self.evaluate(expression, path[:-1])
            if not resolved.known:
                return Resolved.unknown(f"taken from var.{name} of module.{path[-1]}, which is {resolved.why}")
            return Resolved.of(resolved.value, f"var.{name}")
        return self._default(name, path)

    def _default(self, name: str, path: tuple[str, ...]) -> Resolved:
        module = self.modules.get(path)
        declared = module.variables.get(name) if module else None
        if declared is not None and "default" in declared:
            return Resolved.of(declared["default"], f"var.{name}")
        return Resolved.unknown(f"taken from var.{name}, which has no value in the plan")


def _step_into(value: Any, step: str | int) -> Any:
    if isinstance(value, dict) and isinstance(step, str):
        return value.get(step)
    if isinstance(value, list) and isinstance(step, int) and 0 <= step < len(value):
        return value[step]
    return None


def _single_variable_traversal(references: list[str]) -> tuple[str, list[str | int]] | None:
    """For references that all name one variable (`var.s.region`, `var.s`), its name and the
    longest attribute path; None when anything else (locals, resources, functions of two
    variables) is referenced."""
    longest: list[str | int] | None = None
    name = None
    for reference in references:
        try:
            segments = split_segments(reference)
        except ValueError:
            return None
        if len(segments) < 2 or segments[0].name != "var" or segments[0].has_key:
            return None
        if name not in (None, segments[1].name):
            return None
        name = segments[1].name
        steps: list[str | int] = []
        if segments[1].has_key and segments[1].key is not None:
            steps.append(segments[1].key)
        for segment in segments[2:]:
            steps.append(segment.name)
            if segment.has_key and segment.key is not None:
                steps.append(segment.key)
        if longest is None or len(steps) > len(longest):
            longest = steps
    if name is None or longest is None:
        return None
    return name, longest
