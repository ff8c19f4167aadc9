"""The work behind `tweetwall import`, `report` and `export` (app/cli.py declares them).

Each opens the store of the settings, does its work and closes it. `import` without a file
takes the bundled meeting and gives its accounts the categories shipped beside it
(app/data/meeting/categories.json); `demo` does that too when the demo wall replays it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path
from typing import IO

from app.ingest import Admission
from app.report.archive import ImportResult, import_archive
from app.report.build import Period, build_report
from app.report.export import BOM, TRANSCRIPT_COLUMNS, csv_text, jsonl_line, transcript
from app.report.export import transcript_row as row
from app.report.progress import ImportProgress
from app.report.render import report_csv, report_json, standalone_html
from app.settings import Settings, WallConfig
from app.store import Store, WallInfo, WallNotFound
from app.store.categories import Categories

__all__ = ["BUNDLED_CATEGORIES", "NoWall", "bundled_categories", "demo_categories",
           "ensure_wall", "export", "give_bundled_categories", "import_file", "report"]

BUNDLED_CATEGORIES = "data/meeting/categories.json"
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
    also give its categories. Returns what was imported and how many accounts got a category.
    Raises NoWall, OSError, CategoryError."""
    async with _store(settings) as store:
        await ensure_wall(store, settings, slug, fallback)
        with ImportProgress(path.name) as shown:
            result = await import_archive(Admission(store), slug, path,
                                          progress=shown.advance, bad_line=shown.bad)
        given = await give_bundled_categories(store, slug) if bundled else 0
    return result, given


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
