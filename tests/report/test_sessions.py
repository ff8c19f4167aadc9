"""The conversation per session (app/report/sessions.py) on the bundled meeting and its
programme, on SQLite and PostgreSQL: counts, ranking, top posts from shown posts only, the
JSON and CSV keys and the inert timeline chart."""

from __future__ import annotations

import base64
import itertools

from app.cli import DEMO_WALL
from app.ingest import Admission
from app.report.archive import import_archive
from app.report.build import build_report
from app.report.commands import bundled_programme
from app.report.render import charts, report_csv
from app.sources.replay import bundled_path
from app.store import Store, Tx
from app.store.decisions import Decisions
from app.store.programme import Programmes

# The bundled meeting's sessions by their posts (title matching on, as the demo wall), as
# docs/programme.md lists them all: the first five.
TOP = [
    ("Symposium: Stroke Imaging 2014, Beyond the Clot", "Hall 210", 11, 11),
    ("Stroke Imaging II: Perfusion Thresholds and Wake-up Stroke", "Hall 210", 11, 10),
    ("Panel: AI in Radiology, Hype or Help?", "Hall 210", 10, 9),
    ("Spine Imaging Day: Describe, Don't Prescribe", "Hall 210", 10, 8),
    ("Pediatric Neuroradiology Day: MRI Without Sedation", "Hall 210", 9, 6),
]


async def _meeting(store: Store) -> None:
    await import_archive(Admission(store), "w", bundled_path())
    await Programmes(store).replace("w", bundled_programme(), source="programme.json",
                                    actor="test")


async def _with_title_match(store: Store) -> None:
    """Give wall `w` the demo wall's settings (title matching on, no rate or duplicate rules):
    the bundled meeting as `tweetwall import asnr14` loads it."""
    wall = store.wall("w")
    demo = DEMO_WALL.model_dump(mode="json", exclude={"slug", "title"})

    async def run(tx: Tx) -> None:
        await store.update_wall(tx, "w", wall.title, demo)

    await store.write(run)


async def test_the_report_ranks_the_bundled_meetings_sessions_by_posts(store: Store) -> None:
    """32 sessions, ranked by posts then start; the leaders and their counts; every session
    keeps its times with their offset; participants never exceed posts."""
    await _with_title_match(store)
    await _meeting(store)
    r = await build_report(store, "w")
    sessions = r["sessions"]
    assert len(sessions) == 32
    assert [(s["title"], s["room"], s["posts"], s["participants"]) for s in sessions[:5]] == TOP
    assert [s["rank"] for s in sessions] == list(range(1, 33))
    assert all(a["posts"] >= b["posts"] for a, b in itertools.pairwise(sessions))
    assert all(s["participants"] <= s["posts"] for s in sessions)
    assert sessions[0]["start"] == "2014-05-17T08:00:00-04:00"
    assert set(sessions[0]) >= {"title", "room", "start", "end", "posts", "participants",
                                "top_posts"}
    assert sessions[0]["top_posts"][0]["handle"] == "@hmvoss_neuro"


async def test_hidden_posts_leave_the_counts_and_the_top_posts(store: Store) -> None:
    """A hidden post is not counted in its session nor listed among its top posts."""
    await _with_title_match(store)
    await _meeting(store)
    before = (await build_report(store, "w"))["sessions"][0]
    top_id = before["top_posts"][0]["id"]
    await Decisions(store).moderate("w", top_id, "hide", "alice")
    after = next(s for s in (await build_report(store, "w"))["sessions"]
                 if s["title"] == before["title"])
    assert after["posts"] == before["posts"] - 1
    assert top_id not in {p["id"] for p in after["top_posts"]}


async def test_sessions_reach_the_csv_and_an_inert_chart(store: Store) -> None:
    """The CSV has a posts and a participants row per session; the room timeline is an SVG
    image with no script or handler, naming each room."""
    await _with_title_match(store)
    await _meeting(store)
    r = await build_report(store, "w")
    rows = report_csv(r)
    assert rows.count("session,") == 2 * 32
    drawn = charts(r)["rooms"]
    assert drawn.startswith("data:image/svg+xml;base64,")
    svg = base64.b64decode(drawn.split(",", 1)[1]).decode()
    assert "<script" not in svg and " onload" not in svg and "Hall 210" in svg


async def test_a_wall_without_a_programme_has_no_sessions(store: Store) -> None:
    """No programme: `sessions` is an empty list and no timeline is drawn."""
    r = await build_report(store, "w")
    assert r["sessions"] == [] and "rooms" not in charts(r)
