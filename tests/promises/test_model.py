"""P1, P2 and P4 as a model-based test: Hypothesis drives a real server (in-process uvicorn on
SQLite, one process) through random sequences of ingest, approve, hide, unhide, block, source
delete, client connect, drop and resume, and server restart. After every step, once the
sockets are drained, every connected client shows exactly the visible set of a tiny model of
the rules (docs/moderation.md), and the store agrees.

The server and its clients live on an event loop in a thread of their own, because Hypothesis'
state machines are synchronous.
"""

from __future__ import annotations

import asyncio
import contextlib
import tempfile
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
import websockets
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from app.models import Post
from app.moderation import InvalidAction
from app.settings import Settings
from tests.conftest import make_post
from tests.promises.conftest import Client, drain, plain_wall, server_visible
from tests.web.conftest import Running, serve

T = TypeVar("T")
POSTS = 24  # ids 0..23; authors n % 4; every fifth post is sensitive (queued for approval)
AUTHORS = 4
CLIENTS = 3


class LoopThread:
    """An event loop running in a daemon thread; `run(coro)` waits for its result."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coro: Coroutine[Any, Any, T], timeout: float = 30) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        self.loop.close()


@pytest.fixture(scope="module")
def loop_thread() -> Iterator[LoopThread]:
    lt = LoopThread()
    yield lt
    lt.close()


def post(n: int) -> Post:
    a = n % AUTHORS
    return Post.model_validate(make_post(
        n, author={"id": f"a{a}", "handle": f"@user{a}", "name": f"User {a}"},
        sensitive=n % 5 == 0))


async def _open(url: str) -> Any:
    return await websockets.connect(url, open_timeout=5)


@dataclass
class Screen:
    client: Client
    ws: Any = None


class WallMachine(RuleBasedStateMachine):
    """The wall and its model: `state[id]` is pending, visible or hidden."""

    loop: LoopThread

    def __init__(self) -> None:
        super().__init__()
        self.dir = tempfile.TemporaryDirectory()
        self.settings = Settings.model_validate({
            "database_url": f"sqlite+aiosqlite:///{Path(self.dir.name) / 'model.db'}",
            "walls": [plain_wall()], "hub": {"batch_ms": 5, "heartbeat_s": 0.05}})
        self.stack: contextlib.AsyncExitStack | None = None
        self.srv: Running = self.loop.run(self._start())
        self.state: dict[str, str] = {}
        self.deleted: set[str] = set()
        self.blocked: set[int] = set()
        self.screens = [Screen(Client()) for _ in range(CLIENTS)]

    async def _start(self) -> Running:
        self.stack = contextlib.AsyncExitStack()
        return await self.stack.enter_async_context(serve(self.settings))

    async def _stop(self) -> None:
        for screen in self.screens:
            await self._close(screen)
        if self.stack is not None:
            await self.stack.aclose()
            self.stack = None

    @staticmethod
    async def _close(screen: Screen) -> None:
        if screen.ws is not None:
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2):
                    await screen.ws.close()
            screen.ws = None

    def teardown(self) -> None:
        self.loop.run(self._stop())
        self.dir.cleanup()

    # -- the sources ---------------------------------------------------------------------------

    @rule(n=st.integers(0, POSTS - 1))
    def ingest(self, n: int) -> None:
        """A source brings post n (again, perhaps): new posts meet the blocks and queue rules;
        a known post keeps its state; a post deleted at its source never comes back."""
        pid = post(n).id
        self.loop.run(self.srv.admit("w", post(n)))
        if pid in self.deleted or pid in self.state:
            return
        if n % AUTHORS in self.blocked:
            self.state[pid] = "hidden"
        else:
            self.state[pid] = "pending" if n % 5 == 0 else "visible"

    @rule(n=st.integers(0, POSTS - 1))
    def source_delete(self, n: int) -> None:
        """The post is deleted at its source: hidden everywhere, for good."""
        pid = post(n).id
        self.loop.run(self.srv.app.state.ingest.admission.remove(pid))
        self.deleted.add(pid)
        if pid in self.state:
            self.state[pid] = "hidden"

    # -- the moderators ------------------------------------------------------------------------

    def _act(self, n: int, action: str, allowed: bool, new: str) -> None:
        pid = post(n).id
        try:
            self.loop.run(self.srv.mod.moderate("w", pid, action, "mod"))  # type: ignore[arg-type]
        except KeyError:
            assert pid not in self.state, f"{action} {pid}: not found but on the wall"
            return
        except InvalidAction:
            assert not allowed, f"{action} {pid} refused in state {self.state.get(pid)}"
            return
        assert allowed, f"{action} {pid} applied in state {self.state.get(pid)}"
        self.state[pid] = new

    @rule(n=st.integers(0, POSTS - 1))
    def approve(self, n: int) -> None:
        pid = post(n).id
        self._act(n, "approve", self.state.get(pid) in ("pending", "hidden")
                  and pid not in self.deleted, "visible")

    @rule(n=st.integers(0, POSTS - 1))
    def hide(self, n: int) -> None:
        pid = post(n).id
        self._act(n, "hide", self.state.get(pid) in ("pending", "visible"), "hidden")

    @rule(n=st.integers(0, POSTS - 1))
    def unhide(self, n: int) -> None:
        pid = post(n).id
        self._act(n, "unhide", self.state.get(pid) == "hidden" and pid not in self.deleted,
                  "visible")

    @rule(a=st.integers(0, AUTHORS - 1))
    def block(self, a: int) -> None:
        """Blocking an author hides their shown and queued posts and every later one."""
        try:
            self.loop.run(self.srv.mod.add_block("w", "author", f"@user{a}", "mod"))
        except InvalidAction:
            assert a in self.blocked
            return
        assert a not in self.blocked
        self.blocked.add(a)
        for pid in self.state:
            if int(pid.removeprefix("x:")) % AUTHORS == a:
                self.state[pid] = "hidden"

    # -- the screens and the server ------------------------------------------------------------

    @rule(i=st.integers(0, CLIENTS - 1))
    def connect(self, i: int) -> None:
        """A screen opens the wall afresh (no position)."""
        screen = self.screens[i]
        self.loop.run(self._close(screen))
        screen.client = Client()
        screen.ws = self.loop.run(_open(f"{self.srv.ws}/ws/walls/w"))

    @rule(i=st.integers(0, CLIENTS - 1))
    def drop(self, i: int) -> None:
        """A screen's connection drops; it keeps what it showed and its position."""
        self.loop.run(self._close(self.screens[i]))

    @precondition(lambda self: any(s.ws is None and s.client.epoch for s in self.screens))
    @rule(data=st.data())
    def resume(self, data: st.DataObject) -> None:
        """A dropped screen comes back with `?epoch=&since=` of the last event it applied."""
        away = [s for s in self.screens if s.ws is None and s.client.epoch]
        screen = data.draw(st.sampled_from(away))
        screen.ws = self.loop.run(_open(f"{self.srv.ws}/ws/walls/w{screen.client.query()}"))

    @rule()
    def restart(self) -> None:
        """The server stops and starts again on the same database; every screen drops."""
        self.loop.run(self._stop())
        self.srv = self.loop.run(self._start())

    # -- the promise ---------------------------------------------------------------------------

    @invariant()
    def screens_show_the_model(self) -> None:
        """Once drained, every connected screen shows exactly the model's visible posts, has
        applied no event twice, and the store agrees with the model."""
        expected = {pid for pid, s in self.state.items() if s == "visible"}
        srv = self.srv

        async def check() -> set[str]:
            live = [s for s in self.screens if s.ws is not None]
            head = lambda: srv.store.wall("w").last_seq  # noqa: E731
            await asyncio.gather(*(drain(s.ws, s.client, head) for s in live))
            return set(await server_visible(srv))

        stored = self.loop.run(check())
        assert stored == expected
        for screen in self.screens:
            if screen.ws is not None:
                assert screen.client.twice == []
                assert screen.client.visible == expected


def run_machine(loop_thread: LoopThread, examples: int, steps: int) -> None:
    WallMachine.loop = loop_thread
    test = WallMachine.TestCase
    test.settings = settings(max_examples=examples, stateful_step_count=steps, deadline=None,
                             suppress_health_check=list(HealthCheck), derandomize=False)
    test().runTest()


def test_every_screen_shows_the_models_wall(loop_thread: LoopThread) -> None:
    """P1/P2/P4, CI-sized: 12 random runs of up to 25 steps each; after every step every
    connected screen equals the model."""
    run_machine(loop_thread, examples=12, steps=25)


@pytest.mark.promises_full
def test_every_screen_shows_the_models_wall_at_length(loop_thread: LoopThread) -> None:
    """The same at length: 150 runs of up to 50 steps (`-m promises_full`, ~8 minutes)."""
    run_machine(loop_thread, examples=150, steps=50)
