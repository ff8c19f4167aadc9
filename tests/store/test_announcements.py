"""Announcements reach screens at their start, never before; times without a zone are UTC."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app.events import AnnouncementEvent
from app.store import Commit, Store
from app.store.announcements import Announcements, InvalidAnnouncement


async def test_a_scheduled_announcement_stays_private_until_it_starts(store: Store) -> None:
    """Screens get nothing of a scheduled announcement before its start; then it is sent once."""
    sent: list[AnnouncementEvent] = []

    def collect(commit: Commit) -> None:
        sent.extend(e for e in commit.events.get("w", []) if isinstance(e, AnnouncementEvent))

    store.listen(collect)
    board = Announcements(store)
    soon = datetime.now(UTC) + timedelta(seconds=0.5)
    await board.announce("w", "Closing keynote in hall A", "alice", starts_at=soon)
    assert sent == [] and await board.current("w") == []
    assert [a["text"] for a in await board.listing("w")] == ["Closing keynote in hall A"]
    assert await board.publish_due() == soon
    assert sent == []
    await _wait_past(soon)
    assert await board.publish_due() is None
    assert [e.announcement["text"] for e in sent] == ["Closing keynote in hall A"]
    assert [a["text"] for a in await board.current("w")] == ["Closing keynote in hall A"]
    await board.publish_due()
    assert len(sent) == 1


async def test_a_withdrawn_schedule_is_never_sent(store: Store) -> None:
    """Withdrawing a scheduled announcement before its start means screens never see it."""
    sent: list[int] = []
    store.listen(lambda c: sent.extend(e.seq for e in c.events.get("w", [])))
    board = Announcements(store)
    soon = datetime.now(UTC) + timedelta(seconds=0.3)
    item = await board.announce("w", "Cancelled", "alice", starts_at=soon)
    await board.withdraw("w", item["id"], "alice")
    await _wait_past(soon)
    await board.publish_due()
    assert sent == [] and await board.current("w") == []


async def test_a_naive_start_beside_an_aware_end_is_read_as_utc(store: Store) -> None:
    """A start without a zone and an end with one compare as UTC instead of failing."""
    start = datetime.now(UTC).replace(tzinfo=None) - timedelta(minutes=1)
    end = datetime.now(UTC) + timedelta(hours=1)
    item = await Announcements(store).announce("w", "Now on", "alice", start, end)
    assert item["starts_at"].endswith("Z")
    with pytest.raises(InvalidAnnouncement):
        await Announcements(store).announce("w", "Backwards", "alice", end, start)


async def _wait_past(moment: datetime) -> None:
    import asyncio

    await asyncio.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()) + 0.05)
