"""`residency regions`: the table, the JSON objects, the filters and the one-line usage errors."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest

from residency.catalog import load_catalog
from residency.cli import main
from residency.cli.regions import write_table

JSON_FIELDS = {
    "provider", "code", "kind", "name", "country", "countries", "geography", "partition",
    "pair", "members", "parent", "bound", "promises",
}  # fmt: skip


def _json(capsys: pytest.CaptureFixture[str], *argv: str) -> list[dict[str, Any]]:
    assert main(["regions", "--format", "json", *argv]) == 0
    result: list[dict[str, Any]] = json.loads(capsys.readouterr().out)
    return result


def test_json_lists_every_location_with_the_documented_fields(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys)
    assert len(rows) == len(load_catalog().locations)
    assert all(set(row) == JSON_FIELDS for row in rows)
    assert len({(row["provider"], row["code"]) for row in rows}) == len(rows)


def test_json_shows_pairs_members_parents_and_unknown_countries(capsys: pytest.CaptureFixture[str]) -> None:
    rows = {(row["provider"], row["code"]): row for row in _json(capsys)}
    brazil = rows["azure", "brazilsouth"]
    assert brazil["pair"] == "southcentralus" and brazil["country"] == "BR" and brazil["countries"] == ["BR"]
    eur4 = rows["gcp", "eur4"]
    assert eur4["kind"] == "dual-region" and eur4["members"] == ["europe-north1", "europe-west4"]
    assert eur4["country"] is None and eur4["countries"] == ["FI", "NL"]
    eu = rows["gcp", "eu"]
    assert eu["countries"] is None and eu["country"] is None and eu["promises"] == ["eu"]
    assert "DE" in eu["bound"] and "GB" not in eu["bound"]
    zone = rows["aws", "use1-qro1-az1"]
    assert zone["kind"] == "zone" and zone["parent"] == "us-east-1" and zone["country"] == "MX"


def test_provider_and_country_filters_combine(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys, "--provider", "gcp", "--country", "de")
    codes = {row["code"] for row in rows}
    # EU multi-region: countries unknown
    assert codes == {"europe-west3", "europe-west10", "eur7", "eur8", "spanner/dual-region-germany1"}
    assert all(row["provider"] == "gcp" and "DE" in row["countries"] for row in rows)


def test_country_filter_spans_providers(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _json(capsys, "--country", "MX")
    assert {(row["provider"], row["code"]) for row in rows} == {
        ("aws", "mx-central-1"), ("aws", "use1-qro1-az1"), ("azure", "mexicocentral"),
        ("gcp", "northamerica-south1"),
    }  # fmt: skip


def test_text_is_a_plain_table_when_not_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regions", "--provider", "azure", "--country", "BR"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["PROVIDER", "CODE", "KIND", "NAME", "COUNTRY", "GEOGRAPHY", "PARTITION", "RELATED"]
    assert lines[1].split() == ["azure", "brazilsouth", "region", "Brazil", "South", "BR", "south-america",
                                "public", "pair:", "southcentralus"]  # fmt: skip
    assert lines[2].split()[:2] == ["azure", "brazilsoutheast"]
    assert lines[-1] == "2 locations"
    assert "\x1b[" not in "".join(lines) and "│" not in "".join(lines)


def test_text_marks_unknown_countries_and_unpaired_regions(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["regions"]) == 0
    out = capsys.readouterr().out
    eu_line = next(line for line in out.splitlines() if line.split()[:2] == ["gcp", "eu"])
    assert "unknown (within eu)" in eu_line
    austria = next(line for line in out.splitlines() if line.split()[:2] == ["azure", "austriaeast"])
    assert austria.endswith("no pair")


def test_text_on_a_terminal_is_a_rich_table() -> None:
    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    stream = Terminal()
    write_table(load_catalog().select("aws", "MX"), stream)
    out = stream.getvalue()
    assert "┃" in out and "mx-central-1" in out and "use1-qro1-az1" in out
    assert out.endswith("2 locations\n")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("XX", "--country 'XX' is not an ISO 3166-1 alpha-2 country code such as US or DE\n"),
        ("germany", "(did you mean 'DE' for Germany?)"),
        ("USA", "--country 'USA' is not an ISO 3166-1 alpha-2 country code"),
    ],
)
def test_an_unknown_country_is_a_one_line_usage_error(
    capsys: pytest.CaptureFixture[str], value: str, expected: str
) -> None:
    assert main(["regions", "--country", value]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("residency: error: ") and expected in captured.err
    assert captured.err.count("\n") == 1


def test_an_unknown_provider_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["regions", "--provider", "oracle"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'oracle'" in capsys.readouterr().err
