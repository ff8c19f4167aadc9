"""Counts of a wall for the API and the console header."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from app.clock import iso
from app.store.schema import posts, wall_posts
from app.store.store import Store

__all__ = ["wall_stats"]


async def wall_stats(store: Store, slug: str) -> dict[str, Any]:
    """Return posts by state, distinct accounts and the first and last post time of the wall's
    visible posts. Raises WallNotFound."""
    wall = store.wall(slug)
    async with store.engine.connect() as conn:
        counted = await conn.execute(
            select(wall_posts.c.state, func.count()).where(wall_posts.c.wall_id == wall.id)
            .group_by(wall_posts.c.state))
        by_state: dict[str, int] = {row[0]: int(row[1]) for row in counted}
        row = (await conn.execute(
            select(func.count(func.distinct(posts.c.author_id)), func.min(posts.c.created_at),
                   func.max(posts.c.created_at))
            .join(wall_posts, wall_posts.c.post_id == posts.c.id)
            .where(wall_posts.c.wall_id == wall.id, wall_posts.c.state == "visible"))).one()
    return {"posts": by_state.get("visible", 0), "pending": by_state.get("pending", 0),
            "hidden": by_state.get("hidden", 0), "accounts": row[0],
            "first_post_at": iso(row[1]), "last_post_at": iso(row[2])}
