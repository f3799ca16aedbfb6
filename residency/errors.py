"""The tool's own errors. Each carries one line for the user; only the CLI maps them to exit codes."""

from __future__ import annotations

from residency.text import one_line


class ResidencyError(Exception):
    """Base: a one-line, user-facing message naming the file, the place and the fix.

    One line by construction: names, keys and values quoted in a message come from files and
    clouds, and a line break in one must neither split the message nor inject a second line
    (`::error::` in a CI log).
    """

    def __init__(self, message: str) -> None:
        super().__init__(one_line(message))


class UsageError(ResidencyError):
    """Bad command-line use or configuration (exit 2)."""


class PolicyError(ResidencyError):
    """A policy file is missing, unreadable, malformed or meaningless (exit 2)."""


class InputError(ResidencyError):
    """An inventory snapshot, plan or report file given as input is unusable (exit 2)."""
