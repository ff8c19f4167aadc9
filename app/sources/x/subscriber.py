"""One wall's side of the shared filtered stream: its gap-filling search, its posts, re-checks.

The connection belongs to a `SharedStream` (shared.py), one per bearer token. `StreamMode`
subscribes the wall (its rule synced beforehand by `sync_rules`), and for each event: after a
(re)connect it runs a search from the wall's cursor to fill the gap (lines arriving meanwhile
wait in its queue), turns each line routed to it into posts (fetching reposted originals in full,
hydrate.py), runs a due deletion re-check at each line or keep-alive, and reports losses and
refusals in its status. When the wall's read budget is spent it leaves the stream until the
budget refills; the other walls keep reading.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import cast

from app.models import Deletion, Post
from app.sources.base import State
from app.sources.x.budget import ReadBudget
from app.sources.x.http import Clock, XStopped
from app.sources.x.search import SinceId
from app.sources.x.shared import SharedStream, StreamEvent, Subscription
from app.sources.x.status import XStatus
from app.sources.x.stream import rule_tag

__all__ = ["StreamHooks", "StreamMode"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class StreamHooks:
    """What stream mode borrows from the rest of the X source, as plain callables."""

    wait_for_budget: Callable[[], Awaitable[None]]
    """Returns at once, or when today's read budget refills."""
    catch_up: Callable[[], AsyncIterator[Post]]
    """One search run: the posts since the cursor, to fill the gap before a connection."""
    rechecks: Callable[[], AsyncIterator[Deletion]]
    """The deletion re-check, when one is due."""
    posts: Callable[[dict[str, object]], Awaitable[list[tuple[int, Post]]]]
    """The posts of one stream line (reposted originals fetched in full when needed)."""


class StreamMode:
    """The filtered-stream loop of one wall of the X source."""

    def __init__(
        self,
        wall: str,
        stream: SharedStream,
        hooks: StreamHooks,
        cursor: SinceId,
        budget: ReadBudget,
        report: XStatus,
        *,
        clock: Clock,
    ) -> None:
        self._stream = stream
        self._hooks = hooks
        self._cursor = cursor
        self._budget = budget
        self._report = report
        self._clock = clock
        self.tag = rule_tag(wall)

    async def run(self) -> AsyncIterator[Post | Deletion]:
        """Yield posts and deletions forever; raises XStopped on 401/403."""
        while True:
            await self._hooks.wait_for_budget()
            sub = self._stream.subscribe(self.tag)
            try:
                async for event in self._follow(sub):
                    yield event
            finally:
                await sub.close()

    async def _follow(self, sub: Subscription) -> AsyncIterator[Post | Deletion]:
        """Yield what the subscription brings; returns when today's budget is used up."""
        while True:
            event = await sub.get()
            if event.kind == "stopped":
                raise XStopped(event.problem)
            if event.kind in ("lost", "refused"):
                self._failed(event)
                continue
            if event.kind == "connected" or sub.overflowed:
                if event.kind == "connected":
                    self._budget.charge(self._clock(), 0, billable=False)
                    self._report.ok()
                sub.overflowed = False
                async for post in self._hooks.catch_up():
                    yield post
            if event.kind == "line" and event.body is not None:
                for tweet_id, post in await self._hooks.posts(event.body):
                    self._budget.count_streamed(self._clock())
                    await self._cursor.advance(str(tweet_id))
                    self._report.posted()
                    yield post
                self._report.ok()
                if self._budget.remaining(self._clock()) <= 0:
                    return  # leave the stream; `run` waits until 00:00 UTC
            async for deletion in self._hooks.rechecks():
                yield deletion

    def _failed(self, event: StreamEvent) -> None:
        """Record a lost connection or a refused connect in the wall's status."""
        if event.kind == "refused":
            self._budget.charge(self._clock(), 0)
        self._report.failed(event.problem, cast(State, event.state), event.retry_at)
        log.warning("x: %s: %s", self.tag, event.problem)
