"""Jetstream reading for the Bluesky source: the firehose as JSON over WebSocket, gap-free.

Jetstream has no hashtag filter, so every `app.bsky.feed.post` commit is matched here against the
wall's hashtags. Its `time_us` cursor is persisted every few seconds, only once everything before
it was yielded, and rewound a few seconds on reconnect (the boundary is not gap-free); the re-sent
posts are dropped by (uri, cid) here and by upsert downstream. Matching posts wait up to
`batch_wait_s` so their authors' profiles can be fetched in one batch.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import urlencode

import httpx
from websockets.asyncio.client import connect as websocket_connect
from websockets.exceptions import WebSocketException

from app.models import Deletion, Post
from app.sources.base import CursorStore, SourceEvent, SourceStatus
from app.sources.bluesky.normalize import COLLECTION, is_did, matches, post_uri
from app.sources.bluesky.profiles import BATCH
from app.sources.plumbing import Backoff, BoundedMap, Now, Sleep, describe

__all__ = [
    "CURSOR",
    "Connect",
    "Hydrate",
    "Jetstream",
    "Pending",
    "Profiles",
    "Timing",
    "WebSocketLike",
    "default_connect",
]

CURSOR = "jetstream"
# The wall's visible ids are asked of the store at most this often (deletes are rare).
_VISIBLE_TTL_S = 30.0


class WebSocketLike(Protocol):
    """What Jetstream reading needs of a WebSocket connection."""

    async def recv(self) -> str | bytes:
        """Return the next message; raises when the connection is closed."""
        ...


Connect = Callable[[str], AbstractAsyncContextManager[WebSocketLike]]


def default_connect(url: str) -> AbstractAsyncContextManager[WebSocketLike]:
    """Return a `websockets` connection to `url` sized for Jetstream."""
    return websocket_connect(
        url, max_size=2**22, open_timeout=15, ping_interval=20, ping_timeout=20
    )


class Pending:
    """A matching post read from Jetstream, waiting for its author's profile."""

    def __init__(self, did: str, rkey: str, cid: str, record: Mapping[str, Any], us: int) -> None:
        self.did, self.rkey, self.cid, self.record, self.us = did, rkey, cid, record, us


Hydrate = Callable[[httpx.AsyncClient, list[Pending]], Awaitable[list[Post]]]
"""Turns a batch of pending posts into posts, their authors' profiles fetched."""


class Profiles(Protocol):
    """What Jetstream reading needs of the profile cache: is a profile fresh, forget one."""

    def fresh(self, did: str) -> bool:
        """Return True if the profile of `did` is cached and recent."""
        ...

    def forget(self, did: str) -> None:
        """Drop the cached profile of `did`."""
        ...


@dataclass(frozen=True)
class Timing:
    """The clocks of Jetstream reading, in seconds."""

    cursor_every_s: float = 5.0  # how often the cursor is persisted
    rewind_s: float = 5.0  # how far before the cursor a reconnect starts
    batch_wait_s: float = 0.5  # how long a post waits for others to share a profile fetch
    idle_timeout_s: float = 60.0  # silence after which the connection counts as lost
    max_backoff_s: float = 60.0  # the longest wait between reconnects


class Jetstream:
    """The Jetstream loop of one Bluesky source; `last_us` and `saved_us` are its cursor."""

    def __init__(
        self,
        url: str,
        connect: Connect,
        *,
        cursors: CursorStore,
        visible: Callable[[], Awaitable[list[str]]],
        status: SourceStatus,
        tags: set[str],
        known: BoundedMap[str, str],
        profiles: Profiles,
        hydrate: Hydrate,
        now: Now,
        sleep: Sleep,
        timing: Timing,
    ) -> None:
        self._url = url
        self._connect = connect
        self._cursors = cursors
        self._visible_ids_of_wall = visible
        self._status = status
        self._tags = tags
        self._known = known  # post id -> cid already yielded
        self._profiles = profiles
        self._hydrate = hydrate
        self._now = now
        self._sleep = sleep
        self._cursor_every = timing.cursor_every_s
        self._rewind_us = int(timing.rewind_s * 1_000_000)
        self._batch_wait = timing.batch_wait_s
        self._idle = timing.idle_timeout_s
        # 1, 2, 4 ... s up to the cap, no jitter: one connection per wall, to one server.
        self._retry = Backoff(1.0, timing.max_backoff_s, jitter=0.0)
        self._visible: set[str] = set()
        self._visible_at = -1e9
        self.last_us: int | None = None
        self.saved_us: int | None = None

    def resume(self, saved_us: int) -> None:
        """Continue from a cursor persisted by an earlier run."""
        self.last_us = self.saved_us = saved_us

    def start_at(self, us: int) -> None:
        """Start at `us` (a first start after a backfill); nothing persisted yet."""
        self.last_us = us

    async def run(self, client: httpx.AsyncClient) -> AsyncIterator[SourceEvent]:
        """Yield matching posts and deletions, reconnecting forever; never returns."""
        while True:
            query = {"wantedCollections": COLLECTION}
            if self.last_us is not None:
                query["cursor"] = str(max(0, self.last_us - self._rewind_us))
            url = f"{self._url}?{urlencode(query)}"
            pending: list[Pending] = []
            try:
                async with self._connect(url) as ws:
                    self._status.extra["connected"] = True
                    self._status.extra["reconnects"] += 1
                    self._status.succeeded()
                    self._retry.succeeded()
                    async for event in self._read(client, ws, pending):
                        yield event
            except asyncio.CancelledError:
                raise
            except (WebSocketException, OSError, TimeoutError, ValueError) as err:
                self._status.failed(f"jetstream: {describe(err)}")
            self._status.extra["connected"] = False
            # Posts read but not yet yielded are re-sent after the rewind; the cursor below
            # never passes them.
            await self._save_cursor(pending)
            await self._sleep(self._retry.failed())

    async def _read(
        self, client: httpx.AsyncClient, ws: WebSocketLike, pending: list[Pending]
    ) -> AsyncIterator[SourceEvent]:
        """Yield what one connection sends, hydrated in batches, saving the cursor as it goes.

        Raises TimeoutError after `idle_timeout_s` of silence, and what `ws.recv` raises."""
        loop = asyncio.get_running_loop()
        saved_at = last_message = first_pending = loop.time()
        while True:
            deadlines = [last_message + self._idle]
            if pending:
                deadlines.append(first_pending + self._batch_wait)
            if self._safe_us(pending) != self.saved_us:
                deadlines.append(saved_at + self._cursor_every)
            try:
                raw = await asyncio.wait_for(ws.recv(), max(0.0, min(deadlines) - loop.time()))
            except TimeoutError:
                if loop.time() - last_message >= self._idle:
                    raise TimeoutError(f"no message for {self._idle:.0f} s") from None
                raw = None
            if raw is not None:
                last_message = loop.time()
                try:
                    msg = json.loads(raw)
                except ValueError:
                    msg = None
                if not isinstance(msg, dict):
                    continue
                if not pending:
                    first_pending = loop.time()
                async for event in self._handle(msg, pending):
                    yield event
            unknown = {p.did for p in pending if not self._profiles.fresh(p.did)}
            due = pending and loop.time() - first_pending >= self._batch_wait
            if pending and (due or not unknown or len(unknown) >= BATCH):
                batch = list(pending)
                pending.clear()
                for post in await self._hydrate(client, batch):
                    yield post
            if loop.time() - saved_at >= self._cursor_every:
                # Reached only after the consumer took every post yielded above.
                await self._save_cursor(pending)
                saved_at = loop.time()

    async def _handle(
        self, msg: Mapping[str, Any], pending: list[Pending]
    ) -> AsyncIterator[SourceEvent]:
        """Apply one Jetstream message: queue a matching post in `pending`, yield the
        deletions a delete or a deactivated account makes, forget a changed identity."""
        us = msg.get("time_us")
        did = str(msg.get("did") or "")
        when = us if isinstance(us, int) else (self.last_us or 0)
        if isinstance(us, int):
            self.last_us = max(self.last_us or 0, us)
            lag = self._now().timestamp() - us / 1_000_000
            self._status.extra["lag_s"] = round(lag, 3)
        kind = msg.get("kind")
        if kind == "commit":
            commit = msg.get("commit")
            if not isinstance(commit, Mapping) or commit.get("collection") != COLLECTION:
                return
            if not is_did(did):
                return
            rkey = str(commit.get("rkey") or "")
            op = commit.get("operation")
            record = commit.get("record")
            if op in ("create", "update") and isinstance(record, Mapping):
                if matches(record, self._tags):
                    pid = f"bluesky:{post_uri(did, rkey)}"
                    cid = str(commit.get("cid") or "")
                    if self._known.get(pid) != cid or not cid:
                        pending.append(Pending(did, rkey, cid, record, when))
            elif op == "delete":
                pid = f"bluesky:{post_uri(did, rkey)}"
                pending[:] = [p for p in pending if (p.did, p.rkey) != (did, rkey)]
                if pid in self._known or pid in await self._visible_ids():
                    self._known.pop(pid)
                    yield Deletion(post_id=pid)
        elif kind == "identity":
            self._profiles.forget(did)  # the handle changed: fetch the profile again
        elif kind == "account":
            account = msg.get("account")
            if isinstance(account, Mapping) and account.get("active") is False:
                # Deactivated, suspended, taken down or deleted: its posts are gone from
                # Bluesky (their links are dead), so they leave the wall too.
                self._profiles.forget(did)
                pending[:] = [p for p in pending if p.did != did]
                prefix = f"bluesky:at://{did}/"
                ids = {i for i in self._known if i.startswith(prefix)}
                ids |= {i for i in await self._visible_ids() if i.startswith(prefix)}
                for pid in sorted(ids):
                    self._known.pop(pid)
                    yield Deletion(post_id=pid)

    async def _visible_ids(self) -> set[str]:
        """Return the wall's visible Bluesky post ids, asked of the store at most every 30 s."""
        loop = asyncio.get_running_loop()
        if loop.time() - self._visible_at > _VISIBLE_TTL_S:
            self._visible_at = loop.time()
            self._visible = set(await self._visible_ids_of_wall())
        return self._visible

    def _safe_us(self, pending: list[Pending]) -> int | None:
        """Return the newest time_us with nothing unyielded at or before it."""
        if self.last_us is None:
            return None
        return min([p.us - 1 for p in pending] + [self.last_us])

    async def _save_cursor(self, pending: list[Pending]) -> None:
        """Persist the newest safe cursor (see `_safe_us`) if it moved."""
        safe = self._safe_us(pending)
        if safe is None or safe == self.saved_us:
            return
        await self._cursors.set(CURSOR, str(safe))
        self.saved_us = safe
        self._status.succeeded()
        self._status.extra["cursor_us"] = safe
