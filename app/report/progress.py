"""How `tweetwall import` shows its progress: a bar with the rate and the time left on a
terminal (rich), plain lines otherwise (a log file, CI), and the bad lines as they are found.

Nothing from the file is read as markup: a bad line's reason can hold any text.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import TextIO

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TaskID,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from app.report.archive import BadLine

__all__ = ["ImportProgress"]


class _Rate(ProgressColumn):
    """Posts a second, as rich measures it over the last seconds."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        return Text("- posts/s" if not speed else f"{speed:,.0f} posts/s", style="cyan")


class ImportProgress:
    """A context manager with `advance(done, total)` and `bad(line)` for `import_archive`:
    a live bar when `stream` is a terminal, else a line every `every_s` seconds and at the end."""

    def __init__(self, name: str, stream: TextIO | None = None, every_s: float = 5.0) -> None:
        self.name = name
        self.stream = stream or sys.stderr
        self.every_s = every_s
        self._live = self.stream.isatty()
        self._console = Console(file=self.stream, highlight=False)
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        self._started = time.monotonic()
        self._said = 0.0

    def __enter__(self) -> ImportProgress:
        self._started = self._said = time.monotonic()
        if self._live:
            self._bar = Progress(
                TextColumn("{task.description}", markup=False), BarColumn(),
                MofNCompleteColumn(), _Rate(), TextColumn("left"), TimeRemainingColumn(),
                console=self._console, transient=False)
            self._bar.start()
            self._task = self._bar.add_task(f"importing {self.name}", total=None)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._bar is not None:
            self._bar.stop()

    def advance(self, done: int, total: int) -> None:
        """Show that `done` of `total` posts are through."""
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=done, total=total)
            return
        now = time.monotonic()
        if done == total or now - self._said >= self.every_s:
            self._said = now
            rate = done / max(now - self._started, 1e-6)
            left = (total - done) / rate if rate else 0.0
            self._console.print(f"importing {self.name}: {done:,}/{total:,} posts "
                                f"({rate:,.0f}/s, about {left:,.0f} s left)", markup=False)

    def bad(self, line: BadLine) -> None:
        """Say that a line was skipped and why."""
        self._console.print(f"tweetwall: {self.name} {line}", markup=False, style="yellow")
