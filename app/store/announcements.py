"""Announcements: short texts moderators put on a wall's screens, now or on a schedule.

A scheduled announcement is public only from its start: it is stored at once but reaches the
screens (an `announcement` event, in the same transaction that marks it published) when
`publish_due()` finds it due; until then only moderators can list it. Every change is written to
the audit log, like every other decision.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Any

from sqlalchemy import func, insert, select, update

from app.clock import aware, iso, utcnow
from app.events import AnnouncementEvent
from app.store.decisions import record
from app.store.schema import announcements, row_id, walls
from app.store.store import Store, Tx, WallInfo

__all__ = ["Announcements", "InvalidAnnouncement"]


class InvalidAnnouncement(ValueError):
    """The schedule makes no sense (an end before the start)."""


def _public(row: Any) -> dict[str, Any]:
    return {"id": row.id, "text": row.text, "starts_at": iso(row.starts_at),
            "ends_at": iso(row.ends_at)}


class Announcements:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def announce(
        self, slug: str, text: str, actor: str,
        starts_at: datetime | None = None, ends_at: datetime | None = None,
    ) -> dict[str, Any]:
        """Store an announcement; it reaches the screens now, or at `starts_at`. Times without
        a zone are UTC. Returns it. Raises InvalidAnnouncement when it would end before it
        starts or has already ended."""
        starts = aware(starts_at) if starts_at else None
        ends = aware(ends_at) if ends_at else None
        now = utcnow()
        if ends is not None and (ends <= (starts or now)):
            raise InvalidAnnouncement("ends_at must be after starts_at and in the future")
        wall = self.store.wall(slug)
        due = starts is None or starts <= now

        async def run(tx: Tx) -> dict[str, Any]:
            res = await tx.conn.execute(insert(announcements).values(
                wall_id=wall.id, text=text, starts_at=starts, ends_at=ends, created_by=actor,
                created_at=now, published_at=now if due else None))
            item = {"id": res.inserted_primary_key[0] if res.inserted_primary_key else None,
                    "text": text, "starts_at": iso(starts), "ends_at": iso(ends)}
            if due:
                await tx.emit(wall, AnnouncementEvent, item)
            await record(tx, wall, "", "announce", actor, None, {}, item)
            return item

        return dict(await self.store.write(run))

    async def withdraw(self, slug: str, announcement_id: int, actor: str) -> None:
        """Take an announcement off the screens (or out of the schedule). Raises KeyError for
        an unknown id."""
        wall = self.store.wall(slug)
        if not row_id(announcement_id):
            raise KeyError(announcement_id)

        async def run(tx: Tx) -> None:
            row = (await tx.conn.execute(select(announcements.c.published_at).where(
                announcements.c.wall_id == wall.id, announcements.c.id == announcement_id,
                announcements.c.deleted_at.is_(None)))).first()
            if row is None:
                raise KeyError(announcement_id)
            await tx.conn.execute(update(announcements).where(
                announcements.c.id == announcement_id).values(deleted_at=utcnow()))
            if row.published_at is not None:
                await tx.emit(wall, AnnouncementEvent, {"id": announcement_id, "deleted": True})
            await record(tx, wall, "", "withdraw", actor, None, {}, {"id": announcement_id})

        await self.store.write(run)

    async def current(self, slug: str) -> list[dict[str, Any]]:
        """Return what the wall's screens show: published, not withdrawn, not ended."""
        return [_public(r) for r in await self._rows(slug) if r.published_at is not None]

    async def listing(self, slug: str) -> list[dict[str, Any]]:
        """Return, for moderators, the current and the scheduled announcements."""
        return [{**_public(r), "published": r.published_at is not None}
                for r in await self._rows(slug)]

    async def _rows(self, slug: str) -> list[Any]:
        wall = self.store.wall(slug)
        async with self.store.engine.connect() as conn:
            rows = (await conn.execute(
                select(announcements).where(announcements.c.wall_id == wall.id,
                                            announcements.c.deleted_at.is_(None))
                .order_by(announcements.c.id))).all()
        now = utcnow()
        return [r for r in rows if r.ends_at is None or aware(r.ends_at) > now]

    async def publish_due(self) -> datetime | None:
        """Send every announcement whose start has come to its wall's screens; returns the
        next scheduled start, or None."""
        now = utcnow()
        async with self.store.engine.connect() as conn:
            due = (await conn.execute(
                select(announcements, walls.c.slug)
                .join(walls, walls.c.id == announcements.c.wall_id)
                .where(announcements.c.published_at.is_(None),
                       announcements.c.deleted_at.is_(None),
                       announcements.c.starts_at <= now))).all()
            later = (await conn.execute(select(func.min(announcements.c.starts_at)).where(
                announcements.c.published_at.is_(None), announcements.c.deleted_at.is_(None),
                announcements.c.starts_at > now))).scalar_one_or_none()
        for row in due:
            await self.store.write(partial(self._publish, wall=self.store.wall(row.slug), row=row))
        return aware(later) if later else None

    async def _publish(self, tx: Tx, *, wall: WallInfo, row: Any) -> None:
        """Mark the announcement published and send it, unless withdrawn or sent meanwhile."""
        res = await tx.conn.execute(update(announcements).where(
            announcements.c.id == row.id, announcements.c.published_at.is_(None),
            announcements.c.deleted_at.is_(None)).values(published_at=utcnow()))
        if res.rowcount:
            await tx.emit(wall, AnnouncementEvent, _public(row))
