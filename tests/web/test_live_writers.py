"""How frames reach sockets (app/web/wsdirect.py, app/web/live.py), against a real uvicorn:
direct writes under `server_config()`, the backlog of a paused connection, the ASGI fallback
under uvicorn's stock protocol, and the frame encoding itself."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import Callable

import pytest
import websockets
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.frames import Frame, Opcode

from app.events import PostEvent
from app.models import Post
from app.settings import Settings
from app.web.live import AsgiWriter
from app.web.wsdirect import DirectWrites, text_frame
from tests.conftest import make_post
from tests.web.conftest import serve


def big_post(seq: int, words: int = 1000) -> PostEvent:
    """A post of ~5 KB of text, so a few fill a socket's buffers."""
    raw = make_post(seq, content=[{"type": "text", "text": "word " * words}])
    return PostEvent(seq, Post.model_validate(raw).wire())


async def wait_for(check: Callable[[], bool], timeout: float = 5) -> None:
    async with asyncio.timeout(timeout):
        while not check():
            await asyncio.sleep(0.02)


@pytest.mark.parametrize("size", [0, 1, 125, 126, 65535, 65536, 70000])
def test_text_frames_are_what_websockets_itself_sends(size: int) -> None:
    """The frame the hub writes to every socket is a standard unmasked text frame, whatever
    the payload's length (7-bit, 16-bit and 64-bit lengths)."""
    payload = "é" * (size // 2) + "x" * (size % 2)
    assert text_frame(payload) == Frame(Opcode.TEXT, payload.encode()).serialize(mask=False)


async def test_under_server_config_the_hub_writes_to_the_connection_itself(
        make_settings: Callable[..., Settings]) -> None:
    """`server_config()` serves WebSockets with direct writes: each subscriber's writer is its
    uvicorn connection, and frames reach the client through it."""
    async with serve(make_settings()) as srv, \
            websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
        async with asyncio.timeout(3):
            assert json.loads(await ws.recv())["type"] == "snapshot"
        [sub] = srv.hub.subscriptions("w")
        assert isinstance(sub.writer, DirectWrites)
        srv.hub.publish("w", [big_post(1, 5)])
        async with asyncio.timeout(3):
            while (frame := json.loads(await ws.recv()))["type"] != "events":
                pass
        assert [e["seq"] for e in frame["events"]] == [1]


async def test_a_paused_connection_gets_its_backlog_in_order_and_stays(
        make_settings: Callable[..., Settings]) -> None:
    """A client that stops reading for a while fills its socket buffers: its transport
    pauses, the hub queues (below the limit) and, once it reads again, it gets every frame in
    order, without being dropped."""
    settings = make_settings(hub={"batch_ms": 0, "queue_frames": 64, "send_timeout_s": 30})
    async with serve(settings) as srv:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.connect(("127.0.0.1", int(srv.url.rsplit(":", 1)[1])))
        async with websockets.connect(f"{srv.ws}/ws/walls/w", sock=sock, max_queue=1) as ws:
            await wait_for(lambda: srv.hub.subscriber_count("w") == 1)
            [sub] = srv.hub.subscriptions("w")
            seq = 0
            async with asyncio.timeout(10):
                while sub.backlog < 5:  # publish until the hub has had to queue
                    seq += 1
                    srv.hub.publish("w", [big_post(seq)])
                    await asyncio.sleep(0.001)
            got: list[int] = []
            async with asyncio.timeout(10):
                while not got or got[-1] < seq:
                    frame = json.loads(await ws.recv())
                    got += [e["seq"] for e in frame.get("events", [])]
            assert got == list(range(1, seq + 1))
            assert not sub.closed and sub.backlog == 0


async def test_without_direct_writes_frames_still_flow_and_a_stuck_client_is_dropped(
        make_settings: Callable[..., Settings]) -> None:
    """Under uvicorn's stock protocol (no `tweetwall.writer` extension) every frame goes
    through ASGI `send` from the subscription's task: readers get everything and one that
    never reads is still dropped (P6)."""
    settings = make_settings(hub={"batch_ms": 20, "queue_frames": 16, "send_timeout_s": 1})
    async with serve(settings, ws=WebSocketsSansIOProtocol) as srv:
        host, port = srv.url.removeprefix("http://").split(":")
        stuck = socket.socket()
        stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        stuck.connect((host, int(port)))
        stuck.sendall(b"GET /ws/walls/w HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                      b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      b"Sec-WebSocket-Version: 13\r\n\r\n")
        readers = [await websockets.connect(f"{srv.ws}/ws/walls/w") for _ in range(3)]
        await wait_for(lambda: srv.hub.subscriber_count("w") == 4)
        assert all(isinstance(s.writer, AsgiWriter) for s in srv.hub.subscriptions("w"))
        total, seen = 300, [0, 0, 0]

        async def read(i: int) -> None:
            while seen[i] < total:
                async with asyncio.timeout(10):
                    frame = json.loads(await readers[i].recv())
                seen[i] += sum(1 for e in frame.get("events", []) if e["type"] == "post")

        tasks = [asyncio.create_task(read(i)) for i in range(3)]
        for seq in range(1, total + 1):
            srv.hub.publish("w", [big_post(seq)])
            await asyncio.sleep(0.002)
        async with asyncio.timeout(20):
            await asyncio.gather(*tasks)
        await wait_for(lambda: srv.hub.subscriber_count("w") == 3, timeout=10)
        assert seen == [total] * 3 and srv.hub.dropped == 1
        stuck.close()
        for ws in readers:
            await ws.close()
