"""Checked policy data -> frozen model objects (aliases folded, defaults filled, codes normalised)."""

from __future__ import annotations

from typing import Any

from residency.catalog.types import normalise_code
from residency.inventory.model import PlacementKind, Provider
from residency.policy.model import ALL_KINDS, Exemption, LocationSet, Policy, Scope, Severity, SourceRef, Transfer
from residency.policy.positions import JsonPath, PolicyLines
from residency.policy.semantic import parse_date


def _aliased(raw: dict[str, Any], *names: str) -> Any:
    return next((raw[name] for name in names if name in raw), None)


def _strings(values: list[str] | None) -> tuple[str, ...]:
    return tuple(values or ())


def build_scope(raw: dict[str, Any]) -> Scope:
    tags = _aliased(raw, "tags", "labels") or {}
    return Scope(
        providers=frozenset(Provider(p) for p in raw["providers"]),
        tags=tuple(sorted((key, tuple(v) if isinstance(v, list) else (v,)) for key, v in tags.items())),
        accounts=_strings(_aliased(raw, "accounts", "projects", "subscriptions")),
        names=_strings(raw.get("names")),
        resources=_strings(raw.get("resources")),
        kinds=_strings(raw.get("kinds")),
    )


def _region(value: str) -> str:
    provider, sep, code = value.partition(":")
    if sep:
        return f"{provider.strip().lower()}:{normalise_code(code)}"
    return normalise_code(value)


def build_locations(raw: dict[str, list[str]] | None) -> LocationSet | None:
    if raw is None:
        return None
    return LocationSet(
        countries=frozenset(raw.get("countries", ())),
        regions=frozenset(_region(r) for r in raw.get("regions", ())),
        groups=frozenset(raw.get("groups", ())),
    )


def _located(value: str, where: PolicyLines) -> str:
    """A path in a policy file is relative to that file; URLs stay as written."""
    if "://" in value:
        return value
    from pathlib import Path

    path = Path(value)
    return str(path if path.is_absolute() else Path(where.source).parent / path)


def build_transfers(raw: list[dict[str, Any]], path: JsonPath, where: PolicyLines) -> tuple[Transfer, ...]:
    built = []
    for index, item in enumerate(raw):
        sources = item["from"] if isinstance(item["from"], list) else [item["from"]]
        built.append(Transfer(
            sources=tuple(_located(s.strip(), where) for s in sources),
            destination=_located(item["to"].strip(), where),
            prefix_map=tuple((key, value) for key, value in (item.get("map") or {}).items()),
            source=SourceRef(where.source, where.lines.line((*path, "transfers", index))),
        ))
    return tuple(built)


def build_policy(raw: dict[str, Any], path: JsonPath, where: PolicyLines) -> Policy:
    exemptions = tuple(
        Exemption(
            resource=item["resource"].strip(),
            reason=item["reason"].strip(),
            owner=item["owner"].strip(),
            expires=parse_date(item["expires"], (*path, "exemptions", index, "expires"), where),
            source=SourceRef(where.source, where.lines.line((*path, "exemptions", index))),
        )
        for index, item in enumerate(raw.get("exemptions", []))
    )
    kinds = _aliased(raw, "counts", "location_kinds")
    remediation = raw.get("remediation")
    return Policy(
        id=raw["id"],
        title=raw["title"].strip(),
        description=" ".join(raw["description"].split()),
        severity=Severity(raw["severity"]),
        scope=build_scope(raw["scope"]),
        allowed=build_locations(raw.get("allowed")),
        denied=build_locations(raw.get("denied")),
        counts=frozenset(PlacementKind(k) for k in kinds) if kinds else ALL_KINDS,
        exemptions=exemptions,
        source=SourceRef(where.source, where.lines.line(path)),
        remediation=" ".join(remediation.split()) if remediation else None,
        transfers=build_transfers(raw.get("transfers", []), path, where),
    )
