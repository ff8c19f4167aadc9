"""The filtered stream's building blocks: rule sync, X's reconnect ladder, NDJSON framing.

Why the stream is read with our own aiohttp request rather than tweepy's `AsyncStreamingClient`:
tweepy's stream is callback-driven, owns (and closes) its session, sleeps with `asyncio.sleep`,
retries a 401 forever, and ends for good when a callback raises. Here the stream is a plain
`async for` over the response inside the source's generator: a post is yielded straight to the
ingest layer (back-pressure for free), a 401/403 stops the source, every end of the stream —
EOF, stall, network error, HTTP error — goes round the same reconnect loop, and the clock and
sleep are injectable so the ladder is tested without waiting. tweepy still makes the rule calls.

The connection itself is shared by every wall of a bearer token (shared.py); each wall's side of
it, its gap-filling search and re-checks, is in subscriber.py.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager
from typing import Any

import aiohttp
from tweepy import StreamRule

from app.sources.plumbing import Backoff
from app.sources.x.http import XApiCaller
from app.sources.x.query import FIELDS

__all__ = [
    "MAX_LINE_BYTES",
    "STREAM_URL",
    "Connect",
    "ReconnectLadder",
    "ndjson_lines",
    "rule_tag",
    "stream_opener",
    "sync_rules",
]

log = logging.getLogger(__name__)

# A post with every expansion is tens of KB; nothing a real stream sends comes near this.
MAX_LINE_BYTES = 1024 * 1024

# Written with X's own host like every tweepy URL: the session moves it to the base URL.
STREAM_URL = "https://api.x.com/2/tweets/search/stream"

Connect = Callable[[], AbstractAsyncContextManager[aiohttp.ClientResponse]]
"""Opens the filtered stream; the response is read inside the context."""


def rule_tag(wall: str) -> str:
    """Return the tag that marks the stream rules this wall owns."""
    return f"tweetwall:{wall}"


async def sync_rules(caller: XApiCaller, client: Any, wall: str, query: str) -> None:
    """Make the wall's tagged rules exactly `[query]`: delete stale ones, add a missing one.

    `client` is tweepy's `AsyncStreamingClient`. Rules with other tags (other walls, other apps)
    are left alone. Raises what `caller.call` raises.
    """
    tag = rule_tag(wall)
    body = await caller.call("rules", lambda: client.get_rules(), reads=False)
    ours = [r for r in body.get("data") or [] if isinstance(r, dict) and r.get("tag") == tag]
    stale = [str(r["id"]) for r in ours if r.get("value") != query]
    if stale:
        log.info("x: deleting %d stale stream rule(s) of %s", len(stale), wall)
        await caller.call("rules", lambda: client.delete_rules(stale), reads=False)
    if not any(r.get("value") == query for r in ours):
        log.info("x: adding stream rule %r for %s", query, wall)
        added = await caller.call(
            "rules", lambda: client.add_rules(StreamRule(value=query, tag=tag)), reads=False
        )
        if added.get("errors"):
            log.error("x: stream rule refused: %s", added["errors"])


def stream_opener(session: aiohttp.ClientSession, token: str) -> Connect:
    """Return a `Connect` that opens the filtered stream on `session` with the bearer `token`,
    asking for the fields `tweet_to_post` reads."""
    params = {k.replace("_fields", ".fields"): ",".join(v) for k, v in FIELDS.items()}
    headers = {"Authorization": f"Bearer {token}"}
    # No read timeout: a silent stream is detected by `ndjson_lines`' stall timer instead.
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=15, sock_read=None)

    def connect() -> AbstractAsyncContextManager[aiohttp.ClientResponse]:
        """Return the request of the stream, to be entered with `async with`."""
        return session.get(STREAM_URL, params=params, headers=headers, timeout=timeout)

    return connect


class ReconnectLadder:
    """X's documented reconnect waits: network errors linear +250 ms up to 16 s; HTTP errors
    exponential from 5 s up to 320 s; 429 exponential from 60 s (capped at 15 min)."""

    def __init__(self) -> None:
        self.network_wait = 0.0
        # Documented ladders, so no jitter: one connection per app, nobody to spread out from.
        self._http = Backoff(5.0, 320.0, jitter=0.0)
        self._rate = Backoff(60.0, 900.0, jitter=0.0)

    def connected(self) -> None:
        """A connection was established: the next failure starts each ladder from the bottom."""
        self.network_wait = 0.0
        self._http.succeeded()
        self._rate.succeeded()

    def after_network_error(self) -> float:
        """Return the wait after a network error (or a stall, or X closing the stream)."""
        self.network_wait = min(16.0, self.network_wait + 0.25)
        return self.network_wait

    def after_http_error(self) -> float:
        """Return the wait after an HTTP error status other than 429."""
        return self._http.failed()

    def after_rate_limit(self) -> float:
        """Return the wait after a 429."""
        return self._rate.failed()


async def ndjson_lines(
    response: aiohttp.ClientResponse, stall_s: float, max_line: int = MAX_LINE_BYTES
) -> AsyncIterator[bytes]:
    """Yield each line of a newline-delimited stream, stripped; keep-alives yield `b""`.

    Returns at EOF. Raises TimeoutError when nothing at all (not even a keep-alive) arrives for
    `stall_s` seconds. A line longer than `max_line` bytes is dropped with a log line (memory
    stays bounded whatever the server sends) and reading goes on at the next line.
    """
    buffer = bytearray()
    dropping = False
    while True:
        async with asyncio.timeout(stall_s):
            chunk = await response.content.readany()
        if not chunk:
            if buffer.strip() and not dropping:
                yield bytes(buffer).strip()
            return
        start = 0
        while (end := chunk.find(b"\n", start)) != -1:
            if not dropping:
                buffer += chunk[start:end]
                yield bytes(buffer).strip()
            buffer.clear()
            dropping = False
            start = end + 1
        if not dropping:
            buffer += chunk[start:]
            if len(buffer) > max_line:
                log.warning("dropped a stream line longer than %d bytes", max_line)
                buffer.clear()
                dropping = True
