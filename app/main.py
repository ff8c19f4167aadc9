"""Composition root: `create_app(settings)` builds the store, hub and ingest in the lifespan.

Run with `tweetwall serve`, or `uvicorn --factory app.main:create_app` (settings from the
environment). Nothing is built at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import uvicorn
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy.engine import make_url

from app.cluster import Relay
from app.hub import Hub
from app.hub.order import Sequencer
from app.ingest.leader import Leases, LocalLeases, PgLeases, RedisLeases
from app.metrics import build_registry
from app.moderation import warm as warm_rules
from app.modfeed import ModFeed
from app.settings import Settings, load_settings
from app.store import Commit, Store
from app.store.accounts import Accounts
from app.store.assets import Assets
from app.store.decisions import Decisions
from app.store.screens import Screens
from app.store.store import Listener
from app.walls import Walls
from app.web import (
    admin,
    api,
    auth,
    branding,
    categories,
    health,
    live,
    moderate,
    pages,
    programme,
    report,
    screens,
)
from app.web.auth import LoginThrottle
from app.web.limits import BodyLimits
from app.web.security import SecurityHeaders
from app.web.sockets import SocketCap

__all__ = ["FRONTEND", "MEDIA", "create_app", "server_config"]

log = logging.getLogger(__name__)

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
MEDIA = Path(__file__).resolve().parent / "data" / "meeting" / "media"


async def _heartbeats(hub: Hub, modfeed: ModFeed, interval: float) -> None:
    """Every `interval` seconds, tell screens and consoles the server is alive."""
    while True:
        await asyncio.sleep(interval)
        hub.heartbeat()
        modfeed.heartbeat()


def _fan_out(hub: Hub, modfeed: ModFeed) -> Listener:
    """Return the store listener that hands each commit to the screens and the consoles."""
    def committed(commit: Commit) -> None:
        for slug, events in commit.events.items():
            if slug in hub.walls():
                hub.publish(slug, events)
        for slug, messages in commit.console.items():
            modfeed.publish(slug, messages)

    return committed


def cluster_prefix(settings: Settings) -> str:
    """Return the Redis key prefix of the deployment: one per database, so two deployments
    (or two test databases) sharing a Redis never hear each other."""
    url = make_url(settings.database_url)
    where = f"{url.get_backend_name()}://{url.host or ''}:{url.port or ''}/{url.database or ''}"
    return f"tweetwall:{hashlib.sha256(where.encode()).hexdigest()[:12]}"


def _leases(settings: Settings) -> Leases:
    """Return how the ingest leader is elected (docs/scale.md): alone without Redis; with it,
    by a PostgreSQL advisory lock, or by a Redis key with an expiry when the store is SQLite."""
    if settings.redis_url is None:
        return LocalLeases()
    if make_url(settings.database_url).get_backend_name() == "postgresql":
        return PgLeases(settings.database_url)
    return RedisLeases(settings.redis_url, cluster_prefix(settings))


async def start_services(app: FastAPI, settings: Settings) -> None:
    """Open the store, start the walls (hub loaded, sources running) and the heartbeats.
    With `redis_url`, this process is one of several sharing the walls (docs/scale.md)."""
    h = settings.hub
    hub = Hub(snapshot_size=h.snapshot_size, resume_log=h.resume_log, batch_ms=h.batch_ms,
              queue_frames=h.queue_frames)
    modfeed = ModFeed()
    store = Store(settings.database_url)
    await store.open()
    leases = _leases(settings)
    walls = Walls(store, hub, settings, leases=leases)
    relay: Relay | None = None
    if settings.redis_url is None:
        # Every committed change reaches the hub, in seq order, under the writer lock; a
        # wall's changes before it is loaded are in the state the hub loads.
        store.listen(_fan_out(hub, modfeed))
    else:
        # Commits of every process, from this one, Redis and a sweep of the database, reach
        # the hub in seq order with gaps filled from the log.
        async def synced(changed: set[str], gone: set[str]) -> None:
            for slug in gone:
                sequencer.forget(slug)
            await walls.sync(changed, gone)

        sequencer = Sequencer(hub, store.events_after, walls.reload)
        relay = Relay(store, hub, modfeed, sequencer, synced, sweep_s=settings.hub.sweep_s)
        relay.use_bus(settings.redis_url, cluster_prefix(settings))
        store.listen(relay.committed)
    # The default word list takes ~1 s to compile; do it now, off the loop, not on a first post.
    await asyncio.to_thread(warm_rules)
    await walls.start()
    if relay is not None:
        await relay.start()
    app.state.relay = relay

    app.state.store, app.state.hub, app.state.walls = store, hub, walls
    app.state.ingest = walls.ingest
    app.state.decisions, app.state.announcements = Decisions(store), walls.announcements
    app.state.modfeed = modfeed
    app.state.accounts = Accounts(store)
    app.state.assets = Assets(store)
    app.state.screens = Screens(store)
    app.state.login_throttle = LoginThrottle()
    app.state.metrics = build_registry(hub, walls.ingest, relay)
    app.state.heartbeat = asyncio.create_task(_heartbeats(hub, modfeed, h.heartbeat_s))
    app.state.ready = True


async def stop_services(app: FastAPI) -> None:
    app.state.ready = False
    app.state.heartbeat.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await app.state.heartbeat
    if app.state.relay is not None:
        # First: a sweep must not start a wall's ingest again while the walls stop. The other
        # processes catch up on this one's last commits from the log.
        await app.state.relay.stop()
    await app.state.walls.stop()
    await app.state.store.close()


def create_app(settings: Settings | None = None) -> FastAPI:
    """Return the ASGI app for `settings` (default: from the environment and config file)."""
    settings = settings or load_settings()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        await start_services(app, settings)
        try:
            yield
        finally:
            await stop_services(app)

    app = FastAPI(title="tweetwall", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url="/api/v1/openapi.json")
    app.state.settings = settings
    app.state.ready = False
    app.state.templates = Jinja2Templates(directory=FRONTEND / "templates")
    app.add_middleware(BodyLimits)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(SocketCap, limit=settings.hub.ws_max_per_address)
    app.mount("/static", StaticFiles(directory=FRONTEND / "static", check_dir=False), "static")
    app.mount("/demo-media", StaticFiles(directory=MEDIA, check_dir=False), "demo-media")
    for module in (pages, branding, auth, api, moderate, screens, admin, live, health, report,
                   categories, programme):
        app.include_router(module.router)
    return app


def server_config(
    settings: Settings, app: FastAPI | None = None, **overrides: Any
) -> uvicorn.Config:
    """Return uvicorn's config for `settings`: WebSocket limits, no compression, and the
    `X-Forwarded-*` headers trusted only from `forwarded_allow_ips` (none by default), so a
    client's address and scheme cannot be forged from outside.

    WebSockets are served by websockets-sansio with the hub's direct writes
    (app/web/wsdirect.py `ws_protocol`): of uvicorn's three implementations it held an idle viewer
    in the least memory and delivered with the lowest tail (docs/benchmarks.md). An override
    `ws` may name another ("wsproto", "websockets") or give a protocol class."""
    trusted = settings.forwarded_allow_ips
    options: dict[str, Any] = dict(
        host=settings.host, port=settings.port, log_level="info", ws_max_size=64 * 1024,
        ws_per_message_deflate=False, ws_ping_interval=20, ws_ping_timeout=20,
        timeout_graceful_shutdown=3, server_header=False,
        proxy_headers=bool(trusted), forwarded_allow_ips=",".join(trusted) or None,
    )
    from app.web.wsdirect import ws_protocol  # imported here: only this function uses it

    ws = overrides.pop("ws", "websockets-sansio")
    options["ws"] = ws_protocol(ws) if isinstance(ws, str) else ws
    return uvicorn.Config(app or create_app(settings), **{**options, **overrides})
