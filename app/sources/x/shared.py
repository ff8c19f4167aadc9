"""One filtered-stream connection per bearer token, shared by every stream-mode wall.

X allows one filtered-stream connection per app: a second one is refused with 429
`TooManyConnections`. So a `SharedStream` owns the connection and each wall subscribes to it:
every wall keeps its own tagged rule (`tweetwall:<wall>`, synced by stream.py), and each post is
routed by its `matching_rules` tags to the walls whose rule it matched. The reader follows X's
reconnect ladder and treats 20 s without a byte as a dead connection (X documents a keep-alive
every 20 s). Walls learn of every (re)connect, so each fills its own gap by search.

The process-wide owner is the ingest layer's `Shared` registry (app/sources/base.py), reached by
every source through `SourceContext.shared`: `build_source` keeps one `SharedStream` there per
token and API origin. That registry is the seam for running the stream in the one elected
ingester of a cluster: whoever holds the ingest lock holds the registry and so the connection.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import aiohttp

from app.sources.plumbing import Sleep, describe
from app.sources.x.http import Clock, make_session
from app.sources.x.stream import ReconnectLadder, ndjson_lines, stream_opener

__all__ = ["STALL_S", "SharedStream", "StreamEvent", "Subscription"]

log = logging.getLogger(__name__)

# X's documented keep-alive interval: a connection silent for longer is dead.
STALL_S = 20.0
# Stream lines waiting for one wall: beyond this the wall drops them and catches up by search.
_QUEUE = 2000


@dataclass(frozen=True, slots=True)
class StreamEvent:
    """What a subscriber hears: `connected`, `line` (a post's JSON), `tick` (a keep-alive),
    `lost` / `refused` (problem, state, retry time) or `stopped` (problem)."""

    kind: str
    body: dict[str, Any] | None = None
    problem: str = ""
    state: str = "backoff"
    retry_at: float | None = None


class Subscription:
    """One wall's share of a stream: the events for its rule, in order."""

    def __init__(self, stream: SharedStream, tag: str) -> None:
        self.tag = tag
        self.overflowed = False
        self._stream = stream
        self._queue: asyncio.Queue[StreamEvent] = asyncio.Queue(maxsize=_QUEUE)

    def put(self, event: StreamEvent) -> None:
        """Queue `event`; when the wall is too far behind, drop it and flag the overflow (the
        wall then catches up by search from its cursor)."""
        try:
            self._queue.put_nowait(event)
        except asyncio.QueueFull:
            self.overflowed = True

    async def get(self) -> StreamEvent:
        """Return the next event, waiting for one."""
        return await self._queue.get()

    async def close(self) -> None:
        """Leave the stream; the connection closes with its last subscriber."""
        await self._stream.leave(self)


class SharedStream:
    """The filtered-stream connection of one bearer token, read once for every wall."""

    def __init__(
        self,
        token: str,
        base_url: str,
        *,
        session_factory: Callable[[str], aiohttp.ClientSession] = make_session,
        clock: Clock = time.time,
        sleep: Sleep = asyncio.sleep,
        stall_s: float = STALL_S,
    ) -> None:
        self._token = token
        self._base_url = base_url
        self._session_factory = session_factory
        self._clock = clock
        self._sleep = sleep
        self.stall_s = stall_s
        self._subs: list[Subscription] = []
        self._task: asyncio.Task[None] | None = None
        self._connected = False
        self._stopped: str | None = None
        self.connects = 0

    def subscribe(self, wall_tag: str) -> Subscription:
        """Return a subscription for the wall whose rules carry `wall_tag`; the first one opens
        the connection, a later one is told at once when it is already open."""
        sub = Subscription(self, wall_tag)
        self._subs.append(sub)
        if self._stopped is not None:
            sub.put(StreamEvent("stopped", problem=self._stopped))
        elif self._task is None or self._task.done():
            self._task = asyncio.create_task(self._run(), name="x-filtered-stream")
        elif self._connected:
            sub.put(StreamEvent("connected"))
        return sub

    async def leave(self, sub: Subscription) -> None:
        """Forget `sub`; with no subscriber left, close the connection."""
        if sub in self._subs:
            self._subs.remove(sub)
        if not self._subs and self._task is not None:
            task, self._task = self._task, None
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    def _broadcast(self, event: StreamEvent) -> None:
        """Send `event` to every subscriber."""
        for sub in list(self._subs):
            sub.put(event)

    def _route(self, line: bytes) -> None:
        """Send one stream line to the walls whose rule it matched (all, if it names none)."""
        try:
            body = json.loads(line)
        except ValueError:
            log.warning("x: skipping a malformed stream line %.80r", line)
            return
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            if isinstance(body, dict) and body.get("errors"):
                log.warning("x: stream says %s", body["errors"])
            return
        rules = body.get("matching_rules")
        tags = {r.get("tag") for r in rules if isinstance(r, dict)} if isinstance(
            rules, list) and rules else None
        for sub in list(self._subs):
            if tags is None or sub.tag in tags:
                sub.put(StreamEvent("line", body))

    async def _run(self) -> None:
        """Connect, read and reconnect on X's ladder while anyone listens; ends on 401/403."""
        session = self._session_factory(self._base_url)
        connect = stream_opener(session, self._token)
        ladder = ReconnectLadder()
        try:
            while self._subs:
                try:
                    async with connect() as response:
                        if response.status in (401, 403):
                            status = response.status
                            self._stopped = f"X refused the credentials on stream: {status}"
                            self._broadcast(StreamEvent("stopped", problem=self._stopped))
                            return
                        if response.status != 200:
                            await self._refused(response, ladder)
                            continue
                        ladder.connected()
                        self.connects += 1
                        self._connected = True
                        self._broadcast(StreamEvent("connected"))
                        async for line in ndjson_lines(response, self.stall_s):
                            if line:
                                self._route(line)
                            else:
                                self._broadcast(StreamEvent("tick"))
                    problem = "stream closed by X"
                except (aiohttp.ClientError, TimeoutError) as err:
                    problem = f"stream lost: {describe(err)}"
                finally:
                    self._connected = False
                delay = ladder.after_network_error()
                self._broadcast(StreamEvent("lost", problem=problem,
                                            retry_at=self._clock() + delay))
                log.warning("x: %s; reconnecting in %.2f s", problem, delay)
                await self._sleep(delay)
        finally:
            await session.close()

    async def _refused(self, response: aiohttp.ClientResponse, ladder: ReconnectLadder) -> None:
        """Tell the walls about an HTTP error on connect and wait as X's ladder says."""
        text = (await response.text(errors="replace"))[:200]
        if response.status == 429:
            delay, state = ladder.after_rate_limit(), "rate_limited"
        else:
            delay, state = ladder.after_http_error(), "backoff"
        self._broadcast(StreamEvent("refused", problem=f"stream HTTP {response.status}: {text}",
                                    state=state, retry_at=self._clock() + delay))
        log.warning("x: stream HTTP %d; reconnecting in %.0f s", response.status, delay)
        await self._sleep(delay)
