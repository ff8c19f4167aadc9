"""The store on SQLite: idempotent upserts, moderation that sticks (P3/P4), cursors, the log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from app.events import Event, PostEvent, RemoveEvent
from app.ingest import Admission
from app.models import Post
from app.moderation import InvalidAction
from app.store import Store
from app.store.cursors import WallCursors
from app.store.decisions import Decisions
from app.store.stats import wall_stats


def seqs(events: list[Event]) -> list[int]:
    return [e.seq for e in events]


async def test_a_new_post_becomes_visible_with_the_next_seq(store: Store, post_factory: Callable[..., Post]) -> None:
    """Ingesting a post on a post-moderated wall emits one post event with seq 1, then 2."""
    assert seqs(await Admission(store).admit("w", post_factory(1))) == [1]
    assert seqs(await Admission(store).admit("w", post_factory(2))) == [2]
    assert [p["id"] for p in await store.wall_posts("w")] == ["x:100002", "x:100001"]


async def test_a_duplicate_post_never_makes_a_second_card(store: Store, post_factory: Callable[..., Post]) -> None:
    """The same post ingested twice is one row and one event."""
    await Admission(store).admit("w", post_factory(1))
    assert await Admission(store).admit("w", post_factory(1)) == []
    assert len(await store.wall_posts("w")) == 1


async def test_an_edit_updates_the_card_in_place(store: Store, post_factory: Callable[..., Post]) -> None:
    """A changed text for a known id emits a post event carrying the new text."""
    await Admission(store).admit("w", post_factory(1))
    events = await Admission(store).admit("w", post_factory(1, content=[{"type": "text", "text": "edited"}]))
    assert isinstance(events[0], PostEvent) and events[0].post["text"] == "edited"
    assert len(await store.wall_posts("w")) == 1


async def test_a_metrics_change_alone_is_stored_without_an_event(store: Store, post_factory: Callable[..., Post]) -> None:
    """New like counts do not re-send the card to every screen."""
    await Admission(store).admit("w", post_factory(1))
    assert await Admission(store).admit("w", post_factory(1, metrics={"likes": 9})) == []
    assert (await store.wall_posts("w"))[0]["metrics"]["likes"] == 9


async def test_concurrent_writers_get_distinct_increasing_seqs(store: Store, post_factory: Callable[..., Post]) -> None:
    """Fifty posts ingested at once each get their own seq, with no gap and no repeat."""
    import asyncio

    results = await asyncio.gather(*(Admission(store).admit("w", post_factory(i)) for i in range(50)))
    seqs_seen = sorted(e.seq for events in results for e in events)
    assert seqs_seen == list(range(1, 51))


async def test_pre_moderation_keeps_posts_pending(store: Store, post_factory: Callable[..., Post]) -> None:
    """On a pre-moderated wall a new post is pending, emits nothing, and approve publishes it."""
    await store.create_wall("pre", "Pre", {"moderation": "pre"})
    assert await Admission(store).admit("pre", post_factory(1)) == []
    assert await store.wall_posts("pre") == []
    assert len(await store.wall_posts("pre", "pending")) == 1
    await Decisions(store).moderate("pre", "x:100001", "approve", "alice")
    assert [p["id"] for p in await store.wall_posts("pre")] == ["x:100001"]


async def test_hidden_post_stays_hidden_when_the_source_sends_it_again(store: Store, post_factory: Callable[..., Post]) -> None:
    """P4: a late or repeated source event never brings back a hidden post."""
    await Admission(store).admit("w", post_factory(1))
    await Decisions(store).moderate("w", "x:100001", "hide", "alice", "off topic")
    assert await Admission(store).admit("w", post_factory(1, content=[{"type": "text", "text": "again"}])) == []
    assert await store.wall_posts("w") == []


async def test_deleted_post_is_removed_and_never_comes_back(store: Store, post_factory: Callable[..., Post]) -> None:
    """P4: a deletion at the source removes the card and blocks re-ingest and unhide."""
    await Admission(store).admit("w", post_factory(1))
    events = await Admission(store).remove("x:100001")
    assert [type(e) for e in events] == [RemoveEvent]
    assert await Admission(store).admit("w", post_factory(1)) == []
    with pytest.raises(InvalidAction):
        await Decisions(store).moderate("w", "x:100001", "unhide", "alice")
    assert await store.wall_posts("w") == []


async def test_deletion_before_the_post_arrives_still_wins(store: Store, post_factory: Callable[..., Post]) -> None:
    """P4: a tombstone for a post not yet seen keeps it off the wall when it arrives late."""
    await Admission(store).remove("x:100001")
    assert await Admission(store).admit("w", post_factory(1)) == []


async def test_events_are_handed_over_in_seq_order_after_commit(db_url: str, post_factory: Callable[..., Post]) -> None:
    """A store listener receives every committed event once, seq strictly increasing."""
    got: list[int] = []
    s = Store(db_url)
    s.listen(lambda commit: got.extend(e.seq for evs in commit.events.values() for e in evs))
    await s.open()
    await s.create_wall("w", "Wall", {"moderation": "post"})
    for i in range(5):
        await Admission(s).admit("w", post_factory(i))
    await Decisions(s).moderate("w", "x:100002", "hide", "bob")
    await s.close()
    assert got == [1, 2, 3, 4, 5, 6]


async def test_moderation_and_log_survive_a_reopen(db_url: str, post_factory: Callable[..., Post]) -> None:
    """P3: what a moderator did and the event log are on disk after the store is reopened."""
    url = db_url
    s = Store(url)
    await s.open()
    await s.create_wall("w", "Wall", {"moderation": "post"})
    await Admission(s).admit("w", post_factory(1))
    await Decisions(s).moderate("w", "x:100001", "hide", "alice")
    epoch = s.wall("w").epoch
    await s.close()
    s2 = Store(url)
    await s2.open()
    assert s2.wall("w").epoch == epoch and s2.wall("w").last_seq == 2
    assert await s2.wall_posts("w") == []
    assert [e.type for e in await s2.events_after("w", 0, 10)] == ["post", "remove"]
    await s2.close()


async def test_cursors_persist_per_wall_and_source(store: Store) -> None:
    """A source's cursor is stored per (wall, source) and overwritten in place."""
    wall_id = store.wall("w").id
    a, b = WallCursors(store, wall_id, "x"), WallCursors(store, wall_id, "mastodon")
    await a.set("since_id", "1")
    await a.set("since_id", "2")
    assert await a.get("since_id") == "2"
    assert await b.get("since_id") is None


async def test_stats_count_visible_posts_and_accounts(store: Store, post_factory: Callable[..., Post]) -> None:
    """Stats give posts, accounts and the first and last post times of the visible set."""
    for i in range(10):
        await Admission(store).admit("w", post_factory(i))
    await Decisions(store).moderate("w", "x:100009", "hide", "alice")
    stats: dict[str, Any] = await wall_stats(store, "w")
    assert stats["posts"] == 9 and stats["hidden"] == 1 and stats["accounts"] == 7
    assert stats["first_post_at"].startswith("2014-05-15T12:00")


async def test_invalid_action_changes_nothing(store: Store, post_factory: Callable[..., Post]) -> None:
    """Approving an already visible post raises and records no event."""
    await Admission(store).admit("w", post_factory(1))
    with pytest.raises(InvalidAction):
        await Decisions(store).moderate("w", "x:100001", "approve", "alice")
    assert store.wall("w").last_seq == 1
