"""Counts of a wall for the API, the console header and the report, aggregated in SQL.

`logged_posts` is the one definition of "the posts a wall logged" that the live figures and
the report count: the wall's posts in the given states (never one deleted at its source), with
the fields counted pulled out of the stored JSON by the database (SQLite's `json_extract`,
PostgreSQL's `#>>`), so no figure loops over posts in Python.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Subquery, case, func, select
from sqlalchemy.ext.asyncio import AsyncConnection

from app.clock import iso
from app.store.schema import posts, wall_posts
from app.store.store import Store

__all__ = ["LOGGED", "count_if", "hour_bucket", "logged_posts", "wall_stats"]

# What a report counts: posts on screens and posts still waiting for a moderator. Hidden ones
# (by a moderator, a block, or deleted at their source) are only counted as moderated away.
LOGGED = ("visible", "pending")
TOP = 5


def logged_posts(wall_id: int, states: Sequence[str] = LOGGED, since: datetime | None = None,
                 until: datetime | None = None) -> Subquery:
    """Return the wall's posts in `states` created in [since, until) as a subquery with the
    columns id, source, author_id, handle, name, created_at, state, repost (bool), reply
    (bool), media (bool), lang, followers (the author's, None when unknown) and data (the
    stored wire post). A column no query selects costs nothing: the database inlines it."""
    data = posts.c.data
    cond: list[ColumnElement[bool]] = [
        wall_posts.c.wall_id == wall_id, wall_posts.c.state.in_(states),
        posts.c.deleted_at.is_(None)]
    if since is not None:
        cond.append(posts.c.created_at >= since)
    if until is not None:
        cond.append(posts.c.created_at < until)
    return (select(
        posts.c.id, posts.c.source, posts.c.author_id, posts.c.author_handle.label("handle"),
        data[("author", "name")].as_string().label("name"),
        posts.c.created_at, wall_posts.c.state, posts.c.data,
        data["is_repost"].as_boolean().label("repost"),
        data["in_reply_to"].as_string().is_not(None).label("reply"),
        data[("media", 0, "url")].as_string().is_not(None).label("media"),
        data["lang"].as_string().label("lang"),
        data[("author", "followers_count")].as_integer().label("followers"),
    ).join(wall_posts, wall_posts.c.post_id == posts.c.id).where(*cond).subquery("logged"))


def hour_bucket(conn: AsyncConnection, column: Any) -> ColumnElement[str]:
    """Return `column` (a UTC time) as its hour, 'YYYY-MM-DD HH', in the connection's SQL."""
    if conn.dialect.name == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD HH24")
    return func.strftime("%Y-%m-%d %H", column)


def count_if(condition: ColumnElement[Any]) -> ColumnElement[int]:
    """Return SUM(CASE WHEN condition THEN 1 ELSE 0 END): how many rows meet `condition`."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


async def _per_hour(conn: AsyncConnection, base: Subquery, last: datetime | None
                    ) -> list[dict[str, Any]]:
    """Return the 24 hours up to the hour of `last` with their post counts, oldest first."""
    if last is None:
        return []
    end = last.replace(minute=0, second=0, microsecond=0)
    start = end - timedelta(hours=23)
    hour = hour_bucket(conn, base.c.created_at)
    counted = dict((await conn.execute(
        select(hour, func.count()).where(base.c.created_at >= start).group_by(hour))).all())
    hours = [start + timedelta(hours=i) for i in range(24)]
    return [{"hour": iso(h), "posts": int(counted.get(h.strftime("%Y-%m-%d %H"), 0))}
            for h in hours]


async def wall_stats(store: Store, slug: str, *, detail: bool = False) -> dict[str, Any]:
    """Return the live figures of the wall's visible posts: posts by state, distinct accounts,
    first and last post time; with `detail` also originals and reposts, posts with media and
    their share, posts per hour over the 24 hours up to the newest post, the top
    contributors, and posts by network and by language. Raises WallNotFound."""
    wall = store.wall(slug)
    base = logged_posts(wall.id, ("visible",))
    async with store.engine.connect() as conn:
        counted = await conn.execute(
            select(wall_posts.c.state, func.count()).where(wall_posts.c.wall_id == wall.id)
            .group_by(wall_posts.c.state))
        by_state: dict[str, int] = {row[0]: int(row[1]) for row in counted}
        people = func.count(func.distinct(base.c.source + ":" + base.c.author_id))
        if not detail:  # the console's header asks often: only what it shows
            row = (await conn.execute(select(people, func.min(base.c.created_at),
                                             func.max(base.c.created_at)))).one()
            return {"posts": by_state.get("visible", 0), "pending": by_state.get("pending", 0),
                    "hidden": by_state.get("hidden", 0), "accounts": int(row[0]),
                    "first_post_at": iso(row[1]), "last_post_at": iso(row[2])}
        total, participants, first, last, reposts, media = (await conn.execute(select(
            func.count(), people, func.min(base.c.created_at), func.max(base.c.created_at),
            count_if(base.c.repost), count_if(base.c.media)))).one()
        handle = func.max(base.c.handle)
        top = (await conn.execute(
            select(handle, func.count()).group_by(base.c.source, base.c.author_id)
            .order_by(func.count().desc(), handle).limit(TOP))).all()
        sources = (await conn.execute(select(base.c.source, func.count()).group_by(
            base.c.source).order_by(func.count().desc(), base.c.source))).all()
        lang = func.coalesce(base.c.lang, "und")
        languages = (await conn.execute(select(lang, func.count()).group_by(lang).order_by(
            func.count().desc(), lang))).all()
        per_hour = await _per_hour(conn, base, last)
    return {"posts": by_state.get("visible", 0), "pending": by_state.get("pending", 0),
            "hidden": by_state.get("hidden", 0), "accounts": int(participants),
            "first_post_at": iso(first), "last_post_at": iso(last),
            "participants": int(participants), "original_posts": int(total) - int(reposts),
            "reposts": int(reposts), "with_media": int(media),
            "media_share": round(int(media) / total, 4) if total else 0.0,
            "per_hour": per_hour,
            "top_contributors": [{"handle": h, "posts": int(n)} for h, n in top],
            "sources": {s: int(n) for s, n in sources},
            "languages": {str(code): int(n) for code, n in languages}}
