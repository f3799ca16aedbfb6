"""Small pieces: JSON path formatting, line lookup, suggestions, region checks."""

from __future__ import annotations

from residency.catalog import Catalog
from residency.inventory.model import Provider
from residency.policy.iso_alpha3 import ALPHA3_TO_ALPHA2
from residency.policy.positions import LineMap, at, format_path
from residency.policy.semantic import region_problem
from residency.policy.suggest import closest, country_hint, did_you_mean


def test_format_path_quotes_keys_that_are_not_bare_words() -> None:
    assert format_path(("policies", 0, "scope", "tags", "data-class")) == "policies[0].scope.tags.data-class"
    assert format_path(("policies", 1, "scope", "tags", "cost centre")) == 'policies[1].scope.tags["cost centre"]'
    assert format_path(("policies", 0, "scope", "tags", "a.b")) == 'policies[0].scope.tags["a.b"]'
    assert format_path(()) == ""


def test_at_omits_unknown_line_and_empty_path() -> None:
    assert at("p.yaml", 0, (), "bad") == "p.yaml: bad"
    assert at("p.yaml", 3, ("policies",), "bad") == "p.yaml:3 at policies: bad"


def test_line_of_a_block_value_is_its_key_line_and_missing_paths_fall_back_to_the_parent() -> None:
    lines = LineMap(values={(): 1, ("scope",): 3}, keys={("scope",): 2})
    assert lines.line(("scope",)) == 2
    assert lines.line(("scope", "providers")) == 2
    assert lines.line(()) == 1
    assert LineMap().line(("x",)) == 0


def test_suggestions_prefer_case_insensitive_matches_and_show_ties() -> None:
    assert closest("EEA", ["eu", "eea"]) == ["eea"]
    assert did_you_mean("us-est-1", ["us-east-1", "us-west-1", "eu-west-1"]) == (
        " (did you mean 'us-east-1' or 'us-west-1'?)"
    )
    assert did_you_mean("zzz", ["aws", "gcp"]) == ""
    assert did_you_mean("aws", ["aws", "gcp"]) == ""


def test_country_hints(catalog: Catalog) -> None:
    iso = catalog.iso_countries
    assert country_hint("USA", iso) == " (did you mean 'US'?)"
    assert country_hint("AUT", iso) == " (did you mean 'AT'?)"  # not 'AU': alpha-3 is looked up, not guessed
    assert country_hint("IRL", iso) == " (did you mean 'IE'?)"
    assert country_hint("fr", iso) == " (did you mean 'FR'?)"
    assert country_hint("Brazil", iso) == " (did you mean 'BR'?)"
    assert country_hint("EL", iso) == " (did you mean 'GR'?)"
    assert country_hint("QQ", iso) == ""


def test_every_alpha3_suggestion_is_a_catalog_country(catalog: Catalog) -> None:
    assert set(ALPHA3_TO_ALPHA2.values()) == set(catalog.iso_countries)


def test_region_codes(catalog: Catalog) -> None:
    everything = list(Provider)
    assert region_problem("East US", [Provider.AZURE], catalog) is None  # display spelling normalises
    assert region_problem("us-east-1", everything, catalog) is None
    assert region_problem("AWS:US-EAST-1", [Provider.GCP], catalog) is None  # qualified: its own provider
    assert region_problem("nam4", [Provider.GCP], catalog) is None  # GCS dual-region
    assert region_problem("us-central1", [Provider.AWS], catalog) == (
        "'us-central1' is a region of gcp, but scope.providers does not include it; "
        "add gcp to the providers or remove the region"
    )
    problem = region_problem("azure:westeurop", everything, catalog)
    assert problem is not None and "(did you mean 'azure:westeurope'?)" in problem
