"""`residency kinds`: every kind of place where data lives that residency knows, from the kind registry."""

from __future__ import annotations

import argparse
import json
import sys

from residency.cli.exitcodes import ExitCode
from residency.inventory.kinds import KINDS, ResourceKind
from residency.inventory.model import Provider

HELP = "list the kinds of resources residency finds (for a policy's scope.kinds), with their calls"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--provider", choices=[p.value for p in Provider], help="one provider only")
    parser.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="output format")


def kind_json(kind: ResourceKind) -> dict[str, object]:
    return {
        "id": kind.id, "provider": kind.provider.value, "service": kind.service, "display": kind.display,
        "placements": sorted(p.value for p in kind.placements), "derived": kind.derived,
        "found_by": "scan and plan" if kind.scanned else "plan only",
        "terraform_types": list(kind.terraform_types),
        "reads": [{"operation": c.operation, "permission": c.permission, "purpose": c.purpose} for c in kind.reads],
    }


def markdown_table(kinds: list[ResourceKind]) -> str:
    lines = ["| kind | provider | what it is | placements | Terraform types |", "|---|---|---|---|---|"]
    for kind in kinds:
        placements = ", ".join(sorted(p.value for p in kind.placements))
        types = ", ".join(f"`{t}`" for t in kind.terraform_types) or "-"
        found = "" if kind.scanned else " (Terraform plans only)"
        lines.append(f"| `{kind.id}` | {kind.provider.value} | {kind.service}: {kind.display}{found} | "
                     f"{placements} | {types} |")
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> int:
    kinds = [k for k in KINDS.values() if args.provider is None or k.provider.value == args.provider]
    if args.format == "json":
        sys.stdout.write(json.dumps([kind_json(k) for k in kinds], indent=2) + "\n")
    elif args.format == "markdown":
        sys.stdout.write(markdown_table(kinds))
    else:
        width = max(len(k.id) for k in kinds) if kinds else 0
        for kind in kinds:
            found = "" if kind.scanned else "  [Terraform plans only]"
            sys.stdout.write(f"{kind.id:<{width}}  {kind.provider.value:<5}  {kind.service}: {kind.display}{found}\n")
    return ExitCode.OK
