"""P6 under attack: WebSocket abuse against a real server (`tweetwall serve` in a subprocess)
while a control viewer must receive every event, once and in order, and the server's memory
stays bounded. The abuse: malformed frames, an oversized frame, invalid UTF-8, a compression
bomb, clients that never read, a flood of connections from one address (answered by the
per-address cap, app/web/sockets.py) and handshakes that never complete.

Abusers connect from other loopback addresses (127.0.0.2 and up) than the control viewer and
the moderator (127.0.0.1), as they would from other machines.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import os
import socket
import struct
import time
import zlib
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any, cast

import httpx
import pytest
import websockets
from websockets.exceptions import InvalidStatus

from tests.conftest import ROOT, ServerProcess, make_post, write_jsonl
from tests.promises.conftest import Client, cli

CAP = 40  # this server's ws_max_per_address
POSTS = 30
RSS_BUDGET_MB = 150  # growth over the idle server allowed during all of the abuse


def toml(replay: Path) -> str:
    return f"""
[[walls]]
slug = "w"
hashtags = ["ASNR14"]
sources = ["replay"]
replay_file = {json.dumps(str(replay))}

[walls.rules]
wordlist = false
max_per_author_per_hour = 0
collapse_duplicates = false
queue_sensitive = false

[replay]
backfill = {POSTS}
loop = false

[hub]
batch_ms = 20
heartbeat_s = 0.5
queue_frames = 8
send_timeout_s = 3
ws_max_per_address = {CAP}
"""


def rss_mb(server: ServerProcess) -> float:
    assert server.proc is not None
    status = Path(f"/proc/{server.proc.pid}/status").read_text()
    kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS"))
    return kb / 1024


@pytest.fixture(scope="module")
def abused(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server whose wall holds 30 long posts (8 KB of text each, so frames are large)."""
    work = tmp_path_factory.mktemp("abuse")
    long = "word " * 1980
    posts = [make_post(n, content=[{"type": "text", "text": f"{n} {long}"}])
             for n in range(POSTS)]
    server = ServerProcess(work, toml(write_jsonl(work / "posts.jsonl", posts))).start()
    for _ in range(200):
        if len(httpx.get(f"{server.url}/api/v1/walls/w/posts?limit=100").json()) == POSTS:
            break
        time.sleep(0.05)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def token(abused: ServerProcess) -> str:
    made = cli(abused, "token", "create", "abuse-mod")
    assert made.returncode == 0, made.stderr
    return made.stdout.strip()


# -- a raw WebSocket client: frames exactly as the test writes them ------------------------------


def frame(opcode: int, payload: bytes, *, fin: bool = True, rsv1: bool = False,
          masked: bool = True) -> bytes:
    """Return one client frame (RFC 6455 §5.2)."""
    head = bytes([(0x80 if fin else 0) | (0x40 if rsv1 else 0) | opcode])
    n = len(payload)
    bit = 0x80 if masked else 0
    if n < 126:
        head += bytes([bit | n])
    elif n < 1 << 16:
        head += bytes([bit | 126]) + struct.pack(">H", n)
    else:
        head += bytes([bit | 127]) + struct.pack(">Q", n)
    if not masked:
        return head + payload
    mask = os.urandom(4)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def handshake(url: str, source: str, *, extra: str = "", rcvbuf: int | None = None
                    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter, bytes]:
    host, port = url.removeprefix("http://").split(":")
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.bind((source, 0))
    sock.setblocking(False)
    await asyncio.get_running_loop().sock_connect(sock, (host, int(port)))
    reader, writer = await asyncio.open_connection(sock=sock, limit=1 << 24)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write((f"GET /ws/walls/w HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                  f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
                  f"Sec-WebSocket-Version: 13\r\n{extra}\r\n").encode())
    await writer.drain()
    async with asyncio.timeout(5):
        head = await reader.readuntil(b"\r\n\r\n")
    return reader, writer, head


async def close_code(reader: asyncio.StreamReader, timeout: float = 5) -> int | None:
    """Read server frames until a close frame; return its code (None: the TCP connection
    ended without one, between frames or inside one: a server dropping a client that stopped
    reading aborts the connection with a frame half sent)."""
    async with asyncio.timeout(timeout):
        while True:
            try:
                b0, b1 = await reader.readexactly(2)
                n = b1 & 0x7F
                if n == 126:
                    n = struct.unpack(">H", await reader.readexactly(2))[0]
                elif n == 127:
                    n = struct.unpack(">Q", await reader.readexactly(8))[0]
                payload = await reader.readexactly(n)
            except asyncio.IncompleteReadError:
                return None
            if b0 & 0x0F == 0x8:
                return struct.unpack(">H", payload[:2])[0] if len(payload) >= 2 else 1005


# -- the control viewer and the moderator --------------------------------------------------------


class Control:
    """A viewer that must see every event: it fails on a second snapshot, a gap, a repeat or
    its connection ending."""

    def __init__(self, url: str) -> None:
        self.url = url.replace("http://", "ws://") + "/ws/walls/w"
        self.client = Client()
        self.task: asyncio.Task[None] | None = None
        self.gaps: list[tuple[int, int]] = []
        self.latest = 0.0

    async def run(self) -> None:
        async with websockets.connect(self.url, open_timeout=5, max_size=None) as ws:
            async for raw in ws:
                frame = json.loads(raw)
                if frame["type"] == "events":
                    for ev in frame["events"]:
                        if ev["seq"] != self.client.seq + 1:
                            self.gaps.append((self.client.seq, ev["seq"]))
                self.client.apply(frame)
                self.latest = time.monotonic()

    async def __aenter__(self) -> Control:
        self.task = asyncio.create_task(self.run())
        async with asyncio.timeout(5):
            while not self.client.frames:
                await asyncio.sleep(0.01)
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.task is not None
        alive = not self.task.done()
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task
        assert alive, "the control viewer's connection ended"


@contextlib.asynccontextmanager
async def moderating(url: str, token: str, hands: int = 3) -> AsyncIterator[list[int]]:
    """`hands` moderators hide and unhide posts in turn (each a committed event, an unhide
    an 8 KB card on every screen) until the block ends; yields the answers' statuses."""
    statuses: list[int] = []

    async def loop(first: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=10,
                                     headers={"Authorization": f"Bearer {token}"}) as http:
            n = first
            while True:
                pid = f"x:{100000 + n % POSTS}"
                hide = await http.post(f"/api/v1/walls/w/posts/{pid}/hide")
                back = await http.post(f"/api/v1/walls/w/posts/{pid}/unhide")
                statuses.extend((hide.status_code, back.status_code))
                n += hands
                await asyncio.sleep(0.01)

    tasks = [asyncio.create_task(loop(i)) for i in range(hands)]
    try:
        yield statuses
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def settled(control: Control, url: str) -> None:
    """Wait until the control viewer has every committed event, then compare its wall with
    the server's."""
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        visible = {p["id"] for p in (await http.get("/api/v1/walls/w/posts?limit=100")).json()}
        async with asyncio.timeout(10):
            while control.client.visible != visible:
                await asyncio.sleep(0.05)
                visible = {p["id"] for p in
                           (await http.get("/api/v1/walls/w/posts?limit=100")).json()}


# -- the abuse ---------------------------------------------------------------------------------


async def malformed(url: str) -> list[Any]:
    """Unmasked, reserved-opcode, 2**63-byte, fragmented-control and oversized-control
    frames: each connection is closed with 1002 (1009 for the absurd length)."""
    codes = []
    for bad in (frame(0x1, b"hello", masked=False), frame(0x3, b"reserved opcode"),
                b"\x81\xff" + struct.pack(">Q", 1 << 63) + b"mask",
                frame(0x9, b"x", fin=False), frame(0x9, b"p" * 200)):
        reader, writer, head = await handshake(url, "127.0.0.2")
        assert b" 101 " in head
        writer.write(bad)
        await writer.drain()
        codes.append(await close_code(reader))
        writer.close()
    return codes


async def oversized(url: str) -> list[Any]:
    """A text frame announcing 1 MiB against the 64 KiB cap: refused (1009) from its header,
    before its payload is read (only its first KiB is sent)."""
    reader, writer, _ = await handshake(url, "127.0.0.2")
    writer.write(frame(0x1, b"x" * (1 << 20))[:1024])
    await writer.drain()
    code = await close_code(reader)
    writer.close()
    return [code]


async def invalid_utf8(url: str) -> list[Any]:
    """A text frame that is not UTF-8: 1007."""
    reader, writer, _ = await handshake(url, "127.0.0.2")
    writer.write(frame(0x1, b"\xff\xfe\xc3\x28 not utf-8"))
    await writer.drain()
    code = await close_code(reader)
    writer.close()
    return [code]


async def compression_bomb(url: str) -> list[Any]:
    """permessage-deflate is offered and not granted; a compressed frame (RSV1) of 50 MB of
    zeros in 50 KB is a protocol error (1002), never inflated."""
    reader, writer, head = await handshake(
        url, "127.0.0.2", extra="Sec-WebSocket-Extensions: permessage-deflate\r\n")
    granted = b"permessage-deflate" in head.lower()
    squeeze = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = squeeze.compress(b"\0" * (50 << 20)) + squeeze.flush(zlib.Z_SYNC_FLUSH)[:-4]
    writer.write(frame(0x1, bomb, rsv1=True))
    with contextlib.suppress(ConnectionError):
        await writer.drain()
    code = await close_code(reader)
    writer.close()
    return [granted, len(bomb), code]


async def viewers(url: str) -> int:
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        return int((await http.get("/api/v1/walls/w")).json()["viewers"])


async def never_read(url: str, clients: int = 20) -> list[Any]:
    """Clients with 4 KB receive buffers that never read while the wall changes: once the
    server's buffers towards one are full its sends stall and it is dropped (P6). Waits (at
    most 30 s) until the server has dropped them all, then returns how each ended: a close
    code, or "open" for one still connected."""
    before = await viewers(url)
    held = [await handshake(url, f"127.0.0.{3 + i % 5}", rcvbuf=4096) for i in range(clients)]
    for _, writer, _ in held:
        cast(asyncio.Transport, writer.transport).pause_reading()  # data stays in the kernel
    with contextlib.suppress(TimeoutError):
        async with asyncio.timeout(30):
            while await viewers(url) > before:
                await asyncio.sleep(0.2)

    async def ended(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> Any:
        cast(asyncio.Transport, writer.transport).resume_reading()
        try:
            return await close_code(reader, timeout=3)
        except TimeoutError:
            return "open"

    codes = await asyncio.gather(*(ended(r, w) for r, w, _ in held))
    for _, writer, _ in held:
        writer.close()
    return list(codes)


async def flood(url: str) -> list[Any]:
    """90 sockets from one address against a cap of 40: 40 open, 50 refused with 403; others
    still connect; closing frees the address's places."""
    ws_url = url.replace("http://", "ws://") + "/ws/walls/w"
    opened, refused = [], 0
    for _ in range(90):
        try:
            opened.append(await websockets.connect(ws_url, open_timeout=5,
                                                   local_addr=("127.0.0.9", 0)))
        except InvalidStatus as err:
            assert err.response.status_code == 403
            refused += 1
    other = await websockets.connect(ws_url, open_timeout=5, local_addr=("127.0.0.10", 0))
    await other.close()
    for ws in opened:
        await ws.close()
    await asyncio.sleep(0.3)
    again = await websockets.connect(ws_url, open_timeout=5, local_addr=("127.0.0.9", 0))
    await again.close()
    return [len(opened), refused]


async def half_handshakes(url: str) -> list[Any]:
    """300 connections that send half a handshake and stop; a new viewer still gets in."""
    host, port = url.removeprefix("http://").split(":")
    held = []
    for i in range(300):
        _, writer = await asyncio.open_connection(
            host, int(port), local_addr=(f"127.0.1.{1 + i % 200}", 0))
        writer.write(b"GET /ws/walls/w HTTP/1.1\r\nHost: " + host.encode() + b"\r\nUpgr")
        held.append(writer)
    await asyncio.sleep(2)
    ws = await websockets.connect(url.replace("http://", "ws://") + "/ws/walls/w",
                                  open_timeout=5, local_addr=("127.0.0.11", 0))
    first = json.loads(await asyncio.wait_for(ws.recv(), 5))["type"]
    await ws.close()
    for writer in held:
        writer.close()
    return [first]


ABUSE: dict[str, tuple[Callable[[str], Awaitable[list[Any]]], Callable[[list[Any]], bool]]] = {
    "malformed frames": (malformed, lambda r: r == [1002, 1002, 1009, 1002, 1002]),
    "an oversized frame": (oversized, lambda r: r == [1009]),
    "invalid UTF-8": (invalid_utf8, lambda r: r == [1007]),
    "a compression bomb": (compression_bomb, lambda r: r[0] is False and r[2] in (1002, None)),
    # Each is dropped: its close frame (1013) waits behind its unsent data, and a client that
    # has not read it within CLOSE_WAIT_S (2 s) is cut off (None); the test reads them only
    # once all are dropped, so the first dropped may be cut off before it reads.
    "clients that never read": (never_read, lambda r: set(r) <= {1013, None} and 1013 in r),
    "a flood from one address": (flood, lambda r: r == [CAP, 90 - CAP]),
    "handshakes that never complete": (half_handshakes, lambda r: r == ["snapshot"]),
}


async def test_abuse_never_reaches_the_control_viewer(abused: ServerProcess,
                                                      token: str) -> None:
    """Seven kinds of WebSocket abuse, one after another, while a moderator changes the wall
    and a control viewer watches: each abuser gets the answer listed (closed 1002, 1009, 1007;
    the bomb never inflated; non-readers dropped, with 1013 or cut off; the 41st socket of one
    address refused with 403; half handshakes harmless), the control viewer receives 100% of the events in order
    (no gap, no repeat, no second snapshot) and ends equal to the server, moderation answers
    stay 2xx, and the server's RSS grows by less than RSS_BUDGET_MB (figures in
    test-artifacts/abuse.json)."""
    url = abused.url
    idle = rss_mb(abused)
    peak = idle
    results: dict[str, Any] = {}
    async with Control(url) as control:
        async with moderating(url, token) as statuses:
            for name, (attack, ok) in ABUSE.items():
                got = await attack(url)
                peak = max(peak, rss_mb(abused))
                results[name] = got
                assert ok(got), f"{name}: {got}"
        await settled(control, url)
    after = rss_mb(abused)
    report = {"rss_idle_mb": round(idle, 1), "rss_peak_mb": round(peak, 1),
              "rss_after_mb": round(after, 1), "events_received": len(control.client.applied),
              "moderation_answers": len(statuses), "results": results}
    out = ROOT / "test-artifacts"
    out.mkdir(exist_ok=True)
    (out / "abuse.json").write_text(json.dumps(report, indent=2, default=str))
    assert control.client.frames.count("snapshot") == 1
    assert control.gaps == [] and control.client.twice == []
    assert len(control.client.applied) >= 100, report
    assert set(statuses) == {200}, sorted(set(statuses))
    assert peak - idle < RSS_BUDGET_MB, report

