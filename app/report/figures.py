"""The report's figures, each one SQL aggregate over the wall's logged posts (app.store.stats).

`materialise` copies the fields counted out of the posts' JSON into a temporary table once
(one pass over the wall), so the dozen aggregates after it scan plain columns: at 100,000 posts
that is a few seconds less than parsing every post's JSON once per figure. The temporary table
lives in the report's own connection and transaction and goes with them.

Counts take every logged post (visible or waiting for a moderator). What names a person or
shows words from posts — accounts in the top lists, hashtags, mentions, links — comes from
visible posts only: a post nobody approved never puts its words on a public page.
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    ColumnElement,
    DateTime,
    FromClause,
    MetaData,
    String,
    Table,
    TableValuedAlias,
    Text,
    and_,
    case,
    func,
    select,
    type_coerce,
)
from sqlalchemy import true as sql_true
from sqlalchemy.ext.asyncio import AsyncConnection

from app.store.categories import account_key
from app.store.schema import account_categories, posts
from app.store.stats import count_if, hour_bucket, logged_posts

__all__ = ["Hour", "Tokens", "accounts", "by_category", "grouped", "hourly", "materialise",
           "moderated_away", "tokens", "totals"]

Hour = tuple[str, int, int]  # 'YYYY-MM-DD HH' (UTC), posts, original posts
Tokens = dict[str, list[tuple[str, str, int]]]  # kind -> (text, url, posts), most posts first
_COLUMNS = ("id", "source", "author_id", "handle", "name", "created_at", "state", "repost",
            "reply", "media", "lang", "followers")


@asynccontextmanager
async def materialise(conn: AsyncConnection, wall_id: int, since: datetime | None,
                      until: datetime | None) -> AsyncIterator[Table]:
    """Yield a temporary table of the wall's logged posts in [since, until), with the columns
    of `logged_posts` but the stored JSON; it is dropped on the way out."""
    table = Table(
        f"report_{secrets.token_hex(6)}", MetaData(),
        Column("id", String(600), primary_key=True), Column("source", String(16)),
        Column("author_id", Text), Column("handle", Text), Column("name", Text),
        Column("created_at", DateTime(timezone=True)), Column("state", String(16)),
        Column("repost", Boolean), Column("reply", Boolean), Column("media", Boolean),
        Column("lang", Text), Column("followers", BigInteger), prefixes=["TEMPORARY"])
    base = logged_posts(wall_id, since=since, until=until)
    await conn.run_sync(table.create)
    try:
        await conn.execute(table.insert().from_select(
            list(_COLUMNS), select(*(base.c[c] for c in _COLUMNS))))
        yield table
    finally:
        await conn.run_sync(table.drop)


def _distinct_accounts(base: FromClause) -> ColumnElement[int]:
    return func.count(func.distinct(base.c.source + ":" + base.c.author_id))


async def totals(conn: AsyncConnection, base: FromClause) -> dict[str, Any]:
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


async def hourly(conn: AsyncConnection, base: FromClause) -> list[Hour]:
    """Return (UTC hour, posts, original posts) for every hour with a post, oldest first."""
    hour = hour_bucket(conn, base.c.created_at)
    rows = await conn.execute(select(hour, func.count(), count_if(~base.c.repost))
                              .group_by(hour).order_by(hour))
    return [(str(h), int(n), int(o)) for h, n, o in rows]


async def accounts(conn: AsyncConnection, base: FromClause, wall_id: int, *, by: str,
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


async def by_category(conn: AsyncConnection, base: FromClause, wall_id: int
                      ) -> dict[str | None, tuple[int, int]]:
    """Return {category (None: none given): (accounts, posts)} over the logged posts."""
    t = account_categories
    stmt = (select(t.c.category, _distinct_accounts(base), func.count())
            .select_from(base.outerjoin(t, and_(t.c.wall_id == wall_id,
                                                t.c.source == base.c.source,
                                                t.c.author_id == base.c.author_id)))
            .group_by(t.c.category))
    return {c: (int(a), int(n)) for c, a, n in await conn.execute(stmt)}


def _content(conn: AsyncConnection) -> TableValuedAlias:
    """Return the content tokens of `posts` as a table with a `value` column (JSON objects)."""
    if conn.dialect.name == "postgresql":
        return func.json_array_elements(posts.c.data["content"]).table_valued("value")
    return func.json_each(posts.c.data, "$.content").table_valued("value")


async def tokens(conn: AsyncConnection, base: FromClause, leave_out: list[str],
                 limit: int) -> Tokens:
    """Return the `limit` most used hashtags, mentions and links of the visible posts, each
    with how many posts use it: {"hashtag" | "mention" | "link": [(text, url, posts)]}. Tags
    and mentions count case-insensitively; the `leave_out` tags (the wall's own, on every
    post) are left out. One pass over the posts' JSON for all three."""
    items = _content(conn)
    token = type_coerce(items.c.value, JSON)
    kind, text, href = (token[k].as_string() for k in ("type", "text", "href"))
    # A link is the same link whatever its text; a tag or a mention whatever its case.
    same = case((kind == "link", href), else_=func.lower(text))
    counted = (select(kind.label("kind"), func.max(text).label("text"),
                      func.max(href).label("href"),
                      func.count(func.distinct(base.c.id)).label("n"))
               .select_from(base).join(posts, posts.c.id == base.c.id).join(items, sql_true())
               .where(base.c.state == "visible", kind.in_(("hashtag", "mention", "link")),
                      func.lower(text).not_in([f"#{t.casefold()}" for t in leave_out]),
                      (kind != "link") | href.is_not(None))
               .group_by(kind, same)).subquery()
    rank = func.row_number().over(partition_by=counted.c.kind,
                                  order_by=(counted.c.n.desc(), counted.c.text)).label("rank")
    ranked = select(counted, rank).subquery()
    rows = await conn.execute(select(ranked.c.kind, ranked.c.text, ranked.c.href, ranked.c.n)
                              .where(ranked.c.rank <= limit)
                              .order_by(ranked.c.kind, ranked.c.rank))
    out: Tokens = {"hashtag": [], "mention": [], "link": []}
    for k, t, h, n in rows:
        out[str(k)].append((str(t or ""), str(h or ""), int(n)))
    return out


async def moderated_away(conn: AsyncConnection, wall_id: int, since: datetime | None,
                         until: datetime | None) -> int:
    """Return how many of the wall's posts in the period are hidden (never one deleted at its
    source: that one is not counted at all)."""
    hidden = logged_posts(wall_id, ("hidden",), since, until)
    return int((await conn.execute(select(func.count()).select_from(hidden))).scalar_one())
