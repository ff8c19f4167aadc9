"""Helpers for browser tests that act as a wall's admin: an admin account on a test server, a
logged-in HTTP client, a played WebSocket, and small PNG images made on the spot."""

from __future__ import annotations

import json
import re
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from typing import Any

import httpx

from tests.conftest import PASSWORD, ServerProcess

WS = re.compile(r"/ws/walls/")


def admin_client(server: ServerProcess, name: str = "root") -> httpx.Client:
    """Add admin `name` to `server` and return an HTTP client logged in as them (it sends the
    server's Origin, which state-changing requests need)."""
    proc = subprocess.run(
        [sys.executable, "-m", "app.cli", "user", "add", name, "--role", "admin",
         "--password-stdin", "--config", str(server.config)],
        input=PASSWORD + "\n", capture_output=True, text=True, env=server.env,
        cwd=server.workdir, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    client = httpx.Client(base_url=server.url, headers={"Origin": server.url}, timeout=15)
    res = client.post("/api/v1/login", json={"username": name, "password": PASSWORD})
    assert res.status_code == 200, res.text
    return client


def patch_wall(client: httpx.Client, slug: str, **changes: Any) -> dict[str, Any]:
    """PATCH the wall's settings as an admin; return the wall's public settings."""
    res = client.patch(f"/api/v1/walls/{slug}", json=changes)
    assert res.status_code == 200, res.text
    return dict(res.json())


def png(width: int, height: int, rgb: tuple[int, int, int] = (252, 163, 17)) -> bytes:
    """Return a PNG of one colour with a darker diagonal band (enough to see it is there)."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            band = abs((x * height // max(width, 1)) - y) < height // 5
            rows.extend(bytes(c // 2 for c in rgb) if band else bytes(rgb))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(bytes(rows))) + chunk(b"IEND", b""))


def fake_wall(**overrides: Any) -> dict[str, Any]:
    """Return a wall's public settings as a snapshot carries them, with `overrides`."""
    wall: dict[str, Any] = {
        "slug": "asnr14", "title": "Fake wall", "hashtags": ["ASNR14"], "layout": "grid",
        "theme": "dark", "moderation": "post", "colours": None, "join_url": None,
        "logo_url": None, "slides": [], "slide_interval_s": 0, "idle_after_s": 90,
        "reload": None, "qr_url": "/walls/asnr14/qr.svg", "announcements": [],
    }
    wall.update(overrides)
    return wall


def snapshot(posts: list[dict[str, Any]], *, seq: int = 10, **wall: Any) -> str:
    return json.dumps({"type": "snapshot", "epoch": "e1", "seq": seq, "wall": fake_wall(**wall),
                       "posts": posts})


def events(*evs: dict[str, Any]) -> str:
    return json.dumps({"type": "events", "events": list(evs)})


class PlayedSocket:
    """Plays the wall's WebSocket for a page: `on_connect(ws, n)` for the n-th connection; the
    messages the page sent (health reports) are kept."""

    def __init__(self, on_connect: Callable[[Any, int], None]) -> None:
        self.routes: list[Any] = []
        self.received: list[str] = []
        self.on_connect = on_connect

    def install(self, page: Any) -> None:
        page.route_web_socket(WS, self._handle)

    def _handle(self, ws: Any) -> None:
        self.routes.append(ws)
        ws.on_message(lambda message: self.received.append(str(message)))
        self.on_connect(ws, len(self.routes) - 1)
