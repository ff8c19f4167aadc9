"""The Bluesky source (Jetstream filtered by hashtag, AppView profiles, a search backfill).

Importing this package imports httpx and websockets; `app.sources` alone imports neither.
"""

from app.sources.bluesky.source import BlueskySource

__all__ = ["BlueskySource"]
