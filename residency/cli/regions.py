"""`residency regions` (being written; see the issue tracker)."""

from __future__ import annotations

import argparse

HELP = "regions (not yet available)"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    return None


def run(args: argparse.Namespace) -> int:
    raise NotImplementedError("residency regions")
