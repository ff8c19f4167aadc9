"""MastodonSource against stand-in instances on 127.0.0.1 (tests/fakes/mastodon_api.py)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from app.models import Deletion, Post
from app.settings import MastodonSettings
from app.sources.base import MemoryCursors, SourceContext, SourceEvent
from app.sources.mastodon import MastodonSource
from tests.fakes.mastodon_api import FakeMastodon, make_status

TIMEOUT = 15.0  # generous for a loaded CI machine; normally each wait takes milliseconds


@pytest.fixture
async def inst_a() -> AsyncIterator[FakeMastodon]:
    server = FakeMastodon()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def inst_b() -> AsyncIterator[FakeMastodon]:
    server = FakeMastodon()
    await server.start()
    yield server
    await server.stop()


class Sleeps:
    """An injected sleep: records what the source asked for, waits only a moment."""

    def __init__(self) -> None:
        self.asked: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.asked.append(seconds)
        await asyncio.sleep(min(seconds, 0.02))


def context(cursors: MemoryCursors | None = None) -> SourceContext:
    return SourceContext(wall="w", hashtags=("ASNR14",), cursors=cursors or MemoryCursors())


def source(
    instances: list[str],
    cursors: MemoryCursors | None = None,
    *,
    streaming: bool = False,
    token: str | None = None,
    sleeps: Sleeps | None = None,
    now: datetime | None = None,
) -> MastodonSource:
    kwargs = {"now": (lambda: now)} if now else {}
    return MastodonSource(
        context(cursors),
        MastodonSettings(poll_interval_s=2, streaming=streaming),
        instances,
        {instances[0]: token} if token and instances else None,
        sleep=sleeps or Sleeps(),
        **kwargs,  # type: ignore[arg-type]
    )


class Pump:
    """Runs `source.events()` in a task so a test can wait for events with timeouts."""

    def __init__(self, events: AsyncIterator[SourceEvent]) -> None:
        self.queue: asyncio.Queue[SourceEvent] = asyncio.Queue()
        self._events = events
        self._task = asyncio.create_task(self._run())

    async def _run(self) -> None:
        async for event in self._events:
            self.queue.put_nowait(event)

    async def take(self, n: int) -> list[SourceEvent]:
        out: list[SourceEvent] = []
        async with asyncio.timeout(TIMEOUT):
            while len(out) < n:
                out.append(await self.queue.get())
        return out

    async def quiet(self, seconds: float = 0.3) -> list[SourceEvent]:
        """Return whatever arrives within `seconds` (normally nothing)."""
        await asyncio.sleep(seconds)
        out = []
        while not self.queue.empty():
            out.append(self.queue.get_nowait())
        return out

    async def aclose(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


def ids(events: list[SourceEvent]) -> list[str]:
    return [e.id for e in events if isinstance(e, Post)]


async def test_same_status_on_two_instances_is_yielded_once(
    inst_a: FakeMastodon, inst_b: FakeMastodon
) -> None:
    """A status federated to two instances comes out once; a boost comes out as its original."""
    shared = make_status(1)
    inst_a.publish(shared)
    inst_a.publish(make_status(2))
    inst_b.publish(shared)
    boost = make_status(900, origin="booster.example", user="bob") | {
        "reblog": make_status(3, user="carol"),
        "tags": [],
    }
    boost["reblog"]["id"] = "x"
    inst_b.publish(boost)
    inst_b.statuses[-1]["tags"] = boost["reblog"]["tags"]  # the tag timeline lists the boost
    src = source([inst_a.base, inst_b.base])
    events = Pump(src.events())
    try:
        got = await events.take(3)
        got += await events.quiet()
    finally:
        await events.aclose()
    assert sorted(ids(got)) == [
        "mastodon:https://origin.example/users/alice/statuses/1",
        "mastodon:https://origin.example/users/alice/statuses/2",
        "mastodon:https://origin.example/users/carol/statuses/3",
    ]
    reposts = [e for e in got if isinstance(e, Post) and e.is_repost]
    assert [p.author.handle for p in reposts] == ["@carol@origin.example"]


async def test_first_start_takes_latest_page_then_pages_forward_gap_free(
    inst_a: FakeMastodon,
) -> None:
    """First start: the newest page only; later every new status via min_id + Link prev, once."""
    inst_a.max_limit = 20  # the server caps pages below our limit: a short page is not the end
    for n in range(1, 51):
        inst_a.publish(make_status(n))
    cursors = MemoryCursors()
    src = source([inst_a.base], cursors)
    events = Pump(src.events())
    try:
        first = await events.take(20)
        assert await events.quiet() == []
        assert ids(first) == [
            f"mastodon:https://origin.example/users/alice/statuses/{n}" for n in range(31, 51)
        ]
        for n in range(51, 106):
            inst_a.publish(make_status(n))
        later = await events.take(55)
        assert await events.quiet() == []
    finally:
        await events.aclose()
    assert ids(later) == [
        f"mastodon:https://origin.example/users/alice/statuses/{n}" for n in range(51, 106)
    ]
    assert any("min_id=" in r for r in inst_a.requests)
    host = inst_a.base.removeprefix("http://")
    assert cursors.values[f"{host}|asnr14"] == inst_a.statuses[-1]["id"]


async def test_restart_resumes_from_the_persisted_cursor(inst_a: FakeMastodon) -> None:
    """A new source with the same cursor store yields only what was published meanwhile."""
    for n in range(1, 4):
        inst_a.publish(make_status(n))
    cursors = MemoryCursors()
    events = Pump(source([inst_a.base], cursors).events())
    try:
        await events.take(3)
        await events.quiet(0.1)
    finally:
        await events.aclose()
    for n in range(4, 7):
        inst_a.publish(make_status(n))
    events = Pump(source([inst_a.base], cursors).events())
    try:
        got = await events.take(3)
        got += await events.quiet()
    finally:
        await events.aclose()
    assert [i.rsplit("/", 1)[1] for i in ids(got)] == ["4", "5", "6"]


async def test_429_waits_until_the_reset_time(inst_a: FakeMastodon) -> None:
    """A 429 (and a spent budget) makes the source wait until X-RateLimit-Reset, then retry."""
    inst_a.publish(make_status(1))
    inst_a.fail_429 = 1
    inst_a.rate_reset = "2026-11-28T12:00:00.000Z"
    sleeps = Sleeps()
    now = datetime(2026, 11, 28, 11, 58, tzinfo=UTC)
    src = source([inst_a.base], sleeps=sleeps, now=now)
    events = Pump(src.events())
    try:
        got = await events.take(1)
    finally:
        await events.aclose()
    assert ids(got) == ["mastodon:https://origin.example/users/alice/statuses/1"]
    assert pytest.approx(120.0) in sleeps.asked
    assert sum(r.startswith("/api/v1/timelines/tag/") for r in inst_a.requests) == 2


async def test_remaining_zero_waits_before_the_next_request(inst_a: FakeMastodon) -> None:
    """X-RateLimit-Remaining: 0 on a success delays the next call until the reset."""
    inst_a.publish(make_status(1))
    inst_a.rate_remaining = 0
    inst_a.rate_reset = "2026-11-28T12:00:30.000Z"
    sleeps = Sleeps()
    src = source([inst_a.base], sleeps=sleeps, now=datetime(2026, 11, 28, 12, tzinfo=UTC))
    events = Pump(src.events())
    try:
        await events.take(1)
        inst_a.publish(make_status(2))
        await events.take(1)
    finally:
        await events.aclose()
    assert 30.0 in sleeps.asked
    assert (
        src.status.extra["instances"][inst_a.base.removeprefix("http://")]["rate_remaining"] == "0"
    )


async def test_one_failing_instance_does_not_stop_another(
    inst_a: FakeMastodon, inst_b: FakeMastodon
) -> None:
    """A broken instance is reported in status.extra while the healthy one keeps flowing."""
    inst_a.broken = True
    inst_b.publish(make_status(1))
    src = source([inst_a.base, inst_b.base, "http://127.0.0.1:9"])
    events = Pump(src.events())
    try:
        first = await events.take(1)
        inst_b.publish(make_status(2))
        second = await events.take(1)
    finally:
        await events.aclose()
    assert [i.rsplit("/", 1)[1] for i in ids(first + second)] == ["1", "2"]
    info = src.status.extra["instances"]
    assert info[inst_a.base.removeprefix("http://")]["error"].startswith("HTTP 500")
    assert info["127.0.0.1:9"]["state"] == "error"
    assert info[inst_b.base.removeprefix("http://")]["state"] == "ok"
    assert src.status.state == "ok"


async def test_token_is_sent_only_to_its_own_instance(
    inst_a: FakeMastodon, inst_b: FakeMastodon
) -> None:
    """A token goes to the instance it is bound to, never to the others on the wall."""
    inst_a.publish(make_status(1))
    inst_b.publish(make_status(2))
    events = Pump(source([inst_a.base, inst_b.base], token="secret").events())
    try:
        await events.take(2)
    finally:
        await events.aclose()
    assert set(inst_a.auth_seen) == {"Bearer secret"}
    assert set(inst_b.auth_seen) == {None}


async def test_stream_updates_edits_and_deletes(inst_a: FakeMastodon) -> None:
    """Streaming: update -> post, status.update -> the post again, delete -> Deletion by uri."""
    src = source([inst_a.base], streaming=True, token="secret")
    events = Pump(src.events())
    try:
        await events.quiet(0.3)  # connected, backfill empty
        local = inst_a.publish(make_status(1))
        (post,) = await events.take(1)
        inst_a.edit(local["id"], "Edited text")
        (edited,) = await events.take(1)
        inst_a.delete(local["id"])
        (gone,) = await events.take(1)
    finally:
        await events.aclose()
    assert isinstance(post, Post) and isinstance(edited, Post) and isinstance(gone, Deletion)
    assert edited.id == post.id and edited.text.startswith("Edited text")
    assert gone.post_id == post.id
    assert inst_a.stream_hosts and all(
        inst_a.streaming_base.endswith(h) for h in inst_a.stream_hosts
    )
    assert "heartbeat" in src.status.extra["instances"][inst_a.base.removeprefix("http://")]


async def test_stream_outage_loses_nothing_and_repeats_nothing(inst_a: FakeMastodon) -> None:
    """Posts published while the stream is down all arrive after reconnect, none twice."""
    inst_a.publish(make_status(1))
    src = source([inst_a.base], streaming=True, token="secret")
    events = Pump(src.events())
    sent = list(range(2, 102))  # 100 posts during the outage: three REST pages
    try:
        await events.take(1)
        inst_a.streams_down = True
        inst_a.drop_streams()
        await asyncio.sleep(0.1)
        for n in sent:
            inst_a.publish(make_status(n))
        inst_a.streams_down = False
        got = await events.take(len(sent))
        inst_a.publish(make_status(500))  # live again after the catch-up
        got += await events.take(1)
        got += await events.quiet()
    finally:
        await events.aclose()
    numbers = [int(i.rsplit("/", 1)[1]) for i in ids(got)]
    assert numbers == [*sent, 500]
    assert src.status.extra["instances"][inst_a.base.removeprefix("http://")]["reconnects"] >= 1


async def test_stream_refused_falls_back_to_polling(inst_a: FakeMastodon) -> None:
    """A wrong token (401 on the stream) switches that instance to REST polling."""
    inst_a.publish(make_status(1))
    src = source([inst_a.base], streaming=True, token="wrong")
    events = Pump(src.events())
    try:
        got = await events.take(1)
    finally:
        await events.aclose()
    assert len(ids(got)) == 1
    assert src.status.extra["instances"][inst_a.base.removeprefix("http://")]["mode"] == "polling"


async def test_no_instances_stops_with_a_clear_status() -> None:
    """Without instances the source ends at once and says why."""
    src = source([])
    async with asyncio.timeout(TIMEOUT):
        assert [e async for e in src.events()] == []
    assert src.status.state == "stopped"
    assert src.status.last_error is not None and "no Mastodon instances" in src.status.last_error


async def test_polling_rechecks_visible_posts_for_deletion(inst_a: FakeMastodon) -> None:
    """Without a stream, a visible post deleted at its instance comes back as a Deletion."""
    local = inst_a.publish(make_status(1))
    inst_a.publish(make_status(2))
    visible: list[str] = []

    async def visible_ids(source: str) -> list[str]:
        return list(visible)

    ctx = SourceContext(
        wall="w", hashtags=("ASNR14",), cursors=MemoryCursors(), visible_ids=visible_ids
    )
    src = MastodonSource(ctx, MastodonSettings(poll_interval_s=2), [inst_a.base], sleep=Sleeps())
    events = Pump(src.events())
    try:
        got = await events.take(2)
        visible.extend(ids(got))
        inst_a.delete(local["id"])
        (gone,) = await events.take(1)
        assert await events.quiet(0.2) == []
    finally:
        await events.aclose()
    assert isinstance(gone, Deletion)
    assert gone.post_id == "mastodon:https://origin.example/users/alice/statuses/1"
    assert any(r.startswith("/api/v1/statuses/") for r in inst_a.requests)


async def test_hostile_status_through_the_source_is_inert(inst_a: FakeMastodon) -> None:
    """Hostile HTML served by an instance reaches the consumer as text and https links only."""
    import json
    from pathlib import Path

    fixture = Path(__file__).parent.parent / "fixtures" / "mastodon" / "status_hostile.json"
    inst_a.publish(json.loads(fixture.read_text(encoding="utf-8")))
    events = Pump(source([inst_a.base]).events())
    try:
        (post,) = await events.take(1)
    finally:
        await events.aclose()
    assert isinstance(post, Post)
    assert {t.href for t in post.content} == {None, "https://ok.example/"}
    urls = [post.url, post.author.avatar_url, post.author.profile_url, post.author.id]
    urls += [t.href for t in post.content] + [m.url for m in post.media]
    assert all(u is None or u.startswith("https://") for u in urls if u != post.author.handle)
    assert post.author.id == "https://evil.example/users/mallory" or post.author.id.startswith("@")
    assert "alert('x')" not in post.text and "framed" not in post.text
    assert "\u202e" not in post.text + post.author.name + (post.content_warning or "")


async def test_several_hashtags_each_with_its_own_cursor(inst_a: FakeMastodon) -> None:
    """Each hashtag is paged with its own cursor; a status carrying both tags comes out once."""
    inst_a.publish(make_status(1, tag="ASNR14"))
    inst_a.publish(make_status(2, tag="NeuroRad"))
    both = make_status(3, tag="ASNR14")
    both["tags"].append({"name": "neurorad", "url": "https://origin.example/tags/neurorad"})
    inst_a.publish(both)
    cursors = MemoryCursors()
    ctx = SourceContext(wall="w", hashtags=("ASNR14", "NeuroRad"), cursors=cursors)
    src = MastodonSource(ctx, MastodonSettings(poll_interval_s=2), [inst_a.base], sleep=Sleeps())
    events = Pump(src.events())
    try:
        got = await events.take(3)
        got += await events.quiet()
    finally:
        await events.aclose()
    assert sorted(i.rsplit("/", 1)[1] for i in ids(got)) == ["1", "2", "3"]
    host = inst_a.base.removeprefix("http://")
    assert set(cursors.values) == {f"{host}|asnr14", f"{host}|neurorad"}


@pytest.mark.parametrize(
    ("base", "gets_token"),
    [
        ("https://neuro.social", True),
        ("http://neuro.social", False),
        ("http://127.0.0.1:8081", True),
        ("http://localhost:8081", True),
        ("http://10.0.0.5", False),
    ],
)
def test_a_token_travels_only_over_https_or_to_loopback(base: str, gets_token: bool) -> None:
    """A bound token is withheld from its own instance when the channel is plain http."""
    src = MastodonSource(context(), MastodonSettings(), [base], {base: "secret"})
    assert (src.instances[0].token == "secret") is gets_token
