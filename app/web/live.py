"""`GET /ws/walls/{slug}`: the public, read-only live stream of a wall (docs/design.md §3).

One task per connection: uvicorn's own, running the handler, which reads the client (viewers
send nothing but pongs; a named hall screen sends health reports) and so notices a disconnect.
Frames do not pass through it: the hub writes them straight to the connection's transport.

How the hub reaches the transport: `server_config()` (app/main.py) serves WebSockets with
`ws_protocol()`, uvicorn's websockets-sansio (or wsproto) protocol plus `DirectWrites`, which
adds itself to the ASGI scope as the extension `tweetwall.writer`. Its `try_write` checks
uvicorn's own `writable` event (cleared by the transport's `pause_writing()` when its buffer
passes the high-water mark, set again by `resume_writing()`): while set, the frame, encoded
once per flush as an RFC 6455 text frame, goes to `transport.write()`; while clear the hub
queues it. Under a server without the extension an `AsgiWriter` sends every frame through the
ASGI `send` from the subscription's drain task, and a second task reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import struct
import time
from typing import TYPE_CHECKING, Any, cast

import orjson
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.datastructures import Headers, QueryParams

from app.hub import CLOSE_NORMAL, CLOSE_TRY_AGAIN, Hub, Subscription, UnknownWall, Writer
from app.web.security import origin_allowed

if TYPE_CHECKING:
    from uvicorn.protocols.websockets.websockets_sansio_impl import (
        WebSocketsSansIOProtocol as _Base,
    )

    from app.settings import Settings
    from app.store.screens import Screens
else:
    _Base = object

__all__ = ["CLOSE_POLICY", "CLOSE_TRY_AGAIN", "EXTENSION", "AsgiWriter", "DirectWrites",
           "finish", "router", "run_socket", "writer_for", "ws_protocol"]

router = APIRouter()

CLOSE_POLICY = 1008
EXTENSION = "tweetwall.writer"
CLOSE_WAIT_S = 2.0  # how long a dropped client's paused transport may take to flush its close


_last: tuple[str, bytes] = ("", b"\x81\x00")


def text_frame(frame: str) -> bytes:
    """Return `frame` as one unmasked WebSocket text frame. A flush writes the same `str` to
    every connection, so the last encoding is kept and reused while the frame is the same."""
    global _last
    if _last[0] is frame:
        return _last[1]
    data = frame.encode()
    n = len(data)
    head = (struct.pack("!BB", 0x81, n) if n < 126 else struct.pack("!BBH", 0x81, 126, n)
            if n < 65536 else struct.pack("!BBQ", 0x81, 127, n))
    _last = (frame, head + data)
    return _last[1]


class DirectWrites(_Base):
    """Mixed into uvicorn's WebSocket protocol: the connection is its own `Writer`."""

    def handle_connect(self, event: Any) -> None:
        super().handle_connect(event)
        scope = cast("dict[str, Any] | None", getattr(self, "scope", None))
        if scope is not None:  # no scope: the handshake was refused
            scope.setdefault("extensions", {})[EXTENSION] = self

    def _open(self) -> bool:
        return (self.handshake_complete and not self.close_sent and not self.disconnected
                and not self.transport.is_closing())

    def try_write(self, frame: str) -> bool:
        """Write `frame` unless the transport is paused (then False); True once closed."""
        if not self.writable.is_set():
            return not self._open()
        if self._open():
            self.transport.write(text_frame(frame))
        return True

    async def write(self, frame: str) -> None:
        """Write `frame` once the transport takes it. Raises ConnectionError once closed."""
        await self.writable.wait()
        if not self._open():
            raise ConnectionError("the client is gone")
        self.transport.write(text_frame(frame))

    def end(self, code: int) -> None:
        """Close with `code` now; nothing if closed already. A writable transport takes
        uvicorn's own closing handshake (its `send` waits only for `writable`, so it completes
        at once); a paused one gets the close frame behind its unsent data and is cut off if
        that has not flushed within CLOSE_WAIT_S."""
        if not self._open():
            return
        if self.writable.is_set():
            step = self.send({"type": "websocket.close", "code": code, "reason": ""})
            try:
                step.send(None)
            except StopIteration:
                return
            except Exception:  # uvicorn found it closed meanwhile: make sure it is
                self.transport.abort()
                return
            step.close()  # it wanted to wait after all: cut the connection instead
            self.transport.abort()
            return
        self.transport.write(struct.pack("!BBH", 0x88, 2, code))
        self.close_sent = True
        self.queue.put_nowait({"type": "websocket.disconnect", "code": code})
        if self.read_paused:  # so the client's close reply is read
            self.read_paused = False
            self.transport.resume_reading()
        self.close_timer = self.loop.call_later(CLOSE_WAIT_S, self.transport.abort)


@functools.cache
def ws_protocol(name: str = "websockets-sansio") -> type[asyncio.Protocol]:
    """Return uvicorn's WebSocket protocol `name` with `DirectWrites` mixed in (for
    `websockets-sansio` and `wsproto`), or uvicorn's own for `websockets`, whose frames then go
    through `AsgiWriter`. Raises ImportError if its library is missing, ValueError if unknown."""
    if name == "websockets-sansio":
        from uvicorn.protocols.websockets.websockets_sansio_impl import (
            WebSocketsSansIOProtocol as base,
        )
    elif name == "wsproto":
        from uvicorn.protocols.websockets.wsproto_impl import WSProtocol as base  # type: ignore[assignment]
    elif name == "websockets":
        from uvicorn.protocols.websockets.websockets_impl import WebSocketProtocol

        return WebSocketProtocol
    else:
        raise ValueError(f"unknown WebSocket implementation {name!r}")
    return cast("type[asyncio.Protocol]", type(f"Direct{base.__name__}", (DirectWrites, base), {}))


class AsgiWriter:
    """A `Writer` for a server without the extension: nothing is written directly, so every
    frame waits in the subscription's backlog for its drain task to send it."""

    def __init__(self, ws: WebSocket) -> None:
        self.ws = ws
        self.code: int | None = None  # the close code, once ended
        self.reader: asyncio.Task[None] | None = None

    def try_write(self, frame: str) -> bool:
        """Return False (queue it) while open; True (drop it) once ended."""
        return self.code is not None

    async def write(self, frame: str) -> None:
        """Send `frame` through ASGI. Raises ConnectionError once the client is gone."""
        try:
            await self.ws.send_text(frame)
        except (WebSocketDisconnect, RuntimeError, OSError) as err:
            raise ConnectionError("the client is gone") from err

    def end(self, code: int) -> None:
        """Remember `code` and stop the reader, so the handler closes the socket."""
        if self.code is None:
            self.code = code
            if self.reader is not None:
                self.reader.cancel()


def writer_for(ws: WebSocket) -> Writer:
    """Return the connection's own writer when the server provides one, else an AsgiWriter."""
    found = (ws.scope.get("extensions") or {}).get(EXTENSION)
    return found if isinstance(found, DirectWrites) else AsgiWriter(ws)


def _int(value: str | None) -> int | None:
    if value is None or not value.isdigit() or len(value) > 18:
        return None
    return int(value)


async def wall_socket(ws: WebSocket) -> None:
    """Stream the wall's frames from `(epoch, since)` on. A foreign Origin or an unknown wall
    is refused (1008); a viewer that falls behind is closed with 1013 to resume. With
    `?screen=KEY` a named hall screen may report its health. A plain Starlette route (no
    dependency injection) and headers and query read without caching them on the socket:
    every object kept per connection counts ten thousand times."""
    state = ws.app.state
    hub: Hub = state.hub
    settings: Settings = state.settings
    slug = str(ws.path_params["slug"])
    headers = Headers(scope=ws.scope)
    if not origin_allowed(headers.get("origin"), headers.get("host"), settings.allowed_origins):
        await ws.close(code=CLOSE_POLICY)  # before accept: the handshake is refused with 403
        return
    if slug not in hub.walls():
        await ws.close(code=CLOSE_POLICY)
        return
    query = QueryParams(ws.scope["query_string"])
    epoch, since, key = query.get("epoch"), _int(query.get("since")), query.get("screen")
    del headers, query
    # A hall screen opened with its key is named; a wrong or withdrawn key still shows the wall
    # (a projector must not go blank) but as an anonymous viewer, whose reports are ignored.
    screens: Screens = state.screens
    screen = await screens.by_key(slug, key) if key else None
    await ws.accept()
    writer = writer_for(ws)
    code = CLOSE_POLICY
    with contextlib.suppress(UnknownWall):  # the wall was removed meanwhile
        async with hub.subscribe(slug, writer, epoch, since,
                                 stall_s=settings.hub.send_timeout_s) as sub:
            sub.screen = screen.id if screen else None
            code = await run_socket(ws, sub)
    await finish(ws, writer, code)


router.add_websocket_route("/ws/walls/{slug}", wall_socket)


async def run_socket(ws: WebSocket, sub: Subscription) -> int:
    """Read the client until it leaves or its subscription ends; return the close code to use
    (1013 when dropped for falling behind, else 1000)."""
    writer = sub.writer
    if isinstance(writer, AsgiWriter):
        writer.reader = asyncio.create_task(_read(ws, sub))
        try:
            await asyncio.wait({writer.reader})
        finally:
            writer.reader.cancel()
    else:
        await _read(ws, sub)  # a drop closes the connection, which ends the read
    return CLOSE_TRY_AGAIN if sub.overflowed else CLOSE_NORMAL


async def finish(ws: WebSocket, writer: Writer, code: int) -> None:
    """Close the socket with `code` unless it is closed already; bounded in time."""
    if not isinstance(writer, AsgiWriter):
        writer.end(code)
        return
    with contextlib.suppress(Exception):
        async with asyncio.timeout(CLOSE_WAIT_S):
            await ws.close(code=writer.code or code)


HEALTH_KEYS = {"kind": str, "seq": int, "reconnects": int, "dom_nodes": int, "cards": int,
               "heap_mb": float, "uptime_s": float, "width": int, "height": int, "epoch": str}


def read_health(text: str | None) -> dict[str, Any] | None:
    """Return a screen's health report from a client message, keeping only known, typed,
    short fields; anything else (or malformed JSON) is ignored."""
    if not text or len(text) > 2048:
        return None
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        return None
    if not isinstance(data, dict) or data.get("type") != "health":
        return None
    report: dict[str, Any] = {"at": time.time()}
    for key, kind in HEALTH_KEYS.items():
        value = data.get(key)
        if isinstance(value, bool) or not isinstance(value, (int, float, str)):
            continue
        try:
            report[key] = kind(value) if kind is not str else str(value)[:40]
        except (TypeError, ValueError):
            continue
    return report


async def _read(ws: WebSocket, sub: Subscription) -> None:
    """Read the client until it leaves; keep a named screen's health reports, ignore the rest."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            if sub.screen is not None and (report := read_health(message.get("text"))):
                sub.health = report
