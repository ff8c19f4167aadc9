"""The hall screen's layouts (grid, spotlight, ticker) and themes, switched live by an admin:
screenshots of each at 1080p, 4K and phone size, text sizes, fitting, branding."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.browser.admin import PlayedSocket, patch_wall, png, snapshot
from tests.browser.conftest import CARD, HALL, PHONE, ROOT
from tests.conftest import ServerProcess, make_post

pytestmark = pytest.mark.browser

UHD = {"width": 3840, "height": 2160}
LAYOUTS = ["grid", "spotlight", "ticker"]
THEMES = ["dark", "light", "contrast"]
SHOWN = f"{CARD}:not([data-offscreen])"
SPOT_STILL = """() => { const m = document.querySelector('[data-spot=main]');
    return m !== null && m.getAnimations().length === 0; }"""


def wait_look(page: Any, layout: str, theme: str) -> None:
    page.wait_for_function(
        "([l, t]) => document.body.dataset.layout === l && document.body.dataset.theme === t",
        arg=[layout, theme])
    page.wait_for_selector(SHOWN)


def text_sizes(page: Any) -> list[float]:
    """Return the font sizes (px) of the post text of every card shown."""
    return list(page.eval_on_selector_all(
        f"{SHOWN} [data-post-text]",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"))


def test_every_layout_and_theme_screenshots(demo: ServerProcess, admin: httpx.Client,
                                            open_page: Any, screenshots: Path) -> None:
    """Each layout x theme at 1920x1080 and 3840x2160 (plus the hall and viewer at 390x844)
    fills the screen without scrollbars, with every shown card's text fitted in its box."""
    patch_wall(admin, "asnr14", layout="grid", theme="dark",
               join_url="https://tweetwall.example/asnr14")
    pages = {name: open_page(f"{demo.url}/walls/asnr14", viewport=size)[0]
             for name, size in [("1920x1080", HALL), ("3840x2160", UHD), ("390x844", PHONE)]}
    for page in pages.values():
        page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length >= 6")
    for layout in LAYOUTS:
        for theme in THEMES:
            patch_wall(admin, "asnr14", layout=layout, theme=theme)
            for name, page in pages.items():
                if name == "390x844" and theme != "dark":
                    continue
                wait_look(page, layout, theme)
                page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
                if layout == "spotlight":   # the large post's fade-in has ended
                    page.wait_for_function(SPOT_STILL)
                elif layout == "ticker":    # the band has filled
                    page.wait_for_function("() => document.getAnimations().length >= 2")
                assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"
                                     " && document.documentElement.scrollHeight <= innerHeight")
                if layout == "spotlight":
                    # Fitted: a spotlight card never overflows its box (the clamp shows "…").
                    assert page.eval_on_selector_all(
                        f"{CARD}[data-spot]",
                        "els => els.every(e => e.scrollHeight <= e.clientHeight + 1)")
                page.screenshot(path=screenshots / f"{layout}-{theme}-{name}.png")
    patch_wall(admin, "asnr14", layout="grid", theme="dark")
    for theme in THEMES:
        patch_wall(admin, "asnr14", theme=theme)
        page, _ = open_page(f"{demo.url}/walls/asnr14/live", viewport=PHONE)
        page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length >= 6")
        page.wait_for_function("() => Array.from(document.images).every(i => i.complete)")
        page.screenshot(path=screenshots / f"viewer-{theme}-390x844.png")
    patch_wall(admin, "asnr14", theme="dark", join_url=None)


def test_text_size_per_layout_at_1080p(demo: ServerProcess, admin: httpx.Client,
                                       open_page: Any) -> None:
    """At 1920x1080 the smallest post text shown is >= 36 px in every layout (readable from
    the back of a hall) and doubles at 4K; the sizes go to test-artifacts/text-sizes.json."""
    patch_wall(admin, "asnr14", layout="grid", theme="dark")
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length >= 6")
    report: dict[str, dict[str, float]] = {}
    for layout in LAYOUTS:
        patch_wall(admin, "asnr14", layout=layout)
        wait_look(page, layout, "dark")
        page.wait_for_timeout(300)
        sizes = text_sizes(page)
        assert sizes, f"no post text shown in {layout}"
        report[layout] = {"smallest_px": min(sizes), "largest_px": max(sizes)}
        assert min(sizes) >= 36, (layout, sizes)
    page.set_viewport_size(UHD)
    page.wait_for_function("() => innerWidth === 3840")
    page.wait_for_timeout(300)
    assert min(text_sizes(page)) == pytest.approx(report["ticker"]["smallest_px"] * 2, rel=0.02)
    patch_wall(admin, "asnr14", layout="grid")
    out = ROOT / "test-artifacts" / "text-sizes.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"viewport": "1920x1080", **report}, indent=2) + "\n", "utf-8")


def test_admin_switches_layout_live_without_reload(demo: ServerProcess, admin: httpx.Client,
                                                   open_page: Any) -> None:
    """An admin's PATCH of layout and theme reaches an open wall as a `wall` event: the page
    changes body[data-layout] and its cards' places without reloading."""
    patch_wall(admin, "asnr14", layout="grid", theme="dark")
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL)
    page.wait_for_selector(f"{CARD}[data-placed]")
    page.evaluate("window.__same_page = true")
    patch_wall(admin, "asnr14", layout="spotlight")
    page.wait_for_selector("body[data-layout=spotlight]")
    page.wait_for_selector(f"{CARD}[data-spot=main]")
    assert page.locator(f"{CARD}[data-spot=queue]").count() == 3
    assert page.locator(f"{CARD}[data-placed]").count() == 0
    patch_wall(admin, "asnr14", layout="ticker", theme="light")
    page.wait_for_selector("body[data-layout=ticker][data-theme=light]")
    page.wait_for_function("() => document.getAnimations().length > 0")
    assert page.locator(f"{CARD}[data-spot]").count() == 0
    patch_wall(admin, "asnr14", layout="grid", theme="dark")
    page.wait_for_selector("body[data-layout=grid]")
    page.wait_for_selector(f"{CARD}[data-placed]")
    assert page.evaluate("window.__same_page") is True


def test_branding_colours_logo_and_qr(demo: ServerProcess, admin: httpx.Client,
                                      open_page: Any, screenshots: Path) -> None:
    """Brand colours become custom properties, the uploaded logo shows in the header band and
    the QR code and join address show where people can join; clearing them restores the theme."""
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL)
    res = admin.put("/api/v1/walls/asnr14/logo", content=png(240, 80),
                    headers={"Content-Type": "image/png"})
    assert res.status_code == 200, res.text
    colours = {"background": "#14213d", "text": "#ffffff", "accent": "#fca311"}
    patch_wall(admin, "asnr14", colours=colours, join_url="https://asnr.example/join")
    page.wait_for_selector("body[data-branded]")
    bg = page.evaluate("getComputedStyle(document.body).getPropertyValue('--bg').trim()")
    assert bg == "#14213d"
    page.wait_for_function("() => { const i = document.querySelector('.band__logo');"
                           " return !i.hidden && i.complete && i.naturalWidth === 240; }")
    page.wait_for_function("() => document.querySelector('.join__qr').naturalWidth > 0")
    assert page.locator(".join__url").inner_text() == "asnr.example/join"
    assert "asnr.example/join" in (page.locator(".join__qr").get_attribute("alt") or "")
    page.wait_for_timeout(600)
    page.screenshot(path=screenshots / "grid-branded-1920x1080.png")
    assert admin.delete("/api/v1/walls/asnr14/logo").status_code == 200
    patch_wall(admin, "asnr14", colours=None, join_url=None)
    page.wait_for_selector("body:not([data-branded])")
    page.wait_for_selector(".band__logo[hidden]", state="attached")


def test_spotlight_shows_a_new_post_and_long_posts_end_in_an_ellipsis(
        demo: ServerProcess, open_page: Any) -> None:
    """In the spotlight a new post takes the large place once the one shown has been up for
    the wall's min_dwell_s (2 s here; the 10 s default is what the test would otherwise race);
    a post too long for its box is clamped with a visible ellipsis instead of overflowing."""
    long_text = " ".join(["Thrombectomy outcomes in the late window keep improving"] * 12)
    posts = [make_post(3, content=[{"type": "text", "text": long_text}], text=long_text),
             make_post(2), make_post(1)]
    played = PlayedSocket(lambda ws, _: ws.send(snapshot(posts, layout="spotlight",
                                                         min_dwell_s=2)))
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, before=played.install)
    main = page.locator(f"{CARD}[data-spot=main]")
    main.wait_for()
    assert main.get_attribute("data-post-id") == "x:100003"
    text = main.locator("[data-post-text]")
    assert text.evaluate("e => e.scrollHeight > e.clientHeight + 1")   # clamped ...
    assert text.evaluate("e => getComputedStyle(e).webkitLineClamp") not in ("none", "")
    assert main.evaluate("e => e.scrollHeight <= e.clientHeight + 1")  # ... and fits its box
    played.routes[-1].send(json.dumps({"type": "events", "events": [
        {"seq": 11, "type": "post", "post": make_post(4)}]}))
    page.wait_for_selector(f'{CARD}[data-post-id="x:100004"]', state="attached")
    assert main.get_attribute("data-post-id") == "x:100003"   # the long post keeps its dwell
    page.wait_for_selector(f'{CARD}[data-spot=main][data-post-id="x:100004"]', timeout=10_000)


@pytest.mark.parametrize("reduced", [False, True])
def test_ticker_moves_unless_motion_is_reduced(demo: ServerProcess, open_page: Any,
                                               reduced: bool) -> None:
    """The ticker's posts move right to left; with prefers-reduced-motion they stand still
    (and change every few seconds instead)."""
    posts = [make_post(n) for n in range(8, 0, -1)]
    played = PlayedSocket(lambda ws, _: ws.send(snapshot(posts, layout="ticker")))
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, reduced_motion=reduced,
                        before=played.install)
    first = page.locator(SHOWN).first
    first.wait_for()
    page.wait_for_timeout(300)
    x0 = first.bounding_box()["x"]
    page.wait_for_timeout(1000)
    x1 = first.bounding_box()["x"]
    if reduced:
        assert x1 == pytest.approx(x0, abs=1)
    else:
        assert x1 < x0 - 50   # ~150 px/s at 1080p
    sizes = text_sizes(page)
    assert sizes and min(sizes) >= 40


def test_viewer_names_posts_describes_images_and_takes_brand_colours(
        demo: ServerProcess, open_page: Any) -> None:
    """On the remote viewer each post is a named article, an image without a description says
    so, and the wall's brand colours apply."""
    post = make_post(1, media=[{"kind": "image", "url": "/static/favicon.svg"}])
    colours = {"background": "#14213d", "text": "#ffffff", "accent": "#fca311"}
    played = PlayedSocket(lambda ws, _: ws.send(snapshot([post], colours=colours)))
    page, _ = open_page(f"{demo.url}/walls/asnr14/live", viewport=PHONE, before=played.install)
    card = page.locator(CARD).first
    card.wait_for()
    label = card.get_attribute("aria-labelledby")
    assert page.locator(f"#{label}").text_content() == "Post by User 1 on X"
    assert page.locator(f"{CARD} h2").count() == 1, "reachable by heading"
    assert card.locator(".media__img").get_attribute("alt") == "Image without a description"
    page.wait_for_selector("body[data-branded]")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(20, 33, 61)"


def test_a_pinned_post_takes_the_first_place_in_the_grid(demo: ServerProcess,
                                                          open_page: Any) -> None:
    """A pinned post, however old, is placed at the top left of the grid with its badge."""
    posts = [make_post(n) for n in range(30, 0, -1)]
    posts[-1]["pinned"] = True
    played = PlayedSocket(lambda ws, _: ws.send(snapshot(posts)))
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, before=played.install)
    pinned = page.locator(f'{CARD}[data-post-id="x:100001"][data-pinned][data-placed]')
    pinned.wait_for()
    box = pinned.bounding_box()
    assert box is not None
    tops = page.eval_on_selector_all(f"{CARD}[data-placed]",
                                      "els => els.map(e => e.getBoundingClientRect().top)")
    assert box["y"] <= min(tops) + 1
    assert box["x"] < 200
    assert "Pinned" in pinned.inner_text()
