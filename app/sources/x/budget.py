"""The daily read budget of the X source, turned into a polling interval.

X bills every post a request returns. A poll that returns nothing is charged here as one read
too, as is a failed request or a retry: the budget is a conservative ceiling, never an
underestimate. The day is the UTC day, as X counts it.

The interval rule: reads still available today, spread over the seconds left today, give a rate.
Posts will cost what they cost whatever the interval (each is read once), and so will deletion
re-checks, so their expected rates come off first; what is left pays for polls, one read each at
worst. The interval is one poll per spare read, never shorter than the configured floor.
Re-checks may use `RECHECK_SHARE` of the rate: every `recheck_interval_s` they look up as many
visible posts as that allows, newest first (see rechecks.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

__all__ = ["RECHECK_SHARE", "ReadBudget", "choose_rechecks", "utc_at"]

# Deletion re-checks may use at most this share of the budget rate.
RECHECK_SHARE = 0.25


def utc_at(epoch: float) -> datetime:
    """Return the aware UTC datetime of `epoch` seconds (the X source's clock counts those)."""
    return datetime.fromtimestamp(epoch, UTC)


@dataclass
class ReadBudget:
    """Reads and requests counted per UTC day against `daily` reads."""

    daily: int
    cost_per_read: float
    reads: int = 0
    requests: int = 0
    day: date | None = field(default=None)

    def _roll(self, now: float) -> None:
        """Start a new day's count when `now` is past the day counted so far."""
        today = utc_at(now).date()
        if today != self.day:
            self.day, self.reads, self.requests = today, 0, 0

    def charge(self, now: float, posts: int, *, billable: bool = True) -> None:
        """Count one request that returned `posts` posts (0 for an empty or failed one); a
        request that reads no posts by nature (stream rules) is not `billable`."""
        self._roll(now)
        self.requests += 1
        if billable:
            self.reads += posts if posts > 0 else 1

    def count_streamed(self, now: float, posts: int = 1) -> None:
        """Count posts delivered by the filtered stream (no request of their own)."""
        self._roll(now)
        self.reads += posts

    def remaining(self, now: float) -> int:
        """Return the reads left today (never negative)."""
        self._roll(now)
        return max(0, self.daily - self.reads)

    @staticmethod
    def seconds_to_midnight(now: float) -> float:
        """Return the seconds until the next UTC day starts (and the budget refills)."""
        today = utc_at(now).date()
        midnight = datetime(today.year, today.month, today.day, tzinfo=UTC) + timedelta(days=1)
        return max(1.0, midnight.timestamp() - now)

    def rate(self, now: float) -> float:
        """Return the reads per second still affordable for the rest of today."""
        return self.remaining(now) / self.seconds_to_midnight(now)

    def poll_interval(
        self, now: float, floor: float, post_rate: float = 0.0, recheck_rate: float = 0.0
    ) -> float:
        """Return the seconds between polls: one spare read per poll, at least `floor`.

        `post_rate` and `recheck_rate` are the expected reads per second of new posts and of
        deletion re-checks. When they alone exceed the budget the interval cannot save a read,
        so it stays at `floor` and the wall stays fresh until the budget runs out.
        """
        spare = self.rate(now) - post_rate - recheck_rate
        if spare <= 0:
            return floor
        return max(floor, 1.0 / spare)

    def recheck_allowance(self, now: float, interval: float) -> int:
        """Return how many posts one deletion re-check may look up (each found post is a
        read): `RECHECK_SHARE` of the affordable rate over `interval`, at least one."""
        return max(1, int(self.rate(now) * RECHECK_SHARE * interval))

    def figures(self, now: float) -> dict[str, Any]:
        """Return the budget figures shown in `SourceStatus.extra`."""
        self._roll(now)
        return {
            "reads_today": self.reads,
            "requests_today": self.requests,
            "daily_read_budget": self.daily,
            "est_cost_usd": round(self.reads * self.cost_per_read, 4),
        }


def choose_rechecks(ids: list[str], allowance: int, rotation: int) -> tuple[list[str], int]:
    """Return (the ids to look up, the next `rotation`): all of them if `allowance` covers
    them, else the newest half of the allowance plus a window rotating through the older ones.

    Tweet ids grow with time, and a post is most often deleted soon after it is posted, so the
    newest are re-checked every time and the rest in turn.
    """
    ids = sorted(set(ids), key=lambda i: int(i) if i.isdigit() else 0, reverse=True)
    if len(ids) <= allowance:
        return ids, rotation
    fresh = max(1, allowance // 2)
    older = ids[fresh:]
    start = rotation % len(older)
    window = (older[start:] + older[:start])[: allowance - fresh]
    return ids[:fresh] + window, start + len(window)
