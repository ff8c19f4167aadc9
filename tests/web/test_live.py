"""The live WebSocket against a real uvicorn server and a real websockets client."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable
from typing import Any

import pytest
import websockets
from websockets.exceptions import InvalidStatus

from app.events import PostEvent
from app.models import Post
from app.settings import Settings
from tests.conftest import make_post
from tests.web.conftest import serve


async def recv(ws: Any, timeout: float = 3) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        return dict(json.loads(await ws.recv()))


async def recv_events(ws: Any) -> list[dict[str, Any]]:
    """Return the events of the next events frame, skipping heartbeats."""
    while True:
        frame = await recv(ws)
        if frame["type"] == "events":
            return list(frame["events"])


class Viewer:
    """A client-side model of the wall: what a screen would show."""

    def __init__(self) -> None:
        self.posts: dict[str, dict[str, Any]] = {}
        self.epoch = ""
        self.seq = 0

    def apply(self, frame: dict[str, Any]) -> None:
        if frame["type"] == "snapshot":
            self.epoch, self.seq = frame["epoch"], frame["seq"]
            self.posts = {p["id"]: p for p in frame["posts"]}
        elif frame["type"] == "events":
            for ev in frame["events"]:
                assert ev["seq"] > self.seq, "seq must strictly increase"
                self.seq = ev["seq"]
                if ev["type"] == "post":
                    self.posts[ev["post"]["id"]] = ev["post"]
                elif ev["type"] == "remove":
                    self.posts.pop(ev["id"], None)


async def test_connect_gets_snapshot_then_live_events(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """A viewer gets the visible posts first, then each new post as it is stored."""
    async with serve(make_settings()) as srv:
        await srv.admit("w", post_factory(1))
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            snap = await recv(ws)
            assert snap["type"] == "snapshot" and [p["id"] for p in snap["posts"]] == ["x:100001"]
            assert snap["wall"]["title"] == "Test wall"
            await srv.admit("w", post_factory(2))
            events = await recv_events(ws)
            assert [(e["type"], e["post"]["id"]) for e in events] == [("post", "x:100002")]
            assert events[0]["seq"] == snap["seq"] + 1


async def test_heartbeats_keep_coming(make_settings: Callable[..., Settings]) -> None:
    """With nothing happening, the server still sends heartbeats carrying the seq."""
    async with serve(make_settings()) as srv, websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
        await recv(ws)
        beats = [await recv(ws, timeout=2) for _ in range(2)]
    assert [b["type"] for b in beats] == ["heartbeat", "heartbeat"]


async def test_hide_reaches_connected_viewers(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """A moderator's hide becomes a remove event on every connected screen."""
    async with serve(make_settings()) as srv:
        await srv.admit("w", post_factory(1))
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as a, \
                websockets.connect(f"{srv.ws}/ws/walls/w") as b:
            await recv(a), await recv(b)
            await srv.mod.moderate("w", "x:100001", "hide", "alice")
            for ws in (a, b):
                assert await recv_events(ws) == [{"seq": 2, "type": "remove", "id": "x:100001"}]


async def test_resume_inside_the_log_restores_the_exact_visible_set(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """P1: a client that reconnects with (epoch, since) gets each missed event once, in order,
    and then shows exactly what the server shows."""
    async with serve(make_settings()) as srv:
        for i in range(5):
            await srv.admit("w", post_factory(i))
        viewer = Viewer()
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            viewer.apply(await recv(ws))
        # While disconnected: new posts, a hide, an edit.
        for i in range(5, 9):
            await srv.admit("w", post_factory(i))
        await srv.mod.moderate("w", "x:100002", "hide", "alice")
        await srv.admit("w", post_factory(6, content=[{"type": "text", "text": "edited"}]))
        url = f"{srv.ws}/ws/walls/w?epoch={viewer.epoch}&since={viewer.seq}"
        async with websockets.connect(url) as ws:
            frame = await recv(ws)
            assert frame["type"] == "events"
            assert [e["seq"] for e in frame["events"]] == list(range(6, 12))
            viewer.apply(frame)
        server_ids = {p["id"] for p in await srv.store.wall_posts("w", limit=500)}
        assert set(viewer.posts) == server_ids
        assert viewer.posts["x:100006"]["text"] == "edited"


@pytest.mark.parametrize("query", ["epoch=stale&since=3", "since=999", "epoch=&since=-1",
                                   "since=abc"])
async def test_resume_that_cannot_be_served_gets_a_snapshot(make_settings: Callable[..., Settings], post_factory: Callable[..., Post], query: str) -> None:
    """P2: another epoch, a future or malformed since gives a fresh snapshot."""
    async with serve(make_settings()) as srv:
        await srv.admit("w", post_factory(1))
        async with websockets.connect(f"{srv.ws}/ws/walls/w?{query}") as ws:
            frame = await recv(ws)
    assert frame["type"] == "snapshot" and frame["seq"] == 1


async def test_resume_across_a_restart_keeps_the_epoch(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """The log is persisted: after a server restart a client still resumes without a snapshot."""
    settings = make_settings()
    async with serve(settings) as srv:
        await srv.admit("w", post_factory(1))
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            snap = await recv(ws)
        await srv.admit("w", post_factory(2))
    async with serve(settings) as srv:
        url = f"{srv.ws}/ws/walls/w?epoch={snap['epoch']}&since={snap['seq']}"
        async with websockets.connect(url) as ws:
            frame = await recv(ws)
    assert frame["type"] == "events" and [e["post"]["id"] for e in frame["events"]] == ["x:100002"]


async def test_foreign_origin_is_refused_before_accept(make_settings: Callable[..., Settings]) -> None:
    """A handshake from another site's page is refused with HTTP 403."""
    async with serve(make_settings()) as srv:
        with pytest.raises(InvalidStatus) as err:
            async with websockets.connect(f"{srv.ws}/ws/walls/w", origin="https://evil.example"):
                pass
        assert err.value.response.status_code == 403
        with pytest.raises(InvalidStatus):
            async with websockets.connect(f"{srv.ws}/ws/walls/w", origin="null"):
                pass


async def test_own_and_allowed_origins_are_accepted(make_settings: Callable[..., Settings]) -> None:
    """The page's own origin and configured origins may connect."""
    settings = make_settings(allowed_origins=["https://wall.example.org"])
    async with serve(settings) as srv:
        own = srv.url
        for origin in (own, "https://wall.example.org"):
            async with websockets.connect(f"{srv.ws}/ws/walls/w", origin=origin) as ws:  # type: ignore[arg-type]
                assert (await recv(ws))["type"] == "snapshot"


async def test_unknown_wall_is_refused(make_settings: Callable[..., Settings]) -> None:
    """A socket for a wall that does not exist is refused."""
    async with serve(make_settings()) as srv:
        with pytest.raises(InvalidStatus):
            async with websockets.connect(f"{srv.ws}/ws/walls/nope"):
                pass


async def test_oversized_client_message_closes_the_socket(make_settings: Callable[..., Settings]) -> None:
    """Viewers may not send large frames: the server closes the connection (1009)."""
    async with serve(make_settings()) as srv:
        async with websockets.connect(f"{srv.ws}/ws/walls/w", max_size=None) as ws:
            await recv(ws)
            await ws.send("x" * 200_000)
            with pytest.raises(websockets.ConnectionClosed) as err:
                async with asyncio.timeout(3):
                    while True:
                        await ws.recv()
            assert err.value.rcvd is not None and err.value.rcvd.code == 1009


def _stuck_client(url: str) -> socket.socket:
    """Open a WebSocket by hand with a tiny receive buffer, and then never read."""
    host, port = url.removeprefix("ws://").split(":")
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect((host, int(port)))
    sock.sendall(b"GET /ws/walls/w HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                 b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                 b"Sec-WebSocket-Version: 13\r\n\r\n")
    return sock


async def test_a_client_that_stops_reading_is_dropped_without_delaying_others(make_settings: Callable[..., Settings]) -> None:
    """P6 end to end: a stuck client is disconnected while 20 readers get every event."""
    settings = make_settings(hub={"batch_ms": 20, "queue_frames": 64, "send_timeout_s": 1})
    async with serve(settings) as srv:
        stuck = _stuck_client(srv.ws)
        readers = [await websockets.connect(f"{srv.ws}/ws/walls/w") for _ in range(20)]
        for ws in readers:
            await recv(ws)
        async with asyncio.timeout(5):
            while srv.hub.subscriber_count("w") < 21:
                await asyncio.sleep(0.02)
        big = "word " * 1000  # ~5 KB of text per post, ~5 MB in all: more than the socket buffers
        total = 1000
        seen = [0] * len(readers)

        async def read(i: int) -> None:
            while seen[i] < total:
                frame = await recv(readers[i], timeout=10)
                seen[i] += sum(1 for e in frame.get("events", []) if e["type"] == "post")

        tasks = [asyncio.create_task(read(i)) for i in range(len(readers))]
        for seq in range(1, total + 1):
            post = make_post(seq, content=[{"type": "text", "text": big}])
            srv.hub.publish("w", [PostEvent(seq, Post.model_validate(post).wire())])
            if seq % 5 == 0:
                await asyncio.sleep(0.005)
        async with asyncio.timeout(20):
            await asyncio.gather(*tasks)
        assert seen == [total] * len(readers)
        async with asyncio.timeout(10):
            while srv.hub.subscriber_count("w") > len(readers):
                await asyncio.sleep(0.05)
        assert srv.hub.dropped >= 1
        stuck.close()
        for ws in readers:
            await ws.close()
