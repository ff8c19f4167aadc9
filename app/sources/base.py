"""What every source is: an async stream of `Post` and `Deletion`, its cursors and its status.

A source knows nothing of storage, moderation or WebSockets. The ingest layer hands it a
`SourceContext` (the wall's hashtags and a cursor store scoped to this wall and source) and
iterates `events()`; if that iterator raises, the supervisor backs off and calls it again, so a
source resumes from its persisted cursor rather than from memory.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Hashable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol, TypeVar, cast

from app.clock import iso, utcnow
from app.models import Deletion, Post

__all__ = [
    "CursorStore",
    "MemoryCursors",
    "Shared",
    "Source",
    "SourceContext",
    "SourceEvent",
    "SourceStatus",
    "State",
]

SourceEvent = Post | Deletion
State = Literal["starting", "ok", "waiting", "rate_limited", "backoff", "stopped", "finished"]


class CursorStore(Protocol):
    """Durable key/value cursors for one (wall, source); values survive restarts."""

    async def get(self, key: str) -> str | None:
        """Return the value stored under `key`, or None if there is none."""
        ...

    async def set(self, key: str, value: str) -> None:
        """Store `value` under `key`, replacing what was there."""
        ...


class MemoryCursors:
    """A `CursorStore` kept in memory, for tests and one-off runs."""

    def __init__(self) -> None:
        self.values: dict[str, str] = {}

    async def get(self, key: str) -> str | None:
        """Return the value stored under `key`, or None if there is none."""
        return self.values.get(key)

    async def set(self, key: str, value: str) -> None:
        """Store `value` under `key`, replacing what was there."""
        self.values[key] = value


_T = TypeVar("_T")


class Shared:
    """Objects the sources of every wall share in one process, built on first use: X's one
    filtered-stream connection per bearer token lives here. The ingest layer holds one; a
    cluster's elected ingester holding it is what keeps such a connection single."""

    def __init__(self) -> None:
        self._items: dict[Hashable, object] = {}

    def get(self, key: Hashable, build: Callable[[], _T]) -> _T:
        """Return the object kept under `key`, built by `build()` the first time."""
        if key not in self._items:
            self._items[key] = build()
        return cast(_T, self._items[key])


async def _no_ids(source: str) -> list[str]:
    """Return no ids: the default for a context without a store (tests, one-off runs)."""
    return []


@dataclass(frozen=True)
class SourceContext:
    """What the ingest layer gives a source: the wall, its hashtags (without '#'), durable
    cursors for this (wall, source), `visible_ids(source)` -> the global ids of this source's
    posts currently visible on the wall (for deletion re-checks), and the process's `shared`
    objects (a fresh registry when none is given: nothing is shared)."""

    wall: str
    hashtags: tuple[str, ...]
    cursors: CursorStore
    visible_ids: Callable[[str], Awaitable[list[str]]] = _no_ids
    shared: Shared = field(default_factory=Shared)


@dataclass
class SourceStatus:
    """What an operator needs to know about one source of one wall, shown by the API."""

    source: str
    state: State = "starting"
    last_success: datetime | None = None
    last_error: str | None = None
    last_error_at: datetime | None = None
    next_poll: datetime | None = None
    posts: int = 0
    extra: dict[str, Any] = field(default_factory=dict)

    def succeeded(self) -> None:
        """Record a success now: the state becomes "ok"."""
        self.state = "ok"
        self.last_success = utcnow()

    def failed(self, error: str, state: State = "backoff") -> None:
        """Record `error` (cut to 500 characters) now, and the state it leaves the source in."""
        self.state = state
        self.last_error = error[:500]
        self.last_error_at = utcnow()

    def as_dict(self) -> dict[str, Any]:
        """Return the status as the API shows it: times as `...Z` strings, `extra` merged in."""
        return {
            "source": self.source,
            "state": self.state,
            "last_success": iso(self.last_success),
            "last_error": self.last_error,
            "last_error_at": iso(self.last_error_at),
            "next_poll": iso(self.next_poll),
            "posts": self.posts,
            **self.extra,
        }


class Source(Protocol):
    """A source of one wall: its name, its status and its events."""

    name: str
    status: SourceStatus

    def events(self) -> AsyncIterator[SourceEvent]:
        """Yield posts and deletions forever (or until the source is finished)."""
        ...
