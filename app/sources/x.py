"""The X source: recent-search polling or the filtered stream, plus deletion re-checks.

`XSource.events()` is one sequential generator: poll (or read the stream), re-check visible posts
when due, wait. Expected faults are handled inside (see x_http.py); 401/403 stop the source
with a clear status and `events()` returns. Normalisation lives in x_normalize.py, the budget in
x_budget.py, stream framing and rules in x_stream.py.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp

from app.models import Deletion, Post
from app.settings import XSettings
from app.sources.base import SourceContext, SourceStatus
from app.sources.x_budget import ReadBudget
from app.sources.x_http import Clock, MalformedResponse, Sleep, XApiCaller, XStopped, make_session
from app.sources.x_normalize import build_query, tweet_to_post
from app.sources.x_stream import ReconnectLadder, ndjson_lines, sync_rules

__all__ = ["FIELDS", "XSource"]

log = logging.getLogger(__name__)

Json = dict[str, Any]
FIELDS: dict[str, list[str]] = {
    "expansions": [
        "author_id",
        "attachments.media_keys",
        "referenced_tweets.id",
        "referenced_tweets.id.author_id",
    ],
    "tweet_fields": [
        "created_at", "entities", "note_tweet", "lang", "possibly_sensitive", "public_metrics",
        "edit_history_tweet_ids", "referenced_tweets", "attachments", "author_id",
    ],
    "user_fields": ["name", "username", "profile_image_url", "public_metrics"],
    "media_fields": [
        "url", "preview_image_url", "alt_text", "width", "height", "type", "variants",
    ],
}
STREAM_URL = "https://api.x.com/2/tweets/search/stream"
GONE = ("resource-not-found", "not-authorized-for-resource")
CURSOR = "since_id"


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def _newer(a: str | None, b: str | None) -> str | None:
    """Return the larger of two tweet ids (ids grow with time), either may be None."""
    if not a or not a.isdigit():
        return b
    if not b or not b.isdigit():
        return a
    return a if int(a) >= int(b) else b


class XSource:
    """Posts carrying the wall's hashtags on X, and deletions of the ones already shown."""

    name = "x"

    def __init__(
        self,
        ctx: SourceContext,
        settings: XSettings,
        bearer_token: str,
        base_url: str = "https://api.x.com",
        *,
        clock: Clock = time.time,
        sleep: Sleep = _sleep,
        stall_s: float = 90.0,
        session_factory: Callable[[str], aiohttp.ClientSession] = make_session,
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.status = SourceStatus(source="x")
        self.clock = clock
        self.sleep = sleep
        self.stall_s = stall_s
        self._token = bearer_token
        self._base_url = base_url
        self._session_factory = session_factory
        self.budget = ReadBudget(settings.daily_read_budget, settings.cost_per_read_usd)
        self.caller = XApiCaller(self.budget, self.status, clock=clock, sleep=sleep)
        self.query = build_query(
            ctx.hashtags,
            exclude_reposts=settings.exclude_reposts,
            languages=settings.languages,
            media_only=settings.media_only,
        )
        self.ladder = ReconnectLadder()
        self.interval = settings.poll_interval_s
        self._post_rate = 0.0
        self._last_run: float | None = None
        self._visible = 0
        self._next_recheck: float | None = None
        self._client: Any = None
        self._rules: Any = None
        self._session: aiohttp.ClientSession | None = None

    # -- status -------------------------------------------------------------------------------

    def _at(self, epoch: float) -> datetime:
        return datetime.fromtimestamp(epoch, UTC)

    def _publish(self, next_poll: float | None = None) -> None:
        now = self.clock()
        if next_poll is not None:
            self.status.next_poll = self._at(next_poll)
        self.status.extra = {
            **self.budget.figures(now),
            "mode": self.settings.mode,
            "poll_interval_s": round(self.interval, 1),
            "recheck_interval_s": round(self._recheck_every(now), 1),
            "next_poll": self.status.next_poll.isoformat() if self.status.next_poll else None,
        }

    def _ok(self) -> None:
        self.status.state = "ok"
        self.status.last_success = self._at(self.clock())

    # -- lifecycle ----------------------------------------------------------------------------

    async def events(self) -> AsyncIterator[Post | Deletion]:
        """Yield posts (oldest first) and deletions until stopped by X refusing the token.

        Returns (with `status.state == "stopped"`) on 401/403; raises only on unexpected bugs.
        """
        from tweepy.asynchronous import AsyncClient, AsyncStreamingClient

        self._session = self._session_factory(self._base_url)
        self._client = AsyncClient(self._token, return_type=aiohttp.ClientResponse)
        self._client.session = self._session
        self._rules = AsyncStreamingClient(self._token, return_type=aiohttp.ClientResponse)
        self._rules.session = self._session
        try:
            if self.settings.mode == "stream":
                async for event in self._stream_mode():
                    yield event
            else:
                async for event in self._search_mode():
                    yield event
        except XStopped as err:
            log.error("x: stopping the source of %s: %s", self.ctx.wall, err)
            self.status.failed(str(err), "stopped")
            self.status.next_poll = None
            self._publish()
        finally:
            await self._session.close()

    # -- search mode --------------------------------------------------------------------------

    async def _search_mode(self) -> AsyncIterator[Post | Deletion]:
        while True:
            await self._wait_for_budget()
            async for event in self._recheck_if_due():
                yield event
            async for post in self.search_run():
                yield post
            now = self.clock()
            self.interval = self.budget.poll_interval(
                now,
                self.settings.poll_interval_s,
                self._post_rate,
                self._visible / self._recheck_every(now),
            )
            wake = now + self.interval
            self._publish(wake)
            await self.caller.sleep_until(wake)

    async def _wait_for_budget(self) -> None:
        now = self.clock()
        if self.budget.remaining(now) > 0:
            return
        wake = now + self.budget.seconds_to_midnight(now)
        self.status.failed("daily read budget used up; resuming at 00:00 UTC", "waiting")
        self._publish(wake)
        await self.caller.sleep_until(wake)

    async def search_run(self) -> AsyncIterator[Post]:
        """Yield every post newer than the stored `since_id`, oldest first, then advance it.

        All pages are fetched with the same `since_id`; the cursor moves to the first page's
        `newest_id` only once the last page is in, so an interrupted run is simply repeated.
        """
        since_id = await self.ctx.cursors.get(CURSOR) or None
        newest: str | None = None
        next_token: str | None = None
        found: list[tuple[int, Post]] = []
        while True:
            params: dict[str, Any] = {**FIELDS, "max_results": 100}
            if since_id:
                params["since_id"] = since_id
            if next_token:
                params["next_token"] = next_token

            def request(params: dict[str, Any] = params) -> Awaitable[aiohttp.ClientResponse]:
                return self._client.search_recent_tweets(self.query, **params)  # type: ignore[no-any-return]

            try:
                body = await self.caller.call("search", request)
            except MalformedResponse as err:
                log.error("x: skipping this poll: %s", err)
                self.status.failed(str(err), "ok")
                return
            except Exception as err:
                if type(err).__name__ != "BadRequest":
                    raise
                if since_id:
                    # Typically a since_id older than the 7-day search window: start afresh.
                    log.warning("x: search refused since_id %s (%s); dropping it", since_id, err)
                    await self.ctx.cursors.set(CURSOR, "")
                    self.status.failed(f"search refused since_id: {err}", "ok")
                    return
                raise XStopped(f"X refused the search query {self.query!r}: {err}") from err
            meta: Json = body["meta"] if isinstance(body.get("meta"), dict) else {}
            self._ok()
            self._publish()
            newest = newest or meta.get("newest_id")
            found.extend(self._posts(body))
            next_token = meta.get("next_token")
            if not next_token:
                break
        found.sort(key=lambda pair: pair[0])
        for _, post in found:
            self.status.posts += 1
            yield post
        if newest:
            await self.ctx.cursors.set(CURSOR, _newer(newest, since_id) or newest)
        self._note_rate(len(found))
        self._ok()

    def _posts(self, body: Json) -> list[tuple[int, Post]]:
        """Return (tweet id, post) for each usable tweet of a response; bad ones are logged."""
        data = body.get("data") or []
        data = [data] if isinstance(data, dict) else data
        includes = body.get("includes") if isinstance(body.get("includes"), dict) else {}
        out: list[tuple[int, Post]] = []
        for tweet in data if isinstance(data, list) else []:
            try:
                out.append((int(tweet["id"]), tweet_to_post(tweet, includes)))
            except (KeyError, TypeError, ValueError) as err:
                log.warning("x: skipping a malformed post %.80r: %s", tweet, err)
        return out

    def _note_rate(self, posts: int) -> None:
        now = self.clock()
        if self._last_run is not None and now > self._last_run:
            sample = posts / (now - self._last_run)
            self._post_rate = 0.7 * self._post_rate + 0.3 * sample
        self._last_run = now

    # -- deletions ----------------------------------------------------------------------------

    def _recheck_every(self, now: float) -> float:
        return self.budget.recheck_interval(now, self.settings.recheck_interval_s, self._visible)

    async def _recheck_if_due(self) -> AsyncIterator[Deletion]:
        now = self.clock()
        if self._next_recheck is None:
            self._next_recheck = now + self.settings.recheck_interval_s
        if now < self._next_recheck:
            return
        async for deletion in self.recheck():
            yield deletion
        self._next_recheck = self.clock() + self._recheck_every(self.clock())

    async def recheck(self) -> AsyncIterator[Deletion]:
        """Yield a `Deletion` for each visible X post that X no longer shows (deleted, made
        private, or simply absent from the lookup), looking them up 100 at a time."""
        ids = [i.split(":", 1)[1] for i in await self.ctx.visible_ids("x") if i.startswith("x:")]
        self._visible = len(ids)
        for start in range(0, len(ids), 100):
            batch = ids[start : start + 100]

            def request(batch: list[str] = batch) -> Awaitable[aiohttp.ClientResponse]:
                return self._client.get_tweets(batch, tweet_fields=["edit_history_tweet_ids"])  # type: ignore[no-any-return]

            try:
                body = await self.caller.call("lookup", request)
            except MalformedResponse as err:
                log.error("x: skipping a deletion re-check batch: %s", err)
                continue
            data = body.get("data") or []
            present = {str(t.get("id")) for t in data if isinstance(t, dict)}
            gone = {
                str(e.get("resource_id") or e.get("value"))
                for e in body.get("errors") or []
                if isinstance(e, dict) and str(e.get("type", "")).endswith(GONE)
            }
            for native in batch:
                if native in gone or native not in present:
                    yield Deletion(f"x:{native}")

    # -- stream mode --------------------------------------------------------------------------

    async def _stream_mode(self) -> AsyncIterator[Post | Deletion]:
        await sync_rules(self.caller, self._rules, self.ctx.wall, self.query)
        params = {k.replace("_fields", ".fields"): ",".join(v) for k, v in FIELDS.items()}
        headers = {"Authorization": f"Bearer {self._token}"}
        assert self._session is not None
        while True:
            await self._wait_for_budget()
            try:
                async with self._session.get(
                    STREAM_URL,
                    params=params,
                    headers=headers,
                    timeout=aiohttp.ClientTimeout(total=None, sock_connect=15, sock_read=None),
                ) as response:
                    if response.status in (401, 403):
                        raise XStopped(f"X refused the credentials on stream: {response.status}")
                    if response.status != 200:
                        await self._stream_refused(response)
                        continue
                    async for event in self._connected(response):
                        yield event
                problem = "stream closed by X"
            except (aiohttp.ClientError, TimeoutError) as err:
                problem = f"stream lost: {type(err).__name__}: {err}"
            delay = self.ladder.after_network_error()
            self.status.failed(problem, "backoff")
            self._publish(self.clock() + delay)
            log.warning("x: %s; reconnecting in %.2f s", problem, delay)
            await self.sleep(delay)

    async def _stream_refused(self, response: aiohttp.ClientResponse) -> None:
        text = (await response.text())[:200]
        self.budget.charge(self.clock(), 0)
        if response.status == 429:
            delay = self.ladder.after_rate_limit()
            state: Any = "rate_limited"
        else:
            delay = self.ladder.after_http_error()
            state = "backoff"
        self.status.failed(f"stream HTTP {response.status}: {text}", state)
        self._publish(self.clock() + delay)
        log.warning("x: stream HTTP %d; reconnecting in %.0f s", response.status, delay)
        await self.sleep(delay)

    async def _connected(self, response: aiohttp.ClientResponse) -> AsyncIterator[Post | Deletion]:
        """Fill the gap since the last seen post by search, then yield what the stream sends."""
        self.ladder.connected()
        self.budget.charge(self.clock(), 0, billable=False)
        self._ok()
        self._publish()
        async for post in self.search_run():
            yield post
        async for line in ndjson_lines(response, self.stall_s):
            if line:
                seen = self._stream_post(line)
                if seen is not None:
                    tweet_id, post = seen
                    stored = await self.ctx.cursors.get(CURSOR)
                    await self.ctx.cursors.set(CURSOR, _newer(tweet_id, stored) or tweet_id)
                    self.status.posts += 1
                    yield post
            async for deletion in self._recheck_if_due():
                yield deletion

    def _stream_post(self, line: bytes) -> tuple[str, Post] | None:
        """Return (tweet id, post) for one stream line, or None for a line to skip."""
        try:
            body = json.loads(line)
        except ValueError:
            log.warning("x: skipping a malformed stream line %.80r", line)
            return None
        if not isinstance(body, dict) or not isinstance(body.get("data"), dict):
            if isinstance(body, dict) and body.get("errors"):
                log.warning("x: stream says %s", body["errors"])
            return None
        self.budget.count_streamed(self.clock())
        posts = self._posts(body)
        if not posts:
            return None
        self._ok()
        self._publish()
        return str(posts[0][0]), posts[0][1]
