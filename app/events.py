"""The live protocol's closed set of events and frames (docs/design.md §3), and their encoding.

Events are small named dataclasses; a frame is encoded once with orjson (to one `str`, sent as a
text frame) and the same object goes to every subscriber. `seq` is assigned by the store when the
change commits, never here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson

__all__ = [
    "AnnouncementEvent",
    "Event",
    "PostEvent",
    "RemoveEvent",
    "WallEvent",
    "event_from_dict",
    "events_frame",
    "heartbeat_frame",
    "snapshot_frame",
]


@dataclass(frozen=True, slots=True)
class PostEvent:
    """A post became visible, or a visible post changed (edit, pin)."""

    seq: int
    post: dict[str, Any]
    type: str = "post"

    @property
    def post_id(self) -> str:
        return str(self.post["id"])

    def wire(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": "post", "post": self.post}


@dataclass(frozen=True, slots=True)
class RemoveEvent:
    """A post left the wall: hidden, blocked or deleted at the source."""

    seq: int
    id: str
    type: str = "remove"

    @property
    def post_id(self) -> str:
        return self.id

    def wire(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": "remove", "id": self.id}


@dataclass(frozen=True, slots=True)
class WallEvent:
    """The wall's public settings changed (title, layout, theme...)."""

    seq: int
    wall: dict[str, Any]
    type: str = "wall"

    def wire(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": "wall", "wall": self.wall}


@dataclass(frozen=True, slots=True)
class AnnouncementEvent:
    seq: int
    announcement: dict[str, Any]
    type: str = "announcement"

    def wire(self) -> dict[str, Any]:
        return {"seq": self.seq, "type": "announcement", "announcement": self.announcement}


Event = PostEvent | RemoveEvent | WallEvent | AnnouncementEvent


def event_from_dict(data: dict[str, Any]) -> Event:
    """Return the event stored as `data` (the shape `wire()` gives). Raises ValueError."""
    seq = int(data["seq"])
    kind = data.get("type")
    if kind == "post":
        return PostEvent(seq, data["post"])
    if kind == "remove":
        return RemoveEvent(seq, str(data["id"]))
    if kind == "wall":
        return WallEvent(seq, data["wall"])
    if kind == "announcement":
        return AnnouncementEvent(seq, data["announcement"])
    raise ValueError(f"unknown event type {kind!r}")


def events_frame(events: Iterable[Event]) -> str:
    return orjson.dumps({"type": "events", "events": [e.wire() for e in events]}).decode()


def snapshot_frame(
    epoch: str, seq: int, wall: dict[str, Any], posts: Iterable[dict[str, Any]]
) -> str:
    return orjson.dumps(
        {"type": "snapshot", "epoch": epoch, "seq": seq, "wall": wall, "posts": list(posts)}
    ).decode()


def heartbeat_frame(seq: int) -> str:
    return orjson.dumps({"type": "heartbeat", "seq": seq}).decode()
