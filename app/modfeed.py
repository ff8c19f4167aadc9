"""The moderators' live feed: every ingested post with its state and reason, and every decision,
for the consoles of one wall. Same discipline as the hub, with its `Subscription`: encode once,
write straight to each console's connection, a bounded backlog only while one is paused, never
wait; a console that falls behind is dropped (1013) and reloads its queue."""

from __future__ import annotations

from typing import Any

import orjson

from app.hub import CLOSE_TRY_AGAIN, Subscription, Writer

__all__ = ["ModFeed"]


class ModFeed:
    def __init__(self, queue_frames: int = 256) -> None:
        self.queue_frames = queue_frames
        self._subs: dict[str, set[Subscription]] = {}

    def publish(self, slug: str, messages: list[dict[str, Any]]) -> None:
        subs = self._subs.get(slug)
        if not subs:
            return
        frame = orjson.dumps({"type": "mod", "items": messages}).decode()
        for sub in list(subs):
            sub.offer(frame)
            if sub.closed:
                subs.discard(sub)

    def heartbeat(self) -> None:
        """Tell every console the feed is alive, so a silent drop can be noticed."""
        frame = orjson.dumps({"type": "heartbeat"}).decode()
        for subs in self._subs.values():
            for sub in list(subs):
                sub.offer(frame)
                if sub.closed:
                    subs.discard(sub)

    def drop_all(self) -> int:
        """Close every console with 1013 so each reloads its queue: for when messages from
        other processes may have been lost (docs/scale.md). Returns how many were dropped."""
        subs = [sub for group in self._subs.values() for sub in group]
        for sub in subs:
            sub.close(CLOSE_TRY_AGAIN)
        return len(subs)

    def count(self, slug: str) -> int:
        return len(self._subs.get(slug, ()))

    def subscribe(self, slug: str, hello: dict[str, Any], writer: Writer, *,
                  stall_s: float = 10.0) -> Subscription:
        """Register a console writing to `writer`; its first frame is `hello`, and one that
        makes no progress for `stall_s` is dropped. Use it as `async with`: leaving
        unregisters it; closing the connection is the caller's."""
        sub = Subscription(writer, self.queue_frames, stall_s,
                           lambda s: self._subs.get(slug, set()).discard(s))
        sub.offer(orjson.dumps(hello).decode())
        self._subs.setdefault(slug, set()).add(sub)
        return sub
