"""XSource driven through the real tweepy client against the fake X API on 127.0.0.1."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from typing import Any

import pytest
from yarl import URL

from app.models import Deletion, Post
from app.settings import XSettings
from app.sources.base import MemoryCursors, SourceContext
from app.sources.x import XSource
from app.sources.x.http import rebase
from tests.fakes.x_api import TOKEN, FakeClock, FakeXApi, make_tweet


def make_source(
    fake: FakeXApi,
    clock: FakeClock,
    cursors: MemoryCursors | None = None,
    visible: list[str] | None = None,
    token: str = TOKEN,
    **settings: Any,
) -> XSource:
    async def visible_ids(source: str) -> list[str]:
        return list(visible or [])

    ctx = SourceContext("asnr14", ("ASNR14",), cursors or MemoryCursors(), visible_ids)
    return XSource(
        ctx,
        XSettings(**settings),
        token,
        fake.base_url,
        clock=clock,
        sleep=clock.sleep,
        stall_s=0.5,
    )


async def take(events: AsyncIterator[Post | Deletion], n: int) -> list[Post | Deletion]:
    return [await anext(events) for _ in range(n)]


def tweets(*ids: int) -> list[dict[str, Any]]:
    return [make_tweet(i, f"post {i} #ASNR14") for i in ids]


async def test_pagination_and_since_id_across_restart(fake: FakeXApi) -> None:
    """All pages are read with one since_id, oldest first; a restarted source resumes from it."""
    fake.page_size = 3
    fake.add(*tweets(101, 102, 103, 104, 105, 106, 107))
    cursors, clock = MemoryCursors(), FakeClock()
    async with asyncio.timeout(10):
        events = make_source(fake, clock, cursors).events()
        first = await take(events, 7)
        assert [e.id for e in first] == [f"x:{i}" for i in range(101, 108)]
        runs = fake.calls("/2/tweets/search/recent")
        assert [q.get("next_token") for q in runs] == [None, "p3", "p6"]
        assert all("since_id" not in q for q in runs)
        assert runs[0]["expansions"] == (
            "author_id,attachments.media_keys,attachments.poll_ids,referenced_tweets.id,"
            "referenced_tweets.id.author_id"
        )
        assert "note_tweet" in runs[0]["tweet.fields"] and "variants" in runs[0]["media.fields"]
        fake.add(*tweets(108))
        assert [e.id for e in await take(events, 1)] == ["x:108"]
        assert cursors.values["since_id"] == "107"
        assert fake.calls("/2/tweets/search/recent")[-1]["since_id"] == "107"
        await events.aclose()

        restarted = make_source(fake, FakeClock(), cursors).events()
        assert [e.id for e in await take(restarted, 1)] == ["x:108"]
        assert fake.calls("/2/tweets/search/recent")[-1]["since_id"] == "107"
        await restarted.aclose()


async def test_recorded_payload_end_to_end(fake: FakeXApi) -> None:
    """Long posts, reposts, quotes, media and hostile URLs come through the whole pipe safely."""
    fake.load_fixture()
    source = make_source(fake, FakeClock())
    async with asyncio.timeout(10):
        events = source.events()
        posts = {e.id: e for e in await take(events, 8) if isinstance(e, Post)}
        await events.aclose()
    assert posts["x:1865999999999999001"].is_repost
    assert posts["x:1866000000000000004"].quoted is not None
    assert posts["x:1866000000000000002"].text.endswith("#neurorad")
    assert posts["x:1866000000000000006"].media[0].url.endswith("high.mp4")
    assert "x:1866000000000000000" in posts  # the edited post, keyed on its first id
    wire = json.dumps([p.wire() for p in posts.values()])
    assert "javascript:" not in wire and "data:image" not in wire
    assert source.status.posts == 8 and source.status.state == "ok"


async def test_429_waits_exactly_until_reset(fake: FakeXApi) -> None:
    """A 429 sleeps until x-rate-limit-reset, never earlier, then the poll succeeds."""
    clock = FakeClock()
    reset = int(clock.now) + 120
    fake.fail(
        "search", 429, headers={"x-rate-limit-reset": str(reset), "x-rate-limit-remaining": "0"}
    )
    fake.add(*tweets(201))
    source = make_source(fake, clock)
    async with asyncio.timeout(10):
        events = source.events()
        assert [e.id for e in await take(events, 1)] == ["x:201"]
        await events.aclose()
    assert clock.sleeps[0] == 120.0
    assert clock.now >= reset
    assert len(fake.calls("/2/tweets/search/recent")) == 2


async def test_gateway_html_errors_are_classified(fake: FakeXApi) -> None:
    """A 429 or 502 with an HTML body (a gateway's page) still waits for the reset / backs off."""
    clock = FakeClock()
    html = {"body": "<html>busy</html>", "content_type": "text/html"}
    fake.fail("search", 429, headers={"x-rate-limit-reset": str(int(clock.now) + 30)}, **html)
    fake.fail("search", 502, **html)
    fake.add(*tweets(250))
    async with asyncio.timeout(10):
        events = make_source(fake, clock).events()
        assert [e.id for e in await take(events, 1)] == ["x:250"]
        await events.aclose()
    assert clock.sleeps[0] == 30.0 and 1.0 <= clock.sleeps[1] <= 2.0


async def test_gateway_html_401_stops(fake: FakeXApi) -> None:
    """A 401 with an HTML body stops the source just like X's JSON 401."""
    fake.fail("search", 401, body="<html>no</html>", content_type="text/html")
    source = make_source(fake, FakeClock())
    async with asyncio.timeout(10):
        assert [e async for e in source.events()] == []
    assert source.status.state == "stopped"


async def test_remaining_zero_waits_before_next_call(fake: FakeXApi) -> None:
    """When x-rate-limit-remaining reaches 0 the next call waits for the reset."""
    clock = FakeClock()
    fake.page_size = 1
    fake.rate_remaining, fake.rate_reset = 1, int(clock.now) + 300
    fake.add(*tweets(301, 302))
    source = make_source(fake, clock)
    async with asyncio.timeout(10):
        events = source.events()
        await take(events, 2)
        await events.aclose()
    assert clock.sleeps == [300.0]


async def test_503_backs_off_then_succeeds(fake: FakeXApi) -> None:
    """5xx answers are retried with growing, jittered, capped waits; retries count as reads."""
    clock = FakeClock()
    fake.fail("search", 503, times=2)
    fake.add(*tweets(401))
    source = make_source(fake, clock)
    async with asyncio.timeout(10):
        events = source.events()
        assert [e.id for e in await take(events, 1)] == ["x:401"]
        await events.aclose()
    assert 1.0 <= clock.sleeps[0] <= 2.0 and 2.0 <= clock.sleeps[1] <= 4.0
    assert source.status.extra["requests_today"] == 3
    assert source.status.extra["reads_today"] == 3
    assert source.status.extra["est_cost_usd"] == pytest.approx(0.015)


async def test_401_stops_with_status(fake: FakeXApi) -> None:
    """A refused token stops the source once, with a clear status, instead of looping."""
    source = make_source(fake, FakeClock(), token="wrong")
    async with asyncio.timeout(10):
        assert [e async for e in source.events()] == []
    assert source.status.state == "stopped"
    assert "credentials" in (source.status.last_error or "")
    assert len(fake.requests) == 1


async def test_malformed_body_skips_the_poll(fake: FakeXApi) -> None:
    """A malformed body is logged and skipped; the next poll reads the same posts."""
    clock = FakeClock()
    fake.fail_malformed("search")
    fake.add(*tweets(501))
    cursors = MemoryCursors()
    source = make_source(fake, clock, cursors)
    async with asyncio.timeout(10):
        events = source.events()
        assert [e.id for e in await take(events, 1)] == ["x:501"]
        await events.aclose()
    assert "not a JSON object" in (source.status.last_error or "")
    assert len(fake.calls("/2/tweets/search/recent")) == 2


async def test_deleted_post_yields_deletion(fake: FakeXApi) -> None:
    """Visible posts that X reports not found, not authorised or absent become Deletions."""
    clock = FakeClock()
    fake.add(*tweets(601, 602, 603))
    fake.deleted.add("602")
    fake.protected.add("603")
    visible = ["x:601", "x:602", "x:603", "x:699"]
    source = make_source(
        fake, clock, visible=visible, recheck_interval_s=30, daily_read_budget=100_000
    )
    async with asyncio.timeout(10):
        events = source.events()
        seen = await take(events, 5)
        await events.aclose()
    assert [e.id for e in seen if isinstance(e, Post)] == ["x:601", "x:603"]
    assert [e.post_id for e in seen if isinstance(e, Deletion)] == ["x:699", "x:603", "x:602"]
    lookups = fake.calls("/2/tweets")
    assert lookups[0]["ids"] == "699,603,602,601"


async def test_budget_sets_interval_and_status(fake: FakeXApi) -> None:
    """A 100-read daily budget stretches polls to 864 s; status shows reads, cost and next poll."""
    clock = FakeClock()
    fake.add(*tweets(701))
    source = make_source(fake, clock, daily_read_budget=100, poll_interval_s=60)
    async with asyncio.timeout(10):
        events = source.events()
        await take(events, 1)
        fake.add(*tweets(702))
        await take(events, 1)
        await events.aclose()
    assert clock.sleeps[0] == pytest.approx(86_400 / 99, rel=0.01)
    extra = source.status.as_dict()
    assert extra["reads_today"] == 2 and extra["requests_today"] == 2
    assert extra["poll_interval_s"] >= 800 and extra["next_poll"]
    assert extra["est_cost_usd"] == pytest.approx(0.01)


async def test_budget_caps_a_long_backfill(fake: FakeXApi) -> None:
    """A first run that would overdraw the day's budget keeps the newest posts and stops."""
    clock = FakeClock()
    fake.page_size = 1
    fake.add(*tweets(801, 802, 803))
    cursors = MemoryCursors()
    source = make_source(fake, clock, cursors, daily_read_budget=2)
    async with asyncio.timeout(10):
        events = source.events()
        assert [e.id for e in await take(events, 2)] == ["x:802", "x:803"]
        fake.add(*tweets(804))
        assert [e.id for e in await take(events, 1)] == ["x:804"]
        await events.aclose()
    assert cursors.values["since_id"] == "803"
    assert sum(clock.sleeps) >= 86_400 - 1  # waited for the budget to refill at 00:00 UTC


async def test_token_never_logged(fake: FakeXApi, caplog: pytest.LogCaptureFixture) -> None:
    """tweepy's debug log of request headers never shows the bearer token."""
    caplog.set_level(logging.DEBUG)
    fake.add(*tweets(901))
    async with asyncio.timeout(10):
        events = make_source(fake, FakeClock()).events()
        await take(events, 1)
        await events.aclose()
    assert "Bearer" in caplog.text and TOKEN not in caplog.text


async def test_rechecks_are_batched_by_100(fake: FakeXApi) -> None:
    """250 visible posts are looked up in batches of 100, 100 and 50."""
    visible = [f"x:{i}" for i in range(1000, 1250)]
    source = make_source(
        fake, FakeClock(), visible=visible, recheck_interval_s=30, daily_read_budget=10**7
    )
    async with asyncio.timeout(10):
        events = source.events()
        gone = await take(events, 250)
        await events.aclose()
    assert {e.post_id for e in gone if isinstance(e, Deletion)} == set(visible)
    assert [len(q["ids"].split(",")) for q in fake.calls("/2/tweets")] == [100, 100, 50]


async def test_bad_config_stops_with_a_clear_status(fake: FakeXApi) -> None:
    """A wall without hashtags or a non-http base URL stops the source with a clear reason."""
    ctx = SourceContext("empty", (), MemoryCursors())
    no_tags = XSource(ctx, XSettings(), TOKEN, fake.base_url)
    bad_url = XSource(SourceContext("w", ("a",), MemoryCursors()), XSettings(), TOKEN, "ftp://x")
    async with asyncio.timeout(10):
        for source, why in ((no_tags, "no hashtags"), (bad_url, "base URL")):
            assert [e async for e in source.events()] == []
            assert source.status.state == "stopped"
            assert why in (source.status.last_error or "")
    assert fake.requests == []


def test_rechecks_favour_the_newest_and_rotate_the_rest(fake: FakeXApi) -> None:
    """Over budget, each re-check takes the newest posts and a window rotating over older ones."""
    source = make_source(fake, FakeClock(), daily_read_budget=2000, recheck_interval_s=600)
    ids = [str(i) for i in range(1, 11)]  # allowance at these settings: 3 posts per re-check
    assert source.pick_rechecks(ids) == ["10", "9", "8"]
    assert source.pick_rechecks(ids) == ["10", "7", "6"]
    rounds = [source.pick_rechecks(ids) for _ in range(3)]
    assert {i for r in rounds for i in r} | {"9", "8", "7", "6"} == set(ids)
    big = make_source(fake, FakeClock(), daily_read_budget=100_000)
    assert big.pick_rechecks(ids) == sorted(ids, key=int, reverse=True)


def test_base_url_rewrites_x_hosts_only() -> None:
    """X's hosts move to the configured origin (scheme, port, path prefix); others stay."""
    origin = URL("http://127.0.0.1:8080/gw")
    moved = rebase(URL("https://api.twitter.com/2/tweets/search/recent?query=%23a"), origin)
    assert str(moved) == "http://127.0.0.1:8080/gw/2/tweets/search/recent?query=%23a"
    assert rebase(URL("https://example.org/x"), origin) == URL("https://example.org/x")
    default = rebase(URL("https://api.twitter.com/2/tweets"), URL("https://api.x.com"))
    assert str(default) == "https://api.x.com/2/tweets"
