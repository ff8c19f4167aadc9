"""Supervised source tasks: source -> admission (policy and store in one transaction) -> hub.

One task per (wall, source). A source that raises is restarted with exponential backoff and full
jitter, resuming from its persisted cursors; one that returns (finished, or stopped on bad
credentials) stays down with its status saying why. No source failure reaches another source or
the wall: the wall keeps showing what it has.

With several processes only the leader of a wall's ingest group runs its sources (leader.py):
`start` campaigns for the group, and the sources start when this process wins it and stop
when it loses it; the new leader resumes from the cursors in the database.
"""

from __future__ import annotations

import asyncio
import functools
import hashlib
import logging
import random
import time
from typing import Literal

from app.ingest.admission import Admission, RulesLookup, stored_rules
from app.ingest.factory import SourceFactory, Unavailable, build_source
from app.ingest.leader import Leadership, Leases, LocalLeases
from app.models import Deletion, Post
from app.settings import Settings, WallConfig
from app.sources.base import Shared, Source, SourceContext, SourceEvent, SourceStatus
from app.sources.crosspost import CrosspostIndex
from app.store import Store
from app.store.cursors import WallCursors

__all__ = ["Ingest", "Role", "group"]

Role = Literal["leader", "standby"]


def group(wall: WallConfig, settings: Settings) -> str:
    """Return the wall's ingest group: every wall reading X with the same bearer token shares
    one (one stream connection, one request budget per token), any other wall is its own."""
    if "x" in wall.sources and settings.x_bearer_token is not None:
        secret = f"{settings.x_bearer_token.get_secret_value()}|{settings.x_api_base_url}"
        return f"x:{hashlib.sha256(secret.encode()).hexdigest()[:16]}"
    return f"wall:{wall.slug}"

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
        leases: Leases | None = None,
        poll_s: float = 1.0,
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
        # per bearer token): only the leader of the group runs the walls that use it.
        self.shared = Shared()
        self.leases = leases or LocalLeases()
        self.leadership = Leadership(self.leases, self._lead, poll_s)
        self._walls: dict[str, WallConfig] = {}  # every wall started here, leader or not
        self._groups: dict[str, str] = {}  # wall slug -> ingest group

    def start(self, walls: list[WallConfig]) -> None:
        """Run the walls' sources: at once when this process is alone, else whenever it
        leads their ingest group."""
        for wall in walls:
            if wall.slug in self._walls:
                continue
            key = self._groups[wall.slug] = group(wall, self.settings)
            self._walls[wall.slug] = wall
            if self.leases.local:
                self.leadership.held.add(key)
                self._run(wall)
            else:
                self.leadership.want(key)

    def role(self, slug: str) -> Role:
        """Return whether this process runs the wall's sources ("leader") or not."""
        key = self._groups.get(slug)
        return "leader" if key is not None and key in self.leadership.held else "standby"

    def roles(self) -> dict[str, Role]:
        """Return this process's role for every wall it serves."""
        return {slug: self.role(slug) for slug in sorted(self._walls)}

    async def _lead(self, key: str, leader: bool) -> None:
        """The election's word: start the group's walls, or stop them."""
        slugs = [s for s, k in self._groups.items() if k == key]
        if leader:
            for slug in slugs:
                if slug not in self._tasks:
                    self._run(self._walls[slug])
            return
        await self._halt(slugs)
        if key.startswith("x:"):
            self.shared = Shared()  # its stream is closed: a later lead builds a new one

    def _run(self, wall: WallConfig) -> None:
        """Start one supervised task per source of the wall."""
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
        """Stop the sources of one wall, or of all walls (and then let every lease go)."""
        if slug is None:  # sources first: nobody may take over while they still run
            await self._halt(list(self._tasks))
            await self.leadership.close()
            self._walls.clear()
            self._groups.clear()
            return
        await self._halt([slug])
        self._walls.pop(slug, None)
        key = self._groups.pop(slug, None)
        if key is not None and key not in self._groups.values():
            if self.leases.local:
                self.leadership.held.discard(key)
            else:
                self.leadership.want(key, False)

    async def _halt(self, slugs: list[str]) -> None:
        """Stop the sources of `slugs`; returns once they have ended."""
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
