"""`tweetwall programme import` and `show` (docs/design.md §6, docs/programme.md): each format,
twice without change, a bad file in one line, and the demo's programme moved to now."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from app.cli import app
from app.report.commands import bundled_programme, shifted

MEETING = Path(__file__).resolve().parent.parent.parent / "app" / "data" / "meeting"


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Run `tweetwall ARGS` on a fresh database; the demo's wall `asnr14` is the fallback."""
    monkeypatch.setenv("TWEETWALL_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'w.db'}")
    monkeypatch.delenv("TWEETWALL_CONFIG", raising=False)
    runner = CliRunner()
    return lambda *args: runner.invoke(app, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", ["programme.json", "programme.ics", "programme.csv"])
def test_each_format_imports_and_again_changes_nothing(run: Any, name: str) -> None:
    """The first import adds 32 sessions in 6 rooms, the second finds them unchanged."""
    first = run("programme", "import", "asnr14", str(MEETING / name))
    assert first.exit_code == 0, first.output
    assert f"{name} -> asnr14: 32 sessions in 6 rooms (32 new" in first.output
    again = run("programme", "import", "asnr14", str(MEETING / name))
    assert "(0 new, 0 changed, 0 removed, 32 unchanged)" in again.output
    shown = run("programme", "show", "asnr14")
    assert "Hall 210" in shown.output and "Symposium: Stroke Imaging 2014" in shown.output


def test_a_bad_file_stops_with_one_line_naming_the_entry(run: Any, tmp_path: Path) -> None:
    """Exit 2 and one line: the file, the entry and what is wrong."""
    bad = tmp_path / "p.csv"
    bad.write_text("title,room,start,end\nKeynote,Hall A,2014-05-17 08:00,2014-05-17 09:00\n",
                   encoding="utf-8")
    result = run("programme", "import", "asnr14", str(bad))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "tweetwall: p.csv: line 2 'Keynote': 2014-05-17 08:00 has no time zone (give an "
        "offset, or the programme's time zone)"]
    ok = run("programme", "import", "asnr14", str(bad), "--tz", "America/Montreal")
    assert ok.exit_code == 0, ok.output


def test_the_demo_programme_is_ten_minutes_into_its_session() -> None:
    """`shifted` moves every session by the same whole minutes; the anchor is on now."""
    now = datetime(2026, 12, 1, 17, 3, 30, tzinfo=UTC)
    moved = shifted(bundled_programme(), "asnr14-stroke-1", now)
    anchor = next(s for s in moved.sessions if s.key == "asnr14-stroke-1")
    assert anchor.start <= now < anchor.end
    assert timedelta(minutes=10) <= now - anchor.start < timedelta(minutes=11)
    before = bundled_programme().sessions
    assert {b.end - b.start for b in before} == {m.end - m.start for m in moved.sessions}
