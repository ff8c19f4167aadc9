"""A hall screen left alone for days: it reports its health, reloads when an admin asks or
when it has been stale too long, shows highlights when the wall is quiet, rotates slides in,
retries broken media, and shows announcements by their schedule."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.admin import (
    PASSWORD,
    PlayedSocket,
    admin_client,
    events,
    patch_wall,
    png,
    snapshot,
)
from tests.browser.conftest import CARD, HALL, wall_toml, write_posts
from tests.conftest import ServerProcess, make_post

pytestmark = pytest.mark.browser


def iso(delta_s: float) -> str:
    return (datetime.now(UTC) + timedelta(seconds=delta_s)).isoformat().replace("+00:00", "Z")


def named_screen(admin: httpx.Client, name: str) -> str:
    """Name a hall screen of the demo wall as an admin; return the URL to open it with."""
    res = admin.post("/api/v1/walls/asnr14/screens", json={"name": name})
    assert res.status_code == 201, res.text
    url: str = res.json()["url"]
    return url


def test_open_screen_reports_its_health(demo: ServerProcess, admin: httpx.Client,
                                        open_page: Any) -> None:
    """A named hall screen sends a health report over its socket soon after going live; the
    console's screens list shows its seq, DOM size, cards, heap and viewport."""
    page, _ = open_page(named_screen(admin, "Hall A, left"), viewport=HALL)
    page.wait_for_selector(CARD)
    deadline = time.monotonic() + 20
    halls: list[dict[str, Any]] = []
    while time.monotonic() < deadline and not halls:
        res = admin.get("/api/v1/walls/asnr14/screens")
        assert res.status_code == 200, res.text
        halls = [s for s in res.json() if s.get("kind") == "hall" and s.get("width") == 1920]
        time.sleep(0.5)
    assert halls, "no health report from the hall screen"
    report = halls[0]
    assert report["dom_nodes"] > 50
    assert report["cards"] >= 1
    assert report["seq"] >= 1
    assert report["height"] == 1080
    assert report["reconnects"] == 0
    assert report["heap_mb"] > 0
    assert report["age_s"] < 20

    def login(console: Any) -> None:
        res = console.request.post(f"{demo.url}/api/v1/login", headers={"Origin": demo.url},
                                   data={"username": "root", "password": PASSWORD})
        assert res.ok, res.text()

    console, _ = open_page(f"{demo.url}/moderate/asnr14", viewport=HALL, before=login)
    row = console.locator("#screens .row--screen[data-kind=hall]", has_text="1920\u00d71080").first
    row.wait_for(timeout=15_000)
    assert "DOM nodes" in row.inner_text()
    assert console.locator("#wall-layout").input_value() in ("grid", "spotlight", "ticker")


def test_admin_reload_reloads_open_screens(demo: ServerProcess, admin: httpx.Client,
                                           open_page: Any) -> None:
    """POST /walls/{slug}/reload changes the wall's reload nonce; an open named screen reloads
    itself (its window marker is gone) and goes live again, keeping its key; a hall page opened
    without a key does not take the reload."""
    page, _ = open_page(named_screen(admin, "Hall B"), viewport=HALL)
    anonymous, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL)
    for p in (page, anonymous):
        p.wait_for_selector(CARD)
        p.evaluate("window.__before_reload = true")
    with page.expect_navigation(timeout=15_000):
        nonce = admin.post("/api/v1/walls/asnr14/reload").json()["reload"]
    page.wait_for_selector("body[data-connection=live]", state="attached")
    assert page.evaluate("window.__before_reload") is None
    assert "screen=" in page.url
    page.wait_for_selector(CARD)
    anonymous.wait_for_function("n => window.tweetwall.feed.wall.reload === n", arg=nonce)
    assert anonymous.evaluate("window.__before_reload") is True


def test_stale_screen_reloads_itself(demo: ServerProcess, open_page: Any) -> None:
    """A screen whose socket is refused stays stale with its badge; after the stale limit
    (`?stale_reload_s=` here, 5 minutes by default) it reloads, as the page itself answers."""
    def connect(ws: Any, n: int) -> None:
        if n == 0:
            ws.send(snapshot([make_post(2), make_post(1)]))
            ws.close(code=1011, reason="gone")
        else:
            ws.close(code=1011, reason="still gone")

    played = PlayedSocket(connect)
    page, _ = open_page(f"{demo.url}/walls/asnr14?stale_reload_s=3", viewport=HALL,
                        before=played.install, wait_live=False)
    page.wait_for_selector(CARD)
    page.evaluate("window.__before_reload = true")
    with page.expect_navigation(timeout=25_000):
        page.wait_for_selector("body[data-connection=stale]", state="attached")
        assert page.locator("#connection-badge").is_visible()
    assert page.evaluate("window.__before_reload") is None


def test_quiet_wall_rotates_highlights_in(server_factory: Any, admin: httpx.Client,
                                          open_page: Any, tmp_path: Path) -> None:
    """With a replay that has finished and `idle_after_s` set low by an admin, the hall shows
    highlights (most liked, photos), marked as such, without duplicating a feed card's id."""
    posts = [make_post(n, metrics={"likes": 10 * n, "reposts": n, "replies": 0})
             for n in range(1, 7)]
    toml = wall_toml(write_posts(tmp_path / "quiet.jsonl", posts), backfill=6, min_gap_s=0,
                     max_gap_s=0, loop=False)
    server = server_factory(toml)
    client = admin_client(server)
    patch_wall(client, "t", idle_after_s=10)
    page, _ = open_page(f"{server.url}/walls/t", viewport=HALL)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length === 6")
    page.wait_for_selector("body[data-interlude=highlights]", state="attached", timeout=30_000)
    box = page.locator("#interlude")
    assert box.is_visible()
    assert "Highlights" in box.locator(".interlude__label").inner_text()
    assert box.locator(".card[data-highlight-id]").count() == 1
    assert box.locator("[data-post-id]").count() == 0
    assert page.locator("#feed").evaluate("e => getComputedStyle(e).visibility") == "hidden"
    client.close()


def test_a_new_post_ends_the_highlights(demo: ServerProcess, open_page: Any,
                                        screenshots: Path) -> None:
    """Highlights last only while the wall is quiet: the first new post brings the feed back."""
    played = PlayedSocket(lambda ws, _: ws.send(snapshot([make_post(2), make_post(1)],
                                                         idle_after_s=1)))
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, before=played.install)
    page.wait_for_selector("body[data-interlude=highlights]", state="attached", timeout=15_000)
    page.wait_for_function("() => document.getAnimations().length === 0"
                           " && Array.from(document.images).every(i => i.complete)")
    page.screenshot(path=screenshots / "highlights-1920x1080.png")
    played.routes[-1].send(events({"seq": 11, "type": "post", "post": make_post(3)}))
    page.wait_for_selector("body:not([data-interlude])", state="attached")
    assert page.locator("#interlude").is_hidden()
    page.wait_for_selector(f'{CARD}[data-post-id="x:100003"]')


def test_slides_rotate_in(demo: ServerProcess, open_page: Any) -> None:
    """Slides come in every `slide_interval_s` for a few seconds, then the posts are back."""
    played = PlayedSocket(lambda ws, _: ws.send(snapshot(
        [make_post(1)], slides=["/static/favicon.svg"], slide_interval_s=1)))
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, before=played.install)
    page.wait_for_selector("body[data-interlude=slide] img.interlude__slide[alt='Slide 1 of 1']",
                           state="attached", timeout=10_000)
    page.wait_for_selector("body:not([data-interlude])", state="attached", timeout=10_000)


def test_broken_media_is_retried_then_shown(demo: ServerProcess, open_page: Any) -> None:
    """An image that fails twice is tried again with backoff and shows on the third try."""
    tries: list[str] = []

    def flaky(route: Any) -> None:
        tries.append(route.request.url)
        if len(tries) < 3:
            route.abort()
        else:
            route.fulfill(status=200, content_type="image/png", body=png(120, 80))

    post = make_post(1, media=[{"kind": "image", "url": "https://media.example/flaky.png",
                                "alt": "a flaky photo", "width": 120, "height": 80}])
    played = PlayedSocket(lambda ws, _: ws.send(snapshot([post])))

    def before(page: Any) -> None:
        played.install(page)
        page.route("https://media.example/**", flaky)

    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, before=before)
    img = page.locator(f"{CARD} .media__img")
    page.wait_for_function("() => { const i = document.querySelector('.media__img');"
                           " return i && i.complete && i.naturalWidth === 120; }", timeout=15_000)
    assert img.get_attribute("data-media-retry") == "2"
    assert img.is_visible()
    assert len(tries) == 3


def test_announcements_follow_their_schedule(demo: ServerProcess, open_page: Any) -> None:
    """Announcements in the snapshot show while their window is open (by the screen's clock);
    a scheduled one waits for its start."""
    announcements = [
        {"id": 1, "text": "Coffee break in the foyer", "starts_at": iso(-60), "ends_at": iso(600)},
        {"id": 2, "text": "Later: the closing keynote", "starts_at": iso(3600), "ends_at": None},
    ]
    played = PlayedSocket(lambda ws, _: ws.send(snapshot([make_post(1)],
                                                         announcements=announcements)))
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, before=played.install)
    box = page.locator("#announcement")
    box.wait_for()
    assert box.inner_text() == "Coffee break in the foyer"
