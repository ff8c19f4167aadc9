"""Persistence for walls, posts, moderation decisions, cursors and the per-wall event log."""

from app.store.store import Store, WallCursors, WallInfo, WallNotFound

__all__ = ["Store", "WallCursors", "WallInfo", "WallNotFound"]
