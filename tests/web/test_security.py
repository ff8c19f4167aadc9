"""The holes a security review found, each pinned by a test that failed before its fix."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from app.settings import Settings
from tests.fakes.mastodon_api import FakeMastodon, make_status
from tests.helpers import until
from tests.web.conftest import logged_in, serve


@pytest.fixture
async def mastodons() -> AsyncIterator[tuple[FakeMastodon, FakeMastodon]]:
    """Two stand-in Mastodon servers: the operator's own, and one an admin could name."""
    own, foreign = FakeMastodon(), FakeMastodon()
    await own.start()
    await foreign.start()
    yield own, foreign
    await own.stop()
    await foreign.stop()


async def test_the_mastodon_token_never_goes_to_a_server_a_wall_names(
    make_settings: Callable[..., Settings], mastodons: tuple[FakeMastodon, FakeMastodon]
) -> None:
    """A wall created over the API with a foreign instance first: the operator's token still
    goes only to the operator's instance, never to the foreign one."""
    own, foreign = mastodons
    own.publish(make_status(1))
    foreign.publish(make_status(2))
    settings = make_settings(mastodon_instances=[own.base], mastodon_token="secret",
                             allow_private_instances=True)
    async with serve(settings) as srv:
        admin = await logged_in(srv, "root")
        r = await admin.post("/api/v1/walls", json={
            "slug": "evil", "hashtags": ["ASNR14"], "sources": ["mastodon"],
            "mastodon_instances": [foreign.base, own.base]})
        assert r.status_code == 201, r.text
        await until(lambda: bool(own.auth_seen) and bool(foreign.auth_seen), 10)
        await admin.aclose()
    assert set(foreign.auth_seen) == {None}
    assert set(own.auth_seen) == {"Bearer secret"}
