"""What a programme is, whatever file it came from: sessions, each in a room at a time, with
its speakers (and their handles on each network) and its hashtags.

Programme text (titles, names, rooms) comes from a file anyone may have written: it is kept as
text, cleaned of control and bidi characters, bounded in length, and every page shows it with
`textContent` like a post's.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["MAX_SESSIONS", "Programme", "ProgrammeError", "Session", "Speaker", "clean"]

MAX_SESSIONS = 2000
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069\u061c]")


class ProgrammeError(ValueError):
    """A file that is not a programme, or an entry of it that is wrong; the message is one
    line that names the entry (`session 12 "Keynote": end before start`)."""


def clean(value: Any, limit: int) -> str:
    """Return `value` as one line of text: control and bidi characters dropped, runs of white
    space made one space, cut to `limit` characters. None is ''."""
    if value is None:
        return ""
    text = _BIDI.sub("", str(value))
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text)
    return " ".join(text.split())[:limit]


@dataclass(frozen=True)
class Speaker:
    """A speaker: a name and, per network (`x`, `mastodon`, `bluesky`), a normalised handle
    (`hmvoss_neuro`, `ines@rad.community`, `sunitarb.bsky.social`)."""

    name: str
    handles: tuple[tuple[str, str], ...] = ()   # (network, handle), one per network

    def wire(self) -> dict[str, Any]:
        """Return the speaker as JSON: `{"name", "handles": {network: "@handle"}}`."""
        return {"name": self.name, "handles": {n: "@" + h for n, h in self.handles}}


@dataclass(frozen=True)
class Session:
    """One session: `key` is its id in the file (a pretalx guid, an iCalendar UID, or made from
    room, start and title for CSV), so importing the file again updates it in place."""

    key: str
    title: str
    room: str
    start: datetime
    end: datetime
    speakers: tuple[Speaker, ...] = ()
    hashtags: tuple[str, ...] = ()
    track: str = ""

    def wire(self) -> dict[str, Any]:
        """Return the session as JSON (times as ISO 8601 with their offset)."""
        return {"key": self.key, "title": self.title, "room": self.room,
                "start": self.start.isoformat(), "end": self.end.isoformat(),
                "speakers": [s.wire() for s in self.speakers],
                "hashtags": list(self.hashtags), "track": self.track}


@dataclass(frozen=True)
class Programme:
    """The sessions of a meeting, by start time, and the time zone the file gave (an IANA
    name, or None when it gave only offsets)."""

    sessions: tuple[Session, ...]
    timezone: str | None = None
    title: str = ""

    @property
    def rooms(self) -> list[str]:
        """Return the rooms, in the order they first appear."""
        return list(dict.fromkeys(s.room for s in self.sessions))
