"""An in-process uvicorn server on a free loopback port, for HTTP and WebSocket tests."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from app.events import Event
from app.hub import Hub
from app.main import server_config
from app.models import Post
from app.settings import Settings, WallConfig
from app.store import Store
from app.store.decisions import Decisions
from tests.conftest import PASSWORD, free_port


@dataclass
class Running:
    app: FastAPI
    url: str

    @property
    def ws(self) -> str:
        return self.url.replace("http://", "ws://")

    @property
    def store(self) -> Store:
        store: Store = self.app.state.store
        return store

    @property
    def mod(self) -> Decisions:
        mod: Decisions = self.app.state.decisions
        return mod

    async def admit(self, slug: str, post: Post) -> list[Event]:
        """Admit `post` to the wall as a source would (policy, store, then screens)."""
        events: list[Event] = await self.app.state.ingest.admission.admit(slug, post)
        return events

    @property
    def hub(self) -> Hub:
        hub: Hub = self.app.state.hub
        return hub


@contextlib.asynccontextmanager
async def serve(settings: Settings, **overrides: Any) -> AsyncIterator[Running]:
    """A real uvicorn server on a free port, with `server_config()` overrides (say another
    `ws` protocol)."""
    port = free_port()
    config = server_config(settings, host="127.0.0.1", port=port, log_level="warning",
                           **overrides)
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    async with asyncio.timeout(10):
        while not server.started:
            if task.done():
                task.result()
            await asyncio.sleep(0.02)
    try:
        yield Running(config.app, f"http://127.0.0.1:{port}")  # type: ignore[arg-type]
    finally:
        server.should_exit = True
        async with asyncio.timeout(10):
            await task


@pytest.fixture
def make_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings for a test server: one wall `w` with no sources, fast heartbeats."""

    def build(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'web.db'}",
            "walls": [WallConfig(slug="w", title="Test wall", hashtags=["ASNR14"], sources=[])],
            "hub": {"batch_ms": 20, "heartbeat_s": 0.3},
            **overrides,
        }
        return Settings.model_validate(values)

    return build




async def logged_in(srv: Running, name: str, role: str = "admin", *,
                    walls: tuple[str, ...] = (), headers: dict[str, str] | None = None,
                    ) -> httpx.AsyncClient:
    """Create user `name` with `role` (scoped to `walls`) and return an HTTP client logged in
    as them. The caller closes it."""
    await srv.app.state.accounts.add_user(name, PASSWORD, role, walls)
    client = httpx.AsyncClient(base_url=srv.url, headers=headers)
    r = await client.post("/api/v1/login", json={"username": name, "password": PASSWORD})
    assert r.status_code == 200, r.text
    return client
