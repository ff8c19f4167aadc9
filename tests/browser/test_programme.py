"""Hall screens in a room of the programme, and viewers following one (docs/programme.md):
Chromium at 1920x1080 on a replay wall whose programme a test writes around the present."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from tests.browser.admin import admin_client, patch_wall
from tests.browser.axe import GRAVE, run_axe
from tests.browser.conftest import HALL, PHONE, wall_toml, write_posts
from tests.conftest import ServerProcess, make_post

pytestmark = pytest.mark.browser

SESSION = "Symposium: Stroke Imaging 2014, Beyond the Clot"
SPEAKERS = "Dr. Elena Castellane; Kofi Amankwaa-Brandt (@kofi_neurorad)"
TALKS = [
    "Time is brain, but imaging is time. Every minute of imaging must change a decision.",
    "Collateral grading on multiphase CTA: quick, reproducible and it predicts outcome.",
    "DWI-FLAIR mismatch for wake-up stroke: useful, but readers agree only moderately.",
]


def _posts() -> list[dict[str, Any]]:
    """Three posts of the stroke session (its hashtag, a speaker's mention), then nine others
    that come later and would fill the screen first without the programme."""
    posts = []
    for n, text in enumerate(TALKS):
        content: list[dict[str, Any]] = [{"type": "text", "text": text + " "},
                                         {"type": "hashtag", "text": "#StrokeImaging"}]
        if n == 1:
            content = [{"type": "mention", "text": "@kofi_neurorad",
                        "href": "https://x.com/kofi_neurorad"}, {"type": "text", "text": " " + text}]
        posts.append(make_post(n + 1, text=text, content=content,
                               author={"id": f"s{n}", "handle": f"@talker{n}",
                                       "name": f"Session Voice {n + 1}"}))
    others = [make_post(n, text=f"Coffee queue report number {n}: long but moving. #ASNR14 "
                        "The exhibit hall has good espresso and better coils.")
              for n in range(10, 19)]
    return posts + others


def _programme(now: datetime) -> bytes:
    """A CSV programme around `now`: the stroke session on in Hall 210 (40 minutes left), the
    next one there in 70 minutes, and Room 517 between sessions (its next in 25 minutes)."""
    rows = [
        # It began three hours ago: the replay's first posts are dated back by their gaps.
        (SESSION, "Hall 210", now - timedelta(hours=3), now + timedelta(minutes=40),
         SPEAKERS, "#StrokeImaging"),
        ("Stroke Imaging II: Perfusion Thresholds", "Hall 210", now + timedelta(minutes=70),
         now + timedelta(minutes=160), "Dr. Femi Okafor-Lund", "#stroke"),
        ("Head & Neck: Skull Base and Temporal Bone", "Room 517",
         now + timedelta(minutes=25), now + timedelta(minutes=115), "Lena Sorvari (@lena_sorvari)",
         "#HNrad"),
    ]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["title", "room", "start", "end", "speakers", "hashtags"])
    for title, room, start, end, speakers, tags in rows:
        writer.writerow([title, room, start.isoformat(), end.isoformat(), speakers, tags])
    return out.getvalue().encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A replay wall that shows its twelve posts at once (backfill) and then waits; an admin
    uploads the programme."""
    workdir = tmp_path_factory.mktemp("programme")
    replay = write_posts(workdir / "posts.jsonl", _posts())
    toml = wall_toml(replay, backfill=12, min_gap_s=600, max_gap_s=600, loop=False)
    srv = ServerProcess(workdir, toml).start()
    client = admin_client(srv)
    up = client.put("/api/v1/walls/t/programme?name=p.csv", content=_programme(
        datetime.now(UTC)), headers={"Content-Type": "text/csv"})
    assert up.status_code == 200, up.text
    yield srv, client
    client.close()
    srv.stop()


def _strip(page: Any) -> dict[str, str]:
    return dict(page.eval_on_selector("#session-strip", """el => ({hidden: String(el.hidden),
        state: el.dataset.state, ...Object.fromEntries([...el.querySelectorAll('[data-part]')]
        .map(p => [p.dataset.part, p.textContent]))})"""))


def test_a_hall_screen_in_a_room_shows_its_session_and_its_posts_first(
        server: Any, open_page: Callable[..., Any], screenshots: Path) -> None:
    """`?room=Hall 210`: the strip names the session, its speakers and the time left; the
    session's three posts are marked and placed on the screen although nine later posts came
    after them; the page stays axe-clean."""
    srv, _ = server
    page, _ = open_page(f"{srv.url}/walls/t?room={quote('Hall 210')}", viewport=HALL)
    page.wait_for_selector("#session-strip:not([hidden])")
    strip = _strip(page)
    assert strip["state"] == "now" and strip["label"] == "Hall 210 · now"
    assert strip["title"] == SESSION
    assert strip["speakers"] == "Dr. Elena Castellane · Kofi Amankwaa-Brandt"
    assert strip["time"].startswith(("40 min left", "39 min left"))
    page.wait_for_function("() => document.querySelectorAll('[data-in-session]').length === 3")
    placed = page.eval_on_selector_all("[data-in-session]",
                                       "els => els.map(e => e.hasAttribute('data-placed'))")
    assert placed == [True, True, True]
    assert page.eval_on_selector("body", "b => b.dataset.room") == "Hall 210"
    page.wait_for_timeout(800)
    page.screenshot(path=str(screenshots / "hall-room-1920x1080.png"))
    grave = [v for v in run_axe(page) if v["impact"] in GRAVE]
    assert grave == []


def test_between_sessions_the_strip_counts_down_to_the_next(
        server: Any, open_page: Callable[..., Any], screenshots: Path) -> None:
    """Room 517 has nothing on: the strip says what comes next there and in how long; no
    post is marked."""
    srv, _ = server
    page, _ = open_page(f"{srv.url}/walls/t?room={quote('Room 517')}", viewport=HALL)
    page.wait_for_selector("#session-strip:not([hidden])")
    strip = _strip(page)
    assert strip["state"] == "next" and strip["label"] == "Room 517 · next"
    assert strip["title"] == "Head & Neck: Skull Base and Temporal Bone"
    assert strip["time"].startswith(("in 25 min", "in 24 min"))
    assert page.eval_on_selector_all("[data-in-session]", "els => els.length") == 0
    page.wait_for_timeout(800)
    page.screenshot(path=str(screenshots / "hall-room-next-1920x1080.png"))


def test_a_hall_screen_without_a_room_is_the_whole_wall(
        server: Any, open_page: Callable[..., Any]) -> None:
    """No `?room=` and no key: no strip, nothing marked, the newest posts first as before."""
    srv, _ = server
    page, _ = open_page(f"{srv.url}/walls/t", viewport=HALL)
    page.wait_for_timeout(1500)
    assert _strip(page)["hidden"] == "true"
    assert page.eval_on_selector_all("[data-in-session]", "els => els.length") == 0


def test_a_named_screen_follows_the_room_an_admin_gives_it(
        server: Any, open_page: Callable[..., Any]) -> None:
    """A keyed screen shows the strip of its room, and loses it when the admin takes the
    room away (a wall event, no reload)."""
    srv, client = server
    made = client.post("/api/v1/walls/t/screens", json={"name": "Hall 210 left"}).json()
    assert client.put(f"/api/v1/walls/t/screens/{made['id']}/room",
                      json={"room": "Hall 210"}).status_code == 200
    page, _ = open_page(f"{srv.url}/walls/t?screen={made['key']}", viewport=HALL)
    page.wait_for_selector("#session-strip:not([hidden])")
    assert _strip(page)["title"] == SESSION
    client.put(f"/api/v1/walls/t/screens/{made['id']}/room", json={"room": None})
    page.wait_for_selector("#session-strip[hidden]", state="attached")
    assert page.eval_on_selector_all("[data-in-session]", "els => els.length") == 0


def test_a_viewer_watches_a_room(server: Any, open_page: Callable[..., Any],
                                 screenshots: Path) -> None:
    """`/live?room=Hall 210`: only the session's posts, "Now in Hall 210: …" beside them;
    choosing "Everything" brings the whole wall back and the address follows the choice."""
    srv, _ = server
    page, _ = open_page(f"{srv.url}/walls/t/live?room={quote('Hall 210')}", viewport=PHONE)
    page.wait_for_selector("#now-in:not([hidden])")
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length === 3")
    assert page.text_content("#now-in").startswith(f"Now in Hall 210: {SESSION}")
    page.screenshot(path=str(screenshots / "viewer-watch-390x844.png"))
    grave = [v for v in run_axe(page) if v["impact"] in GRAVE]
    assert grave == []
    page.select_option("#watch-select", "")
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length === 12")
    assert "room=" not in page.url
    page.select_option("#watch-select", "room:Room 517")
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length === 0")
    assert page.text_content("#now-in").startswith("Next in Room 517: Head & Neck")


def test_the_margin_and_title_words_reach_the_screen(
        server: Any, open_page: Callable[..., Any]) -> None:
    """Title matching on (an admin's PATCH): a post with a title word now belongs, marked on
    the hall screen after the wall event, without a reload."""
    srv, client = server
    page, _ = open_page(f"{srv.url}/walls/t?room={quote('Hall 210')}", viewport=HALL)
    page.wait_for_function("() => document.querySelectorAll('[data-in-session]').length === 3")
    patch_wall(client, "t", title_match=True)
    # "imaging" is a keyword of the title: the first talk's words were already in; the coffee
    # posts have none, so the count stays, and the programme's rev changed nothing else.
    page.wait_for_timeout(1500)
    assert page.eval_on_selector_all("[data-in-session]", "els => els.length") == 3
    patch_wall(client, "t", title_match=False)
