"""Reposted originals fetched in full, so a repost never shows a poorer copy of its original.

X expands media and quotes only for a page's own tweets. When a page holds a repost whose
original it cannot show in full (the original absent, or included without its media or its
quote), one `GET /2/tweets` with the same expansions fetches those originals, if today's read
budget still has room for them; otherwise the page is shown as it is and the store keeps what
an earlier sighting knew (app/merge.py). What stays unresolved is counted and logged.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable

import aiohttp

from app.models import Post
from app.sources.x.budget import ReadBudget
from app.sources.x.http import Clock, MalformedResponse, XApiCaller
from app.sources.x.normalize import tweet_to_post
from app.sources.x.page import Gaps, Json, Page
from app.sources.x.status import XStatus

__all__ = ["Hydrator", "LookupFull", "parse_posts"]

log = logging.getLogger(__name__)

LookupFull = Callable[[list[str]], Awaitable[aiohttp.ClientResponse]]
"""Runs `GET /2/tweets` for up to 100 ids with every expansion `tweet_to_post` reads."""


def parse_posts(page: Page, gaps: Gaps) -> list[tuple[int, Post]]:
    """Return (tweet id, post) for each usable tweet of a page; a malformed tweet is logged and
    skipped, never raised. What the page could not resolve is added to `gaps`."""
    out: list[tuple[int, Post]] = []
    for tweet in page.data:
        try:
            out.append((int(tweet["id"]), tweet_to_post(tweet, page=page, gaps=gaps)))
        except (KeyError, TypeError, ValueError) as err:
            log.warning("x: skipping a malformed post %.80r: %s", tweet, err)
    return out


class Hydrator:
    """Turns an answer into posts, fetching reposted originals in full when the budget allows."""

    def __init__(
        self,
        caller: XApiCaller,
        lookup: LookupFull,
        budget: ReadBudget,
        report: XStatus,
        clock: Clock,
    ) -> None:
        self._caller = caller
        self._lookup = lookup
        self._budget = budget
        self._report = report
        self._clock = clock

    async def page(self, body: Json) -> Page:
        """Return the page of `body`, with the originals it cannot show fetched when today's
        budget has room for them (else as it is). Raises what `caller.call` raises but a
        malformed answer, which only skips the fetch."""
        page = Page(body)
        missing = page.originals_to_fetch()
        if not missing:
            return page
        if self._budget.remaining(self._clock()) <= len(missing):
            log.info("x: not fetching %d reposted original(s): read budget", len(missing))
            self._report.count("originals_skipped", len(missing))
            return page
        try:
            lookup = await self._caller.call("lookup", functools.partial(self._lookup, missing))
        except MalformedResponse as err:
            log.warning("x: fetching reposted originals failed: %s", err)
            return page
        self._report.count("originals_fetched", len(missing))
        return page.with_lookup(lookup)

    async def posts(self, body: Json) -> list[tuple[int, Post]]:
        """Return (tweet id, post) for each usable tweet of `body`, originals fetched as
        `page` does; what stays unresolved is logged and counted in the status."""
        gaps = Gaps()
        found = parse_posts(await self.page(body), gaps)
        if gaps:
            log.warning("x: unresolved in a page: media %s, tweets %s, authors %s",
                        sorted(gaps.media)[:5], sorted(gaps.tweets)[:5], sorted(gaps.authors)[:5])
            self._report.unresolved(gaps)
        return found
