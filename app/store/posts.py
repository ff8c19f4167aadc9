"""Writes of posts and of their place on walls, as steps of one transaction (`Tx`).

`posts` holds one row per global id, whatever wall or path it came by; `wall_posts` holds each
wall's view of it (state, pin, order). These functions only read and write rows and emit the
events a change means for screens; which state a post should take is decided by the caller
(the policy for a new post, the transition table for a moderator's action).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, insert, select, update

from app.clock import utcnow
from app.events import PostEvent, RemoveEvent
from app.merge import merge_posts
from app.models import AlsoOn, Post
from app.moderation import State
from app.moderation import text_key as moderation_text_key
from app.store.schema import posts, tombstones, wall_posts, walls
from app.store.store import Tx, WallInfo

__all__ = [
    "Placement",
    "author_key",
    "author_posts_since",
    "find_duplicate",
    "next_order",
    "note_crosspost",
    "place",
    "placement",
    "republish",
    "set_state",
    "tombstone",
    "tombstoned",
    "upsert",
]

# Fields that change without changing what a screen shows: no new event for them alone.
_NOT_DISPLAYED = ("metrics",)


@dataclass(frozen=True)
class Placement:
    """A post's place on one wall, with the stored post."""

    state: State
    pinned: bool
    reason: str | None
    data: dict[str, Any]
    deleted: bool


def author_key(source: str, author_id: str) -> str:
    """Return the indexed key of an author (the same digest as migration 0008)."""
    return hashlib.sha1(f"{source}\0{author_id}".encode(), usedforsecurity=False).hexdigest()


def _shown(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in _NOT_DISPLAYED}


async def tombstoned(tx: Tx, post_id: str) -> bool:
    """Return whether the post was deleted at its source (it never comes back)."""
    found = await tx.conn.execute(select(tombstones.c.post_id)
                                  .where(tombstones.c.post_id == post_id))
    return found.first() is not None


async def upsert(tx: Tx, post: Post, data: dict[str, Any], text_key: str | None) -> bool:
    """Insert the post's row, or merge this sighting into the stored one (app/merge.py: a later
    sighting may add and update, never take away); returns whether an existing post changed in
    a way screens show.

    `data` (the sighting's wire form without `pinned`) is updated in place to the merged form,
    so what the caller then places or republishes is the merged card, never the poorer copy."""
    old = (await tx.conn.execute(select(posts.c.data).where(posts.c.id == post.id))).first()
    if old is not None:
        post = merge_posts(Post.model_validate(old.data), post)
        data.clear()
        data.update(_wire(post))
        text_key = moderation_text_key(post)
    values = dict(source=post.source, author_id=post.author.id, author_handle=post.author.handle,
                  author_key=author_key(post.source, post.author.id),
                  created_at=post.created_at, text=post.text, data=data, text_key=text_key)
    if old is None:
        await tx.conn.execute(insert(posts).values(id=post.id, ingested_at=utcnow(), **values))
        return False
    if old.data != data:
        await tx.conn.execute(update(posts).where(posts.c.id == post.id).values(**values))
    return _shown(old.data) != _shown(data)


def _wire(post: Post) -> dict[str, Any]:
    """Return the stored form of a post: its wire form without `pinned` (a wall's, not the
    post's)."""
    data = post.wire()
    data.pop("pinned", None)
    return data


async def placement(tx: Tx, wall: WallInfo, post_id: str) -> Placement | None:
    """Return the post's place on the wall, or None if it is not on it."""
    row = (await tx.conn.execute(
        select(wall_posts.c.state, wall_posts.c.pinned, wall_posts.c.reason, posts.c.data,
               posts.c.deleted_at)
        .join(posts, posts.c.id == wall_posts.c.post_id)
        .where(wall_posts.c.wall_id == wall.id, wall_posts.c.post_id == post_id))).first()
    if row is None:
        return None
    return Placement(row.state, bool(row.pinned), row.reason, row.data,
                     row.deleted_at is not None)


async def author_posts_since(tx: Tx, wall: WallInfo, post: Post, since: datetime) -> int:
    """Return how many posts by the post's author reached the wall since `since`."""
    return int((await tx.conn.execute(
        select(func.count()).select_from(wall_posts)
        .join(posts, posts.c.id == wall_posts.c.post_id)
        .where(posts.c.author_key == author_key(post.source, post.author.id),
               posts.c.ingested_at > since, wall_posts.c.wall_id == wall.id))).scalar_one())


async def find_duplicate(tx: Tx, wall: WallInfo, text_key: str, post_id: str) -> str | None:
    """Return the id of another post on the wall, not hidden, with the same text key."""
    # Driven by the text key's index: as a join, SQLite (without statistics) walked every post
    # of the wall instead, 35 ms a post at 20,000 (bench/ingest.py --history).
    same_text = select(posts.c.id).where(posts.c.text_key == text_key, posts.c.id != post_id)
    return (await tx.conn.execute(
        select(wall_posts.c.post_id)
        .where(wall_posts.c.wall_id == wall.id, wall_posts.c.post_id.in_(same_text),
               wall_posts.c.state != "hidden")
        .limit(1))).scalar_one_or_none()


async def note_crosspost(tx: Tx, wall: WallInfo, original: str, copy: Post) -> bool:
    """Add `copy` to the original's `also_on` (re-sending a visible card); returns False when
    the original is not on this wall. The entry is merged like any sighting, so it stays
    through later edits of the original."""
    found = await placement(tx, wall, original)
    if found is None:
        return False
    stored = Post.model_validate(found.data)
    entry = AlsoOn(source=copy.source, id=copy.id, url=copy.url)
    merged = merge_posts(stored, stored.model_copy(update={"also_on": [entry]}))
    data = _wire(merged)
    if data == found.data:
        return True
    await tx.conn.execute(update(posts).where(posts.c.id == original).values(data=data))
    if found.state == "visible":
        await republish(tx, wall, data, found.pinned)
    return True


async def place(tx: Tx, wall: WallInfo, data: dict[str, Any], state: State,
                reason: str | None) -> None:
    """Put a new post on the wall in `state`: a visible one goes to screens; every one goes to
    the moderators' consoles with its reason."""
    order = await next_order(tx, wall)
    if state == "visible":
        await republish(tx, wall, data, False)
    await tx.conn.execute(insert(wall_posts).values(
        wall_id=wall.id, post_id=data["id"], state=state, pinned=False, reason=reason,
        updated_at=utcnow(), order_seq=order))
    tx.notify(wall.slug, {"type": "post", "state": state, "reason": reason,
                          "post": {**data, "pinned": False}})


async def next_order(tx: Tx, wall: WallInfo) -> int:
    """Return the wall's next order key for a post placed (or shown) now: increasing, unique."""
    return int((await tx.conn.execute(
        update(walls).where(walls.c.id == wall.id)
        .values(last_order=walls.c.last_order + 1).returning(walls.c.last_order))).scalar_one())


async def republish(tx: Tx, wall: WallInfo, data: dict[str, Any], pinned: bool) -> PostEvent:
    """Send the post's current form to the wall's screens; returns the event."""
    return await tx.emit(wall, PostEvent, {**data, "pinned": pinned})


async def set_state(
    tx: Tx, wall: WallInfo, post_id: str, data: dict[str, Any],
    old: tuple[State, bool], new: tuple[State, bool], reason: str | None,
) -> None:
    """Write the post's new (state, pinned) on the wall and emit what screens must see: the
    card (shown, or its pin changed) or its removal."""
    (old_state, old_pin), (state, pin) = old, new
    values: dict[str, Any] = {"state": state, "pinned": pin, "reason": reason,
                              "updated_at": utcnow()}
    if state == "visible" and (old_state != "visible" or pin != old_pin):
        await republish(tx, wall, data, pin)
        if old_state != "visible":
            values["order_seq"] = await next_order(tx, wall)
    elif state != "visible" and old_state == "visible":
        await tx.emit(wall, RemoveEvent, post_id)
    await tx.conn.execute(update(wall_posts).where(
        wall_posts.c.wall_id == wall.id, wall_posts.c.post_id == post_id).values(**values))


async def tombstone(tx: Tx, post_id: str, wall_named: Callable[[str], WallInfo]) -> bool:
    """Record that the post was deleted at its source and hide it on every wall; returns False
    if it already was."""
    if await tombstoned(tx, post_id):
        return False
    await tx.conn.execute(insert(tombstones).values(post_id=post_id, at=utcnow()))
    await tx.conn.execute(update(posts).where(posts.c.id == post_id).values(deleted_at=utcnow()))
    rows = (await tx.conn.execute(
        select(wall_posts.c.state, wall_posts.c.pinned, walls.c.slug, posts.c.data)
        .join(walls, walls.c.id == wall_posts.c.wall_id)
        .join(posts, posts.c.id == wall_posts.c.post_id)
        .where(wall_posts.c.post_id == post_id))).all()
    for row in rows:
        await set_state(tx, wall_named(row.slug), post_id, row.data, (row.state, row.pinned),
                        ("hidden", False), "deleted at source")
    return True
