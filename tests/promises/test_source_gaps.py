"""Posts a source must not lose on the way to the wall, found while feeding the hostile corpora
through the stand-ins."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from app.settings import Settings
from tests.fakes.mastodon_api import FakeMastodon, make_status
from tests.helpers import until
from tests.promises.conftest import plain_wall
from tests.web.conftest import serve


@pytest.fixture
async def mastodon() -> AsyncIterator[FakeMastodon]:
    fake = FakeMastodon()
    await fake.start()
    yield fake
    await fake.stop()


async def test_a_wall_started_before_its_hashtag_is_used_gets_every_post(
    promise_settings: Callable[..., Settings], mastodon: FakeMastodon
) -> None:
    """A wall opened before the meeting (its hashtag's timeline still empty) gets all 100
    posts of the first busy minute, not only the newest page of them."""
    settings = promise_settings(walls=[plain_wall(sources=["mastodon"])],
                                mastodon_instances=[mastodon.base],
                                mastodon={"poll_interval_s": 2})
    async with serve(settings) as srv:
        async def polled() -> bool:
            return any(s.source == "mastodon" and s.last_success
                       for s in srv.app.state.ingest.statuses("w"))

        await until(polled, 10)
        for n in range(100):
            mastodon.publish(make_status(n, user=f"u{n}"))

        async def count() -> int:
            return len(await srv.store.wall_posts("w", "visible", 500))

        async def settled() -> bool:
            return await count() >= 100

        try:
            await until(settled, 6)
        except TimeoutError:
            pass
        got = await count()
    assert got == 100, f"{got} of 100 posts reached the wall"
