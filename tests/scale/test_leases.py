"""The ingest election's leases against the real services (app/ingest/leader.py): one holder
at a time, handed over when the holder's session ends (PostgreSQL) or its key expires (Redis),
and `Leadership` telling the ingest when it gains or loses a group."""

from __future__ import annotations

import asyncio
import secrets

import pytest

from app.ingest.leader import Leadership, PgLeases, RedisLeases, lock_id
from tests.scale.conftest import PG_ADMIN, REDIS_URL, until


def pg_url() -> str:
    if not PG_ADMIN:
        pytest.skip("set TWEETWALL_TEST_POSTGRES to test the PostgreSQL leases")
    return PG_ADMIN.replace("postgresql://", "postgresql+asyncpg://")


def redis_url() -> str:
    if not REDIS_URL:
        pytest.skip("set TWEETWALL_TEST_REDIS_URL to test the Redis leases")
    return REDIS_URL


def test_lock_ids_are_stable_signed_64_bit() -> None:
    assert lock_id("wall:a") == lock_id("wall:a") != lock_id("wall:b")
    assert -(2**63) <= lock_id("x:abc") < 2**63


async def test_pg_advisory_lock_one_holder_then_handed_over_when_its_session_ends() -> None:
    key = f"wall:test-{secrets.token_hex(4)}"
    first, second = PgLeases(pg_url()), PgLeases(pg_url())
    try:
        assert await first.acquire(key)
        assert await first.acquire(key)  # held: still True
        assert not await second.acquire(key)
        assert await first.alive()
        await first.close()  # the session ends, as with kill -9
        assert await second.acquire(key)
    finally:
        await first.close()
        await second.close()


async def test_redis_lease_one_holder_then_free_after_expiry_or_release() -> None:
    prefix = f"tweetwall-test:{secrets.token_hex(4)}"
    first = RedisLeases(redis_url(), prefix, ttl_s=0.4)
    second = RedisLeases(redis_url(), prefix, ttl_s=0.4)
    try:
        assert await first.acquire("g")
        assert not await second.acquire("g")
        assert await first.alive()  # renewed
        # The holder stops renewing (it died): the key expires and the other takes it.
        await until(lambda: second.acquire("g"), 5, "the lease to expire")
        assert not await first.alive()  # renewal fails: it knows it lost the lease
        await second.release("g")
        assert await first.acquire("g")
    finally:
        await first.close()
        await second.close()


async def test_leadership_starts_and_stops_the_group_with_the_lease() -> None:
    key = f"wall:test-{secrets.token_hex(4)}"
    changes: list[tuple[str, bool]] = []

    async def on_change(group: str, leader: bool) -> None:
        changes.append((group, leader))

    a = Leadership(PgLeases(pg_url()), on_change, poll_s=0.1)
    b = Leadership(PgLeases(pg_url()), on_change, poll_s=0.1)
    try:
        a.want(key)
        await until(lambda: key in a.held, 5, "a to lead")
        b.want(key)
        await asyncio.sleep(0)
        await b.campaign_once()
        assert key not in b.held
        await a.close()
        await until(lambda: key in b.held, 5, "b to take over")
        assert changes == [(key, True), (key, True)]
        assert b.changes == 1
    finally:
        await a.close()
        await b.close()
