"""`tweetwall import`, `report` and `export` (docs/design.md §6, docs/report.md), run through
typer on a fresh SQLite database in a temporary folder."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import app
from tests.conftest import make_post, write_jsonl

MANIFEST = Path(__file__).resolve().parent.parent / "app" / "data" / "meeting" / "manifest.json"
CONFIG = """
[[walls]]
slug = "t"
title = "Test wall"
hashtags = ["ASNR14"]
sources = []

[walls.rules]
max_per_author_per_hour = 0
"""


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run `tweetwall ARGS` on a fresh database (and a config with wall `t`); returns the
    result, with stdout as bytes in `.stdout_bytes`."""
    monkeypatch.setenv("TWEETWALL_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    monkeypatch.setenv("TWEETWALL_CONFIG", str(tmp_path / "tweetwall.toml"))
    (tmp_path / "tweetwall.toml").write_text(CONFIG, encoding="utf-8")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


def test_import_then_report_gives_the_bundled_meetings_true_figures(run: Any) -> None:
    """`tweetwall import asnr14` then `tweetwall report asnr14 --format json` on a fresh
    database: posts, participants, days, reposts, media and categories equal the manifest."""
    manifest = json.loads(MANIFEST.read_text(encoding="utf-8"))
    imported = run("import", "asnr14")
    assert imported.exit_code == 0, imported.output
    assert "420 new" in imported.output and "48 accounts categorised" in imported.output
    result = run("report", "asnr14", "--format", "json")
    assert result.exit_code == 0
    r = json.loads(result.stdout_bytes)
    assert r["posts"] == manifest["posts"] == 420
    assert r["participants"] == manifest["accounts"] == 51
    assert (r["first_day"], r["last_day"]) == (manifest["first_day"], manifest["last_day"])
    assert r["reposts"] == manifest["reposts"]
    assert r["original_posts"] == manifest["posts"] - manifest["reposts"]
    assert r["replies"] == manifest["replies"]
    assert r["with_media"] == manifest["with_media"]
    assert {c["category"]: c["accounts"] for c in r["categories"]} == manifest["categories"]
    assert r["uncategorised"]["accounts"] == manifest["uncategorised"]
    assert r["moderated_away"] == 0
    assert r["sentence"] == (
        "420 posts using #ASNR14 were logged from May 15 to May 23, 2014 from 51 accounts, "
        "including 20 attendees, 8 remote attendees, 12 non-specialists and 8 institutions.")


def test_a_second_import_adds_nothing(run: Any, tmp_path: Path) -> None:
    """Importing the same file twice leaves the wall as the first import made it."""
    path = write_jsonl(tmp_path / "a.jsonl", [make_post(n) for n in range(5)])
    assert "5 new" in run("import", "t", str(path)).output
    again = run("import", "t", str(path))
    assert again.exit_code == 0 and "5 posts read, 0 new" in again.output
    assert json.loads(run("report", "t", "--format", "json").stdout_bytes)["posts"] == 5


def test_bad_lines_are_named_skipped_and_the_rest_imported(run: Any, tmp_path: Path) -> None:
    """A line that is not JSON and a line that is not a post are reported by number; every
    other line is imported; the command ends with status 1."""
    path = tmp_path / "b.jsonl"
    good = [json.dumps(make_post(n)) for n in range(3)]
    broken = make_post(9)
    del broken["author"]
    path.write_text("\n".join([good[0], "{not json", json.dumps(broken), "", good[1], "[1]",
                               good[2]]) + "\n", encoding="utf-8")
    result = run("import", "t", str(path))
    assert result.exit_code == 1
    assert "line 2: not JSON" in result.output
    assert "line 3: not a valid post: author" in result.output
    assert "line 6: not a JSON object" in result.output
    assert "3 new" in result.output and "3 bad lines" in result.output
    assert json.loads(run("report", "t", "--format", "json").stdout_bytes)["posts"] == 3


def test_an_undeclared_wall_or_a_missing_file_exit_2_with_one_line(run: Any,
                                                                    tmp_path: Path) -> None:
    """Importing into a wall neither stored nor declared, or from no file, exits 2."""
    nowall = run("import", "nope", str(write_jsonl(tmp_path / "c.jsonl", [make_post(1)])))
    assert nowall.exit_code == 2 and "no wall 'nope'" in nowall.output
    nofile = run("import", "t", str(tmp_path / "missing.jsonl"))
    assert nofile.exit_code == 2 and "missing.jsonl" in nofile.output
    assert run("report", "nope").exit_code == 2
    assert run("report", "t", "--format", "pdf").exit_code == 2
    assert run("report", "t", "--since", "May 15").exit_code == 2


def test_export_csv_opens_in_a_spreadsheet_and_cannot_run_formulas(run: Any,
                                                                   tmp_path: Path) -> None:
    """The transcript CSV starts with a byte order mark and a header; a cell beginning with
    = + - @ gets an apostrophe; posts come oldest first with time, author, text and link."""
    posts = [make_post(2, text="=HYPERLINK(\"https://evil.example\")", content=[]),
             make_post(1, author={"id": "9", "handle": "@x", "name": "-1+2"})]
    run("import", "t", str(write_jsonl(tmp_path / "d.jsonl", posts)))
    out = tmp_path / "t.csv"
    assert run("export", "t", "--format", "csv", "--out", str(out)).exit_code == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["time", "network", "handle", "name", "text", "url", "repost", "lang", "id"]
    assert [r[-1] for r in rows[1:]] == ["x:100001", "x:100002"]
    assert rows[1][2:4] == ["'@x", "'-1+2"]
    assert rows[2][4] == "'=HYPERLINK(\"https://evil.example\")"
    assert rows[1][0] == "2014-05-15T12:05:00Z" and rows[1][5].startswith("https://x.com/")


def test_export_jsonl_is_a_file_import_reads_back(run: Any, tmp_path: Path) -> None:
    """The JSONL transcript is wire posts: importing it into another wall gives the same
    figures."""
    run("import", "t", str(write_jsonl(tmp_path / "e.jsonl", [make_post(n) for n in range(4)])))
    result = run("export", "t", "--format", "jsonl")
    lines = result.stdout_bytes.decode().splitlines()
    assert [json.loads(line)["id"] for line in lines] == [f"x:{100000 + n}" for n in range(4)]


def test_report_html_is_one_standalone_file_and_csv_one_figure_a_row(run: Any,
                                                                     tmp_path: Path) -> None:
    """The HTML report carries its stylesheet and charts (no script, no outside file); the CSV
    report has a header and the sentence; --since/--until narrow the days."""
    run("import", "t", str(write_jsonl(tmp_path / "f.jsonl",
                                       [make_post(n * 300) for n in range(4)])))
    out = tmp_path / "r.html"
    assert run("report", "t", "--out", str(out)).exit_code == 0
    html = out.read_text(encoding="utf-8")
    assert "<style>" in html and "/static/" not in html and "<script" not in html.lower()
    assert html.count('src="data:image/svg+xml;base64,') == 2
    table = run("report", "t", "--format", "csv").stdout_bytes.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(table)))
    assert rows[0] == ["section", "key", "figure", "value"]
    assert ["summary", "", "posts", "4"] in rows and rows[-1][0] == "sentence"
    narrow = json.loads(run("report", "t", "--format", "json", "--since", "2014-05-16",
                            "--until", "2014-05-17").stdout_bytes)
    assert (narrow["posts"], narrow["first_day"], narrow["last_day"]) == (
        2, "2014-05-16", "2014-05-17")


async def test_the_demo_wall_gets_the_meetings_categories_once(tmp_path: Path) -> None:
    """Before the demo starts, its wall on the bundled replay gets the meeting's categories; a
    moderator's later choice is kept on the next start; a wall on another file gets none."""
    from app.cli import DEMO_WALL
    from app.report.commands import demo_categories
    from app.settings import Settings
    from app.store import Store
    from app.store.categories import Categories

    settings = Settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}")
    assert await demo_categories(settings, DEMO_WALL) == 48
    store = Store(settings.database_url)
    await store.open()
    try:
        await Categories(store).set("asnr14", "x:1884402583", "attendee", "alice")
    finally:
        await store.close()
    assert await demo_categories(settings, DEMO_WALL) == 0
    other = DEMO_WALL.model_copy(update={"slug": "mine", "replay_file": tmp_path / "x.jsonl"})
    assert await demo_categories(settings, other) == 0
    store = Store(settings.database_url)
    await store.open()
    try:
        assert (await Categories(store).get("asnr14", "x:1884402583") or {})["category"] \
            == "attendee"
    finally:
        await store.close()


def test_progress_is_plain_lines_off_a_terminal() -> None:
    """Off a terminal the import prints a line with the count, rate and time left (at least
    at the end) and each bad line with its number; nothing is read as markup."""
    from app.report.archive import BadLine
    from app.report.progress import ImportProgress

    out = io.StringIO()
    with ImportProgress("m.jsonl", stream=out, every_s=3600) as shown:
        shown.bad(BadLine(7, "not JSON: [bold]x[/bold]"))
        for done in range(1, 4):
            shown.advance(done, 3)
    text = out.getvalue()
    assert "tweetwall: m.jsonl line 7: not JSON: [bold]x[/bold]" in text
    assert "importing m.jsonl: 3/3 posts (" in text and "s left)" in text
    assert "1/3" not in text
