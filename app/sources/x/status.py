"""The X source's status as an operator sees it: state, last error, next poll, budget figures.

Search, stream and the source itself report through one `XStatus`, so the figures shown in
`SourceStatus.extra` (reads today, estimated cost, next poll) are refreshed on every change.
The figures that belong to the source (mode, interval, re-check size) come from a callable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.clock import iso
from app.sources.base import SourceStatus, State
from app.sources.x.budget import ReadBudget, utc_at
from app.sources.x.http import Clock

__all__ = ["XStatus"]


class XStatus:
    """Keeps one `SourceStatus` current for the X source."""

    def __init__(
        self,
        status: SourceStatus,
        budget: ReadBudget,
        clock: Clock,
        figures: Callable[[], dict[str, Any]],
    ) -> None:
        self.status = status
        self._budget = budget
        self._clock = clock
        self._figures = figures

    def publish(self, next_poll: float | None = None) -> None:
        """Refresh the figures in `status.extra`, and the next poll (epoch seconds) if given."""
        if next_poll is not None:
            self.status.next_poll = utc_at(next_poll)
        self.status.extra = {
            **self._budget.figures(self._clock()),
            **self._figures(),
            "next_poll": iso(self.status.next_poll),
        }

    def ok(self) -> None:
        """Record a successful request now (by the source's clock) and refresh the figures."""
        self.status.state = "ok"
        self.status.last_success = utc_at(self._clock())
        self.publish()

    def failed(self, problem: str, state: State, retry_at: float | None = None) -> None:
        """Record `problem`, the state it leaves the source in and, if given, when it retries."""
        self.status.failed(problem, state)
        self.publish(retry_at)

    def stopped(self, problem: str) -> None:
        """Record that the source stopped for `problem`: no next poll until an operator acts."""
        self.status.failed(problem, "stopped")
        self.status.next_poll = None
        self.publish()

    def posted(self) -> None:
        """Count one post handed to the wall."""
        self.status.posts += 1
