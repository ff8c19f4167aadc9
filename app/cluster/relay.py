"""Every process's commits to this process's screens and consoles (docs/scale.md).

`Relay.committed` is the store's listener: this process's own commits go to its hub (through
the `Sequencer`) and consoles at once, and to the other processes over the bus. What the bus
brings from them goes the same way. The sweep re-reads the walls every `sweep_s` (one query):
it picks up walls created, changed or deleted elsewhere, and any seq the hub has not seen, so a
lost message costs at most one sweep's delay, never a silent gap. When the bus may have lost
messages (its subscription reconnected, or a process could not publish) the relay sweeps at
once and drops the consoles (1013): a console reloads its queue when it reconnects.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from app.events import event_from_dict
from app.hub import Hub
from app.hub.order import Sequencer
from app.modfeed import ModFeed
from app.store import Commit, Store

if TYPE_CHECKING:
    from app.cluster.bus import RedisBus

__all__ = ["Relay", "SyncWalls"]

log = logging.getLogger(__name__)

SyncWalls = Callable[[set[str], set[str]], Awaitable[None]]  # (created or changed, deleted)


class Relay:
    def __init__(self, store: Store, hub: Hub, modfeed: ModFeed, sequencer: Sequencer,
                 sync_walls: SyncWalls, *, sweep_s: float = 0.0) -> None:
        self.store, self.hub, self.modfeed, self.sequencer = store, hub, modfeed, sequencer
        self.sync_walls = sync_walls
        self.sweep_s = sweep_s  # 0: one process alone, nothing to sweep for
        self.bus: RedisBus | None = None
        self.sweeps = 0
        self._sweeper: asyncio.Task[None] | None = None
        self._sweep_lock = asyncio.Lock()
        self._soon: asyncio.Task[None] | None = None
        self._again = False  # asked for while a sweep ran: it may have read too early

    def use_bus(self, url: str, prefix: str) -> RedisBus:
        """Carry commits to and from other processes over Redis at `url`; returns the bus."""
        from app.cluster.bus import RedisBus  # redis is imported only when it is used

        self.bus = RedisBus(url, prefix, self.received, self.connected)
        return self.bus

    async def start(self) -> None:
        if self.bus is not None:
            await self.bus.start()
        if self.sweep_s > 0:
            self._sweeper = asyncio.create_task(self._sweeping(), name="sweep")

    async def stop(self) -> None:
        for task in (self._sweeper, self._soon):
            if task is not None:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        if self.bus is not None:
            await self.bus.close()
        await self.sequencer.close()

    # -- this process's commits ------------------------------------------------------------

    def committed(self, commit: Commit) -> None:
        """The store's listener: deliver here at once, then tell the other processes."""
        for slug, events in commit.events.items():
            self.sequencer.offer(slug, events)
        for slug, messages in commit.console.items():
            self.modfeed.publish(slug, messages)
        if self.bus is None:
            return
        for slug in commit.events.keys() | commit.console.keys():
            body: dict[str, Any] = {}
            if slug in commit.events:
                body["events"] = [e.wire() for e in commit.events[slug]]
            if slug in commit.console:
                body["console"] = commit.console[slug]
            self.bus.publish(f"wall:{slug}", body)
        if commit.walls or commit.deleted:
            self.bus.publish("walls", {"changed": sorted(commit.walls),
                                       "deleted": sorted(commit.deleted)})

    # -- the other processes' ----------------------------------------------------------------

    def received(self, topic: str, body: dict[str, Any]) -> None:
        """A message from another process: events and console items of one wall, a change of
        walls, or word that it could not publish for a while."""
        if topic.startswith("wall:"):
            slug = topic[5:]
            if body.get("events"):
                self.sequencer.offer(slug, [event_from_dict(e) for e in body["events"]])
            if body.get("console"):
                self.modfeed.publish(slug, body["console"])
        elif topic == "walls":
            self._sweep_soon()
        elif topic == "sync":
            self.modfeed.drop_all()
            self._sweep_soon()

    async def connected(self, again: bool) -> None:
        """The subscription is (back) up: catch up from the log. Raises what the sweep
        raises (the database is away)."""
        if again:
            self.modfeed.drop_all()
        await self.sweep()

    # -- the sweep -------------------------------------------------------------------------

    async def sweep(self) -> None:
        """Re-read the walls: pick up the ones created, changed or deleted elsewhere, and
        deliver every committed seq the hub has not seen. Raises on a database error."""
        async with self._sweep_lock:
            self.sweeps += 1
            changed, gone = await self.store.reload_walls()
            if changed or gone or set(self.hub.walls()) != {w.slug for w in self.store.walls()}:
                await self.sync_walls(changed, gone)
            for info in self.store.walls():
                self.sequencer.catch_up(info.slug, info.last_seq)

    def _sweep_soon(self) -> None:
        if self._soon is None or self._soon.done():
            self._soon = asyncio.get_running_loop().create_task(self._sweep_logged())
        else:
            self._again = True

    async def _sweep_logged(self) -> None:
        self._again = True
        while self._again:
            self._again = False
            try:
                await self.sweep()
            except Exception:
                log.exception("sweep failed")

    async def _sweeping(self) -> None:
        while True:
            await asyncio.sleep(self.sweep_s)
            await self._sweep_logged()
