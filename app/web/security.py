"""Origin checks and security headers shared by every route."""

from __future__ import annotations

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["CSP", "SecurityHeaders", "origin_allowed"]

CSP = (
    "default-src 'self'; img-src 'self' https: data:; media-src 'self' https:; "
    "style-src 'self'; script-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def origin_allowed(origin: str | None, host: str | None, allowed: list[str]) -> bool:
    """Return whether a request with this `Origin` may proceed.

    No `Origin` means no browser (scripts, probes), which cross-site attacks cannot use; a
    browser's own origin (same host as `Host`) and the configured origins pass; `null` and every
    other origin are refused.
    """
    if origin is None:
        return True
    origin = origin.strip().lower().rstrip("/")
    if origin in (o.lower().rstrip("/") for o in allowed):
        return True
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc == (host or "").lower()


class SecurityHeaders:
    """Pure ASGI middleware adding CSP and friends to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.setdefault("Content-Security-Policy", CSP)
                headers.setdefault("X-Content-Type-Options", "nosniff")
                headers.setdefault("Referrer-Policy", "no-referrer")
                headers.setdefault("X-Frame-Options", "DENY")
                headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
                if scope.get("scheme") == "https":
                    # Only over https (directly or from a trusted proxy): browsers ignore it on
                    # http, and a wrong one would lock a plain-http demo out.
                    headers.setdefault("Strict-Transport-Security", "max-age=31536000")
            await send(message)

        await self.app(scope, receive, send_with_headers)
