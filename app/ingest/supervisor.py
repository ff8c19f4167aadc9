"""Supervised source tasks: source -> admission (policy and store in one transaction) -> hub.

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

from app.ingest.admission import Admission, RulesLookup, stored_rules
from app.ingest.factory import SourceFactory, Unavailable, build_source
from app.models import Deletion, Post
from app.settings import Settings, WallConfig
from app.sources.base import Shared, Source, SourceContext, SourceEvent, SourceStatus
from app.sources.crosspost import CrosspostIndex
from app.store import Store
from app.store.cursors import WallCursors

__all__ = ["Ingest"]

log = logging.getLogger(__name__)


class Ingest:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        factory: SourceFactory = build_source,
        *,
        rules: RulesLookup = stored_rules,
        max_backoff_s: float = 300.0,
    ) -> None:
        self.store = store
        self.admission = Admission(store, rules)
        self.settings = settings
        self.factory = factory
        self.max_backoff_s = max_backoff_s
        self.sources: dict[str, list[Source]] = {}
        # Walls fed by more than one network collapse cross-posts to one card.
        self._crossposts: dict[str, CrosspostIndex] = {}
        self._tasks: dict[str, list[asyncio.Task[None]]] = {}
        # What sources share across walls in this process (X's one filtered-stream connection
        # per bearer token). An elected ingester of a cluster would own this registry.
        self.shared = Shared()

    def start(self, walls: list[WallConfig]) -> None:
        for wall in walls:
            if len(set(wall.sources) - {"replay"}) > 1:
                self._crossposts[wall.slug] = CrosspostIndex()
            for kind in dict.fromkeys(wall.sources):
                ctx = SourceContext(
                    wall=wall.slug,
                    hashtags=tuple(wall.hashtags),
                    cursors=WallCursors(self.store, self.store.wall(wall.slug).id, kind),
                    visible_ids=functools.partial(self._visible_ids, wall.slug),
                    shared=self.shared,
                )
                try:
                    source = self.factory(kind, ctx, wall, self.settings)
                except Exception as err:  # a broken source must not stop the wall
                    log.exception("source %s for wall %s failed to start", kind, wall.slug)
                    source = Unavailable(kind, f"failed to start: {err}")
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
        """Admit one source event; the store hands the resulting wall events to the hub."""
        if isinstance(item, Post):
            index = self._crossposts.get(slug)
            original = index.check(item) if index is not None else None
            await self.admission.admit(slug, item, crosspost_of=original)
        elif isinstance(item, Deletion):
            await self.admission.remove(item.post_id)
