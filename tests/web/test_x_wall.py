"""A wall with `sources = ["x"]` against the stand-in X API, through tweepy, end to end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
import websockets

from app.settings import Settings, WallConfig
from tests.fakes.x_api import TOKEN, FakeXApi, make_tweet
from tests.web.conftest import serve


@pytest.fixture
async def fake_x() -> AsyncIterator[FakeXApi]:
    server = FakeXApi()
    await server.start()
    yield server
    await server.stop()


async def next_post_ids(ws: Any, timeout: float = 10) -> list[str]:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            if frame["type"] == "events":
                ids = [e["post"]["id"] for e in frame["events"] if e["type"] == "post"]
                if ids:
                    return ids


async def test_x_wall_shows_searched_then_streamed_posts(make_settings: Callable[..., Settings], fake_x: FakeXApi) -> None:
    """Posts found by the catch-up search and posts streamed later both reach a connected
    screen, safely; the source reports its budget on the status endpoint."""
    fake_x.add(make_tweet(1866000000000000101, "Opening session is packed #ASNR14"))
    wall = WallConfig(slug="w", hashtags=["ASNR14"], sources=["x"])
    settings = make_settings(walls=[wall], x_bearer_token=TOKEN, x_api_base_url=fake_x.base_url,
                             x={"mode": "stream"})
    async with serve(settings) as srv, websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
        json.loads(await ws.recv())
        async with asyncio.timeout(10):
            while not (await srv.store.wall_posts("w")):
                await asyncio.sleep(0.05)
        async with asyncio.timeout(10):
            while not fake_x.streams:
                await asyncio.sleep(0.05)
        fake_x.publish(make_tweet(1866000000000000102,
                                  "Live from the stroke session #ASNR14 javascript:alert(1)"))
        ids = await next_post_ids(ws)
        assert "x:1866000000000000102" in ids or "x:1866000000000000101" in ids
        while "x:1866000000000000102" not in ids:
            ids = await next_post_ids(ws)
        status = srv.app.state.ingest.statuses("w")[0].as_dict()
    assert status["source"] == "x" and status["state"] in ("ok", "waiting")
    assert "reads_today" in status and "est_cost_usd" in status
