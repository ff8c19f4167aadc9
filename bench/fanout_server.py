"""The two servers of bench/fanout.py, each run as its own process.

    python bench/fanout_server.py {naive|hub} --port P --posts M --rate R --post-bytes B

* `naive`: a minimal FastAPI app with the ConnectionManager of FastAPI's WebSockets guide (a list
  of sockets; `broadcast` is `for ws in connections: await ws.send_text(msg)`).
* `hub`: tweetwall's real app, `create_app(Settings(...))` with one wall `bench` and default hub
  settings; posts go straight to `app.state.hub.publish(...)` (no database on the path).

Both are served by uvicorn with the options `tweetwall serve` uses, and both get two extra routes:
`POST /bench/start` starts publishing M posts at R per second from a task in the server, and
`GET /bench/stats` reports what the publisher and the fan-out did. Each post carries `bench_i`
(its number) and `sent_at` (the wall-clock time it was due, `time.time()` on schedule) so the
clients can count deliveries and compute latency.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect

from app.events import PostEvent
from app.models import Post

WORDS = ("radiology", "poster", "session", "#ASNR14", "contrast", "perfusion", "neuro",
         "imaging", "keynote", "hall", "slides", "great", "talk", "MRI", "results")


def make_post_dict(n: int, text_bytes: int) -> dict[str, Any]:
    """A validated wire post (like tests/conftest.py `make_post`) with ~`text_bytes` of text."""
    words: list[str] = []
    size = 0
    while size < text_bytes:
        w = WORDS[(n + len(words) * 7) % len(WORDS)]
        words.append(w)
        size += len(w) + 1
    text = " ".join(words)[:text_bytes]
    at = datetime(2014, 5, 15, 12, 0, tzinfo=UTC) + timedelta(minutes=5 * n)
    raw: dict[str, Any] = {
        "id": f"x:{100000 + n}",
        "source": "x",
        "url": f"https://x.com/user{n % 7}/status/{100000 + n}",
        "created_at": at.isoformat().replace("+00:00", "Z"),
        "author": {"id": str(n % 7), "handle": f"@user{n % 7}", "name": f"User {n % 7}",
                   "avatar_url": f"https://pbs.example.org/profile/{n % 7}/normal.jpg"},
        "content": [
            {"type": "text", "text": text + " "},
            {"type": "hashtag", "text": "#ASNR14", "href": "https://x.com/hashtag/ASNR14"},
        ],
        "text": text + " #ASNR14",
        "lang": "en",
        "hashtags": ["ASNR14"],
    }
    return Post.model_validate(raw).wire()


def post_size(text_bytes: int) -> int:
    """Bytes of one post as JSON (with the bench keys)."""
    post = make_post_dict(1, text_bytes) | {"bench_i": 1, "sent_at": time.time()}
    return len(orjson.dumps(post))


def text_bytes_for(post_bytes: int) -> int:
    """The text length that makes a post about `post_bytes` of JSON (the text is there twice:
    as `content` tokens and as plain `text`)."""
    overhead = post_size(0)
    return max((post_bytes - overhead) // 2, 0)


class Publisher:
    """Publishes `posts` posts at `rate` per second through `emit`, on an absolute schedule."""

    def __init__(self, posts: int, rate: float, text_bytes: int, *, yield_each: bool) -> None:
        self.planned, self.rate, self.text_bytes = posts, rate, text_bytes
        self.yield_each = yield_each
        self.published = 0  # emit() returned
        self.started_at = 0.0
        self.finished_at = 0.0
        self.emit_since = 0.0  # when the emit() in progress began (0: none in progress)
        self.longest_emit_s = 0.0
        self.errors = 0
        self.task: asyncio.Task[None] | None = None
        self._templates = [make_post_dict(i, text_bytes) for i in range(1, 51)]

    def post(self, i: int, due: float) -> dict[str, Any]:
        base = self._templates[i % len(self._templates)]
        return base | {"id": f"x:{200000 + i}", "bench_i": i, "sent_at": due}

    def start(self, emit: Callable[[int, dict[str, Any]], Awaitable[None]]) -> bool:
        if self.task is not None:
            return False
        self.task = asyncio.create_task(self._run(emit))
        return True

    async def _run(self, emit: Callable[[int, dict[str, Any]], Awaitable[None]]) -> None:
        self.started_at = time.time()
        i = 1
        while i <= self.planned:
            # Wake at the next post's due time and emit every post due by then, as a source
            # delivers whatever arrived meanwhile. `yield_each` (naive) lets the loop run between
            # two broadcasts, as when each post arrives through its own request; the hub's
            # publish() never awaits, so its posts due together go out together.
            await asyncio.sleep(max(self.started_at + (i - 1) / self.rate - time.time(), 0))
            now = time.time()
            while i <= self.planned and (due := self.started_at + (i - 1) / self.rate) <= now:
                self.emit_since = time.time()
                try:
                    await emit(i, self.post(i, due))
                except Exception:  # a broadcast that raised: count it and go on
                    self.errors += 1
                self.longest_emit_s = max(self.longest_emit_s, time.time() - self.emit_since)
                self.emit_since = 0.0
                self.published = i
                i += 1
                if self.yield_each:
                    await asyncio.sleep(0)
        self.finished_at = time.time()

    def stats(self) -> dict[str, Any]:
        now = time.time()
        stalled = now - self.emit_since if self.emit_since else 0.0
        return {
            "planned": self.planned, "published": self.published, "errors": self.errors,
            "started_at": self.started_at, "finished_at": self.finished_at,
            "stalled_s": round(stalled, 3),
            "longest_emit_s": round(max(self.longest_emit_s, stalled), 3),
        }


# -- naive: FastAPI's documented ConnectionManager ----------------------------------------------


class ConnectionManager:
    """Verbatim from FastAPI's WebSockets guide ("Handling disconnections and multiple clients")."""

    def __init__(self) -> None:
        self.active_connections: list[WebSocket] = []

    async def connect(self, websocket: WebSocket) -> None:
        await websocket.accept()
        self.active_connections.append(websocket)

    def disconnect(self, websocket: WebSocket) -> None:
        self.active_connections.remove(websocket)

    async def broadcast(self, message: str) -> None:
        for connection in self.active_connections:
            await connection.send_text(message)


def naive_app(pub: Publisher) -> FastAPI:
    app = FastAPI()
    manager = ConnectionManager()
    stuck: list[WebSocket] = []

    @app.websocket("/ws/{client_id}")
    async def websocket_endpoint(websocket: WebSocket, client_id: str) -> None:
        await manager.connect(websocket)
        if client_id == "stuck":  # only so /bench/stats can say whether it is still listed
            stuck.append(websocket)
        try:
            while True:
                await websocket.receive_text()
        except WebSocketDisconnect:
            manager.disconnect(websocket)

    async def emit(i: int, post: dict[str, Any]) -> None:
        await manager.broadcast(orjson.dumps(post).decode())

    @app.post("/bench/start")
    async def start() -> dict[str, Any]:
        return {"started": pub.start(emit)}

    @app.get("/bench/stats")
    async def stats() -> dict[str, Any]:
        listed = sum(1 for ws in stuck if ws in manager.active_connections)
        return pub.stats() | {
            "subscribers": len(manager.active_connections),
            "stuck_dropped": bool(stuck) and listed == 0,
            "dropped": len(stuck) - listed,
        }

    return app


# -- hub: tweetwall's real app -------------------------------------------------------------------


def hub_app(pub: Publisher, workdir: str) -> FastAPI:
    from app.main import create_app
    from app.settings import Settings, WallConfig

    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{os.path.join(workdir, 'bench.db')}",
        walls=[WallConfig(slug="bench", title="Bench wall", hashtags=["ASNR14"], sources=[])],
    )
    app = create_app(settings)

    async def emit(i: int, post: dict[str, Any]) -> None:
        hub = app.state.hub
        seq = hub.state("bench")[1] + 1
        hub.publish("bench", [PostEvent(seq, post)])

    @app.post("/bench/start")
    async def start() -> dict[str, Any]:
        return {"started": pub.start(emit)}

    @app.get("/bench/stats")
    async def stats() -> dict[str, Any]:
        hub = app.state.hub
        return pub.stats() | {
            "subscribers": hub.subscriber_count("bench"),
            "stuck_dropped": hub.dropped > 0,
            "dropped": hub.dropped,
            "frames_sent": hub.frames_sent,
        }

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variant", choices=["naive", "hub"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--posts", type=int, default=600)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--post-bytes", type=int, default=1500)
    parser.add_argument("--cpu", type=int, default=-1, help="pin to this CPU (-1: no pinning)")
    args = parser.parse_args()
    if args.cpu >= 0:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {args.cpu})
    pub = Publisher(args.posts, args.rate, text_bytes_for(args.post_bytes),
                    yield_each=args.variant == "naive")
    with tempfile.TemporaryDirectory(prefix="tweetwall-bench-") as workdir:
        app = naive_app(pub) if args.variant == "naive" else hub_app(pub, workdir)
        # The options `tweetwall serve` (app/cli.py) uses, for both variants.
        config = uvicorn.Config(
            app, host="127.0.0.1", port=args.port, log_level="warning",
            ws_max_size=64 * 1024, ws_per_message_deflate=False, ws_ping_interval=20,
            ws_ping_timeout=20, timeout_graceful_shutdown=3, server_header=False,
        )
        uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
