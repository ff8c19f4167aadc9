"""How the pages look and read: text sizes, fitting the screen, card details, accessibility,
reduced motion, and screenshots saved for people to look at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CARD, HALL, PHONE, card_count, wall_toml, write_posts
from tests.browser.posts import demo_photo, showcase_posts
from tests.conftest import DEMO_TOML, ServerProcess, make_post

pytestmark = pytest.mark.browser

SETTLED = """() => document.getAnimations().length === 0
    && Array.from(document.images).every(img => img.complete)"""


def px(page: Any, selector: str, prop: str = "font-size") -> float:
    value = page.eval_on_selector(selector, f"e => getComputedStyle(e).getPropertyValue('{prop}')")
    return float(value.removesuffix("px"))


@pytest.fixture(scope="module")
def showcase(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server (one for this module) whose wall holds the ten showcase posts and adds nothing
    for a while."""
    workdir = tmp_path_factory.mktemp("showcase")
    posts = write_posts(workdir / "showcase.jsonl", showcase_posts())
    server = ServerProcess(workdir, wall_toml(posts, backfill=10, min_gap_s=600,
                                              max_gap_s=600)).start()
    yield server
    server.stop()


def test_hall_text_is_readable_from_the_back_and_scales_with_the_screen(
        showcase: Any, open_page: Any) -> None:
    """At 1920x1080 post text is >= 36 px with author and time clearly smaller; at 3840x2160
    everything is twice as large."""
    page, _ = open_page(f"{showcase.url}/walls/t", viewport=HALL)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length === 10")
    text = px(page, f"{CARD} [data-post-text]")
    name = px(page, f"{CARD} .card__name")
    time = px(page, f"{CARD} .card__time")
    assert text >= 36
    assert name <= text * 0.75
    assert time < name
    page.set_viewport_size({"width": 3840, "height": 2160})
    page.wait_for_function("t => parseFloat(getComputedStyle(document.querySelector("
                           "'[data-post-text]')).fontSize) > t * 1.5", arg=text)
    assert px(page, f"{CARD} [data-post-text]") == pytest.approx(text * 2, rel=0.02)
    assert px(page, f"{CARD} .card__name") == pytest.approx(name * 2, rel=0.02)


@pytest.mark.parametrize("viewport", [HALL, {"width": 1280, "height": 1024},
                                      {"width": 1080, "height": 1920}])
def test_hall_fills_the_screen_without_scrollbars_or_cut_cards(
        showcase: Any, open_page: Any, viewport: dict[str, int]) -> None:
    """No scrollbars; every card on screen is whole; a long post is clamped with an ellipsis."""
    page, _ = open_page(f"{showcase.url}/walls/t", viewport=viewport)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length === 10")
    page.wait_for_function(SETTLED)
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    outside = page.evaluate("""() => {
        const feed = document.getElementById('feed').getBoundingClientRect();
        return Array.from(document.querySelectorAll('[data-post-id]:not([data-offscreen])'))
            .map(c => [c.dataset.postId, c.getBoundingClientRect()])
            .filter(([, r]) => r.top < feed.top - 1 || r.bottom > feed.bottom + 1
                               || r.left < feed.left - 1 || r.right > feed.right + 1)
            .map(([id]) => id);
    }""")
    assert outside == []
    on_screen = page.locator(f"{CARD}:not([data-offscreen])").count()
    assert on_screen >= 3
    long_text = page.locator('[data-post-id="x:100001"] [data-post-text]')
    if long_text.is_visible():
        clamp = long_text.evaluate("e => getComputedStyle(e).webkitLineClamp")
        assert clamp not in ("", "none")
        assert long_text.evaluate("e => e.scrollHeight > e.clientHeight + 1"), "clamped, with …"


def test_cards_show_their_details(showcase: Any, open_page: Any) -> None:
    """Network badges, initials when an avatar is missing or broken, alt text, hidden broken
    images, right-to-left text, covered warnings on the hall screen, quote and repost labels."""
    page, _ = open_page(f"{showcase.url}/walls/t", viewport=HALL)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length === 10")

    def card(n: int, source: str = "x") -> Any:
        ids = {2: "mastodon:https://rad.community/@sara/2",
               3: "bluesky:at://did:plc:abc/app.bsky.feed.post/3"}
        return page.locator(f'[data-post-id="{ids.get(n, f"x:{100000 + n}")}"]')

    assert card(1).locator(".network").text_content().lower() == "x"
    assert card(2).locator(".network").text_content().lower() == "mastodon"
    assert card(3).locator(".network").text_content().lower() == "bluesky"
    # No avatar URL, and an avatar that fails to load: both show initials.
    assert card(1).locator(".avatar__initials").text_content() == "PR"
    assert card(1).locator(".avatar__img").count() == 0
    card(3).locator(".avatar__img").wait_for(state="detached")
    assert card(3).locator(".avatar__initials").text_content() == "JT"
    # A broken image disappears and leaves a text card.
    page.wait_for_function("() => document.querySelector('[data-post-id=\"x:100004\"] .card__media').hidden")
    assert card(4).locator("img.media__img").get_attribute("alt") == "Poster hall"
    # Right to left, with the post's language.
    rtl = card(2).locator("[data-post-text]")
    assert rtl.get_attribute("dir") == "auto"
    assert rtl.get_attribute("lang") == "ar"
    assert rtl.evaluate("e => e.matches(':dir(rtl)')")
    # Warnings and sensitive media are covered on the hall screen: words, no media.
    assert "Surgical images" in card(6).text_content()
    assert card(6).locator("img, [data-post-text]").count() == 0
    assert card(7).locator("img.media__img").count() == 0
    assert "Sensitive media" in card(7).text_content()
    if demo_photo():
        assert card(5).locator("img.media__img").get_attribute("alt")
    assert "Quote" in card(8).text_content() and "Chicago" in card(8).text_content()
    assert "Repost" in card(9).text_content()
    assert "also Bluesky" in card(10).text_content()
    # The hall screen is not clickable.
    assert page.locator("#feed a").count() == 0


def test_viewer_is_accessible_on_a_phone(server_factory: Any, open_page: Any,
                                         tmp_path: Path) -> None:
    """The viewer announces new posts politely, links to originals safely, and can be used
    with the keyboard."""
    posts = write_posts(tmp_path / "posts.jsonl", [make_post(n) for n in range(40)])
    server = server_factory(wall_toml(posts, backfill=3, min_gap_s=1, max_gap_s=1))
    page, _ = open_page(f"{server.url}/walls/t/live", viewport=PHONE)
    region = page.locator("#announcer")
    assert region.get_attribute("aria-live") == "polite"
    page.wait_for_function("() => document.getElementById('announcer').textContent !== ''",
                           timeout=10_000)
    assert "New post by" in region.inner_text() or "new posts" in region.inner_text()
    original = page.locator(f"{CARD} a.card__original").first
    assert original.get_attribute("href", timeout=5_000).startswith("https://x.com/")
    assert original.get_attribute("target") == "_blank"
    assert set(original.get_attribute("rel").split()) == {"noopener", "noreferrer", "nofollow"}
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth"), "no sideways scroll"
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("j")
    first = page.evaluate("document.activeElement.dataset.postId")
    assert first is not None, "j focuses a card"
    page.keyboard.press("j")
    # New posts may arrive on top meanwhile; j moves to the card right after the focused one.
    assert page.evaluate("document.activeElement.previousElementSibling.dataset.postId") == first
    page.keyboard.press("k")
    assert page.evaluate("document.activeElement.dataset.postId") == first


@pytest.mark.parametrize("path", ["/walls/t", "/walls/t/live"])
def test_reduced_motion_turns_animations_off(server_factory: Any, open_page: Any,
                                             tmp_path: Path, path: str) -> None:
    """With prefers-reduced-motion a new card appears without animation or sliding."""
    posts = write_posts(tmp_path / "posts.jsonl", [make_post(n) for n in range(40)])
    server = server_factory(wall_toml(posts, backfill=2, min_gap_s=0.5, max_gap_s=0.5,
                                      min_dwell_s=1))
    page, _ = open_page(f"{server.url}{path}", viewport=HALL, reduced_motion=True)
    entering = page.locator(f"{CARD}[data-entering]").first
    entering.wait_for(state="attached", timeout=10_000)
    assert entering.evaluate("e => getComputedStyle(e).animationName") == "none"
    assert entering.evaluate("e => getComputedStyle(e).transitionDuration").strip("0s,. ") == ""


def test_screenshots(server_factory: Any, open_page: Any, screenshots: Path) -> None:
    """Screenshots of the bundled meeting: hall screen at 1080p and 4K, viewer on a phone, and
    the wall list, saved under test-artifacts/screenshots/."""
    slow = DEMO_TOML.replace("min_gap_s = 0.5", "min_gap_s = 600").replace(
        "max_gap_s = 0.5", "max_gap_s = 600")
    server = server_factory(slow)
    for name, path, viewport in [
        ("hall-1920x1080", "/walls/asnr14", HALL),
        ("hall-3840x2160", "/walls/asnr14", {"width": 3840, "height": 2160}),
        ("hall-portrait-1080x1920", "/walls/asnr14", {"width": 1080, "height": 1920}),
        ("viewer-390x844", "/walls/asnr14/live", PHONE),
    ]:
        page, _ = open_page(f"{server.url}{path}", viewport=viewport)
        page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length >= 6")
        page.wait_for_function(SETTLED)
        page.screenshot(path=screenshots / f"{name}.png")
        if name.startswith("viewer"):
            page.screenshot(path=screenshots / f"{name}-full.png", full_page=True)
        assert card_count(page) >= 6
    page, _ = open_page(f"{server.url}/", viewport={"width": 1280, "height": 800},
                        wait_live=False)
    page.locator("a[href='/walls/asnr14']").wait_for()
    assert page.locator("a[href='/walls/asnr14/live']").count() == 1
    page.screenshot(path=screenshots / "index-1280x800.png")
