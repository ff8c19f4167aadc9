"""Account categories: the kind of account a moderator says each participant of a wall is.

An account is named `{source}:{author id}`, like a post (`x:1160500548`,
`mastodon:https://rad.community/users/ines`, `bluesky:did:plc:...`). The choices are the wall's
`categories` (app/settings/walls.py `WallConfig`); the report counts participants and posts by them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import and_, delete, func, insert, select, update

from app.clock import iso, utcnow
from app.models import SOURCES
from app.settings import DEFAULT_CATEGORIES, Category
from app.store.schema import account_categories, posts, wall_posts
from app.store.store import Store, Tx, WallInfo

__all__ = ["Categories", "CategoryError", "account_key", "split_account", "wall_categories"]


class CategoryError(ValueError):
    """A malformed account name, or a category the wall does not offer."""


def account_key(source: str, author_id: str) -> str:
    """Return the account's name as the API and the report spell it: `{source}:{author id}`."""
    return f"{source}:{author_id}"


def split_account(account: str) -> tuple[str, str]:
    """Return (source, author id) of an account name. Raises CategoryError."""
    source, _, author_id = account.partition(":")
    if source not in SOURCES or not author_id or len(author_id) > 600:
        raise CategoryError(f"an account is {{source}}:{{id}} with a source of "
                            f"{', '.join(SOURCES)}, got {account[:100]!r}")
    return source, author_id


def wall_categories(wall: WallInfo) -> list[Category]:
    """Return the categories the wall offers: its config's, or the defaults for a wall stored
    before categories existed."""
    raw = wall.config.get("categories")
    return [Category.model_validate(c) for c in (DEFAULT_CATEGORIES if raw is None else raw)]


def _choice(wall: WallInfo, category: str) -> str:
    """Return the wall's own spelling of `category` (case and spaces ignored). Raises
    CategoryError when the wall does not offer it."""
    wanted = " ".join(category.split()).casefold()
    for c in wall_categories(wall):
        if c.name.casefold() == wanted:
            return c.name
    names = ", ".join(c.name for c in wall_categories(wall))
    raise CategoryError(f"{category[:60]!r} is not a category of this wall ({names})")


def _row(r: Any) -> dict[str, Any]:
    return {"account": account_key(r.source, r.author_id), "handle": r.handle,
            "category": r.category, "updated_by": r.updated_by, "updated_at": iso(r.updated_at)}


class Categories:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def get(self, slug: str, account: str) -> dict[str, Any] | None:
        """Return the account's category on the wall with who set it and when, or None.
        Raises WallNotFound, CategoryError."""
        wall = self.store.wall(slug)
        source, author_id = split_account(account)
        t = account_categories
        async with self.store.engine.connect() as conn:
            row = (await conn.execute(select(t).where(
                t.c.wall_id == wall.id, t.c.source == source, t.c.author_id == author_id))).first()
        return None if row is None else _row(row)

    async def set(self, slug: str, account: str, category: str | None,
                  actor: str) -> dict[str, Any] | None:
        """Give the account `category` on the wall (None: take it away); returns the new entry.
        Raises WallNotFound, CategoryError."""
        wall = self.store.wall(slug)
        name = None if category is None else _choice(wall, category)
        source, author_id = split_account(account)

        async def run(tx: Tx) -> None:
            await self._put(tx, wall, source, author_id, name, actor)

        await self.store.write(run)
        return await self.get(slug, account)

    async def apply(self, slug: str, chosen: Mapping[str, str], actor: str, *,
                    keep: bool = True) -> int:
        """Give many accounts their category in one transaction; with `keep`, an account that
        has one already keeps it (a moderator's choice wins over bundled data). Returns how
        many were written. Raises WallNotFound, CategoryError (before writing anything)."""
        wall = self.store.wall(slug)
        wanted = {split_account(a): _choice(wall, c) for a, c in chosen.items()}

        async def run(tx: Tx) -> int:
            t = account_categories
            have = set()
            if keep:
                have = {(r.source, r.author_id) for r in await tx.conn.execute(
                    select(t.c.source, t.c.author_id).where(t.c.wall_id == wall.id))}
            todo = [(k, c) for k, c in wanted.items() if k not in have]
            for (source, author_id), name in todo:
                await self._put(tx, wall, source, author_id, name, actor)
            return len(todo)

        written: int = await self.store.write(run)
        return written

    async def _put(self, tx: Tx, wall: WallInfo, source: str, author_id: str,
                   name: str | None, actor: str) -> None:
        t = account_categories
        where = and_(t.c.wall_id == wall.id, t.c.source == source, t.c.author_id == author_id)
        if name is None:
            await tx.conn.execute(delete(t).where(where))
            return
        handle = (await tx.conn.execute(
            select(posts.c.author_handle).join(wall_posts, wall_posts.c.post_id == posts.c.id)
            .where(wall_posts.c.wall_id == wall.id, posts.c.source == source,
                   posts.c.author_id == author_id)
            .order_by(posts.c.created_at.desc()).limit(1))).scalar_one_or_none() or ""
        values = {"handle": handle, "category": name, "updated_by": actor[:200],
                  "updated_at": utcnow()}
        changed = await tx.conn.execute(update(t).where(where).values(**values))
        if not changed.rowcount:
            await tx.conn.execute(insert(t).values(
                wall_id=wall.id, source=source, author_id=author_id, **values))

    async def accounts(self, slug: str) -> list[dict[str, Any]]:
        """Return every account with a post on the wall (any state) or a category there:
        account, handle, name, posts and category (None when it has none), most posts first.
        Raises WallNotFound."""
        wall = self.store.wall(slug)
        t = account_categories
        authors = (
            select(posts.c.source, posts.c.author_id, func.count().label("posts"),
                   func.max(posts.c.author_handle).label("handle"),
                   func.max(posts.c.data[("author", "name")].as_string()).label("name"))
            .join(wall_posts, wall_posts.c.post_id == posts.c.id)
            .where(wall_posts.c.wall_id == wall.id)
            .group_by(posts.c.source, posts.c.author_id)).subquery()
        async with self.store.engine.connect() as conn:
            seen = (await conn.execute(select(authors))).all()
            chosen = {(r.source, r.author_id): r for r in await conn.execute(
                select(t).where(t.c.wall_id == wall.id))}
        out = [{"account": account_key(r.source, r.author_id), "handle": r.handle,
                "name": r.name or "", "posts": int(r.posts),
                "category": getattr(chosen.get((r.source, r.author_id)), "category", None)}
               for r in seen]
        known = {(r.source, r.author_id) for r in seen}
        out += [{"account": account_key(*k), "handle": r.handle, "name": "", "posts": 0,
                 "category": r.category} for k, r in chosen.items() if k not in known]
        return sorted(out, key=lambda a: (-a["posts"], a["handle"].casefold(), a["account"]))
