"""The two servers of bench/fanout.py, each run as its own process.

    python bench/fanout_server.py {naive|hub} --port P --posts M --rate R --post-bytes B
                                  [--ws websockets-sansio|wsproto|websockets] [--pipeline]
                                  [--hide-after N]

* `naive`: a minimal FastAPI app with the ConnectionManager of FastAPI's WebSockets guide (a list
  of sockets; `broadcast` is `for ws in connections: await ws.send_text(msg)`), on uvicorn's
  stock WebSocket protocol `--ws`.
* `hub`: tweetwall's real app, `create_app(Settings(...))` with one wall `bench`, default hub
  settings (but no per-address socket cap: every viewer comes from 127.0.0.1), served by
  `server_config()`. Posts go straight to `app.state.hub.publish(...)` (no database on the
  path), or with `--pipeline` through the whole ingest (`Admission.admit`: policy, store, hub);
  with `--hide-after N` a moderator hides post N-1 (`Decisions.moderate`) once post N is in.

Both get two extra routes: `POST /bench/start` starts publishing M posts at R per second from a
task in the server, and `GET /bench/stats` reports what the publisher and the fan-out did
(published, stalls, subscribers, drops, database statements, the hide's times). Each post carries
`bench_i` (its number) and `sent_at` (the wall-clock time it was due, `time.time()` on schedule)
so clients can count deliveries and compute latency; `--pipeline` posts lose both to the model's
validation, so that mode is for the hide only.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import gc
import os
import resource
import tempfile
import time
from typing import Any

import orjson
import uvicorn
from fastapi import FastAPI, WebSocket, WebSocketDisconnect
from sqlalchemy import event
from workload import Publisher, text_bytes_for  # bench/workload.py, beside this file

from app.events import PostEvent
from app.models import Post


class GcPauses:
    """How long Python's cyclic garbage collector stopped the server, by generation."""

    def __init__(self) -> None:
        self.count = [0, 0, 0]
        self.total_s = [0.0, 0.0, 0.0]
        self.longest_s = 0.0
        self.full: list[tuple[float, float]] = []  # (wall time, seconds) of each full collection
        self._started = 0.0
        gc.callbacks.append(self._track)

    def _track(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
            return
        took, gen = time.perf_counter() - self._started, int(info["generation"])
        self.count[gen] += 1
        self.total_s[gen] += took
        self.longest_s = max(self.longest_s, took)
        if gen == 2:
            self.full.append((time.time(), took))

    def stats(self, since: float = 0.0) -> dict[str, Any]:
        """Collections so far; `full_since_start_ms`: the full ones after `since`."""
        return {"gc_count": self.count, "gc_s": [round(t, 3) for t in self.total_s],
                "gc_longest_ms": round(self.longest_s * 1000, 1),
                "gc_full_since_start_ms": [round(d * 1000) for t, d in self.full
                                           if since and t >= since]}


GC = GcPauses()


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
        } | GC.stats(pub.started_at)

    return app


class Hide:
    """A moderator's hide of one post during the run, timed from the request to the commit."""

    def __init__(self, after: int) -> None:
        self.after = after
        self.asked_at = 0.0
        self.committed_at = 0.0
        self.task: asyncio.Task[None] | None = None

    async def run(self, app: FastAPI, post_id: str) -> None:
        self.asked_at = time.time()
        await app.state.decisions.moderate("bench", post_id, "hide", "bench")
        self.committed_at = time.time()


def hub_app(pub: Publisher, workdir: str, *, pipeline: bool, hide: Hide | None,
            database_url: str | None = None, redis_url: str | None = None) -> FastAPI:
    from app.main import create_app
    from app.settings import Settings, WallConfig

    settings = Settings(
        database_url=database_url or f"sqlite+aiosqlite:///{os.path.join(workdir, 'bench.db')}",
        redis_url=redis_url,
        walls=[WallConfig(slug="bench", title="Bench wall", hashtags=["ASNR14"], sources=[])],
        hub={"ws_max_per_address": 0},
    )
    app = create_app(settings)
    queries = [0]

    def count(*_: Any) -> None:
        queries[0] += 1

    async def emit(i: int, post: dict[str, Any]) -> None:
        hub = app.state.hub
        if redis_url is not None:
            # Several processes (bench/fanout_pair.py): the post is committed to the wall's log
            # and reaches this process's hub and, over Redis, the others' (docs/scale.md).
            async def commit(tx: Any) -> None:
                await tx.emit(app.state.store.wall("bench"), PostEvent, post)

            await app.state.store.write(commit)
            return
        if not pipeline:
            seq = hub.state("bench")[1] + 1
            hub.publish("bench", [PostEvent(seq, post)])
            return
        # Unique text and one of many authors: the policy would hold duplicates and authors
        # over their hourly cap, which is not what a burst of a big meeting looks like.
        raw = post | {"text": f"{post['text']} {i}", "author": {
            **post["author"], "id": str(i % 500), "handle": f"@user{i % 500}"}}
        await app.state.ingest.admission.admit("bench", Post.model_validate(raw))
        if hide is not None and i == hide.after:
            hide.task = asyncio.create_task(hide.run(app, f"x:{200000 + i - 1}"))

    @app.post("/bench/start")
    async def start() -> dict[str, Any]:
        return {"started": pub.start(emit)}

    @app.get("/bench/stats")
    async def stats() -> dict[str, Any]:
        hub = app.state.hub
        engine = app.state.store.engine.sync_engine
        if not event.contains(engine, "before_cursor_execute", count):
            event.listen(engine, "before_cursor_execute", count)
        return pub.stats() | {
            "subscribers": hub.subscriber_count("bench"),
            "stuck_dropped": hub.dropped > 0,
            "dropped": hub.dropped,
            "frames_sent": hub.frames_sent,
            "flushes": hub.flushes, "flush_s": round(hub.flush_seconds, 3),
            "db_queries": queries[0],
            "hide_asked_at": hide.asked_at if hide else None,
            "hide_committed_at": hide.committed_at if hide else None,
        } | GC.stats(pub.started_at)

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("variant", choices=["naive", "hub"])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--posts", type=int, default=600)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--post-bytes", type=int, default=1500)
    parser.add_argument("--ws", default="websockets-sansio",
                        choices=["websockets-sansio", "wsproto", "websockets"])
    parser.add_argument("--pipeline", action="store_true",
                        help="hub: admit posts through the whole ingest instead of publishing")
    parser.add_argument("--hide-after", type=int, default=0,
                        help="hub --pipeline: hide post N-1 once post N is admitted")
    parser.add_argument("--cpu", type=int, default=-1, help="pin to this CPU (-1: no pinning)")
    parser.add_argument("--database-url", default=None,
                        help="hub: a shared database (PostgreSQL) instead of a SQLite file")
    parser.add_argument("--redis-url", default=None,
                        help="hub: one of several processes; posts are committed, not published")
    args = parser.parse_args()
    if args.cpu >= 0:
        with contextlib.suppress(OSError):
            os.sched_setaffinity(0, {args.cpu})
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a socket per viewer
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    pub = Publisher(args.posts, args.rate, text_bytes_for(args.post_bytes),
                    yield_each=args.variant == "naive")
    hide = Hide(args.hide_after) if args.hide_after else None
    with tempfile.TemporaryDirectory(prefix="tweetwall-bench-") as workdir:
        options: dict[str, Any] = dict(host="127.0.0.1", port=args.port, log_level="warning",
                                       backlog=4096)
        if args.variant == "naive":
            # The WebSocket options of `tweetwall serve` (app/main.py server_config), on
            # uvicorn's stock protocol `--ws`.
            config = uvicorn.Config(
                naive_app(pub), ws=args.ws, ws_max_size=64 * 1024, ws_per_message_deflate=False,
                ws_ping_interval=20, ws_ping_timeout=20, timeout_graceful_shutdown=3,
                server_header=False, **options)
        else:
            from app.main import server_config

            app = hub_app(pub, workdir, pipeline=args.pipeline, hide=hide,
                          database_url=args.database_url, redis_url=args.redis_url)
            config = server_config(app.state.settings, app, ws=args.ws, **options)
        uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
