"""What the network sources share: retry waits, bounded memories of what was seen, error text.

X, Mastodon and Bluesky each wrote these for themselves: an exponential backoff (with or
without jitter), an insertion-ordered map that forgets its oldest entries so a source running
for days stays the same size, and the injectable sleep and clock types that let tests run the
waits without waiting. A leaf beside base.py: it imports nothing of the app and no network SDK.
"""

from __future__ import annotations

import random
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterator
from datetime import datetime
from typing import Generic, TypeVar

__all__ = ["Backoff", "BoundedMap", "Now", "Sleep", "describe"]

Sleep = Callable[[float], Awaitable[None]]
"""An injectable `asyncio.sleep`: tests pass one that records the wait and returns at once."""

Now = Callable[[], datetime]
"""An injectable clock returning an aware UTC datetime (`app.clock.utcnow` by default)."""

_K = TypeVar("_K")
_V = TypeVar("_V")

# Far past every cap already; the clamp only keeps `2.0 ** n` from overflowing after a long
# outage has counted thousands of failures.
_MAX_DOUBLINGS = 64


def describe(err: BaseException) -> str:
    """Return `err` as the operator reads it in a status: `TypeName: message`."""
    return f"{type(err).__name__}: {err}"


class Backoff:
    """Waits between retries that double after each consecutive failure, up to `cap`.

    The n-th consecutive failure (1-based) waits up to `base * 2**(n-1)` seconds, at most `cap`.
    `jitter` is the share of that ceiling drawn at random: 1.0 is "full jitter" (uniform between
    0 and the ceiling, so many clients failing together do not retry together), 0.5 keeps half
    fixed and randomises the rest, 0.0 is the plain doubling (a documented, testable ladder).
    """

    def __init__(
        self,
        base: float,
        cap: float,
        *,
        jitter: float = 1.0,
        rng: random.Random | None = None,
    ) -> None:
        """Raises ValueError for a negative `base` or `cap`, or a `jitter` outside [0, 1]."""
        if base < 0 or cap < 0:
            raise ValueError(f"backoff base and cap must be >= 0, got {base} and {cap}")
        if not 0.0 <= jitter <= 1.0:
            raise ValueError(f"backoff jitter must be within [0, 1], got {jitter}")
        self.base = base
        self.cap = cap
        self.jitter = jitter
        self.rng = rng or random.Random()  # noqa: S311 -- spreading retries, not security
        self.failures = 0

    def ceiling(self, attempt: int) -> float:
        """Return the longest wait before retry `attempt` (0-based): `base * 2**attempt`, at
        most `cap`."""
        return min(self.cap, self.base * 2.0 ** min(max(attempt, 0), _MAX_DOUBLINGS))

    def delay(self, attempt: int) -> float:
        """Return the wait before retry `attempt` (0-based), its random share drawn now."""
        ceiling = self.ceiling(attempt)
        if not self.jitter:
            return ceiling
        fixed = ceiling * (1.0 - self.jitter)
        return fixed + self.rng.uniform(0.0, ceiling - fixed)

    def failed(self) -> float:
        """Count one more consecutive failure; return the wait before the next try."""
        wait = self.delay(self.failures)
        self.failures += 1
        return wait

    def succeeded(self) -> None:
        """Forget the failures: the next one waits the shortest time again."""
        self.failures = 0


class BoundedMap(Generic[_K, _V]):
    """An insertion-ordered map of at most `capacity` entries: putting a key makes it the
    newest, and once full the oldest entry is evicted.

    For "seen" memories (versions yielded, local ids served, quote cards fetched): a source runs
    for days, and what it saw hours ago no longer matters, so memory stays bounded.
    """

    def __init__(self, capacity: int) -> None:
        """Raises ValueError when `capacity` is below 1."""
        if capacity < 1:
            raise ValueError(f"capacity must be at least 1, got {capacity}")
        self.capacity = capacity
        self._items: OrderedDict[_K, _V] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __iter__(self) -> Iterator[_K]:
        """Iterate over the keys, oldest first."""
        return iter(self._items)

    def get(self, key: _K) -> _V | None:
        """Return the value of `key`, or None when it is not (or no longer) remembered."""
        return self._items.get(key)

    def put(self, key: _K, value: _V) -> None:
        """Remember `key` -> `value` as the newest entry, evicting the oldest beyond capacity."""
        self._items[key] = value
        self._items.move_to_end(key)
        while len(self._items) > self.capacity:
            self._items.popitem(last=False)

    def pop(self, key: _K) -> _V | None:
        """Forget `key`; return its value, or None when it was not remembered."""
        return self._items.pop(key, None)

    def items(self) -> Iterator[tuple[_K, _V]]:
        """Iterate over (key, value) pairs, oldest first."""
        return iter(self._items.items())

    def values(self) -> Iterator[_V]:
        """Iterate over the values, oldest first."""
        return iter(self._items.values())
