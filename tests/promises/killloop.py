"""The kill -9 loop's moving parts (used by tests/browser/test_kill_loop.py): a thread running
an event loop, WebSocket viewers that reconnect and resume as the pages do, and a moderator
who keeps hiding and unhiding posts and remembers which actions were acknowledged (2xx).

Nothing here is a test; the test drives a real `tweetwall serve`, SIGKILLs it at random
moments and asks these pieces what survived.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import random
import threading
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
import websockets

from tests.promises.conftest import Client

__all__ = ["LoopThread", "Moderator", "Viewer", "check_acknowledged"]

T = TypeVar("T")


class LoopThread:
    """An event loop in a daemon thread; `run(coro)` waits for its result, `spawn(coro)`
    starts it as a task and returns at once."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def spawn(self, coro: Coroutine[Any, Any, Any]) -> asyncio.Task[Any]:
        async def start() -> asyncio.Task[Any]:
            return asyncio.create_task(coro)

        return self.run(start())

    def cancel(self, task: asyncio.Task[Any]) -> None:
        async def stop() -> None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

        self.run(stop())

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@dataclass
class Viewer:
    """A remote viewer: connects, applies frames, and on any drop dials again within ~0.3 s
    with `?epoch=&since=` of the last event it applied, as transport.js does."""

    url: str
    client: Client = field(default_factory=Client)
    live_at: list[float] = field(default_factory=list)  # when each connection's first frame came
    errors: list[str] = field(default_factory=list)  # why connections ended (the latest few)

    async def run(self) -> None:
        while True:
            query = self.client.query() if self.client.epoch else ""
            try:
                async with websockets.connect(self.url + query, open_timeout=3,
                                              max_size=None) as ws:
                    first = True
                    async for raw in ws:
                        self.client.apply(json.loads(raw))
                        if first:
                            self.live_at.append(time.monotonic())
                            first = False
            except (OSError, TimeoutError, websockets.exceptions.WebSocketException) as err:
                self.errors = [*self.errors[-4:], f"{time.monotonic():.2f} {err!r}"[:200]]
            await asyncio.sleep(random.uniform(0.05, 0.3))

    def live_since(self, moment: float) -> float | None:
        """Return when this viewer first got a frame after `moment`, or None."""
        return next((t for t in self.live_at if t >= moment), None)


@dataclass
class Moderator:
    """Hides and unhides `targets` in turn over the API with a token. `acked[id]` is the
    state the last acknowledged (2xx) action left the post in; a post whose latest request
    got no answer (the server died under it) is `uncertain` until re-read."""

    url: str
    token: str
    targets: list[str]
    acked: dict[str, str] = field(default_factory=dict)
    known: dict[str, str] = field(default_factory=dict)
    uncertain: set[str] = field(default_factory=set)
    answers: int = 0

    async def run(self, rnd: random.Random) -> None:
        async with httpx.AsyncClient(base_url=self.url, timeout=5, headers={
                "Authorization": f"Bearer {self.token}"}) as http:
            while True:
                pid = rnd.choice(self.targets)
                if pid in self.uncertain:
                    continue
                action = "unhide" if self.known.get(pid) == "hidden" else "hide"
                after = "visible" if action == "unhide" else "hidden"
                self.uncertain.add(pid)  # until the answer is in
                try:
                    res = await http.post(f"/api/v1/walls/t/posts/{pid}/{action}")
                except httpx.HTTPError:
                    return  # the server is gone; `pid` stays uncertain
                self.uncertain.discard(pid)
                if res.status_code == 200:
                    self.acked[pid] = self.known[pid] = after
                    self.answers += 1
                elif res.status_code == 409:  # already so: learn the state, nothing acked
                    self.known[pid] = after
                else:
                    raise AssertionError(f"{action} {pid}: {res.status_code} {res.text}")

    async def resync(self) -> None:
        """Re-read the posts whose fate is unknown; they count as acknowledged again only
        after their next 2xx."""
        hidden = await hidden_ids(self.url, self.token)
        for pid in self.uncertain:
            self.known[pid] = "hidden" if pid in hidden else "visible"
            self.acked.pop(pid, None)
        self.uncertain.clear()


async def hidden_ids(url: str, token: str) -> set[str]:
    async with httpx.AsyncClient(base_url=url, timeout=10, headers={
            "Authorization": f"Bearer {token}"}) as http:
        res = await http.get("/api/v1/walls/t/posts", params={"state": "hidden", "limit": 500})
        res.raise_for_status()
        return {p["id"] for p in res.json()}


async def check_acknowledged(mod: Moderator) -> list[str]:
    """Return the acknowledged actions the server no longer reflects (P3: none)."""
    hidden = await hidden_ids(mod.url, mod.token)
    return [f"{pid}: acknowledged {state}, found {'hidden' if pid in hidden else 'visible'}"
            for pid, state in mod.acked.items()
            if pid not in mod.uncertain and (state == "hidden") != (pid in hidden)]
