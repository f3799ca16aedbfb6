"""The tool's own errors. Each carries one line for the user; only the CLI maps them to exit codes."""

from __future__ import annotations


class ResidencyError(Exception):
    """Base: a one-line, user-facing message naming the file, the place and the fix."""


class UsageError(ResidencyError):
    """Bad command-line use or configuration (exit 2)."""


class PolicyError(ResidencyError):
    """A policy file is missing, unreadable, malformed or meaningless (exit 2)."""


class InputError(ResidencyError):
    """An inventory snapshot, plan or report file given as input is unusable (exit 2)."""
