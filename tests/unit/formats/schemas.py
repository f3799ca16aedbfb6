"""Validators for the official schemas shipped under tests/data/schemas (see README.md there)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import regex
from jsonschema import Draft4Validator, Draft7Validator, ValidationError, validators

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "schemas"
SARIF_SCHEMA = SCHEMAS / "sarif-schema-2.1.0.json"
OSCAL_AR_SCHEMA = SCHEMAS / "oscal_assessment-results_schema.json"
JUNIT_XSD = SCHEMAS / "junit-10.xsd"


def _unicode_pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    # OSCAL token patterns use \p{L} / \p{N}, which Python's `re` rejects: use the `regex` engine.
    if validator.is_type(instance, "string") and not regex.search(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_UnicodeDraft7: Any = validators.extend(Draft7Validator, {"pattern": _unicode_pattern})


@cache
def sarif_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


@cache
def oscal_validator() -> jsonschema.protocols.Validator:
    schema = json.loads(OSCAL_AR_SCHEMA.read_text(encoding="utf-8"))
    validator: jsonschema.protocols.Validator = _UnicodeDraft7(schema, format_checker=Draft7Validator.FORMAT_CHECKER)
    return validator


@cache
def junit_schema() -> Any:
    import xmlschema

    return xmlschema.XMLSchema10(str(JUNIT_XSD))


def junit_errors(text: str) -> list[str]:
    return [str(error.reason or error) for error in junit_schema().iter_errors(text)]


def errors(validator: jsonschema.protocols.Validator, document: Any) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(document)]
