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
import json
import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import aiohttp

from app.models import Deletion, Post
from app.sources.x_http import XApiCaller, XStopped
from app.sources.x_normalize import FIELDS

if TYPE_CHECKING:
    from app.sources.x import XSource

__all__ = ["STREAM_URL", "ReconnectLadder", "StreamMode", "ndjson_lines", "rule_tag", "sync_rules"]

log = logging.getLogger(__name__)

# Written with X's own host like every tweepy URL: the session moves it to the base URL.
STREAM_URL = "https://api.x.com/2/tweets/search/stream"


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


async def ndjson_lines(response: aiohttp.ClientResponse, stall_s: float) -> AsyncIterator[bytes]:
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


class StreamMode:
    """The filtered-stream loop of one `XSource`: sync rules, connect, fill the gap by search,
    yield what the stream sends, re-check deletions between lines; reconnect whatever ends it."""

    def __init__(self, source: XSource) -> None:
        self.source = source
        self.ladder = ReconnectLadder()
        self.tag = rule_tag(source.ctx.wall)

    async def run(self) -> AsyncIterator[Post | Deletion]:
        """Yield posts and deletions forever; raises XStopped on 401/403."""
        src = self.source
        assert src.session is not None
        await sync_rules(src.caller, src.rules_client, src.ctx.wall, src.query)
        params = {k.replace("_fields", ".fields"): ",".join(v) for k, v in FIELDS.items()}
        headers = {"Authorization": f"Bearer {src.token}"}
        while True:
            await src.wait_for_budget()
            try:
                async with src.session.get(
                    STREAM_URL,
                    params=params,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=15, sock_read=None),
                ) as response:
                    if response.status in (401, 403):
                        raise XStopped(f"X refused the credentials on stream: {response.status}")
                    if response.status != 200:
                        await self._refused(response)
                        continue
                    async for event in self._connected(response):
                        yield event
                if src.budget.remaining(src.clock()) <= 0:
                    continue  # closed on purpose; wait_for_budget sleeps until 00:00 UTC
                problem = "stream closed by X"
            except (aiohttp.ClientError, TimeoutError) as err:
                problem = f"stream lost: {type(err).__name__}: {err}"
            delay = self.ladder.after_network_error()
            src.status.failed(problem, "backoff")
            src.publish(src.clock() + delay)
            log.warning("x: %s; reconnecting in %.2f s", problem, delay)
            await src.sleep(delay)

    async def _refused(self, response: aiohttp.ClientResponse) -> None:
        src = self.source
        text = (await response.text(errors="replace"))[:200]
        src.budget.charge(src.clock(), 0)
        if response.status == 429:
            delay = self.ladder.after_rate_limit()
            state: Any = "rate_limited"
        else:
            delay = self.ladder.after_http_error()
            state = "backoff"
        src.status.failed(f"stream HTTP {response.status}: {text}", state)
        src.publish(src.clock() + delay)
        log.warning("x: stream HTTP %d; reconnecting in %.0f s", response.status, delay)
        await src.sleep(delay)

    async def _connected(self, response: aiohttp.ClientResponse) -> AsyncIterator[Post | Deletion]:
        """Fill the gap since the last seen post by search, then yield what the stream sends.

        Returns when the stream ends or today's read budget is used up."""
        from app.sources.x import CURSOR, newer_id

        src = self.source
        self.ladder.connected()
        src.budget.charge(src.clock(), 0, billable=False)
        src.ok()
        src.publish()
        async for post in src.search_run():
            yield post
        async for line in ndjson_lines(response, src.stall_s):
            if line:
                seen = self._parse(line)
                if seen is not None:
                    tweet_id, post = seen
                    stored = await src.ctx.cursors.get(CURSOR)
                    await src.ctx.cursors.set(CURSOR, newer_id(tweet_id, stored) or tweet_id)
                    src.status.posts += 1
                    yield post
                if src.budget.remaining(src.clock()) <= 0:
                    return
            async for deletion in src.recheck_if_due():
                yield deletion

    def _parse(self, line: bytes) -> tuple[str, Post] | None:
        """Return (tweet id, post) for one stream line, or None for a line to skip."""
        src = self.source
        try:
            body = json.loads(line)
        except ValueError:
            log.warning("x: skipping a malformed stream line %.80r", line)
            return None
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            if isinstance(body, dict) and body.get("errors"):
                log.warning("x: stream says %s", body["errors"])
            return None
        rules = body.get("matching_rules")
        if (
            isinstance(rules, list)
            and rules
            and not any(isinstance(r, dict) and r.get("tag") == self.tag for r in rules)
        ):
            return None  # another wall's rule on a shared connection
        src.budget.count_streamed(src.clock())
        posts = src.parse_posts(body)
        if not posts:
            return None
        src.ok()
        src.publish()
        return str(posts[0][0]), posts[0][1]
