"""The shared pieces of the sources: backoff waits and the bounded "seen" map."""

from __future__ import annotations

import random

import pytest

from app.sources.plumbing import Backoff, BoundedMap, describe


def test_plain_doubling_is_capped_and_resets() -> None:
    """Without jitter each failure doubles the wait up to the cap; a success starts over."""
    backoff = Backoff(2.0, 300.0, jitter=0.0)
    assert [backoff.failed() for _ in range(10)] == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    backoff.succeeded()
    assert backoff.failed() == 2.0


def test_full_jitter_stays_under_the_ceiling() -> None:
    """Full jitter draws each wait between 0 and the doubled ceiling."""
    backoff = Backoff(1.0, 60.0, rng=random.Random(7))
    waits = [backoff.failed() for _ in range(12)]
    assert all(0.0 <= w <= backoff.ceiling(i) for i, w in enumerate(waits))
    assert len(set(waits)) == len(waits)  # random, not a fixed ladder


def test_half_jitter_keeps_half_fixed() -> None:
    """Jitter 0.5 waits between half the ceiling and the ceiling."""
    backoff = Backoff(2.0, 300.0, jitter=0.5, rng=random.Random(1))
    for attempt in range(12):
        ceiling = backoff.ceiling(attempt)
        assert ceiling / 2 <= backoff.delay(attempt) <= ceiling


def test_a_long_outage_does_not_overflow() -> None:
    """Thousands of failures still give the cap, not an OverflowError."""
    assert Backoff(0.5, 60.0, jitter=0.0).delay(5000) == 60.0


@pytest.mark.parametrize("args", [(-1.0, 1.0, 0.0), (1.0, -1.0, 0.0), (1.0, 2.0, 1.5)])
def test_backoff_refuses_nonsense(args: tuple[float, float, float]) -> None:
    base, cap, jitter = args
    with pytest.raises(ValueError):
        Backoff(base, cap, jitter=jitter)


def test_bounded_map_evicts_the_oldest_and_put_refreshes() -> None:
    """Beyond capacity the oldest entry goes; putting an existing key makes it the newest."""
    seen: BoundedMap[str, int] = BoundedMap(3)
    for i, key in enumerate("abc"):
        seen.put(key, i)
    seen.put("a", 9)  # refreshed: now "b" is the oldest
    seen.put("d", 3)
    assert list(seen) == ["c", "a", "d"] and "b" not in seen
    assert seen.get("a") == 9 and seen.get("b") is None
    assert list(seen.items()) == [("c", 2), ("a", 9), ("d", 3)]
    assert list(seen.values()) == [2, 9, 3] and len(seen) == 3
    assert seen.pop("c") == 2 and seen.pop("c") is None and len(seen) == 2


def test_bounded_map_needs_room() -> None:
    with pytest.raises(ValueError):
        BoundedMap[str, str](0)


def test_describe_names_the_error() -> None:
    assert describe(TimeoutError("no message for 60 s")) == "TimeoutError: no message for 60 s"
