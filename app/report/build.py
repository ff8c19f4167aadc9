"""The report of a wall: its figures (app.report.figures) put together as one JSON-ready dict.

Keys, per docs/report.md: `posts` (every logged post, reposts included: visible or waiting for
a moderator), `original_posts`, `participants`, `first_day`, `last_day` (YYYY-MM-DD in the
report's time zone), `moderated_away` (hidden posts: counted, never listed), `categories`,
`sentence`, the activity by day and by hour, the top lists, the impressions estimate and
`sessions` (the programme's sessions ranked by their posts, app.report.sessions).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from app.clock import aware, iso, utcnow
from app.report import figures
from app.report.sentence import sentence
from app.report.sessions import session_figures
from app.store import Store
from app.store.categories import wall_categories

__all__ = ["IMPRESSIONS_NOTE", "Period", "build_report"]

IMPRESSIONS_NOTE = ("an estimate: the sum over posts of the author's followers where the "
                    "network told us; not how many people saw them")


@dataclass(frozen=True)
class Period:
    """The days a report covers, both included, in the time zone `tz` (None: every day)."""

    since: date | None = None
    until: date | None = None
    tz: tzinfo = field(default=UTC)

    @classmethod
    def parse(cls, since: str | None, until: str | None, tz: str = "UTC") -> Period:
        """Return the period of two YYYY-MM-DD days (either may be None) in the IANA time
        zone `tz`. Raises ValueError naming what is wrong."""
        try:
            days = [date.fromisoformat(d) if d else None for d in (since, until)]
        except ValueError:
            raise ValueError(f"a day is YYYY-MM-DD, got {since!r} and {until!r}") from None
        try:
            zone = ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown time zone {tz[:60]!r}") from None
        if days[0] and days[1] and days[0] > days[1]:
            raise ValueError("the first day is after the last")
        return cls(days[0], days[1], zone)

    def bounds(self) -> tuple[datetime | None, datetime | None]:
        """Return the period as UTC instants [start, end), None where it is open."""
        def start(d: date | None) -> datetime | None:
            if d is None:
                return None
            return datetime(d.year, d.month, d.day, tzinfo=self.tz).astimezone(UTC)

        end = None if self.until is None else start(self.until + timedelta(days=1))
        return start(self.since), end


def _fold(hours: list[figures.Hour], tz: tzinfo) -> tuple[list[dict[str, Any]],
                                                          list[dict[str, Any]]]:
    """Return posts per local day (every day from the first to the last) and per local hour
    of the day (0-23), from per-UTC-hour counts (a few hundred rows, not posts)."""
    days: Counter[date] = Counter()
    day_originals: Counter[date] = Counter()
    by_hour: Counter[int] = Counter()
    hour_originals: Counter[int] = Counter()
    for bucket, n, originals in hours:
        local = datetime.strptime(bucket, "%Y-%m-%d %H").replace(tzinfo=UTC).astimezone(tz)
        days[local.date()] += n
        day_originals[local.date()] += originals
        by_hour[local.hour] += n
        hour_originals[local.hour] += originals
    per_day: list[dict[str, Any]] = []
    if days:
        first, last = min(days), max(days)
        for i in range((last - first).days + 1):
            d = first + timedelta(days=i)
            per_day.append({"day": d.isoformat(), "posts": days[d],
                            "original_posts": day_originals[d]})
    per_hour = [{"hour": h, "posts": by_hour[h], "original_posts": hour_originals[h]}
                for h in range(24)]
    return per_day, per_hour


def _categories(wall: Any, counts: dict[str | None, tuple[int, int]]
                ) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Return each category with its accounts and posts, in the wall's order (a category
    moderators used before the wall's list changed comes last), and the uncategorised."""
    offered = {c.name: c for c in wall_categories(wall)}
    names = list(offered) + sorted(n for n in counts if n is not None and n not in offered)
    out = []
    for name in names:
        accounts, posts = counts.get(name, (0, 0))
        label = offered[name].label if name in offered else f"{name}s"
        out.append({"category": name, "label": label, "accounts": accounts, "posts": posts})
    accounts, posts = counts.get(None, (0, 0))
    return out, {"accounts": accounts, "posts": posts}


async def build_report(store: Store, slug: str, period: Period | None = None, *,
                       top: int = 10) -> dict[str, Any]:
    """Return the report of the wall over `period` (every day by default) with `top` entries
    in each list. Raises WallNotFound."""
    period = period or Period()
    wall = store.wall(slug)
    since, until = period.bounds()
    hashtags = list(wall.config.get("hashtags") or [])
    async with store.engine.connect() as conn, figures.materialise(
            conn, wall.id, since, until) as base:
        t = await figures.totals(conn, base)
        hours = await figures.hourly(conn, base)
        contributors = await figures.accounts(conn, base, wall.id, by="posts", limit=top)
        reach = await figures.accounts(conn, base, wall.id, by="impressions", limit=top)
        languages = await figures.grouped(conn, base.c.lang)
        sources = await figures.grouped(conn, base.c.source)
        counts = await figures.by_category(conn, base, wall.id)
        words = await figures.tokens(conn, base, hashtags, top)
        away = await figures.moderated_away(conn, wall.id, since, until)
    sessions = await session_figures(store, wall, since, until)
    per_day, per_hour = _fold(hours, period.tz)
    categories, uncategorised = _categories(wall, counts)
    first = per_day[0]["day"] if per_day else None
    last = per_day[-1]["day"] if per_day else None
    report: dict[str, Any] = {
        "wall": {"slug": wall.slug, "title": wall.title, "hashtags": hashtags},
        "period": {"since": period.since.isoformat() if period.since else None,
                   "until": period.until.isoformat() if period.until else None,
                   "timezone": str(period.tz)},
        "generated_at": iso(utcnow()),
        "posts": t["posts"], "original_posts": t["original_posts"], "reposts": t["reposts"],
        "replies": t["replies"], "participants": t["participants"],
        "first_day": first, "last_day": last, "days": len(per_day),
        "first_post_at": iso(aware(t["first"])) if t["first"] else None,
        "last_post_at": iso(aware(t["last"])) if t["last"] else None,
        "with_media": t["with_media"],
        "media_share": round(t["with_media"] / t["posts"], 4) if t["posts"] else 0.0,
        "pending": t["pending"], "moderated_away": away,
        "impressions": {"estimate": t["impressions"],
                        "posts_with_followers": t["posts_with_followers"],
                        "note": IMPRESSIONS_NOTE},
        "per_day": per_day, "per_hour": per_hour,
        "top_contributors": contributors, "top_by_reach": reach,
        "hashtags": [{"tag": "#" + tag.lstrip("#"), "posts": n}
                     for tag, _url, n in words["hashtag"]],
        "mentions": [{"mention": m, "posts": n} for m, _url, n in words["mention"]],
        "links": [{"url": url, "text": text, "posts": n} for text, url, n in words["link"]],
        "languages": [{"lang": lang, "posts": n} for lang, n in languages],
        "sources": [{"source": s, "posts": n} for s, n in sources],
        "categories": categories, "uncategorised": uncategorised,
        "sessions": sessions,
    }
    report["sentence"] = sentence(report)
    return report
