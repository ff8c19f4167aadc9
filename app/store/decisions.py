"""Moderators' decisions, persisted: actions on posts, block rules, the audit log and undo.

Each runs in one transaction of the store's single writer (see store.py): it reads the post's
current state, applies the pure transition table (app/moderation/transitions.py), records a
decision row with the state before and after, and emits the wall events — so a 2xx means
committed (P3) and screens learn of it in seq order. An undo restores the recorded `before` only
while the post is still as that action left it; if somebody acted since, it refuses rather than
guess. A change to the block list marks the wall's rules as changed in the same transaction.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from functools import partial
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from app.clock import iso, utcnow
from app.moderation import (
    Action,
    Block,
    Conflict,
    InvalidAction,
    RuleSet,
    matches_block,
    transition,
)
from app.store import posts as post_rows
from app.store.posts import Placement
from app.store.schema import blocks, decisions, posts, wall_posts
from app.store.store import Store, Tx, WallInfo

__all__ = ["Decisions", "block_rules", "record"]


async def block_rules(conn: AsyncConnection, wall: WallInfo) -> list[Block]:
    """Return the wall's block rules, oldest first."""
    found = await conn.execute(select(blocks.c.kind, blocks.c.value)
                               .where(blocks.c.wall_id == wall.id).order_by(blocks.c.id))
    return [Block(r.kind, r.value) for r in found]


async def record(
    tx: Tx, wall: WallInfo, post_id: str, action: str, actor: str,
    reason: str | None, before: dict[str, Any], after: dict[str, Any],
) -> dict[str, Any]:
    """Write an audit entry for `action` and tell the consoles; returns the entry."""
    at = utcnow()
    result = await tx.conn.execute(insert(decisions).values(
        wall_id=wall.id, post_id=post_id, action=action, actor=actor, reason=reason, at=at,
        before=before, after=after))
    entry = {"id": result.inserted_primary_key[0] if result.inserted_primary_key else None,
             "post_id": post_id, "action": action, "actor": actor, "reason": reason,
             "at": iso(at), "before": before, "after": after}
    tx.notify(wall.slug, {"type": "decision", **entry})
    return entry


def _matching(page: list[tuple[str, dict[str, Any]]], rules: RuleSet) -> list[str]:
    return [post_id for post_id, data in page if matches_block(data, rules)]


class Decisions:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def moderate(
        self, slug: str, post_id: str, action: Action, actor: str, reason: str | None = None
    ) -> dict[str, Any]:
        """Apply `action` to the post; returns the audit entry. Raises KeyError (unknown post),
        InvalidAction (does not apply, e.g. somebody already did it)."""
        wall = self.store.wall(slug)

        async def run(tx: Tx) -> dict[str, Any]:
            row = await self._row(tx, wall, post_id)
            t = transition(action, row.state, row.pinned, deleted=row.deleted)
            await post_rows.set_state(tx, wall, post_id, row.data, (row.state, row.pinned),
                                       (t.state, t.pinned), reason)
            return await record(
                tx, wall, post_id, action, actor, reason,
                {"state": row.state, "pinned": row.pinned, "by": await self._last_actor(
                    tx, wall, post_id)},
                {"state": t.state, "pinned": t.pinned})

        return dict(await self.store.write(run))

    async def _row(self, tx: Tx, wall: WallInfo, post_id: str) -> Placement:
        """Return the post's place on the wall. Raises KeyError when it is not there."""
        found = await post_rows.placement(tx, wall, post_id)
        if found is None:
            raise KeyError(post_id)
        return found

    async def _last_actor(self, tx: Tx, wall: WallInfo, post_id: str) -> str | None:
        return (await tx.conn.execute(
            select(decisions.c.actor).where(decisions.c.wall_id == wall.id,
                                            decisions.c.post_id == post_id)
            .order_by(decisions.c.id.desc()).limit(1))).scalar_one_or_none()

    # -- blocks ----------------------------------------------------------------------------

    async def add_block(
        self, slug: str, kind: str, value: str, actor: str, reason: str | None = None
    ) -> dict[str, Any]:
        """Add a block rule and hide every shown or queued post it matches, at once.
        Returns the audit entry (its `before` lists the posts hidden). Raises InvalidAction
        for an empty value or a rule that exists.

        The rule is committed first, so every post admitted from then on meets it. The posts
        already on the wall are then matched in pages read outside the writer lock, in a worker
        thread, and hidden a page per transaction: on a wall of 50,000 posts, live events and
        heartbeats keep flowing meanwhile (a single pass under the lock stalled them ~10 s).
        """
        wall = self.store.wall(slug)
        value = value.strip()
        if kind not in ("author", "keyword") or not value or len(value) > 300:
            raise InvalidAction("a block is an author or a keyword of 1 to 300 characters")
        rules = RuleSet(blocks=(Block(kind, value),), wordlist=False)  # type: ignore[arg-type]

        async def insert_rule(tx: Tx) -> int | None:
            exists = await tx.conn.execute(select(blocks.c.id).where(
                blocks.c.wall_id == wall.id, blocks.c.kind == kind, blocks.c.value == value))
            if exists.first():
                raise InvalidAction(f"{kind} {value!r} is already blocked")
            res = await tx.conn.execute(insert(blocks).values(
                wall_id=wall.id, kind=kind, value=value, created_by=actor, reason=reason,
                created_at=utcnow()))
            tx.rules_changed(slug)
            return res.inserted_primary_key[0] if res.inserted_primary_key else None

        block_id = await self.store.write(insert_rule)
        label = f"blocked {kind} {value}"
        hidden: dict[str, str] = {}
        async for page in self._shown_pages(wall):
            hits = await asyncio.to_thread(_matching, page, rules)
            if hits:
                hidden.update(await self.store.write(partial(self._hide, wall=wall,
                                                             post_ids=hits, label=label)))

        async def audit(tx: Tx) -> dict[str, Any]:
            return await record(tx, wall, "", "block", actor, reason, {"states": hidden},
                                {"block_id": block_id, "kind": kind, "value": value})

        return dict(await self.store.write(audit))

    async def _shown_pages(
        self, wall: WallInfo, size: int = 500
    ) -> AsyncIterator[list[tuple[str, dict[str, Any]]]]:
        """Yield the wall's shown and queued posts, `size` at a time, as (id, stored data)."""
        after = ""
        while True:
            async with self.store.engine.connect() as conn:
                page = [(r.post_id, r.data) for r in await conn.execute(
                    select(wall_posts.c.post_id, posts.c.data)
                    .join(posts, posts.c.id == wall_posts.c.post_id)
                    .where(wall_posts.c.wall_id == wall.id, wall_posts.c.state != "hidden",
                           wall_posts.c.post_id > after)
                    .order_by(wall_posts.c.post_id).limit(size))]
            if not page:
                return
            yield page
            after = page[-1][0]

    async def _hide(self, tx: Tx, wall: WallInfo, post_ids: list[str],
                    label: str) -> dict[str, str]:
        """Hide the posts that are still shown or queued; returns their states before."""
        before: dict[str, str] = {}
        for post_id in post_ids:
            row = await post_rows.placement(tx, wall, post_id)
            if row is not None and row.state != "hidden":
                await post_rows.set_state(tx, wall, post_id, row.data, (row.state, row.pinned),
                                          ("hidden", False), label)
                before[post_id] = row.state
        return before

    async def remove_block(self, slug: str, kind: str, value: str, actor: str) -> dict[str, Any]:
        """Delete a block rule (posts it hid stay hidden; undo the block to restore them).
        Raises KeyError when there is no such rule."""
        wall = self.store.wall(slug)

        async def run(tx: Tx) -> dict[str, Any]:
            res = await tx.conn.execute(delete(blocks).where(
                blocks.c.wall_id == wall.id, blocks.c.kind == kind, blocks.c.value == value))
            if res.rowcount == 0:
                raise KeyError(value)
            tx.rules_changed(slug)
            return await record(tx, wall, "", "unblock", actor, None, {},
                                      {"kind": kind, "value": value})

        return dict(await self.store.write(run))

    async def blocks(self, slug: str) -> list[dict[str, Any]]:
        wall = self.store.wall(slug)
        async with self.store.engine.connect() as conn:
            rows = (await conn.execute(select(blocks).where(blocks.c.wall_id == wall.id)
                                       .order_by(blocks.c.id))).mappings().all()
        return [{"kind": r["kind"], "value": r["value"], "created_by": r["created_by"],
                 "reason": r["reason"], "created_at": iso(r["created_at"])} for r in rows]

    # -- audit and undo --------------------------------------------------------------------

    async def audit(self, slug: str, limit: int = 100) -> list[dict[str, Any]]:
        """Return the wall's decisions, newest first."""
        wall = self.store.wall(slug)
        async with self.store.engine.connect() as conn:
            rows = (await conn.execute(select(decisions).where(decisions.c.wall_id == wall.id)
                                       .order_by(decisions.c.id.desc()).limit(limit))
                    ).mappings().all()
        return [{"id": r["id"], "post_id": r["post_id"] or None, "action": r["action"],
                 "actor": r["actor"], "reason": r["reason"], "at": iso(r["at"]),
                 "undone_at": iso(r["undone_at"])} for r in rows]

    async def undo(self, slug: str, actor: str, decision_id: int | None = None) -> dict[str, Any]:
        """Undo decision `decision_id`, or the actor's latest decision not yet undone.
        Returns the new audit entry. Raises KeyError (nothing to undo), Conflict."""
        wall = self.store.wall(slug)

        async def run(tx: Tx) -> dict[str, Any]:
            c = tx.conn
            q = select(decisions).where(decisions.c.wall_id == wall.id,
                                        decisions.c.undone_at.is_(None),
                                        decisions.c.action != "undo")
            q = (q.where(decisions.c.id == decision_id) if decision_id is not None
                 else q.where(decisions.c.actor == actor))
            d = (await c.execute(q.order_by(decisions.c.id.desc()).limit(1))).mappings().first()
            if d is None:
                raise KeyError("nothing to undo")
            before, after = d["before"] or {}, d["after"] or {}
            if d["action"] == "block":
                await c.execute(delete(blocks).where(blocks.c.id == after.get("block_id")))
                tx.rules_changed(slug)
                label = f"blocked {after.get('kind')} {after.get('value')}"
                for post_id, state in (before.get("states") or {}).items():
                    row = await self._row(tx, wall, post_id)
                    if row.state == "hidden" and row.reason == label and not row.deleted:
                        await post_rows.set_state(tx, wall, post_id, row.data, ("hidden", False),
                                                   (state, False), "block undone")
            elif d["action"] == "unblock":
                await c.execute(insert(blocks).values(
                    wall_id=wall.id, kind=after["kind"], value=after["value"],
                    created_by=actor, reason="unblock undone", created_at=utcnow()))
                tx.rules_changed(slug)
            else:
                row = await self._row(tx, wall, d["post_id"])
                if (row.state, row.pinned) != (after.get("state"), after.get("pinned")):
                    raise Conflict("the post changed since; nothing was undone")
                if row.deleted and before.get("state") != "hidden":
                    raise Conflict("the post was deleted at its source")
                await post_rows.set_state(tx, wall, d["post_id"], row.data,
                                           (row.state, row.pinned),
                                           (before["state"], bool(before.get("pinned"))), "undone")
            await c.execute(update(decisions).where(decisions.c.id == d["id"])
                            .values(undone_at=utcnow()))
            return await record(tx, wall, d["post_id"], "undo", actor,
                                      f"undo {d['action']} #{d['id']}", after, before)

        return dict(await self.store.write(run))

