"""Google Cloud options and CLI flags (no SDK import: the CLI builds its parser from this)."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class GcpOptions:
    projects: tuple[str, ...] = ()

    def given_flags(self) -> tuple[str, ...]:
        return ("--gcp-project",) if self.projects else ()


def add_arguments(group: Any) -> None:
    group.add_argument("--gcp-project", action="append", dest="gcp_projects", metavar="PROJECT",
                       help="project to scan, repeatable (default: every project the credentials can list)")


def from_args(args: argparse.Namespace) -> GcpOptions:
    return GcpOptions(projects=tuple(dict.fromkeys(args.gcp_projects or ())))
