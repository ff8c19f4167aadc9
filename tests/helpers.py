"""Small async helpers shared by the tests: waiting for a condition, and a sleep that hurries."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

__all__ = ["fast_sleep", "until"]


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
