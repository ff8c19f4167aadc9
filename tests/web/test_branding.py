"""Branding and unattended screens: QR code, logo and slide uploads, contrast, health, reload."""

from __future__ import annotations

import asyncio
import json
import struct
import zlib
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import websockets

from app.settings import Colours, Settings, contrast_ratio
from tests.conftest import PASSWORD
from tests.web.conftest import serve


def png(width: int = 4, height: int = 3) -> bytes:
    """A real, tiny PNG made here (no image library needed)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


async def next_events(ws: websockets.ClientConnection) -> dict[str, Any]:
    """Return the next events frame, skipping heartbeats."""
    async with asyncio.timeout(3):
        while True:
            frame: dict[str, Any] = json.loads(await ws.recv())
            if frame["type"] == "events":
                return frame


async def admin_client(srv, url: str) -> httpx.AsyncClient:  # type: ignore[no-untyped-def]
    await srv.app.state.accounts.add_user("root", PASSWORD, "admin")
    c = httpx.AsyncClient(base_url=url)
    assert (await c.post("/api/v1/login", json={"username": "root", "password": PASSWORD})).status_code == 200
    return c


async def test_qr_code_points_at_the_viewer_page(make_settings: Callable[..., Settings]) -> None:
    """The QR code is an SVG image, generated for the wall's join link."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        r = await http.get("/walls/w/qr.svg")
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")
    assert r.text.lstrip().startswith("<svg") and "<script" not in r.text


async def test_logo_upload_is_type_and_size_checked_and_reaches_screens(make_settings: Callable[..., Settings]) -> None:
    """A PNG logo is stored, served safely and announced to screens; a fake or huge one is not."""
    async with serve(make_settings()) as srv:
        c = await admin_client(srv, srv.url)
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            json.loads(await ws.recv())
            r = await c.put("/api/v1/walls/w/logo", content=png(), headers={"Content-Type": "image/png"})
            assert r.status_code == 200, r.text
            logo_url = r.json()["logo_url"]
            frame = await next_events(ws)
            assert frame["events"][0]["wall"]["logo_url"] == logo_url
        served = await c.get(logo_url)
        assert served.content == png() and served.headers["content-type"] == "image/png"
        assert "sandbox" in served.headers["content-security-policy"]
        r = await c.put("/api/v1/walls/w/logo", content=b"<svg onload=alert(1)>",
                        headers={"Content-Type": "image/svg+xml"})
        assert r.status_code == 415
        r = await c.put("/api/v1/walls/w/logo", content=b"<html>not a png</html>",
                        headers={"Content-Type": "image/png"})
        assert r.status_code == 415 and "not a image/png" in r.json()["detail"]
        r = await c.put("/api/v1/walls/w/logo", content=b"\x89PNG" + b"0" * (3 * 1024 * 1024),
                        headers={"Content-Type": "image/png"})
        assert r.status_code == 413
        r = await c.post("/api/v1/walls/w/slides", content=png(8, 6), headers={"Content-Type": "image/png"})
        assert r.status_code == 201 and len(r.json()["slides"]) == 1
        anon = await httpx.AsyncClient(base_url=srv.url).put(
            "/api/v1/walls/w/logo", content=png(), headers={"Content-Type": "image/png"})
        assert anon.status_code == 401
        await c.aclose()


@pytest.mark.parametrize(("text", "background", "ok"), [
    ("#ffffff", "#000000", True), ("#777777", "#ffffff", False), ("#f5f7ff", "#0b1020", True),
    ("#ffd60a", "#ffffff", False),
])
def test_brand_colours_must_pass_wcag_aa(text: str, background: str, ok: bool) -> None:
    """Colours whose text does not reach 4.5:1 on the background are refused, with the ratio."""
    if ok:
        Colours(text=text, background=background, accent=text)
    else:
        with pytest.raises(ValueError, match="WCAG AA"):
            Colours(text=text, background=background, accent=text)
    assert round(contrast_ratio("#ffffff", "#000000"), 1) == 21.0


async def test_screens_report_health_and_can_be_reloaded(make_settings: Callable[..., Settings]) -> None:
    """A named screen's health report is listed for moderators; an admin's reload reaches it."""
    async with serve(make_settings()) as srv:
        c = await admin_client(srv, srv.url)
        made = (await c.post("/api/v1/walls/w/screens", json={"name": "Hall A, left"})).json()
        key = made["url"].split("screen=")[1]
        async with websockets.connect(f"{srv.ws}/ws/walls/w?screen={key}") as ws:
            json.loads(await ws.recv())
            await ws.send(json.dumps({"type": "health", "kind": "hall", "seq": 0, "reconnects": 2,
                                      "dom_nodes": 812, "heap_mb": 21.5, "evil": "<script>"}))
            async with asyncio.timeout(3):
                while "dom_nodes" not in (screens := (await c.get("/api/v1/walls/w/screens")).json())[0]:
                    await asyncio.sleep(0.05)
            assert screens[0]["name"] == "Hall A, left" and screens[0]["connected"] is True
            assert screens[0]["kind"] == "hall" and screens[0]["dom_nodes"] == 812
            assert "evil" not in screens[0]
            r = await c.post("/api/v1/walls/w/reload")
            frame = await next_events(ws)
            assert frame["events"][0]["wall"]["reload"] == r.json()["reload"]
        await c.aclose()
