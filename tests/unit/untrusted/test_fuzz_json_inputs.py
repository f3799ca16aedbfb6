"""Every JSON input reader (snapshot, baseline report, plan, diff) with arbitrary JSON and arbitrary names:
each either reads the file or raises InputError with one line, never anything else.

Starting from a valid document of each kind, hypothesis replaces one subtree with arbitrary JSON,
replaces strings (names, ids, regions) with arbitrary text (line breaks, bidi controls, NUL,
unpaired surrogates), or damages the bytes; the reader must not notice anything but its own errors.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residency.catalog import Catalog, load_catalog
from residency.errors import InputError
from residency.formats import json_report
from residency.formats.diff_report import DIFF_FORMATS
from residency.history.baseline import diff_reports, load_baseline
from residency.inventory.snapshot import load_snapshot
from residency.sources.terraform import load_plan
from scripts.report_sample import sample_result
from tests.acceptance.test_cli_check import _bucket, _snapshot

PLANS = Path(__file__).resolve().parents[2] / "data" / "plans"
JsonPath = tuple[str | int, ...]

# Characters readers and writers trip over, drawn far more often than chance would.
_AWKWARD = st.sampled_from(["\n", "\r", "\x00", "\x1b", "\x85", "\u2028", "\u202e", "\ud800", "\udfff", "\ufeff",
                            '"', "\\", "::error::", "=cmd()", "<script>", "../", "١٢", "¹", "9" * 30])
NAMES = st.lists(st.one_of(_AWKWARD, st.characters()), max_size=8).map("".join)
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
                    NAMES)
JSON = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                     st.dictionaries(NAMES, inner, max_size=4)), max_leaves=12)


def _snapshot_document(tmp: Path) -> Any:
    # The acceptance tests' own snapshot helpers: the fuzz follows the snapshot format as it changes.
    path = tmp / "valid-snapshot.json"
    _snapshot(path, _bucket("us-data", "us-east-1"), _bucket("eu-copy", "eu-west-1"), _bucket("denied", None))
    return json.loads(path.read_text())


def _report_document() -> Any:
    return json.loads(json_report.render(sample_result()))


def _paths(document: Any) -> list[JsonPath]:
    """Every place in the document, containers included (iteratively: documents can be large)."""
    found: list[JsonPath] = []
    stack: list[tuple[Any, JsonPath]] = [(document, ())]
    while stack:
        value, path = stack.pop()
        found.append(path)
        if isinstance(value, dict):
            stack.extend((item, (*path, key)) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((item, (*path, index)) for index, item in enumerate(value))
    return sorted(found, key=repr)


def _replaced(document: Any, path: JsonPath, value: Any) -> Any:
    if not path:
        return value
    copy = json.loads(json.dumps(document))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    parent[path[-1]] = value
    return copy


def _renamed(document: Any, paths: list[JsonPath], names: list[str]) -> Any:
    """The string at each chosen path replaced by an arbitrary name; at an object member, the key too."""
    copy = json.loads(json.dumps(document))
    for path, name in zip(paths, names, strict=False):
        try:
            parent = copy
            for step in path[:-1]:
                parent = parent[step]
            last = path[-1]
            if isinstance(parent[last], str):
                parent[last] = name
            elif isinstance(parent, dict) and name not in parent:
                parent[name] = parent.pop(last)
        except (IndexError, KeyError, TypeError):
            continue  # an earlier rename moved this path, or it is the root
    return copy


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def _readers(catalog: Catalog, tmp: Path) -> dict[str, tuple[Any, Callable[[Path], object]]]:
    report = tmp / "valid-report.json"
    report.write_text(json_report.render(sample_result()))
    plan = json.loads((PLANS / "aws-v5-default-tags.json").read_text())
    return {
        "snapshot": (_snapshot_document(tmp), load_snapshot),
        "baseline": (_report_document(), load_baseline),
        "plan": (plan, lambda path: load_plan(path, catalog)),
        "diff": (_report_document(),
                 lambda path: [render(diff_reports(report, path)) for render in DIFF_FORMATS.values()]),
    }


def _read_or_refuse(reader: Callable[[Path], object], path: Path) -> None:
    try:
        reader(path)
    except InputError as error:
        message = str(error)
        assert "\n" not in message and "\r" not in message, message
        assert message.startswith(str(path)), message


SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                           HealthCheck.too_slow])
KINDS = ["snapshot", "baseline", "plan", "diff"]


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(data=st.data(), value=JSON)
def test_a_subtree_replaced_by_arbitrary_json(
    catalog: Catalog, tmp_path: Path, kind: str, data: st.DataObject, value: Any
) -> None:
    document, reader = _readers(catalog, tmp_path)[kind]
    path = data.draw(st.sampled_from(_paths(document)))
    target = tmp_path / "input.json"
    target.write_text(json.dumps(_replaced(document, path, value)))
    _read_or_refuse(reader, target)


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(data=st.data(), names=st.lists(NAMES, min_size=1, max_size=6))
def test_names_replaced_by_arbitrary_text(
    catalog: Catalog, tmp_path: Path, kind: str, data: st.DataObject, names: list[str]
) -> None:
    document, reader = _readers(catalog, tmp_path)[kind]
    paths = data.draw(st.lists(st.sampled_from(_paths(document)), min_size=len(names), max_size=len(names)))
    target = tmp_path / "input.json"
    target.write_text(json.dumps(_renamed(document, paths, names)))  # unpaired surrogates become \\udXXX escapes
    _read_or_refuse(reader, target)


@pytest.mark.parametrize("kind", KINDS)
@SETTINGS
@given(data=st.data(), junk=st.binary(max_size=8))
def test_damaged_bytes(catalog: Catalog, tmp_path: Path, kind: str, data: st.DataObject, junk: bytes) -> None:
    document, reader = _readers(catalog, tmp_path)[kind]
    raw = json.dumps(document).encode()
    cut = data.draw(st.integers(0, len(raw)))
    keep = data.draw(st.integers(cut, len(raw)))
    target = tmp_path / "input.json"
    target.write_bytes(raw[:cut] + junk + raw[keep:])
    _read_or_refuse(reader, target)
