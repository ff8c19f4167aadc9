"""Deletion re-checks of the X source: which visible posts to look up again, when, and which
of them X no longer shows.

X sends no deletions (not even on the filtered stream), so every `recheck_interval_s` the ids
of the wall's visible X posts are looked up 100 at a time. Each found post is a billed read, so
the budget decides how many are looked up (`choose_rechecks`: the newest every time, the rest
in turn).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import AsyncIterator, Awaitable, Callable

import aiohttp

from app.models import Deletion
from app.sources.x.budget import ReadBudget, choose_rechecks
from app.sources.x.http import Clock, MalformedResponse, XApiCaller
from app.sources.x.page import Json

__all__ = ["LookupRequest", "Rechecks", "VisibleIds", "gone_ids"]

log = logging.getLogger(__name__)

LookupRequest = Callable[[list[str]], Awaitable[aiohttp.ClientResponse]]
"""Runs `GET /2/tweets` for up to 100 native tweet ids."""

VisibleIds = Callable[[], Awaitable[list[str]]]
"""Returns the global ids (`x:<id>`) of the wall's X posts visible now."""

_GONE = ("resource-not-found", "not-authorized-for-resource")


class Rechecks:
    """The re-check schedule and lookups of one X source."""

    def __init__(
        self,
        caller: XApiCaller,
        lookup: LookupRequest,
        visible: VisibleIds,
        budget: ReadBudget,
        *,
        clock: Clock,
        interval_s: float,
    ) -> None:
        self._caller = caller
        self._lookup = lookup
        self._visible = visible
        self._budget = budget
        self._clock = clock
        self.interval_s = interval_s
        self.looked_up = 0  # posts looked up by the last re-check
        self._rotation = 0
        self._due: float | None = None

    @property
    def rate(self) -> float:
        """Return the reads per second re-checks are expected to cost, from the last one."""
        return self.looked_up / self.interval_s

    def start(self) -> None:
        """Schedule the first re-check one interval from now (nothing is visible before)."""
        self._due = self._clock() + self.interval_s

    def pick(self, ids: list[str]) -> list[str]:
        """Return the native ids to look up this time (see `choose_rechecks`)."""
        allowance = self._budget.recheck_allowance(self._clock(), self.interval_s)
        picked, self._rotation = choose_rechecks(ids, allowance, self._rotation)
        return picked

    async def if_due(self) -> AsyncIterator[Deletion]:
        """Run `run()` when the interval has passed since the last re-check; else yield nothing."""
        if self._due is None:
            self.start()
        assert self._due is not None
        if self._clock() < self._due:
            return
        async for deletion in self.run():
            yield deletion
        self._due = self._clock() + self.interval_s

    async def run(self) -> AsyncIterator[Deletion]:
        """Yield a `Deletion` for each re-checked X post that X no longer shows (deleted, made
        private, or simply absent from the lookup). A malformed answer skips its batch (logged);
        raises XStopped on refused credentials."""
        visible = await self._visible()
        ids = self.pick([i.split(":", 1)[1] for i in visible if i.startswith("x:")])
        self.looked_up = len(ids)
        for start in range(0, len(ids), 100):
            batch = ids[start : start + 100]
            try:
                body = await self._caller.call("lookup", functools.partial(self._lookup, batch))
            except MalformedResponse as err:
                log.error("x: skipping a deletion re-check batch: %s", err)
                continue
            for native in gone_ids(batch, body):
                yield Deletion(f"x:{native}")


def gone_ids(requested: list[str], lookup: Json) -> list[str]:
    """Return the ids of `requested` that a `GET /2/tweets` answer no longer shows: reported in
    `errors` as not found or not authorised, or absent from an answer that accounts for others.

    An id found in any returned post's edit history counts as present. An answer with neither
    `data` nor `errors` proves nothing, and a hidden post never comes back (P4), so it gives [].
    """
    data = [t for t in lookup.get("data") or [] if isinstance(t, dict)]
    errors = [e for e in lookup.get("errors") or [] if isinstance(e, dict)]
    if not data and not errors:
        return []
    present = {str(t.get("id")) for t in data}
    for t in data:
        present.update(str(i) for i in t.get("edit_history_tweet_ids") or [])
    gone = {
        str(e.get("resource_id") or e.get("value"))
        for e in errors
        if str(e.get("type", "")).endswith(_GONE)
    }
    return [i for i in requested if i in gone or i not in present]
