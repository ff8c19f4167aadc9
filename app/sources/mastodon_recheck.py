"""Deletion re-checks of the Mastodon source.

Polling never sees deletes, and a stream misses those made while it was down, so every few
minutes a few visible posts (oldest-checked first) are fetched again from the instance that
served them: a 404/410 or a status no longer public takes the post off the wall, an edited one
is offered again.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import TYPE_CHECKING

import httpx

from app.models import Deletion
from app.sources.mastodon_http import Item
from app.sources.mastodon_normalize import status_to_post

if TYPE_CHECKING:
    from app.sources.mastodon import MastodonSource

__all__ = ["Rechecker"]

# Logged under the source's own logger name, as before this module was split off.
log = logging.getLogger("app.sources.mastodon")


class Rechecker:
    """The deletion re-check loop of one `MastodonSource`."""

    def __init__(self, source: MastodonSource, interval_s: float, batch: int) -> None:
        self.source = source
        self._interval = interval_s
        self._batch = batch

    async def run(self, client: httpx.AsyncClient, queue: asyncio.Queue[Item]) -> None:
        """Every few minutes, ask the instance that served a visible post whether it still
        exists and is public: polling never sees deletes, and a stream misses those made
        while it was down. A few posts per round, oldest-checked first, within the rate limit."""
        order: OrderedDict[str, None] = OrderedDict()
        while True:
            await self.source.sleep(self._interval)
            try:
                visible = await self.source.ctx.visible_ids(self.source.name)
            except Exception:  # the store is not ours to diagnose; try again next round
                log.exception("mastodon: visible_ids failed")
                continue
            for post_id in visible:
                order.setdefault(post_id, None)
            for post_id in [p for p in order if p not in set(visible)]:
                del order[post_id]
            for post_id in list(order)[: self._batch]:
                order.move_to_end(post_id)
                await self._recheck(client, post_id, queue)

    async def _recheck(
        self, client: httpx.AsyncClient, post_id: str, queue: asyncio.Queue[Item]
    ) -> None:
        uri = post_id.removeprefix("mastodon:")
        for inst in self.source.instances:
            local = next((k for k, v in inst.local_uris.items() if v == uri), None)
            if local is None:
                continue
            try:
                resp = await self.source.get(client, inst, f"{inst.base}/api/v1/statuses/{local}")
            except httpx.HTTPStatusError as err:
                if err.response.status_code in (404, 410):
                    inst.local_uris.pop(local, None)
                    self.source.versions.pop(post_id, None)
                    await queue.put(Deletion(post_id=post_id))
                return
            except (httpx.HTTPError, ValueError) as err:
                inst.info["recheck_error"] = f"{type(err).__name__}: {err}"[:300]
                return
            status = resp.json()
            if isinstance(status, dict) and status_to_post(status, inst.host) is None:
                self.source.versions.pop(post_id, None)
                await queue.put(Deletion(post_id=post_id))
            elif isinstance(status, dict):
                await self.source.offer(inst, status, queue)  # re-yielded only if edited
            return
