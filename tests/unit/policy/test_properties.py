"""Property: whatever the input, the loader returns a PolicySet or raises its own one-line PolicyError."""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from residency.catalog import Catalog
from residency.errors import PolicyError
from residency.policy.loader import load_policies
from residency.policy.model import PolicySet
from tests.unit.policy.conftest import MINIMAL

SETTINGS = settings(max_examples=150, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

KEYS = ["policies", "id", "title", "description", "severity", "scope", "providers", "tags", "labels",
        "accounts", "projects", "names", "resources", "allowed", "denied", "countries", "regions", "groups",
        "counts", "location_kinds", "exemptions", "resource", "reason", "owner", "expires", "remediation"]
WORDS = ["aws", "gcp", "azure", "high", "low", "US", "USA", "eu", "eea", "country:US", "us-east-1", "eastus",
         "gcp:us-central1", "primary", "residual", "2026-12-31", "2026-02-30", "arn:aws:s3:::x-*", ""]

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.dates(),
    st.sampled_from(WORDS), st.text(max_size=20),
)
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=10))
values = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=5)),
    max_leaves=30,
)
# Raw YAML-ish text built from the characters and tokens that matter to a YAML parser.
tokens = st.sampled_from([
    "policies:", "\n", "  ", "- ", "id: ", "scope:", "{", "}", "[", "]", ": ", ", ", "&a ", "*a", "!!str ",
    "!!binary ", "!x ", "? ", "|\n", ">\n", "'", '"', "#", "---\n", "...\n", "%YAML 1.1\n", "<<: ", "\t", "\\",
    "~", "0o17", "1e3", ".nan", "2026-12-31", "US", "aws",
])
yaml_texts = st.lists(st.one_of(tokens, st.text(max_size=5)), max_size=40).map("".join)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as directory:
        yield Path(directory) / "policy.yaml"


def _load(path: Path, data: str | bytes, catalog: Catalog) -> PolicySet | None:
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8", errors="surrogatepass")
    try:
        result = load_policies([path], catalog)
    except PolicyError as error:
        assert len(str(error).splitlines()) == 1
        return None
    assert isinstance(result, PolicySet) and result.policies
    return result


def _dump(value: Any) -> str:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False)


@SETTINGS
@given(text=st.text(max_size=300))
def test_arbitrary_text(text: str, scratch: Path, catalog: Catalog) -> None:
    _load(scratch, text, catalog)


@SETTINGS
@given(data=st.binary(max_size=300))
def test_arbitrary_bytes(data: bytes, scratch: Path, catalog: Catalog) -> None:
    _load(scratch, data, catalog)


@SETTINGS
@given(text=yaml_texts)
def test_yaml_like_token_soup(text: str, scratch: Path, catalog: Catalog) -> None:
    _load(scratch, text, catalog)


@SETTINGS
@given(value=values)
def test_arbitrary_yaml_structures(value: Any, scratch: Path, catalog: Catalog) -> None:
    _load(scratch, _dump({"policies": [value]}), catalog)
    _load(scratch, _dump(value), catalog)


BASE: dict[str, Any] = yaml.safe_load(MINIMAL)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


PATHS = _paths(BASE)[1:]


@SETTINGS
@given(path=st.sampled_from(PATHS), replacement=values, delete=st.booleans())
def test_mutations_of_a_valid_policy(
    path: tuple[Any, ...], replacement: Any, delete: bool, scratch: Path, catalog: Catalog
) -> None:
    document = copy.deepcopy(BASE)
    parent = document
    for part in path[:-1]:
        parent = parent[part]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = replacement
    result = _load(scratch, _dump(document), catalog)
    if result is not None:  # whatever was accepted must be a coherent policy
        (policy,) = result.policies
        assert policy.allowed is not None or policy.denied is not None
        assert all(isinstance(e.expires, dt.date) for e in policy.exemptions)
