"""One filtered-stream connection per bearer token, shared by every stream-mode wall.

X answers a second connection of the same app with 429 `TooManyConnections`; the stand-in does
too (`max_streams = 1`), so two walls opening two connections would fail here.
"""

from __future__ import annotations

import asyncio
from typing import Any

from app.ingest.factory import build_source
from app.models import Post
from app.settings import Settings, WallConfig, XSettings
from app.sources.base import MemoryCursors, Shared, SourceContext
from app.sources.x import XSource
from app.sources.x.shared import STALL_S, SharedStream
from tests.fakes.x_api import TOKEN, FakeXApi, make_tweet
from tests.helpers import until


def x_source(fake: FakeXApi, shared: Shared, slug: str, tag: str) -> XSource:
    """Return the X source `build_source` makes for wall `slug` (#`tag`) in stream mode."""
    settings = Settings(x_bearer_token=TOKEN, x_api_base_url=fake.base_url,
                        x=XSettings(mode="stream"))
    wall = WallConfig(slug=slug, hashtags=[tag], sources=["x"])
    ctx = SourceContext(slug, (tag,), MemoryCursors(), shared=shared)
    source = build_source("x", ctx, wall, settings)
    assert isinstance(source, XSource)
    return source


async def collect(source: XSource, into: list[Post]) -> None:
    """Append every post the source yields to `into`, until cancelled."""
    async for event in source.events():
        if isinstance(event, Post):
            into.append(event)


async def test_two_stream_walls_share_one_connection(fake: FakeXApi) -> None:
    """Two walls of one token: one connection (none refused), each wall's rule tagged, and each
    post reaches only the walls whose rule it matched."""
    fake.max_streams = 1
    shared = Shared()
    a, b = x_source(fake, shared, "asnr14", "ASNR14"), x_source(fake, shared, "rsna", "RSNA")
    assert a.stream is b.stream
    got_a: list[Post] = []
    got_b: list[Post] = []
    tasks = [asyncio.create_task(collect(a, got_a)), asyncio.create_task(collect(b, got_b))]
    try:
        async with asyncio.timeout(10):
            await until(lambda: len(fake.rules) == 2 and len(fake.streams) == 1)
            fake.publish(make_tweet(1, "only a #ASNR14"), tags=["tweetwall:asnr14"])
            fake.publish(make_tweet(2, "both #ASNR14 #RSNA"),
                         tags=["tweetwall:asnr14", "tweetwall:rsna"])
            fake.publish(make_tweet(3, "only b #RSNA"), tags=["tweetwall:rsna"])
            # A wall's catch-up search may see a post the stream then sends too (the store
            # keeps one): compare the sets.
            await until(lambda: {p.id for p in got_a} == {"x:1", "x:2"}
                        and {p.id for p in got_b} == {"x:2", "x:3"})
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert fake.stream_connects == 1 and fake.stream_refusals == 0
    assert {r["tag"] for r in fake.rules.values()} == {"tweetwall:asnr14", "tweetwall:rsna"}
    await until(lambda: not fake.streams)  # the last wall to leave closes the connection


async def test_a_wall_joining_an_open_stream_catches_up_without_reconnecting(
        fake: FakeXApi) -> None:
    """A wall subscribing to a stream already open fills its gap by search at once, and the
    connection stays the one it was."""
    fake.max_streams = 1
    shared = Shared()
    a = x_source(fake, shared, "asnr14", "ASNR14")
    got_a: list[Post] = []
    got_b: list[Post] = []
    first = asyncio.create_task(collect(a, got_a))
    tasks = [first]
    try:
        async with asyncio.timeout(10):
            await until(lambda: len(fake.streams) == 1)
            fake.add(make_tweet(7, "before b #RSNA"))
            b = x_source(fake, shared, "rsna", "RSNA")
            tasks.append(asyncio.create_task(collect(b, got_b)))
            await until(lambda: {p.id for p in got_b} == {"x:7"})
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert fake.stream_connects == 1 and fake.stream_refusals == 0


def test_a_silent_stream_is_dead_after_x_documented_20_s(fake: FakeXApi) -> None:
    """The stall window is X's 20 s keep-alive interval, not 90 s, for a shared stream and a
    source's own alike."""
    ctx: Any = SourceContext("w", ("a",), MemoryCursors())
    assert STALL_S == 20.0
    assert SharedStream(TOKEN, fake.base_url).stall_s == 20.0
    assert XSource(ctx, XSettings(mode="stream"), TOKEN, fake.base_url).stream.stall_s == 20.0
