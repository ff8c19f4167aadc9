"""P1, P2 and P4 as a table of catch-up cases over the real WebSocket, in the manner of
Centrifuge's recovery tests: a screen sees the wall, drops, the wall changes (or does not),
the screen comes back with some `(epoch, since)`. Every case ends with the screen showing
exactly the server's visible set, no event applied twice, and the start frame P1 or P2 asks
for: the missed events when the position is inside the retained log, a snapshot otherwise.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import pytest
import websockets

from app.models import Post
from app.settings import Settings
from tests.promises.conftest import Client, drain, server_visible
from tests.web.conftest import Running, serve

LOG = 10  # the retained log of these tests' servers, in events


@dataclass(frozen=True)
class Case:
    """One way of coming back: what happens while away, how the client asks to resume, and
    the start frame the protocol promises."""

    gap: Callable[[Running, Callable[..., Post]], Awaitable[None]]
    query: Callable[[Client], str]
    start: str  # "events" (P1) or "snapshot" (P2)
    restart: bool = False
    missed: int | None = None  # exact number of events the resume must carry


async def nothing(srv: Running, post: Callable[..., Post]) -> None:
    """The wall does not change while the client is away."""


async def one_post(srv: Running, post: Callable[..., Post]) -> None:
    await srv.admit("w", post(20))


async def many_posts(srv: Running, post: Callable[..., Post]) -> None:
    """More changes than the retained log holds: the client's position falls out of it."""
    for n in range(20, 20 + LOG + 5):
        await srv.admit("w", post(n))
    await srv.mod.moderate("w", "x:100021", "hide", "alice")


async def hide(srv: Running, post: Callable[..., Post]) -> None:
    await srv.admit("w", post(20))
    await srv.mod.moderate("w", "x:100002", "hide", "alice")
    await srv.mod.moderate("w", "x:100020", "hide", "alice")


async def block(srv: Running, post: Callable[..., Post]) -> None:
    """Blocking user3 takes their shown posts off, and their next post never shows (P4)."""
    await srv.mod.add_block("w", "author", "@user3", "alice")
    await srv.admit("w", post(24))  # by @user3 (n % 7)
    await srv.admit("w", post(22))


async def source_deletion(srv: Running, post: Callable[..., Post]) -> None:
    """Deleted at its source: off the wall, and its repeated sighting never comes back."""
    await srv.app.state.ingest.admission.remove("x:100004")
    await srv.admit("w", post(4))
    await srv.admit("w", post(21))


async def delete_before_post(srv: Running, post: Callable[..., Post]) -> None:
    """The source's delete overtakes its post: the post must never reach a screen (P4)."""
    await srv.app.state.ingest.admission.remove("x:100030")
    await srv.admit("w", post(30))
    await srv.admit("w", post(31))


async def edit(srv: Running, post: Callable[..., Post]) -> None:
    await srv.admit("w", post(3, content=[{"type": "text", "text": "edited while away"}]))


def resume(c: Client) -> str:
    return c.query()


CASES: dict[str, Case] = {
    "at the current position": Case(nothing, resume, "events", missed=0),
    "one behind": Case(one_post, resume, "events", missed=1),
    "an edit inside the gap": Case(edit, resume, "events", missed=1),
    "far behind (outside the log)": Case(many_posts, resume, "snapshot"),
    "from the future": Case(one_post, lambda c: f"?epoch={c.epoch}&since={c.seq + 1000}",
                            "snapshot"),
    "with a wrong epoch": Case(one_post, lambda c: f"?epoch=not-{c.epoch}&since={c.seq}",
                               "snapshot"),
    "without a position": Case(one_post, lambda c: "", "snapshot"),
    "after a restart": Case(one_post, resume, "events", restart=True, missed=1),
    "after a restart, far behind": Case(many_posts, resume, "snapshot", restart=True),
    "a hide inside the gap": Case(hide, resume, "events", missed=3),
    "a block inside the gap": Case(block, resume, "events"),
    "a source deletion inside the gap": Case(source_deletion, resume, "events", missed=2),
    "a delete that arrives before its post": Case(delete_before_post, resume, "events",
                                                  missed=1),
}


def head(srv: Running) -> Callable[[], int]:
    return lambda: srv.store.wall("w").last_seq


async def connect(srv: Running, client: Client, query: str = "") -> Any:
    return await websockets.connect(f"{srv.ws}/ws/walls/w{query}", open_timeout=5)


@pytest.mark.parametrize("name", list(CASES))
async def test_a_client_catches_up_exactly(name: str, promise_settings: Callable[..., Settings],
                                           post_factory: Callable[..., Post]) -> None:
    """P1/P2/P4: after the gap the client shows exactly the server's visible posts (same ids,
    same content), applied each event at most once, got the start frame the protocol promises
    (and for a resume inside the log exactly the events it missed), and keeps following live
    events afterwards."""
    case = CASES[name]
    settings = promise_settings(hub={"resume_log": LOG, "snapshot_size": 200})
    client = Client()
    async with serve(settings) as srv:
        for n in range(8):
            await srv.admit("w", post_factory(n))
        ws = await connect(srv, client)
        await drain(ws, client, head(srv))
        await ws.close()
        before = client.seq
        if not case.restart:
            await case.gap(srv, post_factory)
    if case.restart:
        async with serve(settings) as srv:
            await case.gap(srv, post_factory)
    async with serve(settings) as srv:
        frames_before = len(client.frames)
        ws = await connect(srv, client, case.query(client))
        await drain(ws, client, head(srv))
        first = client.frames[frames_before]
        resumed = [s for s in client.applied if s > before]
        shown = await server_visible(srv)
        # Still live afterwards: the next post arrives once.
        await srv.admit("w", post_factory(40))
        await drain(ws, client, head(srv))
        after = await server_visible(srv)
        await ws.close()
    assert first == case.start, client.frames
    if case.missed is not None:
        assert len(resumed) == case.missed, resumed
        assert resumed == list(range(before + 1, before + 1 + case.missed))
    assert client.twice == []
    assert set(shown) <= set(after) | {"x:100040"}
    assert client.visible == set(after)
    assert {i: p["text"] for i, p in client.posts.items()} == {
        i: p["text"] for i, p in after.items()}
    for banned in ("x:100030", "x:100004", "x:100024", "x:100002"):
        if banned not in after:
            assert banned not in client.posts
