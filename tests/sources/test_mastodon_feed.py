"""The Mastodon `Feed` on its own: a queue, a cursor store and a versions map, no source."""

from __future__ import annotations

import asyncio

from app.models import Deletion, Post
from app.sources.base import MemoryCursors
from app.sources.mastodon.feed import Feed, cursor_key
from app.sources.mastodon.http import Commit, Instance, Item
from app.sources.plumbing import BoundedMap
from tests.fakes.mastodon_api import make_status


def drain(queue: asyncio.Queue[Item]) -> list[Item]:
    """Return everything queued so far."""
    out = []
    while not queue.empty():
        out.append(queue.get_nowait())
    return out


async def test_one_version_once_across_instances_then_edits_and_removal() -> None:
    """A status seen on two instances is queued once; an edit again; a removal forgets it."""
    queue: asyncio.Queue[Item] = asyncio.Queue()
    feed = Feed(queue, MemoryCursors(), BoundedMap(100))
    a = Instance(base="https://a.example", host="a.example", token=None)
    b = Instance(base="https://b.example", host="b.example", token=None)
    status = {**make_status(1), "id": "101"}
    await feed.offer(a, status)
    await feed.offer(b, {**status, "id": "202"})
    assert [type(i) for i in drain(queue)] == [Post]
    assert a.local_id(status["uri"]) == "101" and b.local_id(status["uri"]) == "202"
    await feed.offer(a, {**status, "edited_at": "2026-11-28T10:00:00Z"})
    assert [type(i) for i in drain(queue)] == [Post]
    await feed.remove(f"mastodon:{status['uri']}")
    await feed.offer(b, status)  # seen again after its removal: shown again
    assert [type(i) for i in drain(queue)] == [Deletion, Post]


async def test_cursor_moves_forward_only_and_is_queued_behind_posts() -> None:
    """A cursor write is queued only for a newer id; the stored cursor is read once."""
    cursors = MemoryCursors()
    inst = Instance(base="https://a.example", host="a.example", token=None)
    await cursors.set(cursor_key(inst, "ASNR14"), "100")
    queue: asyncio.Queue[Item] = asyncio.Queue()
    feed = Feed(queue, cursors, BoundedMap(100))
    await feed.advance(inst, "ASNR14", "99")
    await feed.advance(inst, "ASNR14", "1000")  # ids compare by length first: newer
    assert drain(queue) == [Commit("a.example|asnr14", "1000")]
    assert await feed.cursor(inst, "ASNR14") == "1000"
