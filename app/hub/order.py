"""Committed events into the hub once each and in seq order, from whichever path they come.

With several processes a wall's events reach this process's hub by three paths: its own commits
(the store's listener), other processes' commits (the Redis bus) and the database sweep. They
may arrive out of order or twice, and a bus message may be lost (Redis restarted). `Sequencer`
puts them in order: an event at or below the hub's seq is a duplicate and dropped; the next one
is delivered at once (no task hop, no query: the usual case); one past a gap waits while the
gap is filled from the database log (`events`), which holds every committed event: the store
allocates seqs under the wall's row lock, so when seq N is committed every seq below it is too.
A gap the log cannot fill any more (pruned) reloads the wall and drops its viewers with 1013, so
each resumes by (epoch, since) or gets a snapshot: never a silent gap (P1, P2).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from app.events import Event
from app.hub.fanout import Hub, UnknownWall

__all__ = ["Fetch", "Reload", "Sequencer"]

log = logging.getLogger(__name__)

Fetch = Callable[[str, int, int], Awaitable[list[Event]]]  # (slug, after seq, limit) -> events
Reload = Callable[[str], Awaitable[None]]  # load the wall into the hub afresh from the store


class Sequencer:
    """Delivers each wall's events to `hub` in seq order, once each, filling gaps by `fetch`."""

    def __init__(self, hub: Hub, fetch: Fetch, reload: Reload, *, page: int = 500) -> None:
        self.hub, self.fetch, self.reload, self.page = hub, fetch, reload, page
        self._waiting: dict[str, list[Event]] = {}  # events past a gap, by wall
        self._targets: dict[str, int] = {}  # a seq known committed, to catch up to
        self._fills: dict[str, asyncio.Task[None]] = {}
        self.gaps_filled = 0  # events read from the log to fill gaps
        self.reloads = 0  # walls reloaded because the log no longer held a gap

    def offer(self, slug: str, events: list[Event]) -> None:
        """Deliver `events` (seq ascending) of a wall the hub serves; those past a gap wait
        for it to be filled. Never waits; a wall the hub does not serve is ignored (its load
        reads the store)."""
        if slug not in self._fills:
            try:
                events = self._deliver(slug, events)
            except UnknownWall:
                return
            if not events:
                return
        self._waiting.setdefault(slug, []).extend(events)
        self._start(slug)

    def catch_up(self, slug: str, seq: int) -> asyncio.Task[None] | None:
        """Deliver everything up to `seq` (known committed) from the log; returns the task
        doing it, or None when the hub has it already."""
        try:
            if self.hub.seq(slug) >= seq:
                return None
        except UnknownWall:
            return None
        self._targets[slug] = max(seq, self._targets.get(slug, 0))
        return self._start(slug)

    def forget(self, slug: str) -> None:
        """The wall is gone: stop filling it."""
        task = self._fills.pop(slug, None)
        if task is not None:
            task.cancel()
        self._waiting.pop(slug, None)
        self._targets.pop(slug, None)

    async def close(self) -> None:
        """Stop every fill; returns once they have ended."""
        tasks = list(self._fills.values())
        for slug in list(self._fills):
            self.forget(slug)
        await asyncio.gather(*tasks, return_exceptions=True)

    def _deliver(self, slug: str, events: list[Event]) -> list[Event]:
        """Publish the run of `events` that follows the hub's seq; returns those past a gap.
        Raises UnknownWall."""
        seq = self.hub.seq(slug)
        ready: list[Event] = []
        for i, ev in enumerate(events):
            if ev.seq == seq + 1:
                ready.append(ev)
                seq = ev.seq
            elif ev.seq > seq + 1:
                if ready:
                    self.hub.publish(slug, ready)
                return [e for e in events[i:] if e.seq > seq]
        if ready:
            self.hub.publish(slug, ready)
        return []

    def _start(self, slug: str) -> asyncio.Task[None]:
        task = self._fills.get(slug)
        if task is None:
            task = self._fills[slug] = asyncio.get_running_loop().create_task(
                self._fill(slug), name=f"fill:{slug}")
        return task

    async def _fill(self, slug: str) -> None:
        """Read the log after the hub's seq until nothing waits and the target is reached;
        events that arrive meanwhile wait in order. A database error is logged and the
        fill ends: the next event or sweep tries again."""
        try:
            while True:
                waiting = sorted(self._waiting.pop(slug, []), key=lambda e: e.seq)
                seq = self.hub.seq(slug)
                waiting = self._deliver(slug, [e for e in waiting if e.seq > seq])
                seq = self.hub.seq(slug)
                goal = max(self._targets.get(slug, 0), waiting[0].seq - 1 if waiting else 0)
                if goal <= seq:
                    if waiting:  # cannot happen: _deliver would have taken them
                        continue
                    self._targets.pop(slug, None)
                    if not self._waiting.get(slug):
                        return
                    continue
                self._waiting.setdefault(slug, [])[:0] = waiting
                found = await self.fetch(slug, seq, min(goal - seq, self.page))
                if not found or found[0].seq != seq + 1:
                    log.warning("wall %s: events after seq %d are no longer in the log; "
                                "reloading it and resuming its viewers", slug, seq)
                    self.reloads += 1
                    await self.reload(slug)
                    self.hub.drop_subscribers(slug)
                    continue
                self.gaps_filled += len(found)
                self._deliver(slug, found)
        except UnknownWall:
            return
        except Exception:
            log.exception("wall %s: filling a gap from the log failed", slug)
        finally:
            if self._fills.get(slug) is asyncio.current_task():
                del self._fills[slug]
