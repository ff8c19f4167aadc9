"""The meeting's report (docs/report.md): `/walls/{slug}/report` (a page for print), its JSON
at `/api/v1/walls/{slug}/report`, its CSV, and the transcript of the visible posts as CSV or
JSONL. Public like the wall: they show counts and visible posts only.

Each takes `since` and `until` (days, both included) and `tz` (an IANA time zone, default
UTC). A report is computed at most once per `CACHE_S` seconds for the same wall and period,
however many people open it: it is one SQL pass over every post of the wall.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, HTTPException, Query, Request, Response
from fastapi.responses import HTMLResponse, StreamingResponse

from app.report.build import Period, build_report
from app.report.export import (
    BOM,
    TRANSCRIPT_COLUMNS,
    csv_text,
    jsonl_line,
    transcript,
    transcript_row,
)
from app.report.render import report_csv, report_html
from app.store import Store
from app.web.deps import StoreDep, WallDep
from app.web.schemas import ReportOut, errors

__all__ = ["CACHE_S", "AnswerCache", "answer_cache", "router"]

router = APIRouter()
CACHE_S = 30.0


def _period(since: date | None, until: date | None, tz: str) -> Period:
    """Return the period asked for. Raises 422 for an unknown time zone or since > until."""
    try:
        return Period.parse(since.isoformat() if since else None,
                            until.isoformat() if until else None, tz)
    except ValueError as err:
        raise HTTPException(422, str(err)) from None


Since = Query(None, description="first day, YYYY-MM-DD")
Until = Query(None, description="last day, YYYY-MM-DD (included)")
Tz = Query("UTC", max_length=64, description="IANA time zone of the days and hours")


class AnswerCache:
    """Answers kept `ttl` seconds (`CACHE_S` by default); a second asker while one is being
    computed waits for it instead of computing it again."""

    def __init__(self) -> None:
        self._done: dict[tuple[Any, ...], tuple[float, Any]] = {}
        self._running: dict[tuple[Any, ...], asyncio.Task[Any]] = {}

    async def get(self, key: tuple[Any, ...], make: Callable[[], Awaitable[Any]], *,
                  ttl: float = CACHE_S) -> Any:
        """Return the answer for `key`, from `make()` when none is younger than `ttl`."""
        now = time.monotonic()
        hit = self._done.get(key)
        if hit is not None and now - hit[0] < ttl:
            return hit[1]
        task = self._running.get(key)
        if task is None:
            task = self._running[key] = asyncio.ensure_future(make())
            task.add_done_callback(lambda _t: self._running.pop(key, None))
        value = await asyncio.shield(task)
        # Forget what is old (with the longest lifetime any answer has).
        self._done = {k: v for k, v in self._done.items() if now - v[0] < CACHE_S}
        self._done[key] = (time.monotonic(), value)
        return value


def answer_cache(request: Request) -> AnswerCache:
    """Return this app's cache of reports and figures (made on first use)."""
    found: AnswerCache | None = getattr(request.app.state, "report_cache", None)
    if found is None:
        found = request.app.state.report_cache = AnswerCache()
    return found


async def _report(request: Request, store: Store, slug: str, period: Period) -> dict[str, Any]:
    key = ("report", slug, period.since, period.until, str(period.tz))
    report: dict[str, Any] = await answer_cache(request).get(
        key, lambda: build_report(store, slug, period))
    return report


@router.get("/walls/{slug}/report", response_class=HTMLResponse)
async def report_page(request: Request, wall: WallDep, store: StoreDep,
                      since: date | None = Since, until: date | None = Until,
                      tz: str = Tz) -> HTMLResponse:
    """Return the report page of the wall over the period. 404: no wall; 422: bad period."""
    period = _period(since, until, tz)
    report = await _report(request, store, wall.slug, period)
    query = urlencode({k: v for k, v in (("since", since), ("until", until), ("tz", tz))
                       if v and v != "UTC"})
    q = f"?{query}" if query else ""
    downloads = {"report (JSON)": f"/api/v1/walls/{wall.slug}/report{q}",
                 "report (CSV)": f"/walls/{wall.slug}/report.csv{q}",
                 "transcript (CSV)": f"/walls/{wall.slug}/transcript.csv{q}",
                 "transcript (JSONL)": f"/walls/{wall.slug}/transcript.jsonl{q}"}
    env = request.app.state.templates.env
    key = ("html", wall.slug, period.since, period.until, str(period.tz))
    # pygal draws on the CPU: off the event loop.
    html: str = await answer_cache(request).get(key, lambda: asyncio.to_thread(
        report_html, env, report, downloads=downloads))
    return HTMLResponse(html)


@router.get("/api/v1/walls/{slug}/report", response_model=ReportOut,
            responses=errors(404, 422))
async def report_json(request: Request, wall: WallDep, store: StoreDep,
                      since: date | None = Since, until: date | None = Until,
                      tz: str = Tz) -> dict[str, Any]:
    """Return the report's figures (the keys of `tweetwall report --format json`). 404: no
    wall; 422: a bad period or time zone."""
    return await _report(request, store, wall.slug, _period(since, until, tz))


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


@router.get("/walls/{slug}/report.csv")
async def report_csv_file(request: Request, wall: WallDep, store: StoreDep,
                          since: date | None = Since, until: date | None = Until,
                          tz: str = Tz) -> Response:
    """Return the report as CSV (UTF-8 with a byte order mark). 404; 422: a bad period."""
    report = await _report(request, store, wall.slug, _period(since, until, tz))
    return Response((BOM + report_csv(report)).encode(), media_type="text/csv; charset=utf-8",
                    headers=_attachment(f"{wall.slug}-report.csv"))


@router.get("/walls/{slug}/transcript.{fmt}")
async def transcript_file(wall: WallDep, store: StoreDep, fmt: str,
                          since: date | None = Since, until: date | None = Until,
                          tz: str = Tz) -> StreamingResponse:
    """Stream the visible posts, oldest first, as CSV (`fmt` csv) or JSONL (`fmt` jsonl).
    404: no wall or another format; 422: a bad period."""
    if fmt not in ("csv", "jsonl"):
        raise HTTPException(404, f"no transcript format {fmt[:20]!r}")
    start, end = _period(since, until, tz).bounds()
    posts = transcript(store, wall.slug, start, end)

    async def lines() -> AsyncIterator[bytes]:
        if fmt == "jsonl":
            async for post in posts:
                yield jsonl_line(post)
            return
        yield (BOM + csv_text([TRANSCRIPT_COLUMNS])).encode()
        async for post in posts:
            yield csv_text([transcript_row(post)]).encode()

    media = "text/csv; charset=utf-8" if fmt == "csv" else "application/x-ndjson"
    return StreamingResponse(lines(), media_type=media,
                             headers=_attachment(f"{wall.slug}-transcript.{fmt}"))
