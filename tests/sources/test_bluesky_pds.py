"""The Bluesky PDS used for login and the search backfill is a setting, not bsky.social always."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from app.settings import BlueskySettings, ConfigError, load_settings
from app.sources.base import MemoryCursors, SourceContext
from app.sources.bluesky import BlueskySource
from tests.helpers import until


def test_pds_url_comes_from_the_nested_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    """TWEETWALL_BLUESKY__PDS_URL sets `bluesky.pds_url`; the default is bsky.social; a value
    that is not an http(s) URL stops the start with one line naming it."""
    assert BlueskySettings().pds_url == "https://bsky.social"
    monkeypatch.setenv("TWEETWALL_BLUESKY__PDS_URL", "https://pds.example.org/")
    assert load_settings().bluesky.pds_url == "https://pds.example.org"
    monkeypatch.setenv("TWEETWALL_BLUESKY__PDS_URL", "javascript:alert(1)")
    with pytest.raises(ConfigError, match="pds_url"):
        load_settings()


async def test_login_and_backfill_go_to_the_configured_pds() -> None:
    """With credentials and no cursor, the first start logs in and searches on `pds_url`."""
    seen: list[httpx.Request] = []

    def pds(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path.endswith("createSession"):
            return httpx.Response(200, json={"accessJwt": "a", "refreshJwt": "r"})
        return httpx.Response(200, json={"posts": []})

    settings = BlueskySettings(handle="me.example.org", app_password="secret",  # type: ignore[arg-type]
                               pds_url="https://pds.example.org")
    source = BlueskySource(SourceContext("w", ("ASNR14",), MemoryCursors()), settings,
                           "ws://127.0.0.1:9/subscribe", http_transport=httpx.MockTransport(pds))
    task = asyncio.create_task(anext(source.events()))
    try:
        async with asyncio.timeout(5):
            await until(lambda: any("searchPosts" in r.url.path for r in seen))
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert {r.url.host for r in seen} == {"pds.example.org"}
    assert seen[0].url.path == "/xrpc/com.atproto.server.createSession"
