"""`GET /ws/walls/{slug}`: the public, read-only live stream of a wall (docs/design.md §3).

One task per connection: uvicorn's own, running the handler, which reads the client (viewers
send nothing but pongs; a named hall screen sends health reports) and so notices a disconnect.
Frames do not pass through it: the hub writes them straight to the connection's transport.

The writer is the connection itself: `server_config()` (app/main.py) serves WebSockets with
uvicorn's protocol plus app/web/wsdirect.py's `DirectWrites`, found in the ASGI scope as the
extension `tweetwall.writer` (that module says how it knows the transport is paused). Under a
server without the extension an `AsgiWriter` sends every frame through the ASGI `send` from the
subscription's drain task, and a second task reads.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import TYPE_CHECKING, Any

import orjson
from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from starlette.datastructures import Headers, QueryParams

from app.hub import CLOSE_NORMAL, CLOSE_TRY_AGAIN, Hub, Subscription, UnknownWall, Writer
from app.web.security import origin_allowed
from app.web.wsdirect import CLOSE_WAIT_S, EXTENSION, DirectWrites

if TYPE_CHECKING:
    from app.settings import Settings
    from app.store.screens import Screens

__all__ = ["CLOSE_POLICY", "CLOSE_TRY_AGAIN", "AsgiWriter", "finish", "router", "run_socket",
           "writer_for"]

router = APIRouter()

CLOSE_POLICY = 1008


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
    """Return `value` as a non-negative int, or None if it is not one (or absurdly long)."""
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
    try:
        async with hub.subscribe(slug, writer, epoch, since,
                                 stall_s=settings.hub.send_timeout_s) as sub:
            sub.screen = screen.id if screen else None
            code = await run_socket(ws, sub)
    except UnknownWall:  # the wall was removed meanwhile
        code = CLOSE_POLICY
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
    try:
        while True:
            message = await ws.receive()
            if message["type"] == "websocket.disconnect":
                return
            if sub.screen is not None and (report := read_health(message.get("text"))):
                sub.health = report
    except (WebSocketDisconnect, RuntimeError):  # read past the end: it is over either way
        return
