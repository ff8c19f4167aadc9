"""The conversation per session (docs/report.md, docs/programme.md): for each session of the
wall's programme, the logged posts that belong to it by the programme's rule
(app/programme/belongs.py), their participants and the most engaging of them.

Counts are over logged posts (visible and pending), like every count of the report; the top
posts are shown posts only (visible, not reposts), so no unapproved words reach a public page.
The rule is Python, not SQL: the posts of the programme's span are read once, in time order,
and each is tested only against the sessions whose window holds its time.
"""

from __future__ import annotations

from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from app.clock import aware
from app.programme import Match, Session, belongs, common_words, compile_session, post_keys
from app.store import Store, WallInfo
from app.store.programme import Programmes
from app.store.stats import logged_posts

__all__ = ["TOP_POSTS", "session_figures"]

TOP_POSTS = 3


def _engagement(data: dict[str, Any]) -> int:
    metrics = data.get("metrics") or {}
    return sum(int(metrics.get(k) or 0) for k in ("likes", "reposts", "quotes", "replies"))


def _top(data: dict[str, Any]) -> dict[str, Any]:
    author = data.get("author") or {}
    link = str(data.get("url") or "")
    url = link if link.startswith(("https://", "http://")) else None
    text = str(data.get("text") or "")
    return {"id": data.get("id"), "url": url, "handle": author.get("handle") or "",
            "name": author.get("name") or "", "text": text[:280] + ("…" if len(text) > 280 else ""),
            "engagement": _engagement(data)}


async def session_figures(store: Store, wall: WallInfo, since: datetime | None,
                          until: datetime | None) -> list[dict[str, Any]]:
    """Return each session of the wall's programme that starts in [since, until) with its
    posts, original posts, participants and top posts, ranked by posts (then by start);
    an empty list for a wall without a programme."""
    stored = await Programmes(store).get(wall.slug)
    if stored is None:
        return []
    sessions = [s for s in stored.programme.sessions
                if (since is None or s.start >= since) and (until is None or s.start < until)]
    sessions.sort(key=lambda s: (s.start, s.room))
    if not sessions:
        return []
    c = wall.config
    extra = await Programmes(store).speaker_handles(wall.slug)
    common = common_words(stored.programme.sessions)
    margin = timedelta(minutes=int(c.get("session_margin_min", 15)))
    matches = [compile_session(s, margin=margin, title_match=bool(c.get("title_match")),
                               wall_tags=c.get("hashtags") or [], extra_handles=extra,
                               common=common)
               for s in sessions]
    order = sorted(range(len(sessions)), key=lambda i: matches[i].start)
    starts = [matches[i].start for i in order]
    longest = max(m.until - m.start for m in matches)
    tallies = [_Tally() for _ in sessions]
    # In UTC: SQLite compares times as the text they are stored as (UTC).
    base = logged_posts(wall.id, since=min(starts).astimezone(UTC),
                        until=max(m.until for m in matches).astimezone(UTC))
    stmt = select(base.c.created_at, base.c.source, base.c.author_id, base.c.state,
                  base.c.repost, base.c.data).order_by(base.c.created_at, base.c.id)
    async with store.engine.connect() as conn:
        result = await conn.stream(stmt.execution_options(yield_per=1000))
        async for row in result:
            at = aware(row.created_at)
            keys = post_keys({**row.data, "created_at": at})
            if keys is None:
                continue
            # Only sessions that started before the post and no longer ago than the longest
            # window can hold it.
            j = bisect_right(starts, at)
            while j > 0 and at - starts[j - 1] <= longest:
                j -= 1
                i = order[j]
                if belongs(keys, matches[i]):
                    tallies[i].add(row)
    out = [_entry(s, m, t) for s, m, t in zip(sessions, matches, tallies, strict=True)]
    out.sort(key=lambda e: (-e["posts"], e["start"], e["room"]))
    for rank, entry in enumerate(out, 1):
        entry["rank"] = rank
    return out


class _Tally:
    def __init__(self) -> None:
        self.posts = 0
        self.originals = 0
        self.accounts: set[str] = set()
        self.shown: list[dict[str, Any]] = []

    def add(self, row: Any) -> None:
        self.posts += 1
        self.originals += 0 if row.repost else 1
        self.accounts.add(f"{row.source}:{row.author_id}")
        if row.state == "visible" and not row.repost:
            self.shown.append(row.data)


def _entry(session: Session, match: Match, tally: _Tally) -> dict[str, Any]:
    top = sorted(tally.shown, key=lambda d: (-_engagement(d), str(d.get("created_at"))))
    return {"title": session.title, "room": session.room, "start": session.start.isoformat(),
            "end": session.end.isoformat(), "id": session.key,
            "speakers": [s.name for s in session.speakers],
            "posts": tally.posts, "original_posts": tally.originals,
            "participants": len(tally.accounts),
            "top_posts": [_top(d) for d in top[:TOP_POSTS]]}
