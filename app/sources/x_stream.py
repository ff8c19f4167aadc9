"""Filtered-stream pieces of the X source: rule sync, X's reconnect ladder, NDJSON framing.

Why the stream is read with our own aiohttp request rather than tweepy's `AsyncStreamingClient`:
tweepy's stream is callback-driven, owns (and closes) its session, sleeps with `asyncio.sleep`,
retries a 401 forever, and ends for good when a callback raises. Here the stream is a plain
`async for` over the response inside the source's generator: a post is yielded straight to the
ingest layer (back-pressure for free), a 401/403 stops the source, every end of the stream —
EOF, stall, network error, HTTP error — goes round the same reconnect loop, and the clock and
sleep are injectable so the ladder is tested without waiting. tweepy still makes the rule calls.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import aiohttp

from app.sources.x_http import XApiCaller

__all__ = ["ReconnectLadder", "ndjson_lines", "rule_tag", "sync_rules"]

log = logging.getLogger(__name__)


def rule_tag(wall: str) -> str:
    """Return the tag that marks the stream rules this wall owns."""
    return f"tweetwall:{wall}"


async def sync_rules(caller: XApiCaller, client: Any, wall: str, query: str) -> None:
    """Make the wall's tagged rules exactly `[query]`: delete stale ones, add a missing one.

    Rules with other tags (other walls, other apps) are left alone. Raises what `caller.call`
    raises.
    """
    from tweepy import StreamRule

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


@dataclass
class ReconnectLadder:
    """X's documented reconnect waits: network errors linear +250 ms up to 16 s; HTTP errors
    exponential from 5 s up to 320 s; 429 exponential from 60 s (capped at 15 min)."""

    network_wait: float = 0.0
    http_wait: float = 0.0
    rate_wait: float = 0.0

    def connected(self) -> None:
        """A connection was established: the next failure starts each ladder from the bottom."""
        self.network_wait = self.http_wait = self.rate_wait = 0.0

    def after_network_error(self) -> float:
        self.network_wait = min(16.0, self.network_wait + 0.25)
        return self.network_wait

    def after_http_error(self) -> float:
        self.http_wait = min(320.0, self.http_wait * 2 if self.http_wait else 5.0)
        return self.http_wait

    def after_rate_limit(self) -> float:
        self.rate_wait = min(900.0, self.rate_wait * 2 if self.rate_wait else 60.0)
        return self.rate_wait


async def ndjson_lines(
    response: aiohttp.ClientResponse, stall_s: float
) -> AsyncIterator[bytes]:
    """Yield each line of a newline-delimited stream, stripped; keep-alives yield `b""`.

    Returns at EOF. Raises TimeoutError when nothing at all (not even a keep-alive) arrives for
    `stall_s` seconds. Lines have no length limit (aiohttp's `readline` has one).
    """
    buffer = b""
    while True:
        async with asyncio.timeout(stall_s):
            chunk = await response.content.readany()
        if not chunk:
            if buffer.strip():
                yield buffer.strip()
            return
        buffer += chunk
        *lines, buffer = buffer.split(b"\n")
        for line in lines:
            yield line.strip()
