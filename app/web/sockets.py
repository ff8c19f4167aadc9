"""A cap on the WebSockets one address may hold open (`hub.ws_max_per_address`).

A pure ASGI middleware in front of every route. A WebSocket handshake from an address that
already holds `limit` open sockets is refused before it is accepted (uvicorn answers the
handshake with 403), so one client cannot fill the server with connections while every other
viewer keeps its own. The address is the one uvicorn gives the app: the peer's, or the client's
as told by a proxy listed in `TWEETWALL_FORWARDED_ALLOW_IPS`. A venue whose audience shares one
NAT address raises the cap; 0 turns it off.
"""

from __future__ import annotations

from collections import Counter

from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["SocketCap"]


class SocketCap:
    """Refuse a WebSocket handshake from an address holding `limit` open sockets already."""

    def __init__(self, app: ASGIApp, limit: int = 200) -> None:
        self.app = app
        self.limit = limit
        self.open: Counter[str] = Counter()
        self.refused = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket" or self.limit <= 0:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = str(client[0]) if client else "?"
        if self.open[address] >= self.limit:
            self.refused += 1
            message = await receive()  # the handshake's "websocket.connect"
            if message["type"] == "websocket.connect":
                await send({"type": "websocket.close", "code": 1013,
                            "reason": "too many connections from this address"})
            return
        self.open[address] += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.open[address] -= 1
            if self.open[address] <= 0:
                del self.open[address]
