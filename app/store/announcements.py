"""Announcements: short texts moderators put on a wall's screens, now or on a schedule.

Each change emits an `announcement` event in the same transaction and is written to the audit
log, like every other decision.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update

from app.clock import aware, iso, utcnow
from app.events import AnnouncementEvent
from app.store.decisions import record
from app.store.schema import announcements
from app.store.store import Store, Tx

__all__ = ["Announcements"]


class Announcements:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def announce(
        self, slug: str, text: str, actor: str,
        starts_at: datetime | None = None, ends_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Publish an announcement to the wall's screens; returns it."""
        wall = self.store.wall(slug)

        async def run(tx: Tx) -> dict[str, Any]:
            res = await tx.conn.execute(insert(announcements).values(
                wall_id=wall.id, text=text, starts_at=starts_at, ends_at=ends_at,
                created_by=actor, created_at=utcnow()))
            item = {"id": res.inserted_primary_key[0] if res.inserted_primary_key else None,
                    "text": text, "starts_at": iso(starts_at), "ends_at": iso(ends_at)}
            await tx.emit(wall, AnnouncementEvent, item)
            await record(tx, wall, "", "announce", actor, None, {}, item)
            return item

        return dict(await self.store.write(run))

    async def withdraw(self, slug: str, announcement_id: int, actor: str) -> None:
        """Take an announcement off the screens. Raises KeyError for an unknown id."""
        wall = self.store.wall(slug)

        async def run(tx: Tx) -> None:
            res = await tx.conn.execute(update(announcements).where(
                announcements.c.wall_id == wall.id, announcements.c.id == announcement_id,
                announcements.c.deleted_at.is_(None)).values(deleted_at=utcnow()))
            if res.rowcount == 0:
                raise KeyError(announcement_id)
            await tx.emit(wall, AnnouncementEvent, {"id": announcement_id, "deleted": True})
            await record(tx, wall, "", "withdraw", actor, None, {}, {"id": announcement_id})

        await self.store.write(run)

    async def current(self, slug: str) -> list[dict[str, Any]]:
        """Return the wall's current and scheduled announcements (not withdrawn or ended)."""
        wall = self.store.wall(slug)
        async with self.store.engine.connect() as conn:
            rows = (await conn.execute(
                select(announcements).where(announcements.c.wall_id == wall.id,
                                            announcements.c.deleted_at.is_(None))
                .order_by(announcements.c.id))).mappings().all()
        now = utcnow()
        return [{"id": r["id"], "text": r["text"], "starts_at": iso(r["starts_at"]),
                 "ends_at": iso(r["ends_at"])} for r in rows
                if r["ends_at"] is None or aware(r["ends_at"]) > now]
