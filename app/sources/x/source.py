"""The X source: recent-search polling or the filtered stream, plus deletion re-checks.

`XSource.events()` is one sequential generator: poll (or read the stream), re-check visible posts
when due, wait. Each post is yielded straight to the ingest layer, and a cursor only moves once
the posts before it have been taken, so a crash repeats posts rather than losing them. Expected
faults are handled inside (http.py); 401/403 stop the source with a clear status and `events()`
returns. The pieces: search runs and the cursor in search.py, stream mode in stream.py,
re-checks in rechecks.py, the budget in budget.py, the status figures in status.py and
normalisation in normalize.py. Each gets what it needs as arguments, never this object.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from tweepy.asynchronous import AsyncClient, AsyncStreamingClient

from app.models import Deletion, Post
from app.settings import XSettings
from app.sources.base import SourceContext, SourceStatus
from app.sources.plumbing import Sleep
from app.sources.x.budget import ReadBudget
from app.sources.x.http import Clock, XApiCaller, XStopped, make_session, redact_tweepy_logs
from app.sources.x.hydrate import Hydrator
from app.sources.x.query import FIELDS, build_query
from app.sources.x.rechecks import Rechecks
from app.sources.x.search import Search, SinceId
from app.sources.x.shared import STALL_S, SharedStream
from app.sources.x.status import XStatus
from app.sources.x.stream import sync_rules
from app.sources.x.subscriber import StreamHooks, StreamMode

__all__ = ["XSource"]

log = logging.getLogger(__name__)


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
        sleep: Sleep = asyncio.sleep,
        stall_s: float = STALL_S,
        session_factory: Callable[[str], aiohttp.ClientSession] = make_session,
        stream: SharedStream | None = None,
    ) -> None:
        """`stream` is the filtered stream shared by every wall of this bearer token (see
        shared.py; the ingest layer passes one); without it stream mode opens its own, read
        with this source's clock, sleep and `stall_s`."""
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
        self.report = XStatus(self.status, self.budget, clock, self._figures)
        self.cursor = SinceId(ctx.cursors)
        # tweepy's client needs the session events() opens, so these call it through a method.
        self.client: Any = None
        self.hydrator = Hydrator(self.caller, self._lookup_full, self.budget, self.report, clock)
        self.search = Search(
            self.caller, self._search, self.query, self.cursor, self.budget, self.report, clock,
            self.hydrator,
        )
        self.stream = stream or SharedStream(
            bearer_token, base_url, session_factory=session_factory, clock=clock, sleep=sleep,
            stall_s=stall_s,
        )
        self.rechecks = Rechecks(
            self.caller,
            self._lookup,
            functools.partial(ctx.visible_ids, self.name),
            self.budget,
            clock=clock,
            interval_s=settings.recheck_interval_s,
        )

    def _figures(self) -> dict[str, Any]:
        """Return the source's own figures for `SourceStatus.extra` (beside the budget's)."""
        return {
            "mode": self.settings.mode,
            "poll_interval_s": round(self.interval, 1),
            "recheck_interval_s": self.settings.recheck_interval_s,
            "recheck_posts": self.rechecks.looked_up,
        }

    def _search(self, params: dict[str, Any]) -> Awaitable[aiohttp.ClientResponse]:
        """Start `GET /2/tweets/search/recent` for the wall's query with tweepy's `params`."""
        return self.client.search_recent_tweets(self.query, **params)  # type: ignore[no-any-return]

    def _lookup(self, ids: list[str]) -> Awaitable[aiohttp.ClientResponse]:
        """Start `GET /2/tweets` for `ids`, asking for their edit history."""
        return self.client.get_tweets(ids, tweet_fields=["edit_history_tweet_ids"])  # type: ignore[no-any-return]

    def _lookup_full(self, ids: list[str]) -> Awaitable[aiohttp.ClientResponse]:
        """Start `GET /2/tweets` for `ids` with every expansion a card needs."""
        return self.client.get_tweets(ids, **FIELDS)  # type: ignore[no-any-return]

    # -- lifecycle ----------------------------------------------------------------------------

    async def events(self) -> AsyncIterator[Post | Deletion]:
        """Yield posts (oldest first) and deletions until X refuses the token.

        Returns (with `status.state == "stopped"`) on 401/403 or a configuration X cannot
        serve; raises only on unexpected bugs.
        """
        redact_tweepy_logs(self.token)
        self.rechecks.start()
        try:
            if not self.query:
                raise ValueError(f"wall {self.ctx.wall!r} has no hashtags to search X for")
            session = self._session_factory(self.base_url)
        except ValueError as err:
            # A configuration problem: restarting cannot help, so say so once and stop.
            log.error("x: not starting the source of %s: %s", self.ctx.wall, err)
            self.status.failed(str(err), "stopped")
            return
        self.client = AsyncClient(self.token, return_type=aiohttp.ClientResponse)
        self.client.session = session
        try:
            if self.settings.mode == "stream":
                rules_client = AsyncStreamingClient(self.token, return_type=aiohttp.ClientResponse)
                rules_client.session = session
                await sync_rules(self.caller, rules_client, self.ctx.wall, self.query)
                async for event in self._stream_mode().run():
                    yield event
            else:
                async for event in self._search_mode():
                    yield event
        except XStopped as err:
            log.error("x: stopping the source of %s: %s", self.ctx.wall, err)
            self.report.stopped(str(err))
        finally:
            await session.close()

    def _stream_mode(self) -> StreamMode:
        """Return the wall's side of the shared stream, lent the search, the re-checks, the
        budget wait and the hydrating parser."""
        hooks = StreamHooks(
            wait_for_budget=self.wait_for_budget,
            catch_up=self.search.run,
            rechecks=self.rechecks.if_due,
            posts=self.hydrator.posts,
        )
        return StreamMode(
            self.ctx.wall, self.stream, hooks, self.cursor, self.budget, self.report,
            clock=self.clock,
        )

    async def _search_mode(self) -> AsyncIterator[Post | Deletion]:
        """Poll forever: re-check when due, search, then wait the interval the budget allows."""
        while True:
            await self.wait_for_budget()
            async for event in self.rechecks.if_due():
                yield event
            async for post in self.search.run():
                yield post
            now = self.clock()
            self.interval = self.budget.poll_interval(
                now, self.settings.poll_interval_s, self.search.post_rate, self.rechecks.rate
            )
            wake = now + self.interval
            self.report.publish(wake)
            await self.caller.sleep_until(wake)

    async def wait_for_budget(self) -> None:
        """Return at once, or at 00:00 UTC when today's read budget is used up."""
        now = self.clock()
        if self.budget.remaining(now) > 0:
            return
        wake = now + self.budget.seconds_to_midnight(now)
        self.report.failed("daily read budget used up; resuming at 00:00 UTC", "waiting", wake)
        await self.caller.sleep_until(wake)

    def pick_rechecks(self, ids: list[str]) -> list[str]:
        """Return the native ids the next deletion re-check would look up (see rechecks.py)."""
        return self.rechecks.pick(ids)
