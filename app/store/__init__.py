"""Persistence only: walls, posts and their place on walls, decisions, announcements, accounts,
cursors and the per-wall event log. Nothing here decides what a post's state should be."""

from app.store.store import Commit, Store, Tx, WallInfo, WallNotFound

__all__ = ["Commit", "Store", "Tx", "WallInfo", "WallNotFound"]
