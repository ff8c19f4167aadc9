"""Request bodies: refused before they are read when they are too big or nobody signed in.

A pure ASGI middleware in front of every route:
- a state-changing API request with no credential at all (no session cookie, no bearer token)
  gets 401 at once, so an anonymous client cannot make the server read, let alone parse, a body;
  the routes' own dependencies still check that a credential is valid;
- a body over its route's cap gets 413: JSON bodies are small (`JSON_BYTES`), image uploads
  have their own cap; the declared `Content-Length` is checked first and the bytes actually
  received are counted too (a chunked body has no length).
"""

from __future__ import annotations

import json
import re

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["JSON_BYTES", "UPLOAD_BYTES", "BodyLimits"]

JSON_BYTES = 64 * 1024
UPLOAD_BYTES = 2 * 1024 * 1024 + 64 * 1024  # an image (2 MiB) and its framing
_UPLOADS = re.compile(r"^/api/v1/walls/[^/]+/(logo|slides|programme)$")
_OPEN = frozenset({"/api/v1/login", "/api/v1/logout"})
_SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
_SESSION_COOKIE = "tw_session="


async def _refuse(send: Send, status: int, detail: str,
                  extra: tuple[tuple[bytes, bytes], ...] = ()) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"), *extra]})
    await send({"type": "http.response.body", "body": body})


def _cap(path: str) -> int:
    return UPLOAD_BYTES if _UPLOADS.match(path) else JSON_BYTES


def _has_credential(headers: Headers) -> bool:
    if headers.get("authorization", "").lower().startswith("bearer "):
        return True
    return _SESSION_COOKIE in headers.get("cookie", "")


class BodyLimits:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in _SAFE:
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        headers = Headers(scope=scope)
        if path.startswith("/api/") and path not in _OPEN and not _has_credential(headers):
            await _refuse(send, 401, "login required", ((b"www-authenticate", b"Bearer"),))
            return
        cap = _cap(path)
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > cap):
            await _refuse(send, 413, f"request body over {cap // 1024} KiB")
            return
        received = 0
        too_large = answered = False

        async def counted() -> Message:
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > cap:
                    # Stop the route's read as a disconnect would; its answer becomes the 413.
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        async def watched(message: Message) -> None:
            nonlocal answered
            if not too_large:
                await send(message)
            elif not answered:
                answered = True
                await _refuse(send, 413, f"request body over {cap // 1024} KiB")

        await self.app(scope, counted, watched)
