"""A subscriber of the hub: frames straight to its connection, a bounded backlog only while
its transport is paused, dropped (1013) when that overflows or stalls (P6).

The hub writes each frame through `Writer.try_write`; a connection that is not writable gets its
frames queued (at most `limit`) and a task that writes them, in order, as the transport takes
them, then ends. A backlog that overflows, or that has not moved for `stall_s`, drops the
subscriber: its connection is closed with 1013 and its client resumes by `(epoch, since)`.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from typing import Any, Protocol

__all__ = ["CLOSE_NORMAL", "CLOSE_TRY_AGAIN", "Subscription", "Writer"]

CLOSE_NORMAL = 1000
CLOSE_TRY_AGAIN = 1013  # dropped for falling behind: resume by (epoch, since)


class Writer(Protocol):
    """A client connection as the hub sees it (app/web/live.py implements it over uvicorn)."""

    def try_write(self, frame: str) -> bool:
        """Write `frame` now if the connection takes it without waiting. Returns False, having
        written nothing, when its transport is paused; a closed connection drops the frame and
        returns True."""

    async def write(self, frame: str) -> None:
        """Write `frame`, waiting while the transport is paused. Raises ConnectionError once
        the connection is gone."""

    def end(self, code: int) -> None:
        """Close the connection with `code` without waiting; nothing if it is closed already."""


class Subscription:
    """One client: frames go straight to its writer; a bounded backlog only while it lags."""

    __slots__ = ("_backlog", "_drainer", "_leave", "_progress_at", "_timer", "after", "closed",
                 "health", "limit", "overflowed", "screen", "stall_s", "writer")

    def __init__(self, writer: Writer, limit: int, stall_s: float = 10.0,
                 leave: Callable[[Subscription], None] | None = None) -> None:
        self.writer, self.limit, self.stall_s = writer, limit, stall_s
        self._leave = leave  # unregisters it from its hub or feed
        self.after = 0  # the last seq this subscriber has been sent (or that its start covered)
        self.overflowed = False  # dropped for falling behind (closed with 1013)
        self.closed = False
        self.screen: int | None = None  # the named hall screen this is, opened with its key
        self.health: dict[str, Any] | None = None  # what that screen last reported of itself
        # Only a lagging subscriber has these; an idle one costs a few pointers.
        self._backlog: deque[str] | None = None
        self._drainer: asyncio.Task[None] | None = None
        self._timer: asyncio.TimerHandle | None = None
        self._progress_at = 0.0  # loop time the backlog last moved

    async def __aenter__(self) -> Subscription:
        """Return the subscription itself (it is registered already)."""
        return self

    async def __aexit__(self, *_: object) -> None:
        """Unregister and stop sending; closing the connection is its handler's."""
        leave, self._leave = self._leave, None
        self.close(None)
        if leave is not None:
            leave(self)

    @property
    def backlog(self) -> int:
        """Return how many frames wait for this client's transport to take them."""
        return len(self._backlog) if self._backlog else 0

    def offer(self, frame: str) -> None:
        """Write `frame` now, or queue it behind the frames already waiting; never waits. A
        subscriber whose backlog is full is dropped (closed with 1013)."""
        if self.closed:
            return
        backlog = self._backlog
        if not backlog:
            if self.writer.try_write(frame):
                return
            backlog = self._lag()
        elif len(backlog) >= self.limit:
            self.drop()
            return
        backlog.append(frame)

    def _lag(self) -> deque[str]:
        """The transport is paused: start a backlog, its drain and the stall check; returns
        the backlog."""
        loop = asyncio.get_running_loop()
        if self._backlog is None:
            self._backlog = deque()
        self._progress_at = loop.time()
        if self._drainer is None:
            self._drainer = loop.create_task(self._drain())
        if self._timer is None:
            self._timer = loop.call_later(self.stall_s, self._check_stall)
        return self._backlog

    async def _drain(self) -> None:
        """Write the backlog in order as the transport takes it; the task ends once it is
        empty, and later frames go straight to the transport again. A connection found gone
        closes the subscription (nothing is raised)."""
        backlog = self._backlog
        assert backlog is not None
        loop = asyncio.get_running_loop()
        try:
            while backlog and not self.closed:
                await self.writer.write(backlog[0])
                if self.closed:
                    return
                backlog.popleft()
                self._progress_at = loop.time()
        except ConnectionError:
            self._drainer = None
            self.close()
        finally:
            self._drainer = None

    def _check_stall(self) -> None:
        """Drop the subscriber if its backlog has not moved for `stall_s`; else check again."""
        self._timer = None
        if self.closed or not self._backlog:
            return
        idle = asyncio.get_running_loop().time() - self._progress_at
        if idle >= self.stall_s:
            self.drop()
        else:
            self._timer = asyncio.get_running_loop().call_later(self.stall_s - idle,
                                                                self._check_stall)

    def drop(self) -> None:
        """The client fell too far behind or stalled: close it with 1013 so it resumes."""
        self.overflowed = True
        self.close(CLOSE_TRY_AGAIN)

    def close(self, code: int | None = CLOSE_NORMAL) -> None:
        """Stop sending: forget the backlog and close the connection with `code` (None: leave
        the connection to its handler, which knows why it ends)."""
        if self.closed:
            return
        self.closed = True
        if self._backlog:
            self._backlog.clear()
        if self._drainer is not None:
            self._drainer.cancel()
        if self._timer is not None:
            self._timer.cancel()
        if code is not None:
            self.writer.end(code)
