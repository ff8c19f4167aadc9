"""Time in one place: aware UTC datetimes and the `…Z` ISO form the wire and the API use.

A leaf module (imports nothing of the app) so sources, store and web share it. SQLite hands
back naive datetimes for `DateTime(timezone=True)` columns; `aware()` reads those as UTC.
"""

from __future__ import annotations

from datetime import UTC, datetime

__all__ = ["aware", "iso", "utcnow"]


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def aware(d: datetime) -> datetime:
    """Return `d` as an aware UTC datetime (a naive one is taken to be UTC already)."""
    return d.replace(tzinfo=UTC) if d.tzinfo is None else d.astimezone(UTC)


def iso(d: datetime | None) -> str | None:
    """Return `d` as ISO 8601 in UTC with a `Z` suffix (`2014-05-17T14:03:00Z`), or None."""
    if d is None:
        return None
    return aware(d).isoformat().replace("+00:00", "Z")
