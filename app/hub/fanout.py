"""Fan-out of committed wall events to live subscribers, with snapshots and resume (P1, P2, P6).

Per wall the hub keeps the current visible posts (bounded, newest first), the last `seq` and a
retained log of recent events. A frame is encoded once and written straight to every connection
whose transport takes it now (`Writer.try_write`): no task hop, no queue, as fast as the naive
`for ws in clients: await ws.send(...)` loop when all is well. Only a connection whose transport
is paused (its client reads slowly or not at all) gets a bounded backlog, drained by a task of
its own once the transport resumes; one whose backlog overflows, or that makes no progress for
`stall_s`, is dropped (closed with 1013) and its client resumes by `(epoch, since)`. So one stuck
client costs the others nothing, and publishing never awaits a client.

Batching adapts to the load: the first events after a quiet spell go out on the next loop turn;
while flushes are busy, events wait for the next one, which starts no sooner after the last one
ended than that one took (at most `batch_ms`), so fan-out takes at most about half the loop.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from app.events import (
    AnnouncementEvent,
    Event,
    PostEvent,
    RemoveEvent,
    WallEvent,
    events_frame,
    heartbeat_frame,
    snapshot_frame,
)
from app.hub.subscription import CLOSE_TRY_AGAIN, Subscription, Writer

__all__ = ["Hub", "UnknownWall"]


class UnknownWall(LookupError):
    pass


@dataclass
class _Channel:
    epoch: str
    seq: int
    wall: dict[str, Any]
    posts: OrderedDict[str, dict[str, Any]]  # oldest first; bounded
    pinned: dict[str, dict[str, Any]]
    log: deque[Event]
    subscribers: set[Subscription] = field(default_factory=set)
    pending: list[Event] = field(default_factory=list)
    flushed_seq: int = 0
    flush_handle: asyncio.Handle | None = None
    next_flush_at: float = 0.0  # loop time before which a busy wall does not flush again
    # First frames already encoded at this seq, by `since` (None: the snapshot). A reconnect
    # storm brings thousands of clients back at the same `since`: one encoding serves them all.
    starts: dict[int | None, str] = field(default_factory=dict)


class Hub:
    def __init__(
        self,
        *,
        snapshot_size: int = 120,
        resume_log: int = 2000,
        batch_ms: int = 100,
        queue_frames: int = 64,
    ) -> None:
        self.snapshot_size = snapshot_size
        self.resume_log = resume_log
        self.batch_ms = batch_ms  # the longest the window grows under load (0: no batching)
        self.queue_frames = queue_frames  # a lagging subscriber's backlog, in frames
        self._walls: dict[str, _Channel] = {}
        self.dropped = 0
        self.frames_sent = 0
        self.flushes = 0  # frames encoded and fanned out, and the time that took in all
        self.flush_seconds = 0.0

    # -- setup -----------------------------------------------------------------------------

    def load_wall(
        self,
        slug: str,
        *,
        epoch: str,
        seq: int,
        wall: dict[str, Any],
        posts: Iterable[dict[str, Any]],
        pinned: Iterable[dict[str, Any]] = (),
        log: Iterable[Event] = (),
    ) -> None:
        """Start serving `slug` from stored state: `posts` newest first, `log` oldest first and
        contiguous, ending at `seq`."""
        ordered = OrderedDict((p["id"], p) for p in reversed(list(posts)))
        while len(ordered) > self.snapshot_size:
            ordered.popitem(last=False)
        old = self._walls.get(slug)
        self._walls[slug] = _Channel(
            epoch=epoch, seq=seq, wall=wall, posts=ordered,
            pinned={p["id"]: p for p in pinned}, log=deque(log, maxlen=self.resume_log),
            subscribers=old.subscribers if old else set(), flushed_seq=seq,
        )

    def remove_wall(self, slug: str) -> None:
        """Stop serving `slug`: its subscribers are closed (their clients will be refused)."""
        ch = self._walls.pop(slug, None)
        if ch is None:
            return
        if ch.flush_handle is not None:
            ch.flush_handle.cancel()
        for sub in list(ch.subscribers):
            sub.close()

    def walls(self) -> list[str]:
        return list(self._walls)

    def seq(self, slug: str) -> int:
        """Return the last seq the hub has applied for the wall. Raises UnknownWall."""
        return self._channel(slug).seq

    def drop_subscribers(self, slug: str) -> int:
        """Close every subscriber of the wall with 1013, so each resumes by (epoch, since):
        for when the hub's state was reloaded past events they were never sent. Returns how
        many were dropped."""
        subs = list(self._walls[slug].subscribers) if slug in self._walls else []
        for sub in subs:
            sub.close(CLOSE_TRY_AGAIN)
        return len(subs)

    def _channel(self, slug: str) -> _Channel:
        try:
            return self._walls[slug]
        except KeyError:
            raise UnknownWall(slug) from None

    # -- publishing ------------------------------------------------------------------------

    def publish(self, slug: str, events: list[Event]) -> None:
        """Apply committed `events` (seq ascending) and schedule their delivery. Never waits.
        Raises UnknownWall."""
        ch = self._channel(slug)
        for ev in events:
            if ev.seq <= ch.seq:
                continue  # already applied (e.g. replayed on warm start)
            ch.starts.clear()
            self._apply(ch, ev)
            ch.log.append(ev)
            ch.pending.append(ev)
            ch.seq = ev.seq
        if not ch.pending or ch.flush_handle is not None:
            return
        if self.batch_ms <= 0:
            self._flush(ch)
            return
        loop = asyncio.get_running_loop()
        wait = ch.next_flush_at - loop.time()
        # Idle: the next loop turn (events published in this one share the frame). Busy: after
        # the rest that the last flush earned.
        ch.flush_handle = (loop.call_later(wait, self._flush, ch) if wait > 0
                           else loop.call_soon(self._flush, ch))

    def _apply(self, ch: _Channel, ev: Event) -> None:
        """Apply `ev` to the wall's in-memory state (visible posts, pins, settings)."""
        if isinstance(ev, PostEvent):
            ch.posts.pop(ev.post_id, None)
            ch.posts[ev.post_id] = ev.post
            if ev.post.get("pinned"):
                ch.pinned[ev.post_id] = ev.post
            else:
                ch.pinned.pop(ev.post_id, None)
            while len(ch.posts) > self.snapshot_size:
                ch.posts.popitem(last=False)
        elif isinstance(ev, RemoveEvent):
            ch.posts.pop(ev.id, None)
            ch.pinned.pop(ev.id, None)
        elif isinstance(ev, WallEvent):
            ch.wall = {**ev.wall, "announcements": ch.wall.get("announcements", [])}
        elif isinstance(ev, AnnouncementEvent):
            item = ev.announcement
            current = [a for a in ch.wall.get("announcements", []) if a.get("id") != item.get("id")]
            if not item.get("deleted"):
                current.append(item)
            ch.wall = {**ch.wall, "announcements": current}

    def _flush(self, ch: _Channel) -> None:
        """Send the pending events to every subscriber as one frame, encoded once, and note
        how long that took: the wall rests as long before its next flush (at most batch_ms)."""
        started = time.perf_counter()
        ch.flush_handle = None
        batch, ch.pending = ch.pending, []
        if not batch:
            return
        first, last = batch[0].seq, batch[-1].seq
        shared = events_frame(batch)
        gone: list[Subscription] = []
        for sub in list(ch.subscribers):
            if sub.after < first:
                sub.offer(shared)
            elif sub.after < last:  # joined mid-batch: its start already covers part of it
                sub.offer(events_frame(e for e in batch if e.seq > sub.after))
            else:
                continue
            sub.after = last
            if sub.closed:
                gone.append(sub)
        ch.subscribers.difference_update(gone)
        self.frames_sent += len(ch.subscribers) + len(gone)
        ch.flushed_seq = last
        took = time.perf_counter() - started
        self.flushes += 1
        self.flush_seconds += took
        if self.batch_ms > 0:
            ch.next_flush_at = asyncio.get_running_loop().time() + min(took, self.batch_ms / 1000)

    def heartbeat(self) -> None:
        """Send every subscriber of every wall a heartbeat carrying the last delivered seq."""
        for ch in self._walls.values():
            if not ch.subscribers:
                continue
            frame = heartbeat_frame(ch.flushed_seq)
            for sub in list(ch.subscribers):
                sub.offer(frame)
                if sub.closed:
                    ch.subscribers.discard(sub)

    # -- subscribing -----------------------------------------------------------------------

    def snapshot(self, slug: str) -> str:
        ch = self._channel(slug)
        return snapshot_frame(ch.epoch, ch.seq, ch.wall, self._visible(ch))

    def _visible(self, ch: _Channel) -> list[dict[str, Any]]:
        newest_first = list(reversed(ch.posts.values()))
        extra = [p for pid, p in ch.pinned.items() if pid not in ch.posts]
        return newest_first + extra

    def state(self, slug: str) -> tuple[str, int, list[dict[str, Any]]]:
        """Return (epoch, seq, visible posts newest first) as the hub sees them now."""
        ch = self._channel(slug)
        return ch.epoch, ch.seq, self._visible(ch)

    def subscribe(
        self, slug: str, writer: Writer, epoch: str | None = None, since: int | None = None,
        *, stall_s: float = 10.0,
    ) -> Subscription:
        """Register a subscriber and write its first frame: a snapshot, or the events after
        `since` when `epoch` matches and the log still holds them (from memory: no database
        query). Use it as `async with`: leaving unregisters it; closing the connection is the
        caller's. Raises UnknownWall. A class, not a generator: it is kept per connection."""
        ch = self._channel(slug)
        sub = Subscription(writer, self.queue_frames, stall_s, self._leave)
        sub.offer(self._start_frame(ch, epoch, since))
        sub.after = ch.seq
        ch.subscribers.add(sub)
        return sub

    def _leave(self, sub: Subscription) -> None:
        """Unregister `sub` (it left its `async with`); count it if it was dropped."""
        for ch in self._walls.values():
            ch.subscribers.discard(sub)
        self.dropped += sub.overflowed

    def _start_frame(self, ch: _Channel, epoch: str | None, since: int | None) -> str:
        """Return a new subscriber's first frame: the events after `since` when the log holds
        them all for this epoch, else a snapshot. Encoded once per `since` at each seq."""
        key = None
        if epoch == ch.epoch and since is not None and 0 <= since <= ch.seq:
            oldest = ch.log[0].seq if ch.log else ch.seq + 1
            if since >= oldest - 1:
                key = since
        frame = ch.starts.get(key)
        if frame is None:
            if len(ch.starts) >= 64:  # bounded: distinct `since`s are few at any one seq
                ch.starts.clear()
            if key is None:
                frame = snapshot_frame(ch.epoch, ch.seq, ch.wall, self._visible(ch))
            else:
                after = key
                frame = events_frame(e for e in ch.log if e.seq > after)
            ch.starts[key] = frame
        return frame

    def screens(self, slug: str) -> dict[int, dict[str, Any]]:
        """Return, by screen id, the newest health report of each named screen connected to
        the wall (with its backlog); a named screen connected but silent has `{}`."""
        found: dict[int, dict[str, Any]] = {}
        for sub in self._channel(slug).subscribers:
            if sub.screen is None:
                continue
            report = {**sub.health, "backlog": sub.backlog} if sub.health else {}
            if sub.screen not in found or report.get("at", 0) > found[sub.screen].get("at", 0):
                found[sub.screen] = report
        return found

    def forget_screen(self, slug: str, screen: int) -> None:
        """A named screen was deleted: its open connections carry on as anonymous viewers."""
        for sub in self._walls[slug].subscribers if slug in self._walls else ():
            if sub.screen == screen:
                sub.screen, sub.health = None, None

    def subscriptions(self, slug: str) -> list[Subscription]:
        """Return the wall's current subscribers. Raises UnknownWall."""
        return list(self._channel(slug).subscribers)

    def subscriber_count(self, slug: str | None = None) -> int:
        chans = [self._channel(slug)] if slug else list(self._walls.values())
        return sum(len(ch.subscribers) for ch in chans)
