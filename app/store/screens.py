"""Named hall screens: an admin names a projector ("Hall A, left") and gets a URL with its key,
and may put it in a room of the wall's programme (it then shows that room's session).

Only a screen opened with its key reports its health to the console and takes remote reloads;
an anonymous viewer is just a viewer. A wall has at most `MAX_SCREENS`; the key is 32 random
bytes shown once, and only its SHA-256 is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from app.clock import utcnow
from app.store.schema import row_id, screens
from app.store.store import Store, Tx

__all__ = ["MAX_SCREENS", "Screen", "ScreenError", "Screens"]

MAX_SCREENS = 50


class ScreenError(ValueError):
    """A bad or taken name, or a wall with as many screens as it may have."""


@dataclass(frozen=True)
class Screen:
    id: int
    name: str
    room: str | None = None   # the programme's room it stands in; None: the whole wall


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class Screens:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def create(self, slug: str, name: str) -> tuple[Screen, str]:
        """Name a new screen of the wall; returns it and its key (shown only now). Raises
        ScreenError, WallNotFound."""
        name = " ".join(name.split())
        if not name or len(name) > 100 or not name.isprintable():
            raise ScreenError("a screen's name is 1 to 100 printable characters")
        wall = self.store.wall(slug)
        key = secrets.token_urlsafe(32)

        async def run(tx: Tx) -> Screen:
            count = (await tx.conn.execute(select(func.count()).select_from(screens)
                                           .where(screens.c.wall_id == wall.id))).scalar_one()
            if count >= MAX_SCREENS:
                raise ScreenError(f"a wall has at most {MAX_SCREENS} named screens")
            try:
                res = await tx.conn.execute(insert(screens).values(
                    wall_id=wall.id, name=name, key_hash=_digest(key), created_at=utcnow()))
            except IntegrityError:
                raise ScreenError(f"there is a screen named {name!r}") from None
            return Screen(int(res.inserted_primary_key[0]), name)  # type: ignore[index]

        return await self.store.write(run), key

    async def list(self, slug: str) -> list[Screen]:
        """Return the wall's named screens, by name. Raises WallNotFound."""
        wall = self.store.wall(slug)
        async with self.store.engine.connect() as conn:
            rows = await conn.execute(select(screens.c.id, screens.c.name, screens.c.room)
                                      .where(screens.c.wall_id == wall.id)
                                      .order_by(screens.c.name))
            return [Screen(r.id, r.name, r.room) for r in rows]

    async def by_key(self, slug: str, key: str) -> Screen | None:
        """Return the wall's screen with this key, or None (wrong key, or another wall's)."""
        if not key or len(key) > 100:
            return None
        wall = self.store.wall(slug)
        async with self.store.engine.connect() as conn:
            row = (await conn.execute(select(screens.c.id, screens.c.name, screens.c.room).where(
                screens.c.wall_id == wall.id, screens.c.key_hash == _digest(key)))).first()
        return Screen(row.id, row.name, row.room) if row else None

    async def set_room(self, slug: str, screen_id: int, room: str | None) -> Screen:
        """Put the screen in a room of the wall's programme (None: the whole wall again);
        returns it. Raises ScreenError for a bad room name, KeyError, WallNotFound."""
        wall = self.store.wall(slug)
        if not row_id(screen_id):
            raise KeyError(screen_id)
        if room is not None:
            room = " ".join(room.split())
            if not room or len(room) > 100 or not room.isprintable():
                raise ScreenError("a room's name is 1 to 100 printable characters")

        async def run(tx: Tx) -> Screen:
            res = await tx.conn.execute(update(screens).where(
                screens.c.wall_id == wall.id, screens.c.id == screen_id).values(room=room))
            if res.rowcount == 0:
                raise KeyError(screen_id)
            name = (await tx.conn.execute(select(screens.c.name).where(
                screens.c.id == screen_id))).scalar_one()
            return Screen(screen_id, name, room)

        screen: Screen = await self.store.write(run)
        return screen

    async def delete(self, slug: str, screen_id: int) -> None:
        """Forget a screen: its key stops working. Raises KeyError, WallNotFound."""
        wall = self.store.wall(slug)
        if not row_id(screen_id):
            raise KeyError(screen_id)

        async def run(tx: Tx) -> None:
            res = await tx.conn.execute(delete(screens).where(
                screens.c.wall_id == wall.id, screens.c.id == screen_id))
            if res.rowcount == 0:
                raise KeyError(screen_id)

        await self.store.write(run)
