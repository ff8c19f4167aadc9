"""Migrations and the table definitions agree, on SQLite and PostgreSQL."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from app.store import Store
from app.store.schema import metadata


async def test_migrated_database_matches_the_table_definitions(store: Store) -> None:
    """After every migration the database has exactly the tables and columns schema.py says."""
    def diff(sync_conn: Any) -> list[Any]:
        ctx = MigrationContext.configure(sync_conn, opts={"compare_type": True})
        return list(compare_metadata(ctx, metadata))

    async with store.engine.connect() as conn:
        changes = await conn.run_sync(diff)
    assert changes == []
