"""Recent-search runs of the X source, and the `since_id` cursor they (and the stream) advance.

A run fetches every post newer than the stored `since_id`, all pages with that same `since_id`,
and yields them oldest first; the cursor moves to the first page's `newest_id` only once the run
is complete, so an interrupted run is simply repeated. Stream mode runs one on every (re)connect
to fill the gap, and moves the cursor forward itself as posts stream in.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import aiohttp
from tweepy.errors import BadRequest

from app.models import Post
from app.sources.base import CursorStore
from app.sources.x.budget import ReadBudget
from app.sources.x.http import Clock, MalformedResponse, XApiCaller, XStopped
from app.sources.x.hydrate import Hydrator
from app.sources.x.page import Json
from app.sources.x.query import FIELDS
from app.sources.x.status import XStatus

__all__ = ["CURSOR", "Search", "SearchRequest", "SinceId", "newer_id"]

log = logging.getLogger(__name__)

CURSOR = "since_id"

SearchRequest = Callable[[dict[str, Any]], Awaitable[aiohttp.ClientResponse]]
"""Runs `GET /2/tweets/search/recent` for the wall's query with these keyword arguments."""


def newer_id(a: str | None, b: str | None) -> str | None:
    """Return the larger of two tweet ids (ids grow with time); either may be None or ""."""
    if not a or not a.isdigit():
        return b or None
    if not b or not b.isdigit():
        return a
    return a if int(a) >= int(b) else b


class SinceId:
    """The `since_id` cursor: the newest tweet id taken by the wall, kept in the cursor store."""

    def __init__(self, cursors: CursorStore) -> None:
        self._cursors = cursors

    async def get(self) -> str | None:
        """Return the stored tweet id, or None before the first run (or after `drop`)."""
        return await self._cursors.get(CURSOR) or None

    async def advance(self, tweet_id: str) -> None:
        """Store `tweet_id` unless the stored id is newer already."""
        stored = await self.get()
        await self._cursors.set(CURSOR, newer_id(tweet_id, stored) or tweet_id)

    async def drop(self) -> None:
        """Forget the cursor: the next run starts afresh (latest posts only)."""
        await self._cursors.set(CURSOR, "")


class Search:
    """One recent-search run after another; keeps the rate of new posts for the poll interval."""

    def __init__(
        self,
        caller: XApiCaller,
        request: SearchRequest,
        query: str,
        cursor: SinceId,
        budget: ReadBudget,
        report: XStatus,
        clock: Clock,
        hydrator: Hydrator,
    ) -> None:
        self._caller = caller
        self._hydrator = hydrator
        self._request = request
        self._query = query
        self._cursor = cursor
        self._budget = budget
        self._report = report
        self._clock = clock
        self.post_rate = 0.0  # new posts per second, smoothed over runs
        self._last_run: float | None = None

    async def run(self) -> AsyncIterator[Post]:
        """Yield every post newer than the stored `since_id`, oldest first, then advance it.

        A run that would overdraw today's budget stops paginating and keeps the newest posts.
        A malformed answer or a refused `since_id` ends the run early (logged, status set).
        Raises XStopped on refused credentials or a query X refuses outright.
        """
        since_id = await self._cursor.get()
        newest: str | None = None
        next_token: str | None = None
        found: list[tuple[int, Post]] = []
        while True:
            params: dict[str, Any] = {**FIELDS, "max_results": 100}
            if since_id:
                params["since_id"] = since_id
            if next_token:
                params["next_token"] = next_token
            try:
                body = await self._caller.call("search", functools.partial(self._request, params))
            except MalformedResponse as err:
                log.error("x: skipping this poll: %s", err)
                self._report.failed(str(err), "ok")
                return
            except BadRequest as err:
                if not since_id:
                    raise XStopped(f"X refused the search query {self._query!r}: {err}") from err
                # Typically a since_id older than the 7-day search window: start afresh.
                log.warning("x: search refused since_id %s (%s); dropping it", since_id, err)
                await self._cursor.drop()
                self._report.failed(f"search refused since_id: {err}", "ok")
                return
            meta: Json = body["meta"] if isinstance(body.get("meta"), dict) else {}
            self._report.ok()
            newest = newest or meta.get("newest_id")
            found.extend(await self._hydrator.posts(body))
            next_token = meta.get("next_token")
            if not next_token:
                break
            if self._budget.remaining(self._clock()) <= 0:
                log.warning("x: read budget used up mid-run; older posts skipped")
                break
        found.sort(key=lambda pair: pair[0])
        for _, post in found:
            self._report.posted()
            yield post
        if newest:
            await self._cursor.advance(newest)
        self._note_rate(len(found))

    def _note_rate(self, posts: int) -> None:
        """Fold this run's posts per second into `post_rate` (an exponential moving average)."""
        now = self._clock()
        if self._last_run is not None and now > self._last_run:
            sample = posts / (now - self._last_run)
            self.post_rate = 0.7 * self.post_rate + 0.3 * sample
        self._last_run = now
