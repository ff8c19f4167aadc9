"""Archives in: a JSONL file of wire posts (docs/design.md §2) onto a wall, through the ingest.

Each post goes through `app.ingest.Admission`, the path a live post takes: the wall's policy
decides its state, a post deleted at its source stays gone, a post already on the wall is left
as it is (so a second import adds nothing). Posts keep their own `created_at`; they are admitted
oldest first so the wall's order is the meeting's. A line that is not a valid post is reported
with its number and skipped; the rest is imported.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import orjson
from pydantic import ValidationError
from sqlalchemy import func, select

from app.ingest import Admission
from app.models import Post
from app.store import Store
from app.store.schema import wall_posts

__all__ = ["BadLine", "ImportResult", "Progress", "import_archive", "read_archive"]

Progress = Callable[[int, int], None]  # (posts done, posts in the file)
_OLDEST = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True)
class BadLine:
    """A line of the file that is not a post: its number (from 1) and why."""

    number: int
    reason: str

    def __str__(self) -> str:
        return f"line {self.number}: {self.reason}"


@dataclass
class ImportResult:
    """What an import did: the posts read, the posts new to the wall by the state the policy
    gave them, and the bad lines."""

    read: int = 0
    added: dict[str, int] = field(default_factory=dict)
    bad: list[BadLine] = field(default_factory=list)

    @property
    def new(self) -> int:
        return sum(self.added.values())


def _when(item: dict[str, Any]) -> datetime:
    """Return the post's time for ordering; a missing or bad one sorts first (the post is then
    refused by validation, with its line number)."""
    try:
        return datetime.fromisoformat(str(item["created_at"])).astimezone(UTC)
    except (KeyError, TypeError, ValueError):
        return _OLDEST


def _why(err: ValidationError) -> str:
    first = err.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "post"
    more = f" (and {err.error_count() - 1} more)" if err.error_count() > 1 else ""
    return f"not a valid post: {where}: {first['msg']}{more}"


def read_archive(path: Path) -> tuple[list[tuple[int, dict[str, Any]]], list[BadLine]]:
    """Return the JSON objects of the file's lines with their line numbers, oldest first, and
    the lines that are not JSON objects. Blank lines are skipped. Raises OSError."""
    items: list[tuple[datetime, int, dict[str, Any]]] = []
    bad: list[BadLine] = []
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError as err:
                bad.append(BadLine(number, f"not JSON: {err}"))
                continue
            if not isinstance(item, dict):
                bad.append(BadLine(number, "not a JSON object"))
                continue
            items.append((_when(item), number, item))
    items.sort(key=lambda entry: (entry[0], entry[1]))
    return [(number, item) for _when_, number, item in items], bad


async def _states(store: Store, slug: str) -> dict[str, int]:
    wall = store.wall(slug)
    async with store.engine.connect() as conn:
        rows = await conn.execute(select(wall_posts.c.state, func.count())
                                  .where(wall_posts.c.wall_id == wall.id)
                                  .group_by(wall_posts.c.state))
        return {state: int(n) for state, n in rows}


async def import_archive(admission: Admission, slug: str, path: Path, *,
                         progress: Progress | None = None,
                         bad_line: Callable[[BadLine], None] | None = None) -> ImportResult:
    """Admit every post of the JSONL file at `path` to the wall, oldest first; call
    `progress(done, total)` after each and `bad_line(...)` for each line skipped. Returns
    what was read and added. Raises OSError (unreadable file), WallNotFound."""
    items, bad = await asyncio.to_thread(read_archive, path)
    result = ImportResult(bad=list(bad))
    for line in bad:
        if bad_line is not None:
            bad_line(line)
    before = await _states(admission.store, slug)
    total = len(items)
    for done, (number, item) in enumerate(items, 1):
        try:
            post = Post.model_validate(item)
        except ValidationError as err:
            line = BadLine(number, _why(err))
            result.bad.append(line)
            if bad_line is not None:
                bad_line(line)
        else:
            await admission.admit(slug, post)
            result.read += 1
        if progress is not None:
            progress(done, total)
    after = await _states(admission.store, slug)
    result.added = {s: after.get(s, 0) - before.get(s, 0) for s in ("visible", "pending",
                                                                      "hidden")}
    result.bad.sort(key=lambda b: b.number)
    return result
