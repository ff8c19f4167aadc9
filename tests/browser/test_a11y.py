"""axe-core on every page: the wall list, the hall screen in each layout, the remote viewer on a
phone and a desktop, the moderators' console and its login, the meeting's report. No serious
or critical violation anywhere; every page's findings go to test-artifacts/axe.json."""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest

from tests.browser.admin import patch_wall
from tests.browser.axe import grave, record, run_axe
from tests.browser.conftest import HALL, PHONE, ROOT
from tests.conftest import PASSWORD, ServerProcess

pytestmark = pytest.mark.browser

AXE_JSON = ROOT / "test-artifacts" / "axe.json"
DESKTOP = {"width": 1366, "height": 900}
CARDS = "n => document.querySelectorAll('[data-post-id]').length >= n"


def check(page: Any, name: str, found: dict[str, dict[str, int]] | None = None) -> None:
    """Run axe on `page`, record it as `name`; fail at once, or collect into `found`."""
    violations = run_axe(page)
    record(AXE_JSON, name, violations)
    if found is None:
        assert grave(violations) == {}, f"{name}: serious or critical axe violations"
    elif grave(violations):
        found[name] = grave(violations)


def test_index_and_viewer(demo: ServerProcess, open_page: Any) -> None:
    """The wall list, and the viewer at phone and desktop size."""
    page, _ = open_page(f"{demo.url}/", viewport=DESKTOP, wait_live=False)
    page.locator("a[href='/walls/asnr14']").wait_for()
    check(page, "index")
    for name, size in [("viewer-phone", PHONE), ("viewer-desktop", DESKTOP)]:
        page, _ = open_page(f"{demo.url}/walls/asnr14/live", viewport=size)
        page.wait_for_function(CARDS, arg=6)
        check(page, name)


@pytest.mark.parametrize("layout", ["grid", "spotlight", "ticker"])
def test_hall_in_each_layout(demo: ServerProcess, admin: httpx.Client, open_page: Any,
                             layout: str) -> None:
    """The hall screen in each layout, at 1920x1080."""
    patch_wall(admin, "asnr14", layout=layout)
    try:
        page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL)
        page.wait_for_function(CARDS, arg=6)
        page.wait_for_selector("[data-post-id]:not([data-offscreen])")
        page.wait_for_timeout(800)
        check(page, f"hall-{layout}")
    finally:
        patch_wall(admin, "asnr14", layout="grid")


def test_console_login_and_report(demo: ServerProcess, admin: httpx.Client,
                                  open_page: Any) -> None:
    """The sign-in form, the console with both lists filled, and the report page."""
    found: dict[str, dict[str, int]] = {}
    page, _ = open_page(f"{demo.url}/moderate/asnr14", viewport=DESKTOP, wait_live=False)
    page.locator("#login-form").wait_for()
    check(page, "login", found)

    def login(console: Any) -> None:
        res = console.request.post(f"{demo.url}/api/v1/login", headers={"Origin": demo.url},
                                   data={"username": "root", "password": PASSWORD})
        assert res.ok, res.text()

    page, _ = open_page(f"{demo.url}/moderate/asnr14", viewport={"width": 1920, "height": 1080},
                        before=login)
    page.wait_for_selector("#wall li[data-item-id]")
    page.wait_for_timeout(500)
    check(page, "console", found)
    page, _ = open_page(f"{demo.url}/walls/asnr14/report", viewport=DESKTOP, wait_live=False)
    page.locator("h1").wait_for()
    check(page, "report", found)
    assert found == {}, f"serious or critical axe violations: {found}"


def hue_for(key: str) -> int:
    """format.js hueFor: FNV-1a over the code points, as a signed 32-bit number, mod 360."""
    h = 2166136261
    for ch in key:
        h = ((h ^ ord(ch)) * 16777619) & 0xFFFFFFFF
    signed = h - 2**32 if h >= 2**31 else h
    return abs(signed) % 360


def authors_for_every_hue() -> list[dict[str, str]]:
    """Return one author without an avatar image per hue 0..359 (ids found by counting)."""
    found: dict[int, str] = {}
    n = 0
    while len(found) < 360:
        key = f"a{n}"
        found.setdefault(hue_for(key), key)
        n += 1
    return [{"id": found[h], "handle": f"@hue{h}", "name": f"Hue {h} Person"} for h in range(360)]


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_avatar_initials_meet_contrast_on_every_hue(demo: ServerProcess, open_page: Any,
                                                    theme: str) -> None:
    """Avatars without an image show initials on their author's hue: every one of the 360
    hues passes axe's colour contrast check (WCAG AA), on the viewer and on the hall."""
    from tests.browser.admin import PlayedSocket, snapshot
    from tests.conftest import make_post

    posts = [make_post(i + 1, author=a) for i, a in enumerate(authors_for_every_hue())]
    played = PlayedSocket(lambda ws, _: ws.send(snapshot(posts[:200], theme=theme)))
    page, _ = open_page(f"{demo.url}/walls/asnr14/live", viewport=DESKTOP, before=played.install)
    page.wait_for_function(CARDS, arg=200)
    page.evaluate("""() => {  // the hues past the viewer's 200 cards, on spare avatars
        const card = document.querySelector('[data-post-id]');
        for (let h = 200; h < 360; h += 1) {
            const a = card.querySelector('.avatar').cloneNode(true);
            a.style.setProperty('--hue', String(h));
            card.querySelector('.card__head').append(a);
        }
    }""")
    violations = [v for v in run_axe(page) if v["id"] == "color-contrast"]
    record(AXE_JSON, f"avatars-{theme}", violations)
    bad = [n["target"] for v in violations for n in v["nodes"] if "avatar" in n["target"]]
    assert bad == [], f"{len(bad)} avatar initials below AA contrast"


def test_viewer_feed_pattern_focus_announcements_and_join_links(demo: ServerProcess,
                                                                open_page: Any) -> None:
    """The viewer as a screen reader meets it: a feed of labelled articles with position and
    size, Page Down to move, the focused post never dropped over the cap, announcements that say
    who posted what and can be paused, counts in words, quotes as quotes, new-tab links that
    say so; and "post to #ASNR14" on X, Bluesky and Mastodon (the reader's server, checked)."""
    from tests.browser.admin import PlayedSocket, events, snapshot
    from tests.conftest import make_post

    posts = [make_post(n, metrics={"likes": 3, "reposts": 1, "replies": 0})
             for n in range(200, 0, -1)]
    posts[0]["quoted"] = make_post(999, author={"id": "9", "handle": "@q", "name": "Quinn"})
    played = PlayedSocket(lambda ws, _: ws.send(snapshot(posts, sources=["x", "bluesky",
                                                                         "mastodon"])))

    def before(page: Any) -> None:
        played.install(page)
        page.context.route("https://mastodon.social/**", lambda route: route.fulfill(body="ok"))

    page, _ = open_page(f"{demo.url}/walls/asnr14/live", viewport=DESKTOP, before=before)
    page.wait_for_function(CARDS, arg=200)
    feed = page.locator("#feed")
    assert feed.get_attribute("role") == "feed" and feed.get_attribute("aria-busy") == "false"
    first = page.locator("[data-post-id]").first
    assert first.get_attribute("aria-posinset") == "1"
    assert first.get_attribute("aria-setsize") == "200"
    assert re.fullmatch(r"Quote by User \d+ on X", page.locator(
        f"#{first.get_attribute('aria-labelledby')}").inner_text())
    quote = first.locator("blockquote.card__quote")
    assert "Quoted post by Quinn" in quote.text_content()
    assert "3 likes" in first.locator(".card__stats").text_content()
    assert "1 repost" in first.locator(".card__stats").text_content()
    link = first.locator("a.card__original")
    assert link.get_attribute("aria-describedby") == "new-tab-note"
    assert page.locator("#new-tab-note").text_content() == "opens in a new tab"

    # Page Down moves to the next post; the oldest post, focused, outlives the cap.
    first.focus()
    page.keyboard.press("PageDown")
    assert page.evaluate("document.activeElement.getAttribute('aria-posinset')") == "2"
    oldest = page.locator('[data-post-id="x:100001"]')
    oldest.focus()
    page.evaluate("window.scrollTo(0, 0)")
    played.routes[-1].send(events(*[{"seq": 11 + i, "type": "post", "post": make_post(300 + i)}
                                    for i in range(5)]))
    page.locator('[data-post-id="x:100304"]').wait_for(state="attached")
    assert oldest.count() == 1, "the focused post was dropped"
    assert page.evaluate("document.activeElement.dataset.postId") == "x:100001"
    region = page.locator("#announcer")
    page.wait_for_function("() => /new posts/.test(document.getElementById('announcer').textContent)",
                           timeout=12_000)
    assert f"User {304 % 7}: " in region.inner_text()
    page.locator("#announcer-toggle").uncheck()
    assert "will not be announced" in region.inner_text()
    played.routes[-1].send(events({"seq": 20, "type": "post", "post": make_post(400)}))
    page.locator('[data-post-id="x:100400"]').wait_for(state="attached")
    page.wait_for_timeout(300)
    assert "will not be announced" in region.inner_text()
    page.locator("#announcer-toggle").check()
    assert "1 new post came meanwhile" in region.inner_text()

    # Join in.
    assert page.locator("#join-in a", has_text="Post on X").get_attribute("href") == \
        "https://x.com/intent/post?text=%23ASNR14%20"
    assert page.locator("#join-in a", has_text="Post on Bluesky").get_attribute("href") == \
        "https://bsky.app/intent/compose?text=%23ASNR14%20"
    page.locator("#join-in a[data-network=mastodon]").click()
    form = page.locator("#mastodon-server")
    form.wait_for()
    page.locator("#mastodon-host").fill("javascript:alert(1)")
    page.locator("#mastodon-server button[type=submit]").click()
    page.locator("#mastodon-error").wait_for()
    page.locator("#mastodon-host").fill("@me@Mastodon.Social")
    with page.expect_popup() as popup:
        page.locator("#mastodon-server button[type=submit]").click()
    assert popup.value.url == "https://mastodon.social/share?text=%23ASNR14%20"
    assert page.locator("#join-in a[data-network=mastodon]").get_attribute("href") == \
        "https://mastodon.social/share?text=%23ASNR14%20"
    assert page.evaluate("localStorage.getItem('tweetwall:mastodon-server')") == "mastodon.social"
    check(page, "viewer-after-join")
