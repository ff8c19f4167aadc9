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
from app.sources.x.page import Gaps

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
        # Referenced media, tweets and authors a page did not include, and reposted originals
        # fetched (or not, for the budget) since the source started.
        self.unresolved_counts = {"media": 0, "tweets": 0, "authors": 0}
        self.counters: dict[str, int] = {"originals_fetched": 0, "originals_skipped": 0}

    def publish(self, next_poll: float | None = None) -> None:
        """Refresh the figures in `status.extra`, and the next poll (epoch seconds) if given."""
        if next_poll is not None:
            self.status.next_poll = utc_at(next_poll)
        self.status.extra = {
            **self._budget.figures(self._clock()),
            **self._figures(),
            **self.counters,
            "unresolved": dict(self.unresolved_counts),
            "next_poll": iso(self.status.next_poll),
        }

    def unresolved(self, gaps: Gaps) -> None:
        """Count what a page referred to but did not include, and refresh the figures."""
        for kind, n in gaps.counts().items():
            self.unresolved_counts[kind] += n
        self.publish()

    def count(self, name: str, n: int = 1) -> None:
        """Add `n` to the counter `name` shown in the figures."""
        self.counters[name] = self.counters.get(name, 0) + n
        self.publish()

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
