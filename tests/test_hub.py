"""The hub without any server: snapshots, batching, resume (P1/P2), stuck subscribers (P6)."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from app.events import PostEvent, RemoveEvent
from app.hub import Hub, Overflow, UnknownWall
from tests.conftest import make_post


def new_hub(**kw: Any) -> Hub:
    hub = Hub(**{"batch_ms": 0, **kw})
    hub.load_wall("w", epoch="e1", seq=0, wall={"slug": "w"}, posts=[])
    return hub


def post_ev(seq: int, n: int) -> PostEvent:
    return PostEvent(seq, make_post(n))


async def next_frame(sub: Any) -> dict[str, Any]:
    async with asyncio.timeout(2):
        async for frame in sub.frames():
            return dict(json.loads(frame))
    raise AssertionError("subscription ended")


async def test_first_frame_is_snapshot_of_visible_posts_newest_first() -> None:
    """A new subscriber first gets a snapshot with the epoch, seq and visible posts."""
    hub = new_hub()
    hub.publish("w", [post_ev(1, 1), post_ev(2, 2), RemoveEvent(3, "x:100001")])
    async with hub.subscribe("w") as sub:
        snap = await next_frame(sub)
    assert snap["type"] == "snapshot" and snap["epoch"] == "e1" and snap["seq"] == 3
    assert [p["id"] for p in snap["posts"]] == ["x:100002"]


async def test_events_reach_every_subscriber_in_order() -> None:
    """Published events arrive at each subscriber as events frames, seq increasing."""
    hub = new_hub()
    async with hub.subscribe("w") as a, hub.subscribe("w") as b:
        await next_frame(a), await next_frame(b)
        hub.publish("w", [post_ev(1, 1)])
        hub.publish("w", [post_ev(2, 2)])
        for sub in (a, b):
            seqs = [e["seq"] for _ in range(2) for e in (await next_frame(sub))["events"]]
            assert seqs == [1, 2]


async def test_events_within_the_window_share_one_frame() -> None:
    """With batching on, events published close together go out as one frame."""
    hub = new_hub(batch_ms=30)
    async with hub.subscribe("w") as sub:
        await next_frame(sub)
        for i in range(1, 6):
            hub.publish("w", [post_ev(i, i)])
        frame = await next_frame(sub)
    assert [e["seq"] for e in frame["events"]] == [1, 2, 3, 4, 5]


async def test_subscriber_joining_mid_batch_gets_no_duplicates() -> None:
    """A client that subscribes while a batch is pending sees each event once."""
    hub = new_hub(batch_ms=30)
    async with hub.subscribe("w") as early:
        await next_frame(early)
        hub.publish("w", [post_ev(1, 1)])
        async with hub.subscribe("w") as late:
            snap = await next_frame(late)
            assert snap["seq"] == 1
            hub.publish("w", [post_ev(2, 2)])
            frame = await next_frame(late)
            assert [e["seq"] for e in frame["events"]] == [2]
        frame = await next_frame(early)
        assert [e["seq"] for e in frame["events"]] == [1, 2]


async def test_resume_inside_the_log_gets_exactly_the_missed_events() -> None:
    """P1: (epoch, since) inside the retained log replays every later event once, in order."""
    hub = new_hub()
    hub.publish("w", [post_ev(i, i) for i in range(1, 11)])
    async with hub.subscribe("w", "e1", 6) as sub:
        frame = await next_frame(sub)
    assert frame["type"] == "events"
    assert [e["seq"] for e in frame["events"]] == [7, 8, 9, 10]


async def test_resume_at_the_head_gets_an_empty_events_frame() -> None:
    """A client that missed nothing is told so with an empty events frame, not a snapshot."""
    hub = new_hub()
    hub.publish("w", [post_ev(1, 1)])
    async with hub.subscribe("w", "e1", 1) as sub:
        assert await next_frame(sub) == {"type": "events", "events": []}


@pytest.mark.parametrize(
    ("epoch", "since", "why"),
    [("e1", 2, "older than the retained log"), ("other", 9, "another epoch"),
     ("e1", 99, "a since from the future")],
)
async def test_resume_outside_the_log_gets_a_fresh_snapshot(epoch: str, since: int, why: str) -> None:
    """P2: a resume the log cannot serve gets a snapshot, never a silent gap."""
    hub = new_hub(resume_log=5)
    hub.publish("w", [post_ev(i, i) for i in range(1, 11)])
    async with hub.subscribe("w", epoch, since) as sub:
        frame = await next_frame(sub)
    assert frame["type"] == "snapshot", why
    assert frame["seq"] == 10


async def test_a_stuck_subscriber_is_dropped_and_others_get_everything() -> None:
    """P6: one client that never reads overflows its own queue and is dropped; others are unaffected."""
    hub = new_hub(queue_frames=8)
    received: list[int] = []
    async with hub.subscribe("w") as stuck, hub.subscribe("w") as healthy:
        await next_frame(healthy)

        async def read() -> None:
            async for frame in healthy.frames():
                received.extend(e["seq"] for e in json.loads(frame).get("events", []))
                if received and received[-1] == 100:
                    return

        reader = asyncio.create_task(read())
        for i in range(1, 101):
            hub.publish("w", [post_ev(i, i)])
            await asyncio.sleep(0)
        async with asyncio.timeout(2):
            await reader
        assert stuck.closed and stuck.overflowed
        with pytest.raises(Overflow):
            async for _ in stuck.frames():
                pass
    assert received == list(range(1, 101))
    assert hub.dropped == 1


async def test_publish_never_waits_for_subscribers() -> None:
    """Publishing to 1,000 subscribers that never read returns at once and bounds memory."""
    hub = new_hub(queue_frames=4)
    async with asyncio.timeout(5):
        subs = [hub.subscribe("w") for _ in range(1000)]
        entered = [await s.__aenter__() for s in subs]
        for i in range(1, 20):
            hub.publish("w", [post_ev(i, i)])
        assert all(s.closed for s in entered)
        assert max(s.backlog for s in entered) <= 1
        for s in subs:
            await s.__aexit__(None, None, None)
    assert hub.subscriber_count("w") == 0


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
        async with new_hub().subscribe("nope"):
            pass
