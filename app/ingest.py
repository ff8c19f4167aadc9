"""Supervised source tasks: source -> moderation (in the store's transaction) -> store -> hub.

One task per (wall, source). A source that raises is restarted with exponential backoff and full
jitter, resuming from its persisted cursors; one that returns (finished, or stopped on bad
credentials) stays down with its status saying why. No source failure reaches another source or
the wall: the wall keeps showing what it has.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import time
from collections.abc import Callable

from app.models import Deletion, Post
from app.settings import Settings, WallConfig
from app.sources.base import Source, SourceContext, SourceEvent, SourceStatus
from app.sources.crosspost import CrosspostIndex
from app.store import Store

__all__ = ["Ingest", "build_source"]

log = logging.getLogger(__name__)

SourceFactory = Callable[[str, SourceContext, WallConfig, Settings], Source]


class _Unavailable:
    """Stands in for a source that cannot start (missing credentials); shows why."""

    def __init__(self, name: str, reason: str) -> None:
        self.name = name
        self.status = SourceStatus(name)
        self.status.failed(reason, state="stopped")

    async def events(self):  # type: ignore[no-untyped-def]
        return
        yield


def build_source(kind: str, ctx: SourceContext, wall: WallConfig, settings: Settings) -> Source:
    """Return the source `kind` for `wall`. SDKs are imported only for enabled sources."""
    if kind == "replay":
        from app.sources.replay import ReplaySource

        return ReplaySource(ctx, settings.replay, wall.replay_file)
    if kind == "x":
        if settings.x_bearer_token is None:
            return _Unavailable("x", "TWEETWALL_X_BEARER_TOKEN is not set")
        from app.sources.x import XSource

        return XSource(ctx, settings.x, settings.x_bearer_token.get_secret_value(),
                       settings.x_api_base_url)
    if kind == "mastodon":
        instances = wall.mastodon_instances or settings.mastodon_instances
        if not instances:
            return _Unavailable("mastodon", "no Mastodon instances configured")
        from app.sources.mastodon import MastodonSource

        token = settings.mastodon_token.get_secret_value() if settings.mastodon_token else None
        return MastodonSource(ctx, settings.mastodon, instances, token)
    if kind == "bluesky":
        from app.sources.bluesky import BlueskySource

        return BlueskySource(ctx, settings.bluesky, settings.bluesky_jetstream_url)
    raise ValueError(f"unknown source {kind!r}")


class Ingest:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        factory: SourceFactory = build_source,
        *,
        max_backoff_s: float = 300.0,
    ) -> None:
        self.store = store
        self.settings = settings
        self.factory = factory
        self.max_backoff_s = max_backoff_s
        self.sources: dict[str, list[Source]] = {}
        # Walls fed by more than one network collapse cross-posts to one card.
        self._crossposts: dict[str, CrosspostIndex] = {}
        self._tasks: dict[str, list[asyncio.Task[None]]] = {}

    def start(self, walls: list[WallConfig]) -> None:
        for wall in walls:
            if len(set(wall.sources) - {"replay"}) > 1:
                self._crossposts[wall.slug] = CrosspostIndex()
            for kind in dict.fromkeys(wall.sources):
                ctx = SourceContext(
                    wall=wall.slug,
                    hashtags=tuple(wall.hashtags),
                    cursors=self.store.cursors(wall.slug, kind),
                    visible_ids=functools.partial(self._visible_ids, wall.slug),
                )
                try:
                    source = self.factory(kind, ctx, wall, self.settings)
                except Exception as err:  # a broken source must not stop the wall
                    log.exception("source %s for wall %s failed to start", kind, wall.slug)
                    source = _Unavailable(kind, f"failed to start: {err}")
                self.sources.setdefault(wall.slug, []).append(source)
                name = f"ingest:{wall.slug}:{kind}"
                task = asyncio.create_task(self._supervise(wall.slug, source), name=name)
                self._tasks.setdefault(wall.slug, []).append(task)

    async def stop(self, slug: str | None = None) -> None:
        """Stop the sources of one wall, or of all walls."""
        slugs = [slug] if slug is not None else list(self._tasks)
        tasks = [t for s in slugs for t in self._tasks.pop(s, [])]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        for s in slugs:
            self.sources.pop(s, None)
            self._crossposts.pop(s, None)

    async def _visible_ids(self, slug: str, source: str) -> list[str]:
        return await self.store.visible_ids(slug, source)

    def statuses(self, slug: str) -> list[SourceStatus]:
        return [s.status for s in self.sources.get(slug, [])]

    async def _supervise(self, slug: str, source: Source) -> None:
        backoff = 1.0
        while True:
            started = time.monotonic()
            try:
                async for item in source.events():
                    await self.handle(slug, item)
                log.info("source %s of wall %s ended (%s)", source.name, slug, source.status.state)
                return
            except asyncio.CancelledError:
                raise
            except Exception as err:
                log.exception("source %s of wall %s failed", source.name, slug)
                source.status.failed(f"{type(err).__name__}: {err}")
            if time.monotonic() - started > 60:
                backoff = 1.0
            delay = random.uniform(0, backoff)  # noqa: S311 - jitter, not security
            backoff = min(backoff * 2, self.max_backoff_s)
            await asyncio.sleep(delay)

    async def handle(self, slug: str, item: SourceEvent) -> None:
        """Store one source event; the store hands the resulting wall events to the hub."""
        if isinstance(item, Post):
            index = self._crossposts.get(slug)
            original = index.check(item) if index is not None else None
            await self.store.ingest(slug, item, crosspost_of=original)
        elif isinstance(item, Deletion):
            await self.store.delete_post(item.post_id)
