"""A block on a big wall does not hold the wall up: the posts it hides are matched and hidden a
page at a time, outside the writer lock, so a post arriving meanwhile reaches screens before
the block has finished (it used to wait behind one pass over every post, ~10 s at 50,000;
bench/block_latency.py measures the latency)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from sqlalchemy import insert, update

from app.clock import utcnow
from app.events import PostEvent, RemoveEvent
from app.ingest import Admission
from app.models import Post
from app.moderation import text_key
from app.store import Commit, Store
from app.store.decisions import Decisions
from app.store.schema import posts, wall_posts, walls

SHOWN = 3000   # six of the block's 500-post pages


async def _fill(store: Store, post_factory: Callable[..., Post]) -> None:
    """Put SHOWN visible posts that mention "vendor" on wall `w`, straight into the tables."""
    wall = store.wall("w")
    post_rows, placed = [], []
    for n in range(1, SHOWN + 1):
        text = f"Visit the vendor booth {n} #ASNR14"
        post = post_factory(n, text=text, content=[{"type": "text", "text": text}])
        data = post.wire()
        data.pop("pinned", None)
        post_rows.append({"id": post.id, "source": post.source, "author_id": post.author.id,
                          "author_handle": post.author.handle, "created_at": post.created_at,
                          "ingested_at": utcnow(), "text": post.text, "data": data,
                          "text_key": text_key(post)})
        placed.append({"wall_id": wall.id, "post_id": post.id, "state": "visible",
                       "pinned": False, "order_seq": n, "updated_at": utcnow()})
    async with store.engine.begin() as conn:
        await conn.execute(insert(posts), post_rows)
        await conn.execute(insert(wall_posts), placed)
        await conn.execute(update(walls).where(walls.c.id == wall.id).values(last_order=SHOWN))


async def test_a_post_arriving_during_a_block_is_not_held_behind_it(
        store: Store, post_factory: Callable[..., Post]) -> None:
    await _fill(store, post_factory)
    seqs: dict[str, int] = {}
    removed: list[int] = []
    arrival: list[asyncio.Task[object]] = []
    admission = Admission(store)
    newcomer = post_factory(SHOWN + 1, text="Keynote starts now #ASNR14",
                            content=[{"type": "text", "text": "Keynote starts now #ASNR14"}])

    def committed(commit: Commit) -> None:
        for ev in commit.events.get("w", []):
            if isinstance(ev, RemoveEvent):
                removed.append(ev.seq)
                if not arrival:   # the block's first page is hidden: a post arrives now
                    arrival.append(asyncio.ensure_future(admission.admit("w", newcomer)))
            elif isinstance(ev, PostEvent):
                seqs[ev.post["id"]] = ev.seq

    store.listen(committed)
    entry = await Decisions(store).add_block("w", "keyword", "vendor", "alice")
    await asyncio.gather(*arrival)

    assert len(entry["before"]["states"]) == SHOWN == len(removed)
    assert [p["id"] for p in await store.wall_posts("w")] == [newcomer.id]
    # The newcomer went out between two of the block's pages, not after the last one.
    assert removed[0] < seqs[newcomer.id] < removed[-1]
