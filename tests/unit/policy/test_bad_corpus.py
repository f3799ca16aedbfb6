"""Every malformed policy file in tests/data/bad_policies/ fails with exactly its expected line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from residency.catalog import Catalog
from residency.errors import PolicyError
from residency.policy.loader import load_policies
from tests.unit.policy.conftest import CORPUS


def _expected() -> dict[str, str]:
    table: dict[str, str] = {}
    for line in (CORPUS / "expected.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            case, _, message = line.partition(" | ")
            assert case not in table, f"case {case} listed twice in expected.txt"
            table[case] = message
    return table


EXPECTED = _expected()


def test_every_corpus_file_has_an_expectation_and_the_corpus_is_large_enough() -> None:
    files = {path.stem for path in CORPUS.glob("*.yaml")}
    assert files == set(EXPECTED)
    assert len(files) >= 30


@pytest.mark.parametrize("case", sorted(EXPECTED))
def test_malformed_policy_fails_with_its_one_line_message(case: str, catalog: Catalog) -> None:
    path = str(CORPUS / f"{case}.yaml")
    with pytest.raises(PolicyError) as caught:
        load_policies([path], catalog)
    expected = EXPECTED[case].replace("{file}", path)
    if not yaml.__with_libyaml__ and "invalid YAML: " in expected:
        # The parser's own wording: libyaml's is expected; pure-Python PyYAML words some differently.
        expected = expected.partition("invalid YAML: ")[0]
        assert str(caught.value).startswith(expected)
    else:
        assert str(caught.value) == expected
    assert len(str(caught.value).splitlines()) == 1


def test_the_issue_example_message_is_reproduced_word_for_word(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "policies").mkdir()
    shutil.copy(CORPUS / "country-alpha3.yaml", tmp_path / "policies" / "us.yaml")
    monkeypatch.chdir(tmp_path)
    with pytest.raises(PolicyError) as caught:
        load_policies(["policies/us.yaml"], catalog)
    assert str(caught.value) == (
        "policies/us.yaml:14 at policies[0].allowed.countries[1]: "
        "'USA' is not an ISO 3166-1 alpha-2 code (did you mean 'US'?)"
    )
