"""When posts happen: a post's slot on its day, sleep at night, delays of replies and reposts.

All randomness comes from the one `random.Random` of the run, in a fixed order: the same data
files give the same times.
"""

from __future__ import annotations

import math
import random
from datetime import UTC, datetime, timedelta

from .data import Account, Meeting

# How busy each local hour is (posts that say `at = "day"`).
HOUR_WEIGHTS = [0.07, 0.04, 0.02, 0.02, 0.02, 0.03, 0.2, 0.7, 2.6, 3.0, 3.0, 3.0, 2.0, 2.4,
                2.8, 2.8, 2.5, 2.2, 1.3, 0.9, 0.8, 0.6, 0.35, 0.15]
# Named slots, in local hours: a post at "am" falls somewhere between 08:00 and 12:00.
SLOTS = {"early": (6.5, 8.0), "am": (8.0, 12.0), "lunch": (12.0, 13.5), "pm": (13.5, 18.0),
         "eve": (18.0, 22.0), "late": (22.0, 24.5)}
LAST_DAY_ENDS = 19.5  # local hour: nobody posts late on the way home


def local_time(m: Meeting, day: int, hour: float) -> datetime:
    """Return the UTC time of `hour` (local, may pass 24) on day `day` of the meeting's month."""
    d = m.first_day
    return datetime(d.year, d.month, day, tzinfo=UTC) + timedelta(hours=hour) - m.utc_offset


def local_hour(m: Meeting, t: datetime) -> float:
    lt = t + m.utc_offset
    return lt.hour + lt.minute / 60


def sample_time(m: Meeting, rng: random.Random, day: int, slot: str | float) -> datetime:
    """Return a time for a post at `slot`: a local hour (a little jitter), a named slot, or
    any other word for "some time that day", weighted by HOUR_WEIGHTS."""
    if isinstance(slot, float | int):
        hour = float(slot) + rng.uniform(-0.12, 0.18)
    elif slot in SLOTS:
        hour = rng.uniform(*SLOTS[slot])
    else:
        hour = rng.choices(range(24), weights=HOUR_WEIGHTS)[0] + rng.random()
        hour = max(hour, 6.8)
    if day == m.last_day.day:
        hour = min(hour, LAST_DAY_ENDS)
    t = local_time(m, day, hour)
    return t.replace(second=rng.randrange(60), microsecond=0)


def awake(m: Meeting, rng: random.Random, t: datetime, acc: Account) -> datetime:
    """People on the meeting's clock mostly sleep between 01:00 and 06:30 local time."""
    h = local_hour(m, t)
    if acc.kind != "remote" and 1.0 <= h < 6.5:
        lt = (t + m.utc_offset).replace(hour=7, minute=rng.randrange(0, 50))
        t = lt - m.utc_offset
    return t


def delay_after(rng: random.Random, t: datetime, lo: float, hi: float) -> datetime:
    """Return `t` plus between `lo` and `hi` minutes (log-uniform: most answers come fast)."""
    minutes = math.exp(rng.uniform(math.log(lo), math.log(hi)))
    return (t + timedelta(minutes=minutes)).replace(second=rng.randrange(60), microsecond=0)
