"""Where the statuses of every Mastodon instance meet on their way to the consumer.

`Feed` queues a status once per version, whichever instance served it first (a status federated
to three instances is one post), queues each cursor write behind the posts it covers, and takes
posts off the wall. `catch_up` is the REST catch-up from an (instance, tag) cursor: polling runs
it every interval, streaming after every (re)connect, so a dropped stream loses nothing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from app.models import Deletion
from app.sources.base import CursorStore
from app.sources.mastodon.http import PAGE, Commit, Get, Instance, Item
from app.sources.mastodon.normalize import id_key, status_to_post
from app.sources.plumbing import BoundedMap

__all__ = ["EMPTY_TIMELINE", "Feed", "catch_up", "cursor_key"]


# The cursor of a timeline that was empty at the first poll: "after the first status ever".
EMPTY_TIMELINE = "0"


def cursor_key(inst: Instance, tag: str) -> str:
    """Return the durable cursor key of (instance, tag)."""
    return f"{inst.host}|{tag.casefold()}"


class Feed:
    """The queue to the consumer, the versions already queued and the cursors of one run."""

    def __init__(
        self, queue: asyncio.Queue[Item], cursors: CursorStore, versions: BoundedMap[str, str]
    ) -> None:
        self._queue = queue
        self._cursors = cursors
        # Post id -> the `edited_at` queued last; owned by the source so it outlives a restart.
        self._versions = versions

    async def offer(self, inst: Instance, status: Mapping[str, Any]) -> None:
        """Queue the post unless the same version was already queued (from any instance)."""
        inst.remember(status)
        post = status_to_post(status, inst.host)
        if post is None:
            return
        original = status.get("reblog") or status
        version = str(original.get("edited_at") or "")
        seen = self._versions.get(post.id)
        if seen is not None and seen >= version:
            return
        self._versions.put(post.id, version)
        await self._queue.put(post)

    async def remove(self, post_id: str) -> None:
        """Queue the deletion of `post_id`; offered again later, it counts as new."""
        self._versions.pop(post_id)
        await self._queue.put(Deletion(post_id=post_id))

    async def cursor(self, inst: Instance, tag: str) -> str | None:
        """Return the newest status id taken for (instance, tag), or None before the first."""
        if tag not in inst.cursors:
            inst.cursors[tag] = await self._cursors.get(cursor_key(inst, tag))
        return inst.cursors[tag]

    async def advance(self, inst: Instance, tag: str, status_id: str) -> None:
        """Move the (instance, tag) cursor to `status_id` if newer, queuing its durable write."""
        current = await self.cursor(inst, tag)
        if current is None or id_key(status_id) > id_key(current):
            inst.cursors[tag] = status_id
            await self._queue.put(Commit(cursor_key(inst, tag), status_id))


def _statuses(data: Any) -> list[dict[str, Any]]:
    """Return the statuses of a timeline page, oldest first; anything else gives []."""
    page = [s for s in data if isinstance(s, dict) and "id" in s] if isinstance(data, list) else []
    page.sort(key=lambda s: id_key(str(s.get("id", ""))))
    return page


async def catch_up(get: Get, feed: Feed, inst: Instance, tag: str) -> None:
    """Offer every status of `tag` on `inst` after the cursor (first start: the latest page
    only), paging forward with `min_id` and `Link rel="prev"` until a page is empty.

    Raises what `get` raises, and ValueError for a body that is not JSON."""
    cursor = await feed.cursor(inst, tag)
    timeline = f"{inst.base}/api/v1/timelines/tag/{tag}"
    url, params = timeline, {"limit": str(PAGE)}
    if cursor is not None:
        params["min_id"] = cursor
    query: dict[str, str] | None = params
    while True:
        resp = await get(inst, url, query)
        page = _statuses(resp.json())
        if not page:
            if cursor is None:
                # The hashtag has no history here yet: from now on everything is new, so the
                # next poll pages forward from the start instead of taking the latest page only.
                await feed.advance(inst, tag, EMPTY_TIMELINE)
            return
        for status in page:
            await feed.offer(inst, status)
        # One durable cursor write per page, queued behind the page's posts.
        await feed.advance(inst, tag, str(page[-1]["id"]))
        if cursor is None:
            return  # first start: no unbounded history
        prev = resp.links.get("prev", {}).get("url")
        if prev and urlsplit(prev).netloc == urlsplit(inst.base).netloc:
            url, query = prev, None  # the server's own link carries its parameters
        else:
            newest = await feed.cursor(inst, tag)
            url, query = timeline, {"limit": str(PAGE), "min_id": str(newest)}
