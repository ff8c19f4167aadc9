"""Images an admin uploads for a wall (logo, sponsor or programme slides), kept in the database
so a wall's look moves with its data and needs no shared file system."""

from __future__ import annotations

from sqlalchemy import delete, insert, select

from app.clock import utcnow
from app.store.schema import assets, row_id
from app.store.store import Store, Tx

__all__ = ["Assets"]


class Assets:
    def __init__(self, store: Store) -> None:
        self.store = store

    async def add(self, slug: str, kind: str, content_type: str, data: bytes) -> int:
        """Store an image for the wall; returns its id."""
        wall = self.store.wall(slug)

        async def run(tx: Tx) -> int:
            res = await tx.conn.execute(insert(assets).values(
                wall_id=wall.id, kind=kind, content_type=content_type, data=data,
                created_at=utcnow()))
            return int(res.inserted_primary_key[0]) if res.inserted_primary_key else 0

        return int(await self.store.write(run))

    async def get(self, slug: str, asset_id: int) -> tuple[str, bytes] | None:
        wall = self.store.wall(slug)
        if not row_id(asset_id):
            return None
        async with self.store.engine.connect() as conn:
            row = (await conn.execute(select(assets.c.content_type, assets.c.data).where(
                assets.c.wall_id == wall.id, assets.c.id == asset_id))).first()
        return (row.content_type, bytes(row.data)) if row else None

    async def delete(self, slug: str, asset_id: int) -> None:
        wall = self.store.wall(slug)
        if not row_id(asset_id):
            return

        async def run(tx: Tx) -> None:
            await tx.conn.execute(delete(assets).where(assets.c.wall_id == wall.id,
                                                       assets.c.id == asset_id))

        await self.store.write(run)
