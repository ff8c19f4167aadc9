"""Times of a programme: ISO 8601 with an offset, or local times read in the programme's
time zone (an IANA name). A local time with no zone to read it in is an error, never a guess."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["duration", "instant", "zone"]

_DURATION = re.compile(r"^(\d{1,3}):([0-5]\d)(?::([0-5]\d))?$")


def zone(name: str | None) -> tzinfo | None:
    """Return the IANA time zone `name` (None for None). Raises ValueError for an unknown one."""
    if not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name[:60]!r}") from None


def instant(value: object, tz: tzinfo | None) -> datetime:
    """Return the aware time `value` names: ISO 8601 (`2014-05-17T08:00:00-04:00`,
    `2014-05-17 08:00`), a local one read in `tz`. Raises ValueError naming the problem."""
    if isinstance(value, datetime):
        when = value
    else:
        text = str(value or "").strip()
        if not text:
            raise ValueError("no time given")
        try:
            when = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(f"not a date and time: {text[:40]!r}") from None
    if when.tzinfo is None:
        if tz is None:
            raise ValueError(f"{when.isoformat(' ', 'minutes')} has no time zone (give an "
                             "offset, or the programme's time zone)")
        when = when.replace(tzinfo=tz)
    return when


def duration(value: object) -> timedelta:
    """Return a frab duration, `HH:MM` or `HH:MM:SS`. Raises ValueError."""
    found = _DURATION.match(str(value or "").strip())
    if found is None:
        raise ValueError(f"a duration is HH:MM, got {str(value)[:20]!r}")
    hours, minutes, seconds = (int(g or 0) for g in found.groups())
    return timedelta(hours=hours, minutes=minutes, seconds=seconds)
