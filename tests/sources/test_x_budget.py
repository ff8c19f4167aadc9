"""The X read budget and the polling interval it sets (pure arithmetic)."""

from __future__ import annotations

import pytest

from app.sources.x.budget import ReadBudget

MIDNIGHT = (1_800_000_000 // 86_400 + 1) * 86_400.0


def test_empty_and_failed_requests_count_one_read() -> None:
    """An empty poll or a failed request costs one read; a full one costs its posts."""
    b = ReadBudget(daily=100, cost_per_read=0.005)
    b.charge(MIDNIGHT, 0)
    b.charge(MIDNIGHT, 7)
    b.charge(MIDNIGHT, 0, billable=False)
    assert (b.reads, b.requests) == (8, 3)
    assert b.figures(MIDNIGHT)["est_cost_usd"] == pytest.approx(0.04)


def test_budget_resets_at_utc_midnight() -> None:
    """The counters start again when the UTC day changes."""
    b = ReadBudget(daily=100, cost_per_read=0.005)
    b.charge(MIDNIGHT - 1, 50)
    assert b.remaining(MIDNIGHT - 1) == 50
    assert b.remaining(MIDNIGHT) == 100


def test_interval_from_budget() -> None:
    """A 2000-read day keeps the 60 s floor (43.2 s affordable); 100 reads stretch it to 864 s."""
    assert ReadBudget(2000, 0.005).poll_interval(MIDNIGHT, 60.0) == 60.0
    assert ReadBudget(100, 0.005).poll_interval(MIDNIGHT, 60.0) == pytest.approx(864.0)


def test_expected_posts_and_rechecks_come_off_first() -> None:
    """Expected post and re-check reads leave fewer spare reads for polls."""
    b = ReadBudget(2000, 0.005)
    per_s = 2000 / 86_400
    assert b.poll_interval(MIDNIGHT, 5.0, post_rate=per_s / 2) == pytest.approx(2 / per_s)
    assert b.poll_interval(MIDNIGHT, 5.0, post_rate=per_s * 2) == 5.0


def test_recheck_allowance_is_a_quarter_of_the_rate() -> None:
    """One re-check may read a quarter of the affordable reads over its interval, at least 1."""
    assert ReadBudget(2000, 0.005).recheck_allowance(MIDNIGHT, 600.0) == 3
    assert ReadBudget(100_000, 0.005).recheck_allowance(MIDNIGHT, 600.0) == 173
    assert ReadBudget(10, 0.005).recheck_allowance(MIDNIGHT, 600.0) == 1
