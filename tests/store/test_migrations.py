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


async def test_sqlite_syncs_every_commit(tmp_path: Any) -> None:
    """On SQLite every commit is synced (synchronous=FULL), so a 2xx hide survives a power cut."""
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    await store.open()
    try:
        async with store.engine.connect() as conn:
            mode = (await conn.exec_driver_sql("PRAGMA synchronous")).scalar()
            journal = (await conn.exec_driver_sql("PRAGMA journal_mode")).scalar()
    finally:
        await store.close()
    assert (mode, journal) == (2, "wal")
