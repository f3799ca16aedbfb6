"""`residency regions`: list the region catalog as a table (text) or as JSON."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

from residency.catalog import Catalog, CatalogLocation, load_catalog
from residency.cli.exitcodes import ExitCode
from residency.errors import UsageError
from residency.inventory.model import Provider
from residency.policy.suggest import suggest_country

HELP = "list the region catalog: every location's country, geography, pair and members"
COLUMNS = ("provider", "code", "kind", "name", "country", "geography", "partition", "related")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", choices=[provider.value for provider in Provider], help="one provider only")
    parser.add_argument(
        "--country",
        metavar="CC",
        help="only locations whose known countries include CC (ISO 3166-1 alpha-2, e.g. US, DE)",
    )
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (text)")


def run(args: argparse.Namespace) -> int:
    catalog = load_catalog()
    country = country_code(args.country, catalog) if args.country else None
    locations = catalog.select(args.provider, country)
    if args.format == "json":
        sys.stdout.write(json.dumps([location_json(loc) for loc in locations], indent=2, ensure_ascii=False))
        sys.stdout.write("\n")
    else:
        write_table(locations, sys.stdout)
    return ExitCode.OK


def country_code(value: str, catalog: Catalog) -> str:
    """The ISO code for a --country value, or a one-line UsageError that suggests the right code."""
    code = value.strip().upper()
    if catalog.is_country(code):
        return code
    meant = suggest_country(value, catalog.iso_countries)  # alpha-3, common mistakes (UK), names
    hint = f" (did you mean '{meant}' for {catalog.iso_countries[meant]}?)" if meant else ""
    raise UsageError(f"--country '{value}' is not an ISO 3166-1 alpha-2 country code such as US or DE{hint}")


def location_json(loc: CatalogLocation) -> dict[str, Any]:
    """One location as the documented JSON object; null means not applicable or not published."""
    countries = sorted(loc.countries) if loc.countries is not None else None
    return {
        "provider": loc.provider.value,
        "code": loc.code,
        "kind": loc.type.value,
        "name": loc.name,
        "country": countries[0] if countries and len(countries) == 1 else None,
        "countries": countries,
        "geography": loc.geography,
        "partition": loc.partition,
        "pair": loc.pair,
        "members": list(loc.members),
        "parent": loc.parent,
        "bound": sorted(loc.bound) if loc.bound is not None else None,
        "promises": sorted(loc.promises),
    }


def table_rows(locations: Sequence[CatalogLocation]) -> list[tuple[str, ...]]:
    return [
        (
            loc.provider.value,
            loc.code,
            loc.type.value,
            loc.name,
            _country_cell(loc),
            loc.geography,
            loc.partition,
            _related_cell(loc),
        )
        for loc in locations
    ]


def _country_cell(loc: CatalogLocation) -> str:
    if loc.countries is not None:
        return ",".join(sorted(loc.countries))
    if loc.promises:
        return f"unknown (within {', '.join(sorted(loc.promises))})"
    return "unknown"


def _related_cell(loc: CatalogLocation) -> str:
    if loc.members:
        return "members: " + " + ".join(loc.members)
    if loc.parent:
        return f"parent: {loc.parent}"
    if loc.provider is Provider.AZURE:
        return f"pair: {loc.pair}" if loc.pair else "no pair"
    return ""


def write_table(locations: Sequence[CatalogLocation], stream: IO[str]) -> None:
    """A rich table on a terminal; plain aligned columns otherwise (pipes, files, grep)."""
    rows = table_rows(locations)
    if stream.isatty():
        _write_rich(rows, stream)
    else:
        _write_plain(rows, stream)
    stream.write(f"{len(rows)} location{'s' if len(rows) != 1 else ''}\n")


def _write_plain(rows: list[tuple[str, ...]], stream: IO[str]) -> None:
    header = tuple(column.upper() for column in COLUMNS)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(COLUMNS))]
    for row in [header, *rows]:
        stream.write("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())
        stream.write("\n")


def _write_rich(rows: list[tuple[str, ...]], stream: IO[str]) -> None:
    from rich.console import Console  # imported here: the plain path and JSON need no rich
    from rich.table import Table

    table = Table(header_style="bold")
    for column in COLUMNS:  # codes stay whole and greppable; names and notes may wrap
        table.add_column(column.capitalize(), no_wrap=column in ("provider", "code", "kind", "country"))
    for row in rows:
        table.add_row(*row)
    Console(file=stream).print(table)
