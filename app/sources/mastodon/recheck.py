"""Deletion re-checks of the Mastodon source.

Polling never sees deletes, and a stream misses those made while it was down, so every few
minutes a few visible posts (oldest-checked first) are fetched again from the instance that
served them: a 404/410 or a status no longer public takes the post off the wall, an edited one
is offered again.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable

import httpx

from app.sources.mastodon.feed import Feed
from app.sources.mastodon.http import Get, Instance
from app.sources.mastodon.normalize import status_to_post
from app.sources.plumbing import Sleep, describe

__all__ = ["Rechecker"]

log = logging.getLogger(__name__)


class Rechecker:
    """The deletion re-check loop over a source's instances."""

    def __init__(
        self,
        get: Get,
        feed: Feed,
        instances: list[Instance],
        visible: Callable[[], Awaitable[list[str]]],
        *,
        sleep: Sleep,
        interval_s: float,
        batch: int,
    ) -> None:
        self._get = get
        self._feed = feed
        self._instances = instances
        self._visible = visible  # the global ids of the wall's visible Mastodon posts
        self._sleep = sleep
        self._interval = interval_s
        self._batch = batch

    async def run(self) -> None:
        """Every interval, ask the instance that served a visible post whether it still exists
        and is public: a few posts per round, oldest-checked first, within the rate limit.
        Runs until cancelled; a failing round is logged and retried the next interval."""
        order: OrderedDict[str, None] = OrderedDict()
        while True:
            await self._sleep(self._interval)
            try:
                visible = await self._visible()
            except Exception:  # the store is not ours to diagnose; try again next round
                log.exception("mastodon: visible_ids failed")
                continue
            for post_id in visible:
                order.setdefault(post_id, None)
            for post_id in [p for p in order if p not in set(visible)]:
                del order[post_id]
            for post_id in list(order)[: self._batch]:
                order.move_to_end(post_id)
                await self._recheck(post_id)

    async def _recheck(self, post_id: str) -> None:
        """Fetch `post_id` again from the first instance that served it, and apply the answer."""
        uri = post_id.removeprefix("mastodon:")
        for inst in self._instances:
            local = inst.local_id(uri)
            if local is None:
                continue
            try:
                resp = await self._get(inst, f"{inst.base}/api/v1/statuses/{local}")
            except httpx.HTTPStatusError as err:
                if err.response.status_code in (404, 410):
                    inst.local_uris.pop(local)
                    await self._feed.remove(post_id)
                return
            except (httpx.HTTPError, ValueError) as err:
                inst.info["recheck_error"] = describe(err)[:300]
                return
            status = resp.json()
            if isinstance(status, dict) and status_to_post(status, inst.host) is None:
                await self._feed.remove(post_id)
            elif isinstance(status, dict):
                await self._feed.offer(inst, status)  # re-yielded only if edited
            return
