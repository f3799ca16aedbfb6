"""Progress on stderr: a rich bar on a terminal, silence in CI and pipes."""

from __future__ import annotations

import os
import sys
from types import TracebackType

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from residency.sources.contract import NullProgress


def wants_progress() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


class RichProgress:
    """Implements the adapters' `Progress` protocol with one rich task per label."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=Console(stderr=True),
            transient=True,
        )
        self._tasks: dict[str, TaskID] = {}

    def begin(self, label: str, total: int | None) -> None:
        if label in self._tasks:
            self._progress.update(self._tasks[label], total=total)
        else:
            self._tasks[label] = self._progress.add_task(label, total=total)

    def advance(self, label: str, amount: int = 1) -> None:
        if label not in self._tasks:
            self.begin(label, None)
        self._progress.advance(self._tasks[label], amount)

    def __enter__(self) -> RichProgress:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()


def make_progress() -> RichProgress | NullProgress:
    return RichProgress() if wants_progress() else NullProgress()
