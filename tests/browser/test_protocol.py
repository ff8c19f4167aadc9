"""The page's side of the live protocol, with the WebSocket played by the test (the page itself
still comes from a real server, with its CSP)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.conftest import CARD, PHONE, card_ids
from tests.conftest import DEMO_TOML, ServerProcess, make_post

pytestmark = pytest.mark.browser

WS = re.compile(r"/ws/walls/")


def snapshot(posts: list[dict[str, Any]], *, epoch: str = "e1", seq: int = 10) -> str:
    wall = {"slug": "asnr14", "title": "Fake wall", "hashtags": ["ASNR14"], "layout": "grid",
            "theme": "dark"}
    return json.dumps({"type": "snapshot", "epoch": epoch, "seq": seq, "wall": wall,
                       "posts": posts})


def events(*evs: dict[str, Any]) -> str:
    return json.dumps({"type": "events", "events": list(evs)})


class FakeServer:
    """Plays the wall's WebSocket: records each connection's URL and keeps the latest route."""

    def __init__(self, on_connect: Callable[[Any, int], None]) -> None:
        self.urls: list[str] = []
        self.routes: list[Any] = []
        self.on_connect = on_connect

    def install(self, page: Any) -> None:
        page.route_web_socket(WS, self._handle)

    def _handle(self, ws: Any) -> None:
        self.urls.append(ws.url)
        self.routes.append(ws)
        self.on_connect(ws, len(self.urls) - 1)


@pytest.fixture(scope="module")
def page_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The hall screen's URL on a real server (one for this module) whose own posts never
    reach the page: each test plays the WebSocket itself."""
    server = ServerProcess(tmp_path_factory.mktemp("protocol"), DEMO_TOML).start()
    yield f"{server.url}/walls/asnr14"
    server.stop()


def test_client_drops_unsafe_hrefs_even_if_the_server_sent_them(open_page: Any,
                                                               page_url: str) -> None:
    """Defence in depth: javascript:, data: and protocol-relative hrefs become plain text."""
    post = make_post(1, content=[
        {"type": "link", "text": "js", "href": "javascript:alert(1)"},
        {"type": "link", "text": "data", "href": "data:text/html,<script>alert(1)</script>"},
        {"type": "mention", "text": "@rel", "href": "//evil.example"},
        {"type": "link", "text": "ok", "href": "https://example.org/ok"},
    ], author={"id": "1", "handle": "@a", "name": "A", "avatar_url": "javascript:alert(1)"})
    fake = FakeServer(lambda ws, _: ws.send(snapshot([post])))
    page, watch = open_page(page_url.replace("/walls/asnr14", "/walls/asnr14/live"),
                            viewport=PHONE, before=fake.install)
    page.locator(CARD).wait_for()
    hrefs = page.eval_on_selector_all("#feed a[href]", "els => els.map(a => a.getAttribute('href'))")
    assert "https://example.org/ok" in hrefs
    assert all(h.startswith("https://") for h in hrefs), hrefs
    assert page.locator("#feed img[src^='javascript']").count() == 0
    assert page.locator(".card__text", has_text="js").count() == 1
    assert watch.dialogs == []


def test_post_and_its_removal_in_one_frame_never_show(open_page: Any, page_url: str) -> None:
    """All events of a frame are applied before painting: a post removed in the same frame
    never enters the DOM."""
    def connect(ws: Any, _: int) -> None:
        ws.send(snapshot([make_post(1)]))

    fake = FakeServer(connect)
    page, _ = open_page(page_url, before=fake.install)
    page.locator(CARD).wait_for()
    page.evaluate("""() => {
        window.__flashed = false;
        new MutationObserver((records) => {
            for (const r of records) for (const n of r.addedNodes)
                if (n.dataset && n.dataset.postId === 'x:100002') window.__flashed = true;
        }).observe(document.getElementById('feed'), {childList: true});
    }""")
    fake.routes[-1].send(events(
        {"seq": 11, "type": "post", "post": make_post(2)},
        {"seq": 12, "type": "remove", "id": "x:100002"},
        {"seq": 13, "type": "post", "post": make_post(3)},
    ))
    page.locator(f'{CARD}[data-post-id="x:100003"]').wait_for()
    assert page.evaluate("window.__flashed") is False
    assert card_ids(page) == ["x:100003", "x:100001"]


def test_post_event_for_a_shown_id_replaces_the_card_in_place(open_page: Any,
                                                               page_url: str) -> None:
    """An edit or pin replaces its card where it stands; removal deletes it; stale seqs are
    ignored."""
    fake = FakeServer(lambda ws, _: ws.send(snapshot([make_post(3), make_post(2), make_post(1)])))
    page, _ = open_page(page_url, before=fake.install)
    page.locator(CARD).first.wait_for()
    edited = make_post(2, pinned=True, content=[{"type": "text", "text": "edited words"}])
    fake.routes[-1].send(events({"seq": 11, "type": "post", "post": edited}))
    page.locator(f'{CARD}[data-post-id="x:100002"][data-pinned]').wait_for()
    assert card_ids(page) == ["x:100003", "x:100002", "x:100001"]
    assert "edited words" in page.locator('[data-post-id="x:100002"]').inner_text()
    fake.routes[-1].send(events(
        {"seq": 11, "type": "remove", "id": "x:100003"},   # already seen: ignored
        {"seq": 12, "type": "remove", "id": "x:100001"},
    ))
    page.locator('[data-post-id="x:100001"]').wait_for(state="detached")
    assert card_ids(page) == ["x:100003", "x:100002"]


def test_unknown_frames_and_events_are_reported_and_ignored(open_page: Any,
                                                            page_url: str) -> None:
    """An unknown frame or event type gives a console warning and changes nothing else."""
    fake = FakeServer(lambda ws, _: ws.send(snapshot([make_post(1)])))
    page, watch = open_page(page_url, before=fake.install)
    page.locator(CARD).wait_for()
    fake.routes[-1].send(json.dumps({"type": "surprise"}))
    fake.routes[-1].send(events({"seq": 11, "type": "mystery"},
                                {"seq": 12, "type": "post", "post": make_post(2)}))
    page.locator('[data-post-id="x:100002"]').wait_for()
    assert any("surprise" in w for w in watch.warnings), watch.warnings
    assert any("mystery" in w for w in watch.warnings), watch.warnings
    assert page.get_attribute("body", "data-connection") == "live"


@pytest.mark.parametrize("code", [1013, 1012])
def test_reconnect_resumes_with_epoch_and_since(open_page: Any, page_url: str, code: int) -> None:
    """After a drop (close 1013: a slow client; 1012: the process restarts, docs/scale.md) the
    page dials again with ?epoch=&since= of the last event and applies the missed events
    without a snapshot."""
    def connect(ws: Any, n: int) -> None:
        if n == 0:
            ws.send(snapshot([make_post(1)], epoch="ep-7", seq=41))
            ws.send(events({"seq": 42, "type": "post", "post": make_post(2)}))
        else:
            ws.send(events({"seq": 43, "type": "post", "post": make_post(3)}))

    fake = FakeServer(connect)
    page, _ = open_page(page_url, before=fake.install)
    page.locator('[data-post-id="x:100002"]').wait_for()
    fake.routes[0].close(code=code, reason="drop")
    page.locator('[data-post-id="x:100003"]').wait_for()
    assert "epoch" not in fake.urls[0]
    assert fake.urls[1].endswith("?epoch=ep-7&since=42"), fake.urls
    assert card_ids(page) == ["x:100003", "x:100002", "x:100001"]
    assert page.get_attribute("body", "data-connection") == "live"


def test_refused_connection_goes_stale_and_backs_off(open_page: Any, page_url: str) -> None:
    """A refusal (close 4403) shows the offline badge at once and does not redial quickly."""
    def connect(ws: Any, n: int) -> None:
        if n == 0:
            ws.send(snapshot([make_post(1)]))
        ws.close(code=4403, reason="origin")

    fake = FakeServer(connect)
    page, _ = open_page(page_url, before=fake.install, wait_live=False)
    page.wait_for_selector("body[data-connection=stale]", state="attached")
    assert page.locator("#connection-badge").is_visible()
    assert page.locator(CARD).count() == 1, "the last posts stay on screen"
    page.wait_for_timeout(1500)  # a quick redial would happen well within this
    assert len(fake.urls) == 1


def test_wall_and_announcement_events_update_the_screen(open_page: Any, page_url: str) -> None:
    """A wall event retitles and rethemes the screen live; an announcement shows until it is
    withdrawn."""
    fake = FakeServer(lambda ws, _: ws.send(snapshot([make_post(1)])))
    page, _ = open_page(page_url, before=fake.install)
    page.locator(CARD).wait_for()
    fake.routes[-1].send(events(
        {"seq": 11, "type": "wall", "wall": {"title": "Day 2 <b>", "theme": "light",
                                             "hashtags": ["ASNR14", "neurorad"]}},
        {"seq": 12, "type": "announcement",
         "announcement": {"id": 5, "text": "Lunch in hall C", "starts_at": None, "ends_at": None}},
    ))
    page.wait_for_selector("body[data-theme=light]", state="attached")
    assert page.locator("#wall-title").inner_text() == "Day 2 <b>"
    assert page.locator("#wall-hashtags").inner_text().split() == ["#ASNR14", "#neurorad"]
    announcement = page.locator("#announcement")
    announcement.wait_for()
    assert announcement.inner_text() == "Lunch in hall C"
    fake.routes[-1].send(events({"seq": 13, "type": "announcement",
                                 "announcement": {"id": 5, "deleted": True}}))
    announcement.wait_for(state="hidden")


def test_a_fresh_snapshot_keeps_unchanged_cards_and_drops_the_rest(open_page: Any,
                                                                   page_url: str) -> None:
    """A snapshot after a reconnect (new epoch) replaces the state: cards of unchanged posts are
    kept as they are (no reload, no flicker), the others go or are rebuilt."""
    def connect(ws: Any, n: int) -> None:
        if n == 0:
            ws.send(snapshot([make_post(3), make_post(2), make_post(1)], epoch="old"))
        else:
            ws.send(snapshot([make_post(4), make_post(2, text="changed", content=[
                {"type": "text", "text": "changed"}]), make_post(1)], epoch="new", seq=3))

    fake = FakeServer(connect)
    page, _ = open_page(page_url, before=fake.install)
    page.locator('[data-post-id="x:100003"]').wait_for()
    page.evaluate("""() => { for (const id of ['x:100001', 'x:100002'])
        document.querySelector(`[data-post-id="${id}"]`).dataset.marked = 'yes'; }""")
    fake.routes[0].close(code=1013)
    page.locator('[data-post-id="x:100004"]').wait_for()
    assert card_ids(page) == ["x:100004", "x:100002", "x:100001"]
    assert page.locator('[data-post-id="x:100001"][data-marked]').count() == 1
    assert page.locator('[data-post-id="x:100002"][data-marked]').count() == 0
    assert "changed" in page.locator('[data-post-id="x:100002"]').text_content()


def test_a_removal_skips_the_hall_screens_render_spacing(open_page: Any, page_url: str) -> None:
    """The hall spaces renders 400 ms apart, but a removal (a moderator's hide) is drawn in the
    next animation frame. The page's clock is paused and driven by the test."""
    fake = FakeServer(lambda ws, _: ws.send(snapshot([make_post(2), make_post(1)])))

    def before(page: Any) -> None:
        page.clock.install(time=0)
        fake.install(page)

    page, _ = open_page(page_url, before=before, wait_live=False)
    page.clock.pause_at(5_000)

    def until(expression: str) -> None:
        # Playwright's own waits poll on animation frames, which the paused clock holds.
        deadline = time.monotonic() + 10
        while not page.evaluate(expression):
            assert time.monotonic() < deadline, f"timed out waiting for {expression}"
            time.sleep(0.02)

    until("window.tweetwall !== undefined && tweetwall.feed.seq === 10")
    page.clock.run_for(50)
    assert page.locator('[data-post-id="x:100002"]').count() == 1

    def deliver(*evs: dict[str, Any]) -> None:
        fake.routes[-1].send(events(*evs))
        until(f"tweetwall.feed.seq === {evs[-1]['seq']}")

    page.clock.run_for(1_000)   # a quiet spell
    deliver({"seq": 11, "type": "post", "post": make_post(3)})
    page.clock.run_for(50)      # after a quiet spell a change is drawn in the next frame
    assert page.locator('[data-post-id="x:100003"]').count() == 1
    deliver({"seq": 12, "type": "post", "post": make_post(4)})
    page.clock.run_for(50)      # a second change soon after is held back by the spacing...
    assert page.locator('[data-post-id="x:100004"]').count() == 0
    deliver({"seq": 13, "type": "remove", "id": "x:100001"})
    page.clock.run_for(50)      # ...until a removal comes: both are drawn in the next frame
    assert page.locator('[data-post-id="x:100001"]').count() == 0
    assert page.locator('[data-post-id="x:100004"]').count() == 1
