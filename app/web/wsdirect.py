"""uvicorn's WebSocket protocol as the hub's `Writer`: frames straight to the transport.

`ws_protocol()` returns uvicorn's websockets-sansio (or wsproto) protocol with `DirectWrites`
mixed in; `server_config()` (app/main.py) serves WebSockets with it. The protocol adds itself to
the ASGI scope as the extension `tweetwall.writer`, which app/web/live.py hands to the hub.

- `try_write` checks uvicorn's own `writable` flag, cleared by the transport's `pause_writing()`
  when its buffer passes the high-water mark and set again by `resume_writing()`. While it is
  set the frame, encoded once per flush as an RFC 6455 text frame, goes to `transport.write()`
  (whole frames only, so uvicorn's pings and closes interleave safely); while it is clear the
  hub queues.
- Memory: an idle viewer is mostly this object, so the two asyncio primitives uvicorn keeps per
  connection are swapped for lean ones with the same methods (`asyncio.Queue` holds four deques
  and `asyncio.Event` one, ~760 bytes each), and the handshake's request and response are let
  go once the connection is open.
"""

from __future__ import annotations

import asyncio
import functools
import struct
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from uvicorn.protocols.websockets.websockets_sansio_impl import (
        WebSocketsSansIOProtocol as _Base,
    )
else:
    _Base = object

__all__ = ["CLOSE_WAIT_S", "EXTENSION", "DirectWrites", "text_frame", "ws_protocol"]

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


class _Inbox:
    """uvicorn's receive queue (`put_nowait`, `get`, `empty`) for its one reader, the app."""

    __slots__ = ("_items", "_waiter")

    def __init__(self) -> None:
        self._items: list[Any] = []
        self._waiter: asyncio.Future[None] | None = None

    def put_nowait(self, item: Any) -> None:
        """Add `item` and wake the reader."""
        self._items.append(item)
        if self._waiter is not None and not self._waiter.done():
            self._waiter.set_result(None)

    def empty(self) -> bool:
        """Return whether nothing waits to be read."""
        return not self._items

    async def get(self) -> Any:
        """Return the oldest message, waiting for one."""
        while not self._items:
            self._waiter = asyncio.get_running_loop().create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        return self._items.pop(0)


class _Flag:
    """uvicorn's `writable` event (`is_set`, `set`, `clear`, `wait`) without a deque."""

    __slots__ = ("_set", "_waiters")

    def __init__(self) -> None:
        self._set = True
        self._waiters: list[asyncio.Future[None]] = []

    def is_set(self) -> bool:
        """Return whether the transport takes writes."""
        return self._set

    def set(self) -> None:
        """Mark it set and wake every waiter."""
        self._set = True
        waiters, self._waiters = self._waiters, []
        for fut in waiters:
            if not fut.done():
                fut.set_result(None)

    def clear(self) -> None:
        """Mark it clear: waiters wait until the next `set`."""
        self._set = False

    async def wait(self) -> bool:
        """Return True once the flag is set (at once if it is)."""
        if not self._set:
            fut = asyncio.get_running_loop().create_future()
            self._waiters.append(fut)
            try:
                await fut
            finally:
                if fut in self._waiters:
                    self._waiters.remove(fut)
        return True


class DirectWrites(_Base):
    """Mixed into uvicorn's WebSocket protocol: the connection is its own `Writer`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.queue = cast("asyncio.Queue[Any]", _Inbox())
        self.writable = cast("asyncio.Event", _Flag())

    def handle_connect(self, event: Any) -> None:
        """uvicorn's handshake handling, then this connection added to the ASGI scope."""
        super().handle_connect(event)
        scope = cast("dict[str, Any] | None", getattr(self, "scope", None))
        if scope is not None:  # no scope: the handshake was refused
            scope.setdefault("extensions", {})[EXTENSION] = self

    def start_keepalive(self) -> None:
        """uvicorn calls this once the handshake's response is written: its request and
        response are not needed any more."""
        super().start_keepalive()
        self.__dict__.pop("request", None)
        self.__dict__.pop("response", None)

    def _open(self) -> bool:
        """Return whether data frames may still be written."""
        return (self.handshake_complete and not self.close_sent and not self.disconnected
                and not self.transport.is_closing())

    def try_write(self, frame: str) -> bool:
        """Write `frame` unless the transport is paused (then False); True once closed."""
        if not self.writable.is_set():
            return not self._open()
        if self._open():  # called for every viewer on every frame: kept to the bare minimum
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
    through app/web/live.py's `AsgiWriter`. Raises ImportError if its library is missing,
    ValueError if the name is unknown."""
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
