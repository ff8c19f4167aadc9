"""Hostile posts render as inert text: no script runs, no dangerous link exists, no navigation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CARD, FEED, PHONE, wall_toml, write_posts
from tests.conftest import make_post

pytestmark = pytest.mark.browser

TAG = {"type": "hashtag", "text": "#ASNR14", "href": "https://x.com/hashtag/ASNR14"}


def hostile_posts() -> list[dict[str, Any]]:
    """Return posts that try markup, script URLs and direction tricks, plus a normal one."""
    return [
        make_post(1),
        make_post(2, content=[
            {"type": "text", "text": "<script>alert(1)</script> and <img src=x onerror=alert(1)> "},
            TAG,
        ]),
        make_post(3, content=[
            {"type": "text", "text": "click "},
            {"type": "link", "text": "free prizes", "href": "javascript:alert(1)"},
            {"type": "text", "text": " or "},
            {"type": "link", "text": "this one", "href": "data:text/html,<script>alert(1)</script>"},
            {"type": "text", "text": " "},
            {"type": "mention", "text": "@sneaky", "href": "//evil.example/x"},
            TAG,
        ]),
        make_post(4, author={"id": "66", "handle": "@evil", "name": "Evil \u202egnp.exe",
                             "avatar_url": "javascript:alert(1)",
                             "profile_url": "javascript:alert(1)"},
                  content=[{"type": "text", "text": "\u202eoverride text "}, TAG]),
        make_post(5, content_warning="<b>spoiler</b><script>alert(2)</script>",
                  content=[{"type": "text", "text": "behind a warning "}, TAG]),
    ]


@pytest.mark.parametrize("path", ["/walls/t", "/walls/t/live"])
def test_hostile_posts_render_as_text(server_factory: Any, open_page: Any, tmp_path: Path,
                                      path: str) -> None:
    """Markup shows as literal text, unsafe hrefs are dropped, no dialog fires, no navigation."""
    posts = write_posts(tmp_path / "posts.jsonl", hostile_posts())
    server = server_factory(wall_toml(posts, backfill=5, min_gap_s=30, max_gap_s=30, loop=False))
    url = f"{server.url}{path}"
    page, watch = open_page(url, viewport=PHONE)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length >= 5")

    literal = page.locator(CARD, has_text="<script>alert(1)</script>")
    literal.first.scroll_into_view_if_needed()
    assert literal.count() == 1
    assert page.locator(CARD, has_text="<img src=x onerror=alert(1)>").count() == 1
    assert page.locator(f"{FEED} script, {FEED} img[src=x], {FEED} b").count() == 0
    assert page.locator("a[href^='javascript' i], a[href^='data' i], a[href^='//']").count() == 0
    hrefs = page.eval_on_selector_all(f"{FEED} a[href]", "els => els.map(a => a.href)")
    assert all(h.startswith(("https://", "http://")) for h in hrefs), hrefs
    names = page.eval_on_selector_all(".card__name", "els => els.map(e => e.textContent)")
    assert not any("\u202e" in n for n in names), names
    texts = page.eval_on_selector_all("[data-post-text]", "els => els.map(e => e.textContent)")
    assert not any("\u202e" in t for t in texts)

    # Try the words that would have been links: still nothing happens.
    for words in ("free prizes", "this one", "@sneaky"):
        page.get_by_text(words).first.click()
    page.wait_for_timeout(300)  # a dialog or navigation would be asynchronous
    assert watch.dialogs == []
    assert page.url == url
    assert len(page.context.pages) == 1
