"""Composition root: `create_app(settings)` builds the store, hub and ingest in the lifespan.

Run with `tweetwall serve`, or `uvicorn --factory app.main:create_app` (settings from the
environment). Nothing is built at import time.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from app.hub import Hub
from app.ingest import Ingest
from app.metrics import build_registry
from app.modfeed import ModFeed
from app.rules import warm as warm_rules
from app.settings import Settings, WallConfig, load_settings
from app.store import Store, WallInfo
from app.store.accounts import Accounts
from app.store.assets import Assets
from app.store.moderation import ModerationStore
from app.web import admin, api, auth, branding, health, live, moderate, pages
from app.web.auth import LoginThrottle
from app.web.security import SecurityHeaders

__all__ = ["FRONTEND", "MEDIA", "create_app"]

log = logging.getLogger(__name__)

FRONTEND = Path(__file__).resolve().parent.parent / "frontend"
MEDIA = Path(__file__).resolve().parent / "data" / "meeting" / "media"


async def _warm(hub: Hub, store: Store, mod: ModerationStore, info: WallInfo,
                resume_log: int) -> None:
    """Load one wall's current state and recent log from the store into the hub."""
    hub.load_wall(
        info.slug, epoch=info.epoch, seq=info.last_seq,
        wall={**info.public(), "announcements": await mod.announcements(info.slug)},
        posts=await store.wall_posts(info.slug, "visible", hub.snapshot_size),
        pinned=await store.pinned_posts(info.slug),
        log=await store.events_after(info.slug, max(info.last_seq - resume_log, 0), resume_log),
    )


async def _heartbeats(hub: Hub, modfeed: ModFeed, interval: float) -> None:
    """Every `interval` seconds, tell screens and consoles the server is alive."""
    while True:
        await asyncio.sleep(interval)
        hub.heartbeat()
        modfeed.heartbeat()


async def start_services(app: FastAPI, settings: Settings) -> None:
    """Open the store, declare the configured walls, warm the hub, start ingest."""
    h = settings.hub
    hub = Hub(snapshot_size=h.snapshot_size, resume_log=h.resume_log, batch_ms=h.batch_ms,
              queue_frames=h.queue_frames)
    modfeed = ModFeed()
    store = Store(settings.database_url)
    await store.open()
    mod = ModerationStore(store)
    for wall in settings.walls:
        config = wall.model_dump(mode="json", exclude={"slug", "title"})
        await store.ensure_wall(wall.slug, wall.title or f"#{' #'.join(wall.hashtags)}", config)
    for info in store.walls():
        await _warm(hub, store, mod, info, h.resume_log)
    # From here on every committed change reaches the hub, in seq order, under the writer lock.
    store.on_events = hub.publish
    store.on_mod = modfeed.publish
    # The default word list takes ~1 s to compile; do it now, off the loop, not on a first post.
    await asyncio.to_thread(warm_rules)
    ingest = Ingest(store, settings)
    ingest.start(settings.walls)

    async def open_wall(wall: WallConfig) -> None:
        config = wall.model_dump(mode="json", exclude={"slug", "title"})
        info = await store.ensure_wall(wall.slug, wall.title or wall.slug, config)
        await _warm(hub, store, mod, info, h.resume_log)
        ingest.start([wall])

    app.state.store, app.state.hub, app.state.ingest = store, hub, ingest
    app.state.moderation, app.state.modfeed = mod, modfeed
    app.state.accounts = Accounts(store)
    app.state.assets = Assets(store)
    app.state.login_throttle = LoginThrottle()
    app.state.open_wall = open_wall
    app.state.metrics = build_registry(hub, ingest)
    app.state.heartbeat = asyncio.create_task(_heartbeats(hub, modfeed, h.heartbeat_s))
    app.state.ready = True


async def stop_services(app: FastAPI) -> None:
    app.state.ready = False
    app.state.heartbeat.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await app.state.heartbeat
    await app.state.ingest.stop()
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
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=FRONTEND / "static", check_dir=False), "static")
    app.mount("/demo-media", StaticFiles(directory=MEDIA, check_dir=False), "demo-media")
    for module in (pages, branding, auth, api, moderate, admin, live, health):
        app.include_router(module.router)
    return app
