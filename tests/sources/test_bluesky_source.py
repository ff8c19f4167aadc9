"""BlueskySource against a stand-in Jetstream (real websockets server) and a mock AppView."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr

from app.models import Deletion, Post
from app.settings import BlueskySettings
from app.sources.base import MemoryCursors, SourceContext, SourceEvent
from app.sources.bluesky import BlueskySource
from tests.fakes.appview import AppView, did
from tests.fakes.jetstream import FakeJetstream, post_record
from tests.helpers import fast_sleep

TIMEOUT = 15.0  # generous for a loaded CI machine; normally each wait takes milliseconds
FIXTURES = Path(__file__).parent.parent / "fixtures" / "bluesky"


class CountingCursors(MemoryCursors):
    def __init__(self) -> None:
        super().__init__()
        self.writes = 0

    async def set(self, key: str, value: str) -> None:
        self.writes += 1
        await super().set(key, value)


class Pump:
    """Runs `source.events()` in a task so a test can wait for events with timeouts."""

    def __init__(self, events: AsyncIterator[SourceEvent]) -> None:
        self.queue: asyncio.Queue[SourceEvent] = asyncio.Queue()
        self._task = asyncio.create_task(self._run(events))

    async def _run(self, events: AsyncIterator[SourceEvent]) -> None:
        async for event in events:
            self.queue.put_nowait(event)

    async def take(self, n: int) -> list[SourceEvent]:
        out: list[SourceEvent] = []
        async with asyncio.timeout(TIMEOUT):
            while len(out) < n:
                out.append(await self.queue.get())
        return out

    async def quiet(self, seconds: float = 0.3) -> list[SourceEvent]:
        await asyncio.sleep(seconds)
        out = []
        while not self.queue.empty():
            out.append(self.queue.get_nowait())
        return out

    async def aclose(self) -> None:
        self._task.cancel()
        await asyncio.gather(self._task, return_exceptions=True)


@pytest.fixture
async def jet() -> AsyncIterator[FakeJetstream]:
    server = FakeJetstream()
    await server.start()
    yield server
    await server.stop()


def make_source(
    jet: FakeJetstream,
    appview: AppView,
    cursors: MemoryCursors | None = None,
    *,
    settings: BlueskySettings | None = None,
    visible: list[str] | None = None,
    batch_wait_s: float = 0.05,
) -> BlueskySource:
    async def visible_ids(source: str) -> list[str]:
        return list(visible or [])

    ctx = SourceContext(
        wall="w", hashtags=("ASNR14",), cursors=cursors or MemoryCursors(), visible_ids=visible_ids
    )
    return BlueskySource(
        ctx,
        settings or BlueskySettings(appview_url="https://appview.test"),
        jet.url,
        http_transport=httpx.MockTransport(appview),
        pds_url="https://pds.test",
        sleep=fast_sleep,
        cursor_every_s=0.05,
        batch_wait_s=batch_wait_s,
    )


async def started(jet: FakeJetstream, n: int = 1) -> None:
    """Wait until the source has connected `n` times."""
    async with asyncio.timeout(TIMEOUT):
        while len(jet.connects) < n or len(jet._clients) == 0:
            await asyncio.sleep(0.01)


def posts(events: list[SourceEvent]) -> list[Post]:
    return [e for e in events if isinstance(e, Post)]


async def test_matching_posts_hydrated_and_hostile_facets_neutralised(jet: FakeJetstream) -> None:
    """Only posts with the hashtag pass; authors are hydrated; hostile facets lose their links."""
    appview = AppView()
    events = Pump(make_source(jet, appview).events())
    try:
        await started(jet)
        jet.post(did(1), "3a01", post_record("Opening keynote #ASNR14"))
        jet.post(did(2), "3a02", post_record("unrelated chatter"))
        jet.like(did(3), "3l01")
        hostile = json.loads((FIXTURES / "commit_hostile.json").read_text())
        jet.publish(hostile)
        jet.post(did(4), "3a03", post_record("tagged", tags=["asnr14"]))
        got = posts(await events.take(3))
        got += posts(await events.quiet())
    finally:
        await events.aclose()
    assert [p.id.rsplit("/", 1)[1] for p in got] == ["3a01", "3lbqz2mal0001", "3a03"]
    assert got[0].author.handle == "@user00000000000000000001.bsky.social"
    assert got[0].author.followers_count == 7
    bad = got[1]
    assert all(t.href is None for t in bad.content)
    assert jet.connects[0] == {"wantedCollections": ["app.bsky.feed.post"]}  # first start: live


async def test_profiles_are_hydrated_in_batches_of_25_and_cached(jet: FakeJetstream) -> None:
    """30 new authors at once cost two getProfiles calls; a known author costs none."""
    appview = AppView()
    # A generous batch window: under load the 30 posts may trickle in.
    events = Pump(make_source(jet, appview, batch_wait_s=0.5).events())
    try:
        await started(jet)
        for n in range(30):
            jet.post(did(n), f"3b{n:02d}", post_record(f"post {n} #asnr14"))
        first = posts(await events.take(30))
        jet.post(did(5), "3c05", post_record("again #ASNR14"))
        again = posts(await events.take(1))
    finally:
        await events.aclose()
    assert all(len(call) <= 25 for call in appview.profile_calls)
    assert sorted(a for call in appview.profile_calls for a in call) == sorted(
        did(n) for n in range(30)
    )
    assert len(appview.profile_calls) == 2
    assert all(p.author.handle.endswith(".bsky.social") for p in first + again)


async def test_profile_failure_falls_back_to_the_did(jet: FakeJetstream) -> None:
    """If the AppView fails the post still arrives, with the DID as its handle."""
    appview = AppView()
    appview.fail_profiles = True
    src = make_source(jet, appview)
    events = Pump(src.events())
    try:
        await started(jet)
        jet.post(did(1), "3a01", post_record("#ASNR14"))
        (post,) = posts(await events.take(1))
    finally:
        await events.aclose()
    assert post.author.handle == did(1)
    assert "profile_error" in src.status.extra


async def test_deletes_identity_and_account_events(jet: FakeJetstream) -> None:
    """delete -> Deletion for known or visible posts only; deactivated account -> its posts go."""
    appview = AppView()
    visible = [f"bluesky:at://{did(9)}/app.bsky.feed.post/3old"]
    events = Pump(make_source(jet, appview, visible=visible).events())
    try:
        await started(jet)
        jet.post(did(1), "3a01", post_record("one #ASNR14"))
        jet.post(did(1), "3a02", post_record("two #ASNR14"))
        jet.post(did(2), "3a03", post_record("three #ASNR14"))
        await events.take(3)
        calls = len(appview.profile_calls)
        jet.delete(did(1), "3a01")
        jet.delete(did(7), "3unknown")
        jet.delete(did(9), "3old")
        gone = await events.take(2)
        jet.identity(did(2), "new-handle.example")
        jet.post(did(2), "3a04", post_record("four #ASNR14"))
        await events.take(1)
        jet.account(did(1), active=False, status="deactivated")
        jet.account(did(2), active=True)
        gone += await events.take(1)
        gone += await events.quiet()
    finally:
        await events.aclose()
    assert all(isinstance(e, Deletion) for e in gone)
    assert [e.post_id.rsplit("/", 1)[1] for e in gone if isinstance(e, Deletion)] == [
        "3a01",
        "3old",
        "3a02",
    ]
    assert appview.profile_calls[calls:] == [[did(2)]]  # identity change: profile fetched again


async def test_outage_recovery_is_gap_free_and_duplicate_free(jet: FakeJetstream) -> None:
    """N posts during a Jetstream outage all arrive after reconnect (rewound cursor), none twice."""
    appview = AppView()
    cursors = CountingCursors()
    src = make_source(jet, appview, cursors)
    events = Pump(src.events())
    sent = [f"3o{n:03d}" for n in range(100)]
    try:
        await started(jet)
        for n in range(20):
            jet.post(did(n % 3), f"3p{n:03d}", post_record(f"before {n} #ASNR14"))
            jet.like(did(5), f"3l{n:03d}")
        before = posts(await events.take(20))
        jet.accepting = False
        await jet.disconnect()
        for n, rkey in enumerate(sent):
            jet.post(did(n % 7), rkey, post_record(f"during {n} #ASNR14"))
            jet.post(did(8), f"3x{n:03d}", post_record("noise without the tag"))
        await asyncio.sleep(0.1)
        jet.accepting = True
        during = posts(await events.take(len(sent)))
        jet.post(did(1), "3after", post_record("after #ASNR14"))
        during += posts(await events.take(1))
        during += posts(await events.quiet())
    finally:
        await events.aclose()
    assert [p.id.rsplit("/", 1)[1] for p in during] == [*sent, "3after"]
    assert not {p.id for p in before} & {p.id for p in during}
    reconnect = jet.connects[-1]
    assert int(reconnect["cursor"][0]) <= jet.log[39]["time_us"]  # rewound before the outage
    assert src.status.extra["reconnects"] >= 2
    assert cursors.writes < 100  # persisted every few seconds, not per message


async def test_restart_resumes_from_the_persisted_cursor(jet: FakeJetstream) -> None:
    """Posts published while the source was stopped arrive from the saved cursor."""
    appview = AppView()
    cursors = MemoryCursors()
    events = Pump(make_source(jet, appview, cursors).events())
    try:
        await started(jet)
        jet.post(did(1), "3r01", post_record("#ASNR14 one"))
        await events.take(1)
        await asyncio.sleep(0.1)  # a cursor save is due
    finally:
        await events.aclose()
    jet.post(did(1), "3r02", post_record("#ASNR14 two"))
    jet.post(did(1), "3r03", post_record("#ASNR14 three"))
    events = Pump(make_source(jet, appview, cursors).events())
    try:
        got = posts(await events.take(3))
        got += posts(await events.quiet())
    finally:
        await events.aclose()
    # The rewind re-sends the first post to the new process; downstream upsert absorbs it.
    assert [p.id.rsplit("/", 1)[1] for p in got] == ["3r01", "3r02", "3r03"]


async def test_search_backfill_reuses_one_session_and_refreshes(jet: FakeJetstream) -> None:
    """First start with credentials: searchPosts pages are yielded; one login, refresh on expiry."""
    appview = AppView()
    appview.expire_once = True
    appview.search_pages = [
        [
            {
                "uri": f"at://{did(1)}/app.bsky.feed.post/3s0{i}",
                "cid": f"bafys{i}",
                "author": AppView.profile(did(1)),
                "record": post_record(f"earlier {i} #ASNR14"),
                "likeCount": i,
            }
            for i in range(3)
        ],
        [
            {
                "uri": f"at://{did(2)}/app.bsky.feed.post/3s10",
                "cid": "bafys10",
                "author": AppView.profile(did(2)),
                "record": post_record("not tagged at all"),
            },
            {
                "uri": f"at://{did(2)}/app.bsky.feed.post/3s11",
                "cid": "bafys11",
                "author": AppView.profile(did(2)),
                "record": post_record("page two #asnr14"),
            },
        ],
    ]
    settings = BlueskySettings(
        appview_url="https://appview.test",
        handle="wall.bsky.social",
        app_password=SecretStr("app-pass"),
        backfill_hours=2,
    )
    src = make_source(jet, appview, settings=settings)
    events = Pump(src.events())
    try:
        got = posts(await events.take(4))
        await started(jet)
        jet.post(did(3), "3live", post_record("live #ASNR14"))
        got += posts(await events.take(1))
    finally:
        await events.aclose()
    assert [p.id.rsplit("/", 1)[1] for p in got] == ["3s00", "3s01", "3s02", "3s11", "3live"]
    assert got[2].metrics.likes == 2
    assert appview.sessions == 1 and appview.refreshes == 1
    assert appview.search_calls[0]["q"] == "#ASNR14"
    assert appview.search_calls[0]["sort"] == "latest" and "since" in appview.search_calls[0]
    assert src.status.extra["backfill"]["posts"] == 4


async def test_malformed_messages_are_skipped(jet: FakeJetstream) -> None:
    """Garbage frames and odd shapes neither stop the stream nor force a reconnect."""
    appview = AppView()
    src = make_source(jet, appview)
    events = Pump(src.events())
    try:
        await started(jet)
        for raw in (
            "not json",
            "[1, 2]",
            '{"kind": "commit", "commit": [1]}',
            '{"kind": "account", "account": "x", "did": 5}',
            '{"kind": "commit", "did": "did:plc:x", "commit": {"collection": '
            '"app.bsky.feed.post", "operation": "create", "rkey": "3k", "record": 7}}',
        ):
            jet.publish_raw(raw)
        jet.publish(
            {
                "did": did(1),
                "kind": "commit",
                "commit": {
                    "collection": "app.bsky.feed.post",
                    "operation": "create",
                    "rkey": "../x",
                    "record": post_record("#ASNR14 bad rkey"),
                },
            }
        )
        jet.post(did(1), "3ok", post_record("#ASNR14 fine"))
        got = posts(await events.take(1))
    finally:
        await events.aclose()
    assert [p.id.rsplit("/", 1)[1] for p in got] == ["3ok"]
    assert src.status.extra["reconnects"] == 1


async def test_quoted_post_is_fetched_with_the_batch(jet: FakeJetstream) -> None:
    """A quote embed is filled from app.bsky.feed.getPosts: the quoted words and author."""
    appview = AppView()
    events = Pump(make_source(jet, appview).events())
    quoted = f"at://{did(7)}/app.bsky.feed.post/3quoted"
    try:
        await started(jet)
        embed = {"$type": "app.bsky.embed.record", "record": {"uri": quoted, "cid": "bafyq"}}
        jet.post(did(1), "3q01", post_record("Read this #ASNR14", embed=embed))
        (post,) = posts(await events.take(1))
    finally:
        await events.aclose()
    assert post.quoted is not None
    assert post.quoted.id == f"bluesky:{quoted}"
    assert post.quoted.text == "the quoted words"
    assert post.quoted.author.handle == "@user00000000000000000007.bsky.social"
