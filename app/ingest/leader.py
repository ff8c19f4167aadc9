"""Which process ingests which walls: one leader per ingest group, elected by a lease.

Several processes serve the same walls, but each source must run in exactly one of them (X
allows one filtered-stream connection per bearer token; two readers of a feed would only
compete). Walls are grouped (ingest.py `group`): every wall reading X with one token is one
group, so the process holding that group's lease holds the shared stream, and every other wall
is a group of its own. `Leadership` campaigns every `poll_s` for the groups of the walls this
process serves and tells the ingest when it gains or loses one.

The leases:

* `PgLeases`: PostgreSQL session advisory locks on a connection of their own, held for as long
  as the process lives. PostgreSQL releases them the moment that connection ends, so a process
  killed with -9 hands over within `poll_s`; TCP keepalives on that connection bound how long a
  vanished machine holds them. A leader that finds its connection gone stops ingesting at once.
* `RedisLeases`: a key per group with an expiry (`SET NX PX`), renewed every poll, for a SQLite
  store shared through Redis; a dead leader's lease expires after `ttl_s`.
* `LocalLeases`: one process alone leads everything.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

__all__ = ["Leadership", "Leases", "LocalLeases", "PgLeases", "RedisLeases", "lock_id"]

log = logging.getLogger(__name__)


def lock_id(key: str) -> int:
    """Return the signed 64-bit advisory lock id of a group `key` (stable across processes)."""
    digest = hashlib.sha256(f"tweetwall-ingest:{key}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


class Leases(Protocol):
    local: bool

    async def acquire(self, key: str) -> bool:
        """Take `key` if nobody holds it; return whether this process holds it now."""

    async def alive(self) -> bool:
        """Keep the held leases; return False when they are lost (all of them)."""

    async def release(self, key: str) -> None:
        """Let `key` go."""

    async def close(self) -> None:
        """Let every lease go."""


class LocalLeases:
    """One process alone: every lease is granted at once."""

    local = True

    async def acquire(self, key: str) -> bool:
        """Return True: nobody else could hold it."""
        return True

    async def alive(self) -> bool:
        """Return True."""
        return True

    async def release(self, key: str) -> None:
        """Nothing to release."""

    async def close(self) -> None:
        """Nothing to release."""


class PgLeases:
    """PostgreSQL session advisory locks on one dedicated connection."""

    local = False

    def __init__(self, url: str) -> None:
        from sqlalchemy.ext.asyncio import create_async_engine
        from sqlalchemy.pool import NullPool

        # Keepalives: a leader whose machine vanishes (no FIN) loses its locks in ~10 s.
        # Autocommit: the session holds the locks, never an open transaction.
        self._engine = create_async_engine(url, poolclass=NullPool, isolation_level="AUTOCOMMIT",
                                           connect_args={
            "server_settings": {"application_name": "tweetwall-ingest-lease",
                                "tcp_keepalives_idle": "4", "tcp_keepalives_interval": "2",
                                "tcp_keepalives_count": "3"}})
        self._conn: Any = None
        self._held: set[str] = set()
        self._one = asyncio.Lock()  # one statement at a time on the one connection

    async def _sql(self, sql: str, **params: Any) -> Any:
        from sqlalchemy import text

        async with self._one:
            if self._conn is None:
                self._conn = await self._engine.connect()
            async with asyncio.timeout(3):
                return (await self._conn.execute(text(sql), params)).scalar()

    async def acquire(self, key: str) -> bool:
        """Try the group's advisory lock. Raises on a database error."""
        if key not in self._held and await self._sql("SELECT pg_try_advisory_lock(:k)",
                                                     k=lock_id(key)):
            self._held.add(key)
        return key in self._held

    async def alive(self) -> bool:
        """Return whether the lock connection still answers; if not, every lock is gone."""
        if self._conn is None:
            return not self._held
        try:
            await self._sql("SELECT 1")
            return True
        except Exception as err:
            log.warning("the ingest lock connection failed (%s): its locks are gone", err)
            await self._drop()
            return False

    async def release(self, key: str) -> None:
        if key in self._held:
            self._held.discard(key)
            await self._sql("SELECT pg_advisory_unlock(:k)", k=lock_id(key))

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        self._held.clear()
        if conn is not None:
            try:
                await conn.close()
            except Exception:  # noqa: S110 - it is broken already; PostgreSQL ends the session
                pass

    async def close(self) -> None:
        await self._drop()
        await self._engine.dispose()


_RENEW = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
          "return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end")
_RELEASE = ("if redis.call('get', KEYS[1]) == ARGV[1] then "
            "return redis.call('del', KEYS[1]) else return 0 end")


class RedisLeases:
    """A key with an expiry per group, renewed at every poll (`SET NX PX`)."""

    local = False

    def __init__(self, url: str, prefix: str, ttl_s: float = 6.0) -> None:
        import redis.asyncio as aioredis  # only when the store is SQLite and Redis is set

        self._redis = aioredis.Redis.from_url(url, socket_connect_timeout=3, socket_timeout=3)
        self.prefix, self.ttl_ms = prefix, int(ttl_s * 1000)
        self._token = secrets.token_hex(8)
        self._held: dict[str, float] = {}  # key -> monotonic time it was last renewed

    async def acquire(self, key: str) -> bool:
        """Take the group's key if it is free. Raises on a Redis error."""
        if key not in self._held and await self._redis.set(
                f"{self.prefix}:lease:{key}", self._token, nx=True, px=self.ttl_ms):
            self._held[key] = time.monotonic()
        return key in self._held

    async def alive(self) -> bool:
        """Renew every held key; return False (all dropped) once one is lost, or could not
        be renewed for `ttl_s`."""
        for key, renewed in list(self._held.items()):
            try:
                ok = await self._redis.eval(_RENEW, 1, f"{self.prefix}:lease:{key}",
                                            self._token, self.ttl_ms)
                if ok:
                    self._held[key] = time.monotonic()
                    continue
            except Exception as err:
                if time.monotonic() - renewed < self.ttl_ms / 1000 * 0.8:
                    log.warning("renewing the ingest lease failed (%s); retrying", err)
                    continue
            self._held.clear()
            return False
        return True

    async def release(self, key: str) -> None:
        if self._held.pop(key, None) is not None:
            await self._redis.eval(_RELEASE, 1, f"{self.prefix}:lease:{key}", self._token)

    async def close(self) -> None:
        for key in list(self._held):
            try:
                await self.release(key)
            except Exception:  # noqa: S112 - the key expires by itself
                continue
        await self._redis.aclose()


OnChange = Callable[[str, bool], Awaitable[None]]


class Leadership:
    """The groups this process wants, and those it leads, kept by a campaign every `poll_s`."""

    def __init__(self, leases: Leases, on_change: OnChange, poll_s: float = 1.0) -> None:
        self.leases, self.on_change, self.poll_s = leases, on_change, poll_s
        self.wanted: set[str] = set()
        self.held: set[str] = set()
        self.changes = 0  # leads gained and lost
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def want(self, key: str, wanted: bool = True) -> None:
        """Campaign for `key` (or stop and let it go); the campaign runs at once."""
        (self.wanted.add if wanted else self.wanted.discard)(key)
        if self._task is None:
            self._task = asyncio.create_task(self._campaign(), name="ingest-leadership")
        self._wake.set()

    async def campaign_once(self) -> None:
        """Keep or lose what is held, release what is not wanted, try for the rest."""
        if self.held and not await self.leases.alive():
            lost, self.held = self.held, set()
            for key in sorted(lost):
                await self._changed(key, False)
        for key in sorted(self.held - self.wanted):
            self.held.discard(key)
            await self.leases.release(key)
            await self._changed(key, False)
        for key in sorted(self.wanted - self.held):
            if await self.leases.acquire(key):
                self.held.add(key)
                await self._changed(key, True)

    async def _changed(self, key: str, leader: bool) -> None:
        self.changes += 1
        log.info("ingest group %s: this process is %s", key, "the leader" if leader else
                 "no longer the leader")
        await self.on_change(key, leader)

    async def _campaign(self) -> None:
        while True:
            try:
                await self.campaign_once()
            except Exception as err:  # the database or Redis is away: try again next round
                log.warning("ingest election round failed: %s", err)
            try:
                async with asyncio.timeout(self.poll_s):
                    await self._wake.wait()
            except TimeoutError:
                pass
            self._wake.clear()

    async def close(self) -> None:
        """Stop campaigning and let every lease go."""
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
        self.held.clear()
        await self.leases.close()
