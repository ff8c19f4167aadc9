"""The ingest supervisor: sources restarted after failures, isolation, cross-posts collapsed."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest

from app.ingest import Ingest
from app.models import Deletion, Post
from app.settings import Settings, WallConfig
from app.sources.base import SourceEvent, SourceStatus
from app.store import Store
from app.store.stats import wall_stats
from tests.conftest import make_post


class ScriptedSource:
    """A live source fed by the test: items are yielded in order, an Exception is raised."""

    def __init__(self, name: str, script: list[Any]) -> None:
        self.name = name
        self.status = SourceStatus(name)
        self.queue: asyncio.Queue[Any] = asyncio.Queue()
        for item in script:
            self.queue.put_nowait(item)
        self.runs = 0

    def feed(self, item: Any) -> None:
        self.queue.put_nowait(item)

    async def events(self) -> AsyncIterator[SourceEvent]:
        self.runs += 1
        while True:
            item = await self.queue.get()
            if isinstance(item, Exception):
                raise item
            yield item


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = Store(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    await s.open()
    yield s
    await s.close()


async def run_ingest(store: Store, wall: WallConfig, sources: dict[str, ScriptedSource],
                     until: Callable[[], Any]) -> Ingest:
    await store.create_wall(wall.slug, "t", wall.model_dump(mode="json", exclude={"slug", "title"}))
    ingest = Ingest(store, Settings(), lambda kind, ctx, w, s: sources[kind], max_backoff_s=0.05)
    ingest.start([wall])
    try:
        async with asyncio.timeout(5):
            while not await until():
                await asyncio.sleep(0.02)
    finally:
        await ingest.stop()
    return ingest


async def visible(store: Store, slug: str = "w") -> list[dict[str, Any]]:
    return await store.wall_posts(slug, limit=100)


async def test_a_failing_source_is_restarted_and_another_keeps_going(store: Store) -> None:
    """A source that raises is restarted with backoff; the other source is unaffected."""
    flaky = ScriptedSource("mastodon", [RuntimeError("boom"),
                                        Post.model_validate(make_post(1, id="mastodon:https://m.example/s/1", source="mastodon"))])
    steady = ScriptedSource("bluesky", [Post.model_validate(make_post(2, id="bluesky:at://did:plc:a/app.bsky.feed.post/2", source="bluesky"))])
    wall = WallConfig(slug="w", hashtags=["ASNR14"], sources=["mastodon", "bluesky"])

    async def done() -> bool:
        return len(await visible(store)) == 2

    await run_ingest(store, wall, {"mastodon": flaky, "bluesky": steady}, done)
    assert flaky.runs == 2 and "boom" in (flaky.status.last_error or "")


async def test_deletion_from_a_source_removes_the_card(store: Store) -> None:
    """A Deletion yielded by a source takes the post off the wall."""
    src = ScriptedSource("x", [Post.model_validate(make_post(1)), Deletion("x:100001")])
    wall = WallConfig(slug="w", hashtags=["ASNR14"], sources=["x"])

    async def done() -> bool:
        return (await wall_stats(store, "w"))["hidden"] == 1

    await run_ingest(store, wall, {"x": src}, done)
    assert await visible(store) == []


async def test_cross_post_on_two_networks_is_one_card(store: Store) -> None:
    """The same words by the same person on Mastodon and Bluesky show once, noting both."""
    text = [{"type": "text", "text": "Our stroke imaging poster is up in hall B, come by! "},
            {"type": "hashtag", "text": "#ASNR14", "href": "https://example.org/tags/ASNR14"}]
    author = {"id": "a1", "handle": "@maria@neuro.social", "name": "Dr Maria Lopez"}
    toot = make_post(1, id="mastodon:https://neuro.social/users/maria/statuses/1", source="mastodon",
                     url="https://neuro.social/@maria/1", content=text, author=author)
    skeet = make_post(1, id="bluesky:at://did:plc:maria/app.bsky.feed.post/3k", source="bluesky",
                      url="https://bsky.app/profile/maria/post/3k", content=text,
                      author={**author, "id": "did:plc:maria", "handle": "@maria.bsky.social"})
    sources = {"mastodon": ScriptedSource("mastodon", [Post.model_validate(toot)]),
               "bluesky": ScriptedSource("bluesky", [])}
    wall = WallConfig(slug="w", hashtags=["ASNR14"], sources=["mastodon", "bluesky"])

    fed = False

    async def first() -> bool:
        nonlocal fed
        if not fed and len(await visible(store)) == 1:
            sources["bluesky"].feed(Post.model_validate(skeet))
            fed = True
        return (await wall_stats(store, "w"))["hidden"] == 1

    await run_ingest(store, wall, sources, first)
    cards = await visible(store)
    assert len(cards) == 1 and cards[0]["source"] == "mastodon"
    assert cards[0]["also_on"] == [{"source": "bluesky", "id": skeet["id"], "url": skeet["url"]}]
