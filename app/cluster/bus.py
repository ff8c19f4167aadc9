"""Messages between tweetwall processes over Redis pub/sub (redis-py's asyncio client).

One connection subscribes to the pattern `<prefix>:*` and hands every other process's message
to `on_message(topic, body)`; another publishes this process's, in order, from a bounded outbox
drained by one task, so a commit never waits for Redis. Pub/sub keeps nothing for a process that
is away, and that is all right: a message is only a fast path. The database log is the truth,
and whenever this process may have missed messages (its subscription (re)connects, or another
process says it could not publish) `on_connect(again)` lets it catch up from there.

redis-py's own retries are off so that every lost connection is seen here: a reconnect that
went unnoticed would leave a silent gap until the next sweep.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Any

import orjson
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import RedisError

__all__ = ["RedisBus", "connect"]

log = logging.getLogger(__name__)

OnMessage = Callable[[str, dict[str, Any]], None]
OnConnect = Callable[[bool], Awaitable[None]]

_OUTBOX = 10_000  # messages waiting for Redis; beyond that they are dropped and others resync
_SILENT_S = 15.0  # no data (not even a pong) for this long: the subscription is dead


def connect(url: str) -> aioredis.Redis:
    """Return a client for `url` with redis-py's retries off and TCP keepalive on."""
    return aioredis.Redis.from_url(url, retry=Retry(NoBackoff(), 0), socket_keepalive=True,
                                   socket_connect_timeout=3, socket_timeout=5)


class RedisBus:
    def __init__(self, url: str, prefix: str, on_message: OnMessage, on_connect: OnConnect,
                 *, retry_s: float = 0.5) -> None:
        self.url, self.prefix, self.retry_s = url, prefix, retry_s
        self.on_message, self.on_connect = on_message, on_connect
        self.origin = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
        self.connected = False  # the subscription is live
        self.reconnects = 0
        self.received = self.sent = self.send_failures = 0
        self.lag_s = 0.0  # commit on another process to its arrival here, for the last message
        self.lag_max_s = 0.0  # the largest since `take_lag_max()`
        self._outbox: deque[tuple[str, bytes]] = deque()
        self._wake = asyncio.Event()
        self._lost = False  # messages were dropped: ask the others to resync once we can
        self._tasks: list[asyncio.Task[None]] = []

    async def start(self) -> None:
        """Start subscribing and publishing (both reconnect by themselves)."""
        self._tasks = [asyncio.create_task(self._subscribe(), name="bus:subscribe"),
                       asyncio.create_task(self._publish(), name="bus:publish")]

    async def close(self) -> None:
        for task in self._tasks:
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        self.connected = False

    def publish(self, topic: str, body: dict[str, Any]) -> None:
        """Queue `body` for every other process under `topic`; never waits."""
        if len(self._outbox) >= _OUTBOX:  # Redis has been away a while: the others resync
            self._outbox.clear()
            self._lost = True
        data = orjson.dumps({"o": self.origin, "at": time.time(), **body})
        self._outbox.append((f"{self.prefix}:{topic}", data))
        self._wake.set()

    def take_lag_max(self) -> float:
        """Return the largest lag since the last call, and start over."""
        lag, self.lag_max_s = self.lag_max_s, 0.0
        return lag

    async def ping(self, within_s: float = 1.0) -> bool:
        """Return whether Redis answers within `within_s`."""
        client = connect(self.url)
        try:
            async with asyncio.timeout(within_s):
                return bool(await client.ping())
        except (RedisError, OSError, TimeoutError):
            return False
        finally:
            with contextlib.suppress(Exception):
                await client.aclose()

    # -- subscribing -----------------------------------------------------------------------

    async def _subscribe(self) -> None:
        again = False
        while True:
            client = connect(self.url)
            pubsub = client.pubsub()
            try:
                await pubsub.psubscribe(f"{self.prefix}:*")
                self.connected = True
                if again:
                    self.reconnects += 1
                    log.info("Redis subscription back: catching up from the log")
                try:
                    await self.on_connect(again)
                except Exception:  # the database may be away too: the sweep retries
                    log.exception("catching up after connecting to Redis failed")
                again = True
                await self._listen(pubsub)
            except (RedisError, OSError, TimeoutError) as err:
                if self.connected or not again:
                    log.warning("Redis subscription lost (%s); retrying", err)
                again = True
            finally:
                self.connected = False
                with contextlib.suppress(Exception):
                    await pubsub.aclose()  # type: ignore[no-untyped-call]
                with contextlib.suppress(Exception):
                    await client.aclose()
            await asyncio.sleep(self.retry_s)

    async def _listen(self, pubsub: Any) -> None:
        """Hand messages on until the connection fails or falls silent. Raises RedisError,
        OSError or TimeoutError."""
        heard = time.monotonic()
        pinged = heard
        while True:
            msg = await pubsub.get_message(timeout=1.0)
            now = time.monotonic()
            if msg is not None:
                heard = now
                if msg.get("type") == "pmessage":
                    self._handle(msg["channel"], msg["data"])
                continue
            if now - heard > _SILENT_S:
                raise TimeoutError(f"no word from Redis for {_SILENT_S:.0f} s")
            if now - pinged > _SILENT_S / 3:
                pinged = now
                await pubsub.ping()

    def _handle(self, channel: bytes, data: bytes) -> None:
        """Decode one message and hand it on unless it is this process's own."""
        try:
            body = orjson.loads(data)
            if body.get("o") == self.origin:
                return
            topic = channel.decode()[len(self.prefix) + 1:]
            self.received += 1
            self.lag_s = max(time.time() - float(body.get("at", 0)), 0.0)
            self.lag_max_s = max(self.lag_max_s, self.lag_s)
            self.on_message(topic, body)
        except Exception:  # one bad message must not end the subscription
            log.exception("could not handle a message on %r", channel)

    # -- publishing ------------------------------------------------------------------------

    async def _publish(self) -> None:
        client: aioredis.Redis | None = None
        while True:
            await self._wake.wait()
            self._wake.clear()
            try:
                client = client or connect(self.url)
                if self._lost:  # the others may have missed messages: they catch up
                    await client.publish(f"{self.prefix}:sync", orjson.dumps(
                        {"o": self.origin, "at": time.time()}))
                    self._lost = False
                while self._outbox:
                    channel, data = self._outbox[0]
                    await client.publish(channel, data)
                    self._outbox.popleft()
                    self.sent += 1
            except (RedisError, OSError, TimeoutError) as err:
                if not self._lost:  # said once per outage, not at every retry
                    log.warning("publishing to Redis failed (%s); the others will catch up "
                                "from the log", err)
                self.send_failures += 1
                self._outbox.clear()
                self._lost = True
                with contextlib.suppress(Exception):
                    await client.aclose() if client is not None else None
                client = None
                await asyncio.sleep(self.retry_s)
                self._wake.set()  # try again: the resync must go out
