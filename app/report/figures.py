"""The report's figures, each one SQL aggregate over the wall's logged posts (app.store.stats).

Counts take every logged post (visible or waiting for a moderator). What names a person or
shows words from posts — accounts in the top lists, hashtags, mentions, links — comes from
visible posts only: a post nobody approved never puts its words on a public page.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    Subquery,
    TableValuedAlias,
    and_,
    func,
    select,
    type_coerce,
)
from sqlalchemy import true as sql_true
from sqlalchemy.ext.asyncio import AsyncConnection

from app.store.categories import account_key
from app.store.schema import account_categories
from app.store.stats import count_if, hour_bucket, logged_posts

__all__ = ["Hour", "accounts", "by_category", "grouped", "hourly", "links", "mentions",
           "moderated_away", "tags", "totals"]

Hour = tuple[str, int, int]  # 'YYYY-MM-DD HH' (UTC), posts, original posts


def _distinct_accounts(base: Subquery) -> ColumnElement[int]:
    return func.count(func.distinct(base.c.source + ":" + base.c.author_id))


async def totals(conn: AsyncConnection, base: Subquery) -> dict[str, Any]:
    """Return posts, original posts, reposts, replies, participants, posts with media,
    pending posts, the first and last post time, the impressions estimate and how many posts
    it rests on."""
    row = (await conn.execute(select(
        func.count(), count_if(base.c.repost), count_if(base.c.reply), _distinct_accounts(base),
        count_if(base.c.media), count_if(base.c.state == "pending"),
        func.min(base.c.created_at), func.max(base.c.created_at),
        func.coalesce(func.sum(base.c.followers), 0), func.count(base.c.followers)))).one()
    posts, reposts = int(row[0]), int(row[1])
    return {"posts": posts, "original_posts": posts - reposts, "reposts": reposts,
            "replies": int(row[2]), "participants": int(row[3]), "with_media": int(row[4]),
            "pending": int(row[5]), "first": row[6], "last": row[7],
            "impressions": int(row[8]), "posts_with_followers": int(row[9])}


async def hourly(conn: AsyncConnection, base: Subquery) -> list[Hour]:
    """Return (UTC hour, posts, original posts) for every hour with a post, oldest first."""
    hour = hour_bucket(conn, base.c.created_at)
    rows = await conn.execute(select(hour, func.count(), count_if(~base.c.repost))
                              .group_by(hour).order_by(hour))
    return [(str(h), int(n), int(o)) for h, n, o in rows]


async def accounts(conn: AsyncConnection, base: Subquery, wall_id: int, *, by: str,
                   limit: int) -> list[dict[str, Any]]:
    """Return the top `limit` accounts with a visible post, ranked `by` "posts" or
    "impressions": account, handle, name (as on their visible posts), posts, original posts,
    followers, impressions and category."""
    t = account_categories
    shown = base.c.state == "visible"
    n, impressions = func.count(), func.coalesce(func.sum(base.c.followers), 0)
    handle = func.max(func.coalesce(base.c.handle, "")).filter(shown)
    rank = [n.desc(), impressions.desc()] if by == "posts" else [impressions.desc(), n.desc()]
    stmt = (select(base.c.source, base.c.author_id, handle.label("handle"),
                   func.max(base.c.name).filter(shown).label("name"), n.label("posts"),
                   count_if(~base.c.repost).label("originals"),
                   func.max(base.c.followers).label("followers"),
                   impressions.label("impressions"), func.max(t.c.category).label("category"))
            .select_from(base.outerjoin(t, and_(t.c.wall_id == wall_id,
                                                t.c.source == base.c.source,
                                                t.c.author_id == base.c.author_id)))
            .group_by(base.c.source, base.c.author_id).having(count_if(shown) > 0)
            .order_by(*rank, handle).limit(limit))
    return [{"account": account_key(r.source, r.author_id), "handle": r.handle or "",
             "name": r.name or "", "posts": int(r.posts), "original_posts": int(r.originals),
             "followers": r.followers, "impressions": int(r.impressions),
             "category": r.category} for r in await conn.execute(stmt)]


async def grouped(conn: AsyncConnection, column: ColumnElement[Any]) -> list[tuple[str, int]]:
    """Return (value, posts) of a column of the logged posts, most posts first."""
    value = func.coalesce(column, "und")
    rows = await conn.execute(select(value, func.count()).group_by(value)
                              .order_by(func.count().desc(), value))
    return [(str(v), int(n)) for v, n in rows]


async def by_category(conn: AsyncConnection, base: Subquery, wall_id: int
                      ) -> dict[str | None, tuple[int, int]]:
    """Return {category (None: none given): (accounts, posts)} over the logged posts."""
    t = account_categories
    stmt = (select(t.c.category, _distinct_accounts(base), func.count())
            .select_from(base.outerjoin(t, and_(t.c.wall_id == wall_id,
                                                t.c.source == base.c.source,
                                                t.c.author_id == base.c.author_id)))
            .group_by(t.c.category))
    return {c: (int(a), int(n)) for c, a, n in await conn.execute(stmt)}


def _elements(conn: AsyncConnection, base: Subquery, key: str, *,
              strings: bool = False) -> TableValuedAlias:
    """Return the items of the posts' JSON array `key` as a table with a `value` column:
    text for an array of `strings`, else JSON objects."""
    if conn.dialect.name == "postgresql":
        fn = func.json_array_elements_text if strings else func.json_array_elements
        return fn(base.c.data[key]).table_valued("value")
    # SQLite's json_each gives a string item as text and an object as JSON text.
    return func.json_each(base.c.data, f"$.{key}").table_valued("value")


async def tags(conn: AsyncConnection, base: Subquery, leave_out: list[str],
               limit: int) -> list[tuple[str, int]]:
    """Return the hashtags of visible posts with how many posts carry each, most first,
    without the `leave_out` tags (the wall's own, which every post has)."""
    items = _elements(conn, base, "hashtags", strings=True)
    tag = func.lower(items.c.value)
    stmt = (select(tag, func.count(func.distinct(base.c.id))).select_from(base)
            .join(items, sql_true())
            .where(base.c.state == "visible", tag.not_in([t.casefold() for t in leave_out]))
            .group_by(tag).order_by(func.count(func.distinct(base.c.id)).desc(), tag)
            .limit(limit))
    return [(str(t), int(n)) for t, n in await conn.execute(stmt)]


async def _tokens(conn: AsyncConnection, base: Subquery, kind: str, key: ColumnElement[Any] |
                  None, limit: int) -> list[tuple[str, str, int]]:
    items = _elements(conn, base, "content")
    token = type_coerce(items.c.value, JSON)
    text, href = token["text"].as_string(), token["href"].as_string()
    group = func.lower(text) if key is None else href
    n = func.count(func.distinct(base.c.id))
    stmt = (select(group, func.max(text), func.max(href), n).select_from(base)
            .join(items, sql_true())
            .where(base.c.state == "visible", token["type"].as_string() == kind,
                   *(() if key is None else (href.is_not(None),)))
            .group_by(group).order_by(n.desc(), group).limit(limit))
    return [(str(t or ""), str(h or ""), int(c)) for _g, t, h, c in await conn.execute(stmt)]


async def mentions(conn: AsyncConnection, base: Subquery, limit: int) -> list[tuple[str, int]]:
    """Return the mentions in visible posts (as written) with how many posts make each."""
    return [(t, n) for t, _h, n in await _tokens(conn, base, "mention", None, limit)]


async def links(conn: AsyncConnection, base: Subquery, limit: int
                ) -> list[tuple[str, str, int]]:
    """Return (text, url, posts) of the links in visible posts, most shared first."""
    return await _tokens(conn, base, "link", base.c.id, limit)


async def moderated_away(conn: AsyncConnection, wall_id: int, since: datetime | None,
                         until: datetime | None) -> int:
    """Return how many of the wall's posts in the period are hidden (never one deleted at its
    source: that one is not counted at all)."""
    hidden = logged_posts(wall_id, ("hidden",), since, until)
    return int((await conn.execute(select(func.count()).select_from(hidden))).scalar_one())
