"""The X source: recent-search polling or the filtered stream, plus deletion re-checks.

`XSource.events()` is one sequential generator: poll (or read the stream), re-check visible posts
when due, wait. Each post is yielded straight to the ingest layer, and a cursor only moves once
the posts before it have been taken, so a crash repeats posts rather than losing them. Expected
faults are handled inside (x_http.py); 401/403 stop the source with a clear status and
`events()` returns. Normalisation is in x_normalize.py, the budget in x_budget.py, stream mode in
x_stream.py.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp

from app.models import Deletion, Post
from app.settings import XSettings
from app.sources.base import SourceContext, SourceStatus
from app.sources.x_budget import ReadBudget, choose_rechecks
from app.sources.x_http import (
    Clock,
    MalformedResponse,
    Sleep,
    XApiCaller,
    XStopped,
    make_session,
    redact_tweepy_logs,
)
from app.sources.x_normalize import FIELDS, build_query, gone_ids, tweet_to_post
from app.sources.x_stream import StreamMode

__all__ = ["CURSOR", "XSource"]

log = logging.getLogger(__name__)

Json = dict[str, Any]
CURSOR = "since_id"


async def _sleep(seconds: float) -> None:
    await asyncio.sleep(seconds)


def newer_id(a: str | None, b: str | None) -> str | None:
    """Return the larger of two tweet ids (ids grow with time); either may be None or ""."""
    if not a or not a.isdigit():
        return b or None
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
        self.token = bearer_token
        self.base_url = base_url
        self._session_factory = session_factory
        self.budget = ReadBudget(settings.daily_read_budget, settings.cost_per_read_usd)
        self.caller = XApiCaller(self.budget, self.status, clock=clock, sleep=sleep)
        try:
            self.query = build_query(
                ctx.hashtags,
                exclude_reposts=settings.exclude_reposts,
                languages=settings.languages,
                media_only=settings.media_only,
            )
        except ValueError:
            self.query = ""  # events() reports it: a wall without hashtags has nothing to poll
        self.interval = settings.poll_interval_s
        self._post_rate = 0.0
        self._last_run: float | None = None
        self._rechecked = 0
        self._rotation = 0
        self._next_recheck: float | None = None
        self.session: aiohttp.ClientSession | None = None
        self.client: Any = None
        self.rules_client: Any = None

    # -- status -------------------------------------------------------------------------------

    def at(self, epoch: float) -> datetime:
        return datetime.fromtimestamp(epoch, UTC)

    def publish(self, next_poll: float | None = None) -> None:
        """Refresh the status: next poll (if given) and the budget figures in `extra`."""
        now = self.clock()
        if next_poll is not None:
            self.status.next_poll = self.at(next_poll)
        nxt = self.status.next_poll
        self.status.extra = {
            **self.budget.figures(now),
            "mode": self.settings.mode,
            "poll_interval_s": round(self.interval, 1),
            "recheck_interval_s": self.settings.recheck_interval_s,
            "recheck_posts": self._rechecked,
            "next_poll": nxt.isoformat().replace("+00:00", "Z") if nxt else None,
        }

    def ok(self) -> None:
        self.status.state = "ok"
        self.status.last_success = self.at(self.clock())

    # -- lifecycle ----------------------------------------------------------------------------

    async def events(self) -> AsyncIterator[Post | Deletion]:
        """Yield posts (oldest first) and deletions until X refuses the token.

        Returns (with `status.state == "stopped"`) on 401/403; raises only on unexpected bugs.
        """
        from tweepy.asynchronous import AsyncClient, AsyncStreamingClient

        redact_tweepy_logs(self.token)
        self._next_recheck = self.clock() + self.settings.recheck_interval_s
        try:
            if not self.query:
                raise ValueError(f"wall {self.ctx.wall!r} has no hashtags to search X for")
            self.session = self._session_factory(self.base_url)
        except ValueError as err:
            # A configuration problem: restarting cannot help, so say so once and stop.
            log.error("x: not starting the source of %s: %s", self.ctx.wall, err)
            self.status.failed(str(err), "stopped")
            return
        self.client = AsyncClient(self.token, return_type=aiohttp.ClientResponse)
        self.client.session = self.session
        self.rules_client = AsyncStreamingClient(self.token, return_type=aiohttp.ClientResponse)
        self.rules_client.session = self.session
        try:
            if self.settings.mode == "stream":
                async for event in StreamMode(self).run():
                    yield event
            else:
                async for event in self._search_mode():
                    yield event
        except XStopped as err:
            log.error("x: stopping the source of %s: %s", self.ctx.wall, err)
            self.status.failed(str(err), "stopped")
            self.status.next_poll = None
            self.publish()
        finally:
            await self.session.close()

    # -- search mode --------------------------------------------------------------------------

    async def _search_mode(self) -> AsyncIterator[Post | Deletion]:
        while True:
            await self.wait_for_budget()
            async for event in self.recheck_if_due():
                yield event
            async for post in self.search_run():
                yield post
            now = self.clock()
            self.interval = self.budget.poll_interval(
                now,
                self.settings.poll_interval_s,
                self._post_rate,
                self._rechecked / self.settings.recheck_interval_s,
            )
            wake = now + self.interval
            self.publish(wake)
            await self.caller.sleep_until(wake)

    async def wait_for_budget(self) -> None:
        """Return at once, or at 00:00 UTC when today's read budget is used up."""
        now = self.clock()
        if self.budget.remaining(now) > 0:
            return
        wake = now + self.budget.seconds_to_midnight(now)
        self.status.failed("daily read budget used up; resuming at 00:00 UTC", "waiting")
        self.publish(wake)
        await self.caller.sleep_until(wake)

    async def search_run(self) -> AsyncIterator[Post]:
        """Yield every post newer than the stored `since_id`, oldest first, then advance it.

        All pages are fetched with the same `since_id`; the cursor moves to the first page's
        `newest_id` only once the run is complete, so an interrupted run is simply repeated. A
        run that would overdraw today's budget stops paginating and keeps the newest posts.
        """
        from tweepy.errors import BadRequest

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
                return self.client.search_recent_tweets(self.query, **params)  # type: ignore[no-any-return]

            try:
                body = await self.caller.call("search", request)
            except MalformedResponse as err:
                log.error("x: skipping this poll: %s", err)
                self.status.failed(str(err), "ok")
                return
            except BadRequest as err:
                if not since_id:
                    raise XStopped(f"X refused the search query {self.query!r}: {err}") from err
                # Typically a since_id older than the 7-day search window: start afresh.
                log.warning("x: search refused since_id %s (%s); dropping it", since_id, err)
                await self.ctx.cursors.set(CURSOR, "")
                self.status.failed(f"search refused since_id: {err}", "ok")
                return
            meta: Json = body["meta"] if isinstance(body.get("meta"), dict) else {}
            self.ok()
            self.publish()
            newest = newest or meta.get("newest_id")
            found.extend(self.parse_posts(body))
            next_token = meta.get("next_token")
            if not next_token:
                break
            if self.budget.remaining(self.clock()) <= 0:
                log.warning("x: read budget used up mid-run; older posts skipped")
                break
        found.sort(key=lambda pair: pair[0])
        for _, post in found:
            self.status.posts += 1
            yield post
        if newest:
            await self.ctx.cursors.set(CURSOR, newer_id(newest, since_id) or newest)
        self._note_rate(len(found))

    def parse_posts(self, body: Json) -> list[tuple[int, Post]]:
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

    async def recheck_if_due(self) -> AsyncIterator[Deletion]:
        """Run `recheck()` when `recheck_interval_s` has passed since the last one."""
        if self._next_recheck is None:
            self._next_recheck = self.clock() + self.settings.recheck_interval_s
        if self.clock() < self._next_recheck:
            return
        async for deletion in self.recheck():
            yield deletion
        self._next_recheck = self.clock() + self.settings.recheck_interval_s

    def pick_rechecks(self, ids: list[str]) -> list[str]:
        """Return the native ids to look up this time (see `choose_rechecks`)."""
        allowance = self.budget.recheck_allowance(self.clock(), self.settings.recheck_interval_s)
        picked, self._rotation = choose_rechecks(ids, allowance, self._rotation)
        return picked

    async def recheck(self) -> AsyncIterator[Deletion]:
        """Yield a `Deletion` for each re-checked X post that X no longer shows (deleted, made
        private, or simply absent from the lookup), looking them up 100 at a time."""
        visible = await self.ctx.visible_ids("x")
        ids = self.pick_rechecks([i.split(":", 1)[1] for i in visible if i.startswith("x:")])
        self._rechecked = len(ids)
        for start in range(0, len(ids), 100):
            batch = ids[start : start + 100]

            def request(batch: list[str] = batch) -> Awaitable[aiohttp.ClientResponse]:
                return self.client.get_tweets(batch, tweet_fields=["edit_history_tweet_ids"])  # type: ignore[no-any-return]

            try:
                body = await self.caller.call("lookup", request)
            except MalformedResponse as err:
                log.error("x: skipping a deletion re-check batch: %s", err)
                continue
            for native in gone_ids(batch, body):
                yield Deletion(f"x:{native}")
