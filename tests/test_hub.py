"""The hub without any server: snapshots, batching, resume (P1/P2), direct writes, lagging and
stuck subscribers (P6). Connections are `FakeWriter`s whose transport can be paused."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

import pytest

from app.events import PostEvent, RemoveEvent
from app.hub import CLOSE_TRY_AGAIN, Hub, UnknownWall
from tests.conftest import make_post


class FakeWriter:
    """A connection that records what reaches it; `paused` stands for a full transport."""

    def __init__(self, *, paused: bool = False, cost_s: float = 0.0) -> None:
        self.frames: list[dict[str, Any]] = []
        self.raw: list[str] = []  # the frames as written, for identity checks
        self.paused = paused
        self.cost_s = cost_s  # time one direct write takes (a busy flush)
        self.ended: int | None = None
        self._changed = asyncio.Event()
        self._resumed = asyncio.Event()

    def try_write(self, frame: str) -> bool:
        if self.ended is not None:
            return True
        if self.paused:
            return False
        if self.cost_s:
            time.sleep(self.cost_s)
        self._take(frame)
        return True

    async def write(self, frame: str) -> None:
        while self.paused and self.ended is None:
            self._resumed.clear()
            await self._resumed.wait()
        if self.ended is not None:
            raise ConnectionError("closed")
        self._take(frame)

    def end(self, code: int) -> None:
        if self.ended is None:
            self.ended = code
            self._resumed.set()
            self._changed.set()

    def resume(self) -> None:
        self.paused = False
        self._resumed.set()

    def _take(self, frame: str) -> None:
        self.raw.append(frame)
        self.frames.append(json.loads(frame))
        self._changed.set()

    async def frame(self, index: int) -> dict[str, Any]:
        """Return frame number `index`, waiting (2 s at most) until it arrives."""
        async with asyncio.timeout(2):
            while len(self.frames) <= index:
                self._changed.clear()
                await self._changed.wait()
        return self.frames[index]

    def seqs(self) -> list[int]:
        return [e["seq"] for f in self.frames if f["type"] == "events" for e in f["events"]]


def new_hub(**kw: Any) -> Hub:
    hub = Hub(**{"batch_ms": 0, **kw})
    hub.load_wall("w", epoch="e1", seq=0, wall={"slug": "w"}, posts=[])
    return hub


def post_ev(seq: int, n: int) -> PostEvent:
    return PostEvent(seq, make_post(n))


async def test_first_frame_is_snapshot_of_visible_posts_newest_first() -> None:
    """A new subscriber first gets a snapshot with the epoch, seq and visible posts."""
    hub = new_hub()
    hub.publish("w", [post_ev(1, 1), post_ev(2, 2), RemoveEvent(3, "x:100001")])
    writer = FakeWriter()
    async with hub.subscribe("w", writer):
        snap = await writer.frame(0)
    assert snap["type"] == "snapshot" and snap["epoch"] == "e1" and snap["seq"] == 3
    assert [p["id"] for p in snap["posts"]] == ["x:100002"]


async def test_a_writable_connection_gets_each_frame_at_once_without_a_task() -> None:
    """Direct writes: when publish() returns (no batching), every writable connection has
    the frame already; nothing waits for a task or a queue."""
    hub = new_hub()
    writers = [FakeWriter() for _ in range(3)]
    async with hub.subscribe("w", writers[0]), hub.subscribe("w", writers[1]), \
            hub.subscribe("w", writers[2]):
        hub.publish("w", [post_ev(1, 1)])
        assert [len(w.frames) for w in writers] == [2, 2, 2]
        hub.publish("w", [post_ev(2, 2)])
        assert all(w.seqs() == [1, 2] for w in writers)


async def test_events_published_together_share_one_frame() -> None:
    """With batching on, events published in the same loop turn go out as one frame."""
    hub = new_hub(batch_ms=30)
    writer = FakeWriter()
    async with hub.subscribe("w", writer):
        for i in range(1, 6):
            hub.publish("w", [post_ev(i, i)])
        frame = await writer.frame(1)
    assert [e["seq"] for e in frame["events"]] == [1, 2, 3, 4, 5]


async def test_an_idle_wall_sends_on_the_next_loop_turn_whatever_the_window() -> None:
    """Adaptive batching: after a quiet spell an event does not wait for `batch_ms`."""
    hub = new_hub(batch_ms=5000)
    writer = FakeWriter()
    async with hub.subscribe("w", writer):
        hub.publish("w", [post_ev(1, 1)])
        await asyncio.sleep(0)
        assert writer.seqs() == [1]


async def test_a_busy_wall_coalesces_events_that_arrive_during_the_rest() -> None:
    """Adaptive batching: after a flush that took a while, events published meanwhile wait
    for the next flush together instead of one frame each."""
    hub = new_hub(batch_ms=1000)
    writer = FakeWriter(cost_s=0.02)
    async with hub.subscribe("w", writer):
        hub.publish("w", [post_ev(1, 1)])
        await writer.frame(1)
        hub.publish("w", [post_ev(2, 2)])
        await asyncio.sleep(0)
        hub.publish("w", [post_ev(3, 3)])
        frame = await writer.frame(2)
    assert [e["seq"] for e in frame["events"]] == [2, 3]


async def test_subscriber_joining_mid_batch_gets_no_duplicates() -> None:
    """A client that subscribes while a batch is pending sees each event once."""
    hub = new_hub(batch_ms=30)
    early, late = FakeWriter(), FakeWriter()
    async with hub.subscribe("w", early):
        hub.publish("w", [post_ev(1, 1)])
        async with hub.subscribe("w", late):
            assert (await late.frame(0))["seq"] == 1
            hub.publish("w", [post_ev(2, 2)])
            assert [e["seq"] for e in (await late.frame(1))["events"]] == [2]
        assert [e["seq"] for e in (await early.frame(1))["events"]] == [1, 2]


async def test_resume_inside_the_log_gets_exactly_the_missed_events() -> None:
    """P1: (epoch, since) inside the retained log replays every later event once, in order."""
    hub = new_hub()
    hub.publish("w", [post_ev(i, i) for i in range(1, 11)])
    writer = FakeWriter()
    async with hub.subscribe("w", writer, "e1", 6):
        frame = await writer.frame(0)
    assert frame["type"] == "events"
    assert [e["seq"] for e in frame["events"]] == [7, 8, 9, 10]


async def test_resume_at_the_head_gets_an_empty_events_frame() -> None:
    """A client that missed nothing is told so with an empty events frame, not a snapshot."""
    hub = new_hub()
    hub.publish("w", [post_ev(1, 1)])
    writer = FakeWriter()
    async with hub.subscribe("w", writer, "e1", 1):
        assert await writer.frame(0) == {"type": "events", "events": []}


@pytest.mark.parametrize(
    ("epoch", "since", "why"),
    [("e1", 2, "older than the retained log"), ("other", 9, "another epoch"),
     ("e1", 99, "a since from the future")],
)
async def test_resume_outside_the_log_gets_a_fresh_snapshot(epoch: str, since: int, why: str) -> None:
    """P2: a resume the log cannot serve gets a snapshot, never a silent gap."""
    hub = new_hub(resume_log=5)
    hub.publish("w", [post_ev(i, i) for i in range(1, 11)])
    writer = FakeWriter()
    async with hub.subscribe("w", writer, epoch, since):
        frame = await writer.frame(0)
    assert frame["type"] == "snapshot", why
    assert frame["seq"] == 10


async def test_clients_resuming_together_share_one_encoded_frame_until_the_wall_moves() -> None:
    """A reconnect storm: clients resuming at the same `since` get the same frame, encoded
    once; after a new event, the next one's frame includes it (nothing stale, P1)."""
    hub = new_hub()
    hub.publish("w", [post_ev(i, i) for i in range(1, 6)])
    a, b, c = FakeWriter(), FakeWriter(), FakeWriter()
    async with hub.subscribe("w", a, "e1", 3), hub.subscribe("w", b, "e1", 3):
        assert a.raw[0] is b.raw[0] and a.seqs() == [4, 5]
        hub.publish("w", [post_ev(6, 6)])
        async with hub.subscribe("w", c, "e1", 3):
            assert c.seqs() == [4, 5, 6]


async def test_a_paused_connection_gets_its_backlog_in_order_then_direct_writes() -> None:
    """A connection whose transport is paused has its frames queued, not lost: once it
    resumes they arrive in order, and later frames go straight to it again."""
    hub = new_hub()
    writer = FakeWriter(paused=True)
    async with hub.subscribe("w", writer) as sub:
        for i in range(1, 6):
            hub.publish("w", [post_ev(i, i)])
        assert sub.backlog == 6 and writer.frames == []  # the snapshot and five frames
        writer.resume()
        await writer.frame(5)
        assert sub.backlog == 0 and writer.seqs() == [1, 2, 3, 4, 5]
        hub.publish("w", [post_ev(6, 6)])
        assert writer.seqs()[-1] == 6  # written at once: no backlog any more
        assert not sub.closed


async def test_a_stuck_subscriber_is_dropped_and_others_get_everything() -> None:
    """P6: one client that never reads overflows its own backlog and is closed with 1013;
    the others get every event, each as it is published."""
    hub = new_hub(queue_frames=8)
    stuck, healthy = FakeWriter(paused=True), FakeWriter()
    async with hub.subscribe("w", stuck) as sub, hub.subscribe("w", healthy):
        for i in range(1, 101):
            hub.publish("w", [post_ev(i, i)])
            assert healthy.seqs()[-1] == i
        assert sub.closed and sub.overflowed and stuck.ended == CLOSE_TRY_AGAIN
        assert hub.subscriber_count("w") == 1
    assert healthy.seqs() == list(range(1, 101))
    assert hub.dropped == 1


async def test_a_backlog_that_does_not_move_for_stall_s_is_dropped() -> None:
    """P6: a paused connection whose backlog makes no progress for `stall_s` is dropped with
    1013 even before its backlog is full."""
    hub = new_hub(queue_frames=64)
    stuck = FakeWriter(paused=True)
    async with hub.subscribe("w", stuck, stall_s=0.05) as sub:
        hub.publish("w", [post_ev(1, 1)])
        async with asyncio.timeout(2):
            while not sub.closed:
                await asyncio.sleep(0.01)
        assert sub.overflowed and stuck.ended == CLOSE_TRY_AGAIN


async def test_publish_never_waits_for_subscribers() -> None:
    """Publishing to 1,000 subscribers whose transports are all paused returns at once,
    drops them all and keeps nothing queued."""
    hub = new_hub(queue_frames=4)
    async with asyncio.timeout(5):
        subs = [hub.subscribe("w", FakeWriter(paused=True)) for _ in range(1000)]
        entered = [await s.__aenter__() for s in subs]
        for i in range(1, 20):
            hub.publish("w", [post_ev(i, i)])
        assert all(s.closed for s in entered)
        assert max(s.backlog for s in entered) == 0
        for s in subs:
            await s.__aexit__(None, None, None)
    assert hub.subscriber_count("w") == 0 and hub.dropped == 1000


async def test_removing_a_wall_closes_its_subscribers() -> None:
    """A wall taken down closes its connections normally (1000); their clients are refused
    when they come back."""
    hub = new_hub()
    writer = FakeWriter()
    async with hub.subscribe("w", writer) as sub:
        hub.remove_wall("w")
        assert sub.closed and not sub.overflowed and writer.ended == 1000


async def test_snapshot_is_bounded_but_keeps_pins() -> None:
    """The snapshot holds at most snapshot_size posts, plus pinned ones that scrolled out."""
    hub = new_hub(snapshot_size=5)
    pinned = PostEvent(1, {**make_post(0), "pinned": True})
    hub.publish("w", [pinned, *[post_ev(i + 1, i) for i in range(1, 20)]])
    _, seq, posts = hub.state("w")
    ids = [p["id"] for p in posts]
    assert seq == 20 and len(ids) == 6 and ids[-1] == "x:100000" and ids[0] == "x:100019"


async def test_unknown_wall_is_refused() -> None:
    """Subscribing to a wall the hub does not serve raises UnknownWall."""
    with pytest.raises(UnknownWall):
        async with new_hub().subscribe("nope", FakeWriter()):
            pass
