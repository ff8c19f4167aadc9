"""A stand-in Mastodon instance on 127.0.0.1 (aiohttp): just enough of the real API to test against.

- `GET /api/v1/timelines/tag/{tag}` with `min_id` / `max_id` / `since_id` / `limit`, newest first,
  `Link` headers (rel="next" -> older with max_id, rel="prev" -> newer with min_id) and
  `X-RateLimit-*` headers; `fail_429` answers the next N timeline calls with 429.
- `GET /api/v2/instance` whose `configuration.urls.streaming` points at a second port, as a
  separate streaming server does in production.
- `GET /api/v1/streaming/hashtag?tag=` as server-sent events (`update`, `status.update`, `delete`)
  with `:thump` heartbeats; needs `Authorization: Bearer <token>`; `drop_streams()` ends every
  open stream and `streams_down` refuses new ones (503) to simulate an outage.
"""

from __future__ import annotations

import asyncio
import contextlib
import copy
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web

__all__ = ["FakeMastodon", "make_status"]


def make_status(
    n: int,
    *,
    origin: str = "origin.example",
    user: str = "alice",
    tag: str = "ASNR14",
    text: str | None = None,
    visibility: str = "public",
) -> dict[str, Any]:
    """Return a status as its home server `origin` would federate it (no local id yet)."""
    created = datetime(2026, 11, 28, 9, 0, tzinfo=UTC) + timedelta(seconds=n)
    body = text if text is not None else f"Post {n}"
    return {
        "created_at": created.isoformat().replace("+00:00", "Z"),
        "visibility": visibility,
        "sensitive": False,
        "spoiler_text": "",
        "language": "en",
        "uri": f"https://{origin}/users/{user}/statuses/{n}",
        "url": f"https://{origin}/@{user}/{n}",
        "edited_at": None,
        "content": (
            f'<p>{body} <a href="https://{origin}/tags/{tag}" class="mention hashtag" rel="tag">'
            f"#<span>{tag}</span></a></p>"
        ),
        "reblog": None,
        "account": {
            "id": "1",
            "username": user,
            "acct": f"{user}@{origin}",
            "display_name": user.title(),
            "url": f"https://{origin}/@{user}",
            "uri": f"https://{origin}/users/{user}",
        },
        "media_attachments": [],
        "tags": [{"name": tag.lower(), "url": f"https://{origin}/tags/{tag.lower()}"}],
        "emojis": [],
    }


def _key(status_id: str) -> tuple[int, str]:
    return (len(status_id), status_id)


class FakeMastodon:
    """One instance: its own local ids for the statuses it knows, REST and streaming."""

    def __init__(self, *, token: str = "secret", max_limit: int = 40, heartbeat_s: float = 0.05):
        self.token = token
        self.max_limit = max_limit
        self.heartbeat_s = heartbeat_s
        self.statuses: list[dict[str, Any]] = []
        self.next_id = 1000
        self.rate_remaining = 300
        self.rate_reset = "2026-11-28T12:00:00.000Z"
        self.fail_429 = 0
        self.broken = False
        self.streams_down = False
        self.requests: list[str] = []
        self.auth_seen: list[str | None] = []
        self.stream_hosts: list[str] = []
        self._streams: list[tuple[str, asyncio.Queue[tuple[str, str] | None]]] = []
        self._runner: web.AppRunner | None = None
        self.base = ""
        self.streaming_base = ""

    # -- lifecycle ---------------------------------------------------------------------------

    async def start(self) -> str:
        app = web.Application()
        app.router.add_get("/api/v1/timelines/tag/{tag}", self._timeline)
        app.router.add_get("/api/v2/instance", self._instance)
        app.router.add_get("/api/v1/streaming/hashtag", self._stream)
        app.router.add_get("/api/v1/statuses/{id}", self._status)
        self._runner = web.AppRunner(app, shutdown_timeout=0.1)
        await self._runner.setup()
        api = web.TCPSite(self._runner, "127.0.0.1", 0)
        streaming = web.TCPSite(self._runner, "127.0.0.1", 0)
        await api.start()
        await streaming.start()
        self.base = f"http://127.0.0.1:{_port(api)}"
        self.streaming_base = f"http://127.0.0.1:{_port(streaming)}"
        return self.base

    async def stop(self) -> None:
        self.drop_streams()
        if self._runner is not None:
            await self._runner.cleanup()

    # -- what happens on the server ----------------------------------------------------------

    def publish(self, status: dict[str, Any]) -> dict[str, Any]:
        """Store `status` under a new local id and push it to open streams; return the copy."""
        local = copy.deepcopy(status)
        local["id"] = str(self.next_id)
        self.next_id += 1
        if isinstance(local.get("reblog"), dict):
            local["reblog"]["id"] = str(self.next_id)
            self.next_id += 1
        self.statuses.append(local)
        self._push("update", local)
        return local

    def edit(self, local_id: str, text: str) -> dict[str, Any]:
        """Change a status's text, set `edited_at`, push `status.update`."""
        status = next(s for s in self.statuses if s["id"] == local_id)
        status["content"] = f"<p>{text}</p>" + status["content"].split("</p>", 1)[-1]
        status["edited_at"] = "2026-11-28T11:00:00.000Z"
        self._push("status.update", status)
        return status

    def delete(self, local_id: str) -> None:
        """Remove a status and push `delete` with its local id."""
        self.statuses = [s for s in self.statuses if s["id"] != local_id]
        for _tag, queue in self._streams:
            queue.put_nowait(("delete", local_id))

    def drop_streams(self) -> None:
        """End every open stream, as a restarting streaming server does."""
        for _, queue in self._streams:
            queue.put_nowait(None)

    def _push(self, event: str, status: dict[str, Any]) -> None:
        names = {t["name"].lower() for t in (status.get("reblog") or status).get("tags", [])}
        for tag, queue in self._streams:
            if tag in names:
                queue.put_nowait((event, json.dumps(status)))

    # -- handlers ----------------------------------------------------------------------------

    def _headers(self) -> dict[str, str]:
        return {
            "X-RateLimit-Limit": "300",
            "X-RateLimit-Remaining": str(self.rate_remaining),
            "X-RateLimit-Reset": self.rate_reset,
        }

    async def _timeline(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        self.auth_seen.append(request.headers.get("Authorization"))
        if self.broken:
            return web.json_response({"error": "broken"}, status=500)
        if self.fail_429 > 0:
            self.fail_429 -= 1
            return web.json_response(
                {"error": "Too many requests"},
                status=429,
                headers=self._headers() | {"X-RateLimit-Remaining": "0"},
            )
        tag = request.match_info["tag"].lower()
        q = request.query
        limit = min(int(q.get("limit", "20")), self.max_limit)
        found = [s for s in self.statuses if tag in {t["name"].lower() for t in s.get("tags", [])}]
        found.sort(key=lambda s: _key(s["id"]))
        if "max_id" in q:
            found = [s for s in found if _key(s["id"]) < _key(q["max_id"])]
        if "min_id" in q:
            found = [s for s in found if _key(s["id"]) > _key(q["min_id"])][:limit]
        else:
            if "since_id" in q:
                found = [s for s in found if _key(s["id"]) > _key(q["since_id"])]
            found = found[-limit:]
        page = list(reversed(found))
        headers = self._headers()
        if page:
            url = f"{self.base}/api/v1/timelines/tag/{request.match_info['tag']}"
            headers["Link"] = (
                f'<{url}?limit={limit}&max_id={page[-1]["id"]}>; rel="next", '
                f'<{url}?limit={limit}&min_id={page[0]["id"]}>; rel="prev"'
            )
        return web.json_response(page, headers=headers)

    async def _status(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        for status in self.statuses:
            if status["id"] == request.match_info["id"]:
                return web.json_response(status)
        return web.json_response({"error": "Record not found"}, status=404)

    async def _instance(self, request: web.Request) -> web.Response:
        self.requests.append(request.path_qs)
        if self.broken:
            return web.json_response({"error": "broken"}, status=500)
        streaming = self.streaming_base.replace("http://", "ws://")
        return web.json_response(
            {"domain": "fake.example", "configuration": {"urls": {"streaming": streaming}}}
        )

    async def _stream(self, request: web.Request) -> web.StreamResponse:
        self.requests.append(request.path_qs)
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return web.json_response({"error": "Missing access token"}, status=401)
        if self.streams_down or self.broken:
            return web.json_response({"error": "down"}, status=503)
        self.stream_hosts.append(request.host)
        tag = request.query.get("tag", "").lower()
        queue: asyncio.Queue[tuple[str, str] | None] = asyncio.Queue()
        entry = (tag, queue)
        self._streams.append(entry)
        resp = web.StreamResponse(headers={"Content-Type": "text/event-stream"})
        try:
            await resp.prepare(request)
            await resp.write(b":)\n")
            while True:
                try:
                    item = await asyncio.wait_for(queue.get(), self.heartbeat_s)
                except TimeoutError:
                    await resp.write(b":thump\n")
                    continue
                if item is None:
                    break
                event, data = item
                await resp.write(f"event: {event}\ndata: {data}\n\n".encode())
            await resp.write_eof()
        except ConnectionResetError:
            pass
        finally:
            with contextlib.suppress(ValueError):
                self._streams.remove(entry)
        return resp


def _port(site: web.TCPSite) -> int:
    server = site._server
    assert server is not None
    sockets = getattr(server, "sockets", None)
    assert sockets
    port: int = sockets[0].getsockname()[1]
    return port
