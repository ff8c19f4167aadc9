"""The transcript (the wall's visible posts, oldest first) and CSV that opens in a spreadsheet.

CSV is UTF-8 with a byte order mark: without it Excel reads a CSV file as the local ANSI code
page and garbles Japanese, Arabic, Hebrew and accented names; LibreOffice, Google Sheets and
Python's `utf-8-sig` read the mark and drop it. A cell that begins with `=`, `+`, `-`, `@`
(or a tab or carriage return) gets a leading apostrophe, so a spreadsheet shows it as text and
never runs it as a formula (CSV injection): post text and names are written by strangers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import AsyncIterator, Iterable
from datetime import datetime
from typing import Any

import orjson
from sqlalchemy import select

from app.clock import iso
from app.store import Store
from app.store.stats import logged_posts

__all__ = ["BOM", "TRANSCRIPT_COLUMNS", "csv_text", "jsonl_line", "safe_cell", "transcript",
           "transcript_row"]

BOM = "\ufeff"
TRANSCRIPT_COLUMNS = ("time", "network", "handle", "name", "text", "url", "repost", "lang", "id")
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
PAGE = 1000


def safe_cell(value: Any) -> str:
    """Return `value` as a CSV cell a spreadsheet shows as text: None is empty, and a leading
    `=`, `+`, `-`, `@`, tab or carriage return gets an apostrophe in front."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA) else text


def csv_text(rows: Iterable[Iterable[Any]]) -> str:
    """Return `rows` as CSV text (RFC 4180 quoting, CRLF line ends) with every cell made safe;
    without the byte order mark, which the caller writes once at the start."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows:
        writer.writerow([safe_cell(v) for v in row])
    return out.getvalue()


def transcript_row(post: dict[str, Any]) -> list[Any]:
    """Return the transcript's CSV row of a stored post (columns TRANSCRIPT_COLUMNS)."""
    author = post.get("author") or {}
    return [post.get("created_at"), post.get("source"), author.get("handle"), author.get("name"),
            post.get("text"), post.get("url"), "yes" if post.get("is_repost") else "",
            post.get("lang"), post.get("id")]


def jsonl_line(post: dict[str, Any]) -> bytes:
    """Return a stored post as one JSONL line: the wire post, which `tweetwall import` reads
    back."""
    return orjson.dumps(post) + b"\n"


async def transcript(store: Store, slug: str, since: datetime | None = None,
                     until: datetime | None = None) -> AsyncIterator[dict[str, Any]]:
    """Yield the wall's visible posts created in [since, until), oldest first, as stored wire
    posts, streamed from one query (one sort, however many posts). Hidden, pending and deleted
    posts are never in it. Raises WallNotFound."""
    wall = store.wall(slug)
    base = logged_posts(wall.id, ("visible",), since, until)
    stmt = select(base.c.created_at, base.c.data).order_by(base.c.created_at, base.c.id)
    async with store.engine.connect() as conn:
        result = await conn.stream(stmt.execution_options(yield_per=PAGE))
        async for row in result:
            yield {**row.data, "created_at": row.data.get("created_at") or iso(row.created_at)}
