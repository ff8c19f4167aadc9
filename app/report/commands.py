"""The work behind `tweetwall import`, `report` and `export` (app/cli/archive.py declares them).

Each opens the store of the settings, does its work and closes it. `import` without a file
takes the bundled meeting and gives its accounts the categories shipped beside it
(app/data/meeting/categories.json); `demo` does that too when the demo wall replays it, and
gives it the meeting's programme moved to the demo's clock. `programme import` reads a
programme file onto a wall.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import IO

from app.ingest import Admission
from app.programme import Programme, parse_programme
from app.report.archive import ImportResult, import_archive
from app.report.build import Period, build_report
from app.report.export import BOM, TRANSCRIPT_COLUMNS, csv_text, jsonl_line, transcript
from app.report.export import transcript_row as row
from app.report.progress import ImportProgress
from app.report.render import report_csv, report_json, standalone_html
from app.settings import Settings, WallConfig
from app.store import Store, WallInfo, WallNotFound
from app.store.categories import Categories
from app.store.programme import ImportSummary, Programmes

__all__ = [
    "BUNDLED_CATEGORIES",
    "BUNDLED_PROGRAMME",
    "NoWall",
    "bundled_categories",
    "bundled_programme",
    "demo_categories",
    "demo_programme",
    "ensure_wall",
    "export",
    "give_bundled_categories",
    "import_file",
    "import_programme",
    "report",
    "shifted",
    "stored_programme",
]

BUNDLED_CATEGORIES = "data/meeting/categories.json"
BUNDLED_PROGRAMME = "data/meeting/programme.json"
DEMO_INTO = timedelta(minutes=10)   # how far into its session the demo's programme starts
ACTOR = "tweetwall import"


class NoWall(LookupError):
    """The wall is neither stored nor declared; the message says how to declare it."""


@asynccontextmanager
async def _store(settings: Settings) -> AsyncIterator[Store]:
    store = Store(settings.database_url)
    await store.open()
    try:
        yield store
    finally:
        await store.close()


async def ensure_wall(store: Store, settings: Settings, slug: str,
                      fallback: WallConfig | None = None) -> WallInfo:
    """Return the stored wall, creating it from the config file's declaration (or `fallback`,
    the demo's) as `serve` would. Raises NoWall."""
    try:
        return store.wall(slug)
    except WallNotFound:
        pass
    cfg = next((w for w in settings.walls if w.slug == slug), None)
    if cfg is None and fallback is not None and fallback.slug == slug:
        cfg = fallback
    if cfg is None:
        raise NoWall(f"no wall {slug!r}: declare it in the config file ([[walls]]) first")
    title = cfg.title or f"#{' #'.join(cfg.hashtags)}"
    return await store.create_wall(slug, title, cfg.model_dump(mode="json",
                                                               exclude={"slug", "title"}))


def bundled_categories() -> dict[str, str]:
    """Return {account: category} of the bundled meeting. Raises OSError, ValueError."""
    path = Path(str(resources.files("app").joinpath(BUNDLED_CATEGORIES)))
    data = json.loads(path.read_text(encoding="utf-8"))
    return {a["account"]: a["category"] for a in data["accounts"]}


async def give_bundled_categories(store: Store, slug: str) -> int:
    """Give the bundled meeting's accounts their categories on the wall, keeping any a
    moderator chose; returns how many were given. Raises CategoryError when the wall does not
    offer those categories."""
    return await Categories(store).apply(slug, bundled_categories(), ACTOR, keep=True)


async def import_file(settings: Settings, slug: str, path: Path, *, bundled: bool,
                      fallback: WallConfig | None = None) -> tuple[ImportResult, int]:
    """Import the JSONL file onto the wall with progress on stderr; for the `bundled` meeting
    also give its categories (its programme is `tweetwall programme import SLUG
    app/data/meeting/programme.json`). Returns what was imported and how many accounts got a
    category. Raises NoWall, OSError, CategoryError."""
    async with _store(settings) as store:
        await ensure_wall(store, settings, slug, fallback)
        with ImportProgress(path.name) as shown:
            result = await import_archive(Admission(store), slug, path,
                                          progress=shown.advance, bad_line=shown.bad)
        given = await give_bundled_categories(store, slug) if bundled else 0
    return result, given


def bundled_programme() -> Programme:
    """Return the bundled meeting's programme (app/data/meeting/programme.json). Raises
    OSError, ProgrammeError."""
    path = Path(str(resources.files("app").joinpath(BUNDLED_PROGRAMME)))
    return parse_programme(path.read_bytes(), name=path.name)


def shifted(programme: Programme, anchor: str, now: datetime) -> Programme:
    """Return the programme moved in time so that `now` is DEMO_INTO after the start of the
    session `anchor` (every session by the same amount, to the minute). Its time zone is
    dropped: moved to the present, the meeting happens wherever the demo runs, so screens
    write its times in their own zone, like their clock."""
    start = next(s.start for s in programme.sessions if s.key == anchor)
    delta = now - DEMO_INTO - start
    delta -= timedelta(seconds=delta.total_seconds() % 60)
    return dataclasses.replace(programme, timezone=None, sessions=tuple(
        dataclasses.replace(s, start=s.start + delta, end=s.end + delta)
        for s in programme.sessions))


async def import_programme(settings: Settings, slug: str, data: bytes, *, name: str,
                           tz: str | None = None, fmt: str | None = None,
                           fallback: WallConfig | None = None
                           ) -> tuple[Programme, ImportSummary]:
    """Make the programme file's sessions the wall's (`tweetwall programme import`); running
    it twice changes nothing. Raises NoWall, ProgrammeError (one line naming the entry)."""
    programme = parse_programme(data, name=name, tz=tz, fmt=fmt)
    async with _store(settings) as store:
        await ensure_wall(store, settings, slug, fallback)
        summary = await Programmes(store).replace(slug, programme, source=name, actor=ACTOR)
    return programme, summary


async def stored_programme(settings: Settings, slug: str) -> Programme | None:
    """Return the wall's stored programme, or None. Raises WallNotFound."""
    async with _store(settings) as store:
        found = await Programmes(store).get(slug)
    return found.programme if found else None


def demo_anchor() -> str:
    """Return the id of the session the demo starts in (manifest.json `programme`). Raises
    OSError, KeyError."""
    manifest = json.loads(Path(str(resources.files("app").joinpath(
        "data/meeting/manifest.json"))).read_text(encoding="utf-8"))
    return str(manifest["programme"]["demo_session"])


async def demo_programme(settings: Settings, wall: WallConfig, now: datetime) -> str | None:
    """Before the demo starts: when `wall` replays the bundled meeting, give it the meeting's
    programme moved to `now` (10 minutes into the session the manifest names, so the demo's
    hall screen in that room has a session on); return that session's room, else None."""
    if "replay" not in wall.sources or wall.replay_file or settings.replay.file:
        return None
    anchor = demo_anchor()
    programme = shifted(bundled_programme(), anchor, now)
    async with _store(settings) as store:
        await ensure_wall(store, settings, wall.slug, wall)
        await Programmes(store).replace(wall.slug, programme, source="programme.json (demo)",
                                        actor=ACTOR)
    return next(s.room for s in programme.sessions if s.key == anchor)


async def demo_categories(settings: Settings, wall: WallConfig) -> int:
    """Before the demo starts: when `wall` replays the bundled meeting, create it and give
    the meeting's accounts their categories (kept when a moderator changed them); returns how
    many were given."""
    if "replay" not in wall.sources or wall.replay_file or settings.replay.file:
        return 0
    async with _store(settings) as store:
        await ensure_wall(store, settings, wall.slug, wall)
        return await give_bundled_categories(store, wall.slug)


async def report(settings: Settings, slug: str, fmt: str, period: Period) -> bytes:
    """Return the wall's report as `fmt` (html, json or csv). Raises WallNotFound."""
    async with _store(settings) as store:
        figures = await build_report(store, slug, period)
    if fmt == "json":
        return report_json(figures)
    if fmt == "csv":
        return (BOM + report_csv(figures)).encode()
    return standalone_html(figures).encode()


async def export(settings: Settings, slug: str, fmt: str, period: Period, out: IO[bytes]
                 ) -> int:
    """Write the transcript of the wall's visible posts to `out` as `fmt` (jsonl or csv);
    returns how many posts. Raises WallNotFound."""
    count = 0
    start, end = period.bounds()
    async with _store(settings) as store:
        store.wall(slug)
        if fmt == "csv":
            out.write((BOM + csv_text([TRANSCRIPT_COLUMNS])).encode())
        async for post in transcript(store, slug, start, end):
            out.write(jsonl_line(post) if fmt == "jsonl" else csv_text([row(post)]).encode())
            count += 1
    return count
