"""Small helpers shared by the tests: waiting for a condition, a sleep that hurries, and a
PostgreSQL database of a test's own."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import os
import secrets
from collections.abc import Awaitable, Callable, Coroutine, Iterator
from typing import Any

import pytest

__all__ = ["fast_sleep", "fresh_postgres", "until"]


async def until(
    check: Callable[[], bool | Awaitable[bool]], seconds: float = 20.0, every: float = 0.01
) -> None:
    """Return once `check()` (sync or async) is true; raises TimeoutError after `seconds`."""
    async with asyncio.timeout(seconds):
        while True:
            result = check()
            if await result if inspect.isawaitable(result) else result:
                return
            await asyncio.sleep(every)


async def fast_sleep(seconds: float) -> None:
    """Sleep at most 20 ms whatever a source asks for, so backoffs and polls do not slow tests."""
    await asyncio.sleep(min(seconds, 0.02))


@contextlib.contextmanager
def fresh_postgres(
    admin_url: str, prefix: str,
    run: Callable[[Coroutine[Any, Any, None]], Any] = asyncio.run,
) -> Iterator[str]:
    """Create a new PostgreSQL database through `admin_url`, yield its SQLAlchemy (asyncpg)
    URL and drop it afterwards. Skips the test when PostgreSQL does not answer, and fails
    under CI. `run` runs a coroutine to its end (a loop thread's, where the test's own thread
    holds Playwright's loop)."""
    import asyncpg

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(admin_url, timeout=5)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    name = f"{prefix}_{secrets.token_hex(6)}"
    try:
        run(admin(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError) as err:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {admin_url}: {err}")
    base = admin_url.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://")
    try:
        yield f"{base}/{name}"
    finally:
        run(admin(f'DROP DATABASE "{name}" WITH (FORCE)'))
