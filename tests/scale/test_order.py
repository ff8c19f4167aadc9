"""The sequencer (app/hub/order.py): events from several paths reach the hub once each, in seq
order, with gaps filled from the log, and a gap the log lost reloads the wall and resumes its
viewers instead of leaving a silent hole."""

from __future__ import annotations

import asyncio

from app.events import Event, PostEvent
from app.hub import Hub
from app.hub.order import Sequencer
from tests.conftest import make_post
from tests.test_hub import FakeWriter


def ev(seq: int) -> Event:
    return PostEvent(seq, make_post(seq))


class Log:
    """The database's event log of wall `w`, from `first` on (older ones pruned)."""

    def __init__(self, last: int, first: int = 1) -> None:
        self.events = {s: ev(s) for s in range(first, last + 1)}
        self.reads: list[tuple[int, int]] = []
        self.reloaded = 0

    async def fetch(self, slug: str, after: int, limit: int) -> list[Event]:
        self.reads.append((after, limit))
        await asyncio.sleep(0)  # a real query yields to the loop
        return [self.events[s] for s in sorted(self.events) if s > after][:limit]

    async def reload(self, slug: str) -> None:
        self.reloaded += 1


def setup(log: Log, seq: int = 0) -> tuple[Hub, Sequencer, FakeWriter]:
    hub = Hub(batch_ms=0)
    hub.load_wall("w", epoch="e", seq=seq, wall={"slug": "w"}, posts=[])
    return hub, Sequencer(hub, log.fetch, log.reload), FakeWriter()


async def settle(seq: Sequencer) -> None:
    while seq._fills:
        await asyncio.gather(*seq._fills.values(), return_exceptions=True)


async def test_in_order_events_go_out_at_once_and_duplicates_are_dropped() -> None:
    log = Log(3)
    hub, seq, writer = setup(log)
    async with hub.subscribe("w", writer):
        seq.offer("w", [ev(1), ev(2)])
        seq.offer("w", [ev(2), ev(3)])  # 2 again: from Redis after the local commit
        seq.offer("w", [ev(1)])
        await settle(seq)
        assert writer.seqs() == [1, 2, 3]
    assert log.reads == []  # nothing past a gap: no query


async def test_a_gap_is_filled_from_the_log_before_what_follows_it() -> None:
    log = Log(6)
    hub, seq, writer = setup(log)
    async with hub.subscribe("w", writer):
        seq.offer("w", [ev(1)])
        seq.offer("w", [ev(4)])  # 2 and 3 were lost on the way
        seq.offer("w", [ev(5), ev(6)])
        await settle(seq)
        assert writer.seqs() == [1, 2, 3, 4, 5, 6]
    assert seq.gaps_filled >= 2


async def test_catch_up_reads_what_the_sweep_knows_is_committed() -> None:
    log = Log(5)
    hub, seq, writer = setup(log)
    async with hub.subscribe("w", writer):
        task = seq.catch_up("w", 5)
        assert task is not None
        await settle(seq)
        assert writer.seqs() == [1, 2, 3, 4, 5]
        assert seq.catch_up("w", 5) is None  # nothing to do


async def test_a_gap_the_log_no_longer_holds_reloads_and_drops_viewers_1013() -> None:
    log = Log(10, first=8)  # 1..7 pruned
    hub, seq, writer = setup(log)

    async def reload(slug: str) -> None:
        hub.load_wall("w", epoch="e", seq=10, wall={"slug": "w"}, posts=[])

    seq.reload = reload
    async with hub.subscribe("w", writer):
        seq.offer("w", [ev(10)])
        await settle(seq)
        assert seq.reloads == 1
        assert writer.ended == 1013
    assert hub.seq("w") == 10


async def test_unknown_walls_are_ignored() -> None:
    log = Log(1)
    _, seq, _ = setup(log)
    seq.offer("other", [ev(1)])
    assert seq.catch_up("other", 3) is None
