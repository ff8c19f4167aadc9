"""Report fixtures: the store fixtures of tests/store (SQLite and, when reachable, PostgreSQL)."""

from tests.store.conftest import db_url, store

__all__ = ["db_url", "store"]
