"""One wall fed by Mastodon, Bluesky and the replay at once, through the real ingest and store."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.ingest import Ingest, build_source
from app.settings import BlueskySettings, MastodonSettings, ReplaySettings, Settings, WallConfig
from app.sources.base import Source, SourceContext
from app.sources.bluesky import BlueskySource
from app.sources.mastodon import MastodonSource
from app.store import Store
from tests.fakes.appview import AppView, did
from tests.fakes.jetstream import FakeJetstream, post_record
from tests.fakes.mastodon_api import FakeMastodon, make_status
from tests.helpers import fast_sleep, until

ANA = did(42)
CROSS = "Packed hall for the perfusion keynote this morning"


class NamedAppView(AppView):
    @staticmethod
    def profile(actor: str) -> dict[str, Any]:
        profile = AppView.profile(actor)
        if actor == ANA:
            profile["displayName"] = "Ana Rad"
        return profile


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = Store(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    await s.open()
    yield s
    await s.close()


async def test_wall_fed_by_both_networks_and_replay(store: Store) -> None:
    """Every tagged post shows once, a cross-post collapses, an outage loses nothing, deletes go."""
    a, b, jet = FakeMastodon(), FakeMastodon(), FakeJetstream()
    await a.start()
    await b.start()
    await jet.start()
    wall = WallConfig(slug="w", hashtags=["ASNR14"], sources=["mastodon", "bluesky", "replay"])
    settings = Settings(
        # Three replayed posts at once, then a minute of quiet: the stand-ins are under test.
        replay=ReplaySettings(backfill=3, min_gap_s=60, max_gap_s=60, loop=False)
    )

    def factory(kind: str, ctx: SourceContext, w: WallConfig, s: Settings) -> Source:
        if kind == "mastodon":
            return MastodonSource(
                ctx,
                MastodonSettings(poll_interval_s=2, streaming=True),
                [a.base, b.base],
                {a.base: "secret", b.base: "secret"},
                sleep=fast_sleep,
            )
        if kind == "bluesky":
            return BlueskySource(
                ctx,
                BlueskySettings(appview_url="https://appview.test"),
                jet.url,
                http_transport=httpx.MockTransport(NamedAppView()),
                sleep=fast_sleep,
                batch_wait_s=0.05,
                cursor_every_s=0.05,
            )
        return build_source(kind, ctx, w, s)

    ours = {"mastodon": "mastodon:https://origin.example/", "bluesky": "bluesky:at://did:plc:user"}

    async def ids(source: str, state: str = "visible") -> list[str]:
        """Ids on the wall from our stand-ins (the bundled replay has Mastodon posts too)."""
        posts = await store.wall_posts("w", state, limit=2000)  # type: ignore[arg-type]
        if source == "replay":
            return [p["id"] for p in posts if not p["id"].startswith(tuple(ours.values()))]
        return [p["id"] for p in posts if p["id"].startswith(ours[source])]

    await store.create_wall("w", "t", wall.model_dump(mode="json", exclude={"slug", "title"}))
    ingest = Ingest(store, settings, factory, max_backoff_s=0.05)
    ingest.start([wall])
    try:
        async with asyncio.timeout(45):  # generous: the store writes each post durably
            await until(lambda: _connected(jet, a))
            shared = make_status(1)
            a.publish(shared)
            b.publish(shared)
            deletable = a.publish(make_status(2))
            b.publish(make_status(3, user="bob"))
            ana = make_status(4, user="ana", text=CROSS)
            ana["account"]["display_name"] = "Ana Rad"
            a.publish(ana)
            for n in range(3):
                jet.post(did(n), f"3b{n}", post_record(f"bluesky {n} #ASNR14"))
            await asyncio.sleep(0.3)  # the Mastodon copy is first on the wall
            jet.post(ANA, "3ana", post_record(f"{CROSS} #ASNR14"))

            async def first_round() -> bool:
                return len(await ids("mastodon")) == 4 and len(await ids("bluesky")) == 3

            await until(first_round)
            await until(
                lambda: _has(store, "hidden", f"bluesky:at://{ANA}/app.bsky.feed.post/3ana")
            )

            # Both networks down at once; 20 posts each while they are.
            a.streams_down = b.streams_down = True
            a.drop_streams()
            b.drop_streams()
            jet.accepting = False
            await jet.disconnect()
            for n in range(100, 120):
                (a if n % 2 else b).publish(make_status(n))
                jet.post(did(n), f"3o{n}", post_record(f"outage {n} #ASNR14"))
            await asyncio.sleep(0.2)
            a.streams_down = b.streams_down = False
            jet.accepting = True

            async def recovered() -> bool:
                return len(await ids("mastodon")) == 24 and len(await ids("bluesky")) == 23

            await until(recovered)

            a.delete(deletable["id"])
            jet.delete(did(0), "3b0")

            async def deleted() -> bool:
                return len(await ids("mastodon")) == 23 and len(await ids("bluesky")) == 22

            await until(deleted)
            assert len(await ids("replay")) >= 3
    finally:
        await ingest.stop()
        await a.stop()
        await b.stop()
        await jet.stop()
    mastodon, bluesky = await ids("mastodon"), await ids("bluesky")
    assert len(set(mastodon)) == len(mastodon) == 23
    assert len(set(bluesky)) == len(bluesky) == 22
    assert "mastodon:" + deletable["uri"] not in mastodon


async def _connected(jet: FakeJetstream, a: FakeMastodon) -> bool:
    return bool(jet._clients) and len(a.stream_hosts) >= 1


async def _has(store: Store, state: str, post_id: str) -> bool:
    posts = await store.wall_posts("w", state, limit=2000)  # type: ignore[arg-type]
    return any(p["id"] == post_id for p in posts)
