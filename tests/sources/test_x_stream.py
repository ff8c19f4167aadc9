"""XSource in filtered-stream mode against the fake X API: rules, drops, stalls, the ladder."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from typing import Any

from app.models import Deletion, Post
from app.settings import XSettings
from app.sources.base import MemoryCursors, SourceContext
from app.sources.x import XSource
from app.sources.x.stream import ReconnectLadder
from tests.fakes.x_api import TOKEN, FakeClock, FakeXApi, make_tweet
from tests.helpers import until


def stream_source(
    fake: FakeXApi,
    clock: FakeClock,
    token: str = TOKEN,
    visible: list[str] | None = None,
    **kw: Any,
) -> XSource:
    async def visible_ids(source: str) -> list[str]:
        return list(visible or [])

    ctx = SourceContext("asnr14", ("ASNR14",), MemoryCursors(), visible_ids)
    return XSource(
        ctx,
        XSettings(mode="stream", **kw),
        token,
        fake.base_url,
        clock=clock,
        sleep=clock.sleep,
        stall_s=0.3,
    )


def tweet(i: int) -> dict[str, Any]:
    return make_tweet(i, f"stream post {i} #ASNR14")


def soon(check: Callable[[], bool], then: Callable[[], Any]) -> asyncio.Task[None]:
    """Start a task that calls `then()` once `check()` is true."""

    async def wait_then() -> None:
        await until(check)
        then()

    return asyncio.create_task(wait_then())


async def next_post(events: AsyncIterator[Any]) -> Post:
    event = await anext(events)
    assert isinstance(event, Post)
    return event


async def test_rules_synced_and_tagged(fake: FakeXApi) -> None:
    """The wall's tagged rule is added, a stale tagged rule deleted, other rules left alone."""
    fake.rules = {
        "90": {"id": "90", "value": "(#old)", "tag": "tweetwall:asnr14"},
        "91": {"id": "91", "value": "(#other)", "tag": "tweetwall:otherwall"},
    }
    fake.add(tweet(1))
    async with asyncio.timeout(10):
        events = stream_source(fake, FakeClock()).events()
        await next_post(events)
        await events.aclose()
    values = {r["value"]: r["tag"] for r in fake.rules.values()}
    assert values == {"(#ASNR14)": "tweetwall:asnr14", "(#other)": "tweetwall:otherwall"}


async def test_drop_reconnects_and_gap_filled_by_search(fake: FakeXApi) -> None:
    """A dropped stream reconnects on the network ladder and a search fills the gap."""
    clock = FakeClock()
    fake.add(tweet(100))
    source = stream_source(fake, clock)
    async with asyncio.timeout(10):
        events = source.events()
        assert (await next_post(events)).id == "x:100"  # the gap fill on first connect
        assert fake.calls("/2/tweets/search/stream")[0]["tweet.fields"].startswith("created_at")
        fake.publish(tweet(101))
        assert (await next_post(events)).id == "x:101"  # from the stream
        fake.add(tweet(102))  # posted while the stream is down: never streamed
        fake.drop_streams()
        assert (await next_post(events)).id == "x:102"
        assert fake.calls("/2/tweets/search/recent")[-1]["since_id"] == "101"
        task = soon(lambda: fake.stream_connects == 2, lambda: fake.publish(tweet(103)))
        assert (await next_post(events)).id == "x:103"
        await task
        await events.aclose()
    assert 0.25 in clock.sleeps
    assert source.status.state == "ok" and source.status.posts == 4


async def test_stall_is_treated_as_a_drop(fake: FakeXApi) -> None:
    """No data and no keep-alive for the stall window makes the source reconnect."""
    fake.keepalive_s = 30
    fake.add(tweet(200))
    source = stream_source(fake, FakeClock())
    async with asyncio.timeout(10):
        events = source.events()
        await next_post(events)
        task = soon(lambda: fake.stream_connects == 2, lambda: fake.publish(tweet(201)))
        assert (await next_post(events)).id == "x:201"
        await task
        await events.aclose()
    assert "TimeoutError" in (source.status.last_error or "")


async def test_keepalives_and_malformed_lines_are_skipped(fake: FakeXApi) -> None:
    """Keep-alive lines pass silently and a malformed line is skipped, not fatal."""
    fake.add(tweet(300))
    source = stream_source(fake, FakeClock())
    async with asyncio.timeout(10):
        events = source.events()
        await next_post(events)
        fake.send_raw("malformed")
        fake.publish(tweet(301))
        assert (await next_post(events)).id == "x:301"
        await events.aclose()
    assert fake.stream_connects == 1


async def test_other_walls_posts_are_ignored(fake: FakeXApi) -> None:
    """A stream post matched only by another wall's rule does not reach this wall."""
    fake.add(tweet(500))
    async with asyncio.timeout(10):
        events = stream_source(fake, FakeClock()).events()
        await next_post(events)
        fake.publish(tweet(501), tags=["tweetwall:otherwall"])
        fake.publish(tweet(502), tags=["tweetwall:asnr14"])
        assert (await next_post(events)).id == "x:502"
        await events.aclose()


async def test_deletions_rechecked_between_stream_lines(fake: FakeXApi) -> None:
    """In stream mode a due re-check runs at the next line or keep-alive and yields Deletions."""
    clock = FakeClock()
    fake.add(tweet(600))
    source = stream_source(
        fake, clock, visible=["x:600", "x:599"], recheck_interval_s=30, daily_read_budget=10**6
    )
    async with asyncio.timeout(10):
        events = source.events()
        assert (await next_post(events)).id == "x:600"
        clock.now += 31
        gone = await anext(events)
        await events.aclose()
    assert isinstance(gone, Deletion) and gone.post_id == "x:599"
    assert fake.stream_connects == 1


async def test_http_errors_climb_the_documented_ladder(fake: FakeXApi) -> None:
    """A 429 on connect waits 60 s, a 503 then waits 5 s, and the stream then connects."""
    clock = FakeClock()
    fake.fail("stream", 429)
    fake.fail("stream", 503)
    fake.add(tweet(400))
    async with asyncio.timeout(10):
        events = stream_source(fake, clock).events()
        await next_post(events)
        await events.aclose()
    assert clock.sleeps[:2] == [60.0, 5.0]


async def test_stream_401_stops(fake: FakeXApi) -> None:
    """A refused token stops stream mode with a clear status."""
    source = stream_source(fake, FakeClock(), token="wrong")
    async with asyncio.timeout(10):
        assert [e async for e in source.events()] == []
    assert source.status.state == "stopped"
    assert "credentials" in (source.status.last_error or "")


def test_reconnect_ladder_values() -> None:
    """Network waits grow by 250 ms to 16 s; HTTP waits double from 5 s to 320 s; 429 from 60 s."""
    ladder = ReconnectLadder()
    network = [ladder.after_network_error() for _ in range(70)]
    assert network[:3] == [0.25, 0.5, 0.75] and network[-1] == 16.0
    http = [ladder.after_http_error() for _ in range(8)]
    assert http == [5, 10, 20, 40, 80, 160, 320, 320]
    assert [ladder.after_rate_limit() for _ in range(3)] == [60, 120, 240]
    ladder.connected()
    assert ladder.after_http_error() == 5


async def test_an_endless_stream_line_is_dropped_and_reading_goes_on() -> None:
    """A server sending a 3 MB line never grows the buffer past the cap; the next line arrives."""
    import aiohttp
    from aiohttp import web

    from app.sources.x.stream import ndjson_lines

    async def handler(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse()
        await resp.prepare(request)
        for _ in range(48):
            await resp.write(b"a" * 65536)
        await resp.write(b"\r\n\r\n" + b'{"data": {"id": "1"}}\r\n')
        await resp.write_eof()
        return resp

    app = web.Application()
    app.router.add_get("/stream", handler)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    try:
        async with aiohttp.ClientSession() as session, \
                session.get(f"http://127.0.0.1:{port}/stream") as response:
            lines = [line async for line in ndjson_lines(response, 5.0, max_line=1024 * 1024)]
    finally:
        await runner.cleanup()
    assert lines == [b"", b'{"data": {"id": "1"}}']
