"""Source cursors: durable key/value positions per (wall, source), so a restarted source resumes
where it stopped rather than from memory."""

from __future__ import annotations

from sqlalchemy import ColumnElement, and_, insert, select, update

from app.clock import utcnow
from app.store.schema import cursors
from app.store.store import Store, Tx

__all__ = ["WallCursors"]


class WallCursors:
    """The `CursorStore` of one (wall, source), backed by the store."""

    def __init__(self, store: Store, wall_id: int, source: str) -> None:
        self._store, self._wall_id, self._source = store, wall_id, source

    def _where(self, key: str) -> ColumnElement[bool]:
        return and_(cursors.c.wall_id == self._wall_id, cursors.c.source == self._source,
                    cursors.c.key == key)

    async def get(self, key: str) -> str | None:
        """Return the value saved under `key`, or None."""
        async with self._store.engine.connect() as conn:
            return (await conn.execute(select(cursors.c.value).where(self._where(key)))
                    ).scalar_one_or_none()

    async def set(self, key: str, value: str) -> None:
        """Save `value` under `key` (committed when this returns)."""
        async def run(tx: Tx) -> None:
            res = await tx.conn.execute(update(cursors).where(self._where(key))
                                        .values(value=value, updated_at=utcnow()))
            if res.rowcount == 0:
                await tx.conn.execute(insert(cursors).values(
                    wall_id=self._wall_id, source=self._source, key=key, value=value,
                    updated_at=utcnow()))

        await self._store.write(run)
