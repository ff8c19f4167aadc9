"""Group commit in `Admission`: admissions that arrive together share one transaction, each
still returns its own events, seqs follow arrival order, and one that fails costs only itself.
Nothing here is timed: throughput is measured in bench/ingest.py."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from app.events import PostEvent
from app.ingest import Admission, stored_rules
from app.models import Post
from app.moderation import RuleSet
from app.store import Commit, Store, Tx, WallInfo
from tests.conftest import make_post


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = Store(f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}")
    await s.open()
    await s.create_wall("w", "t", {"rules": {"max_per_author_per_hour": 0}})
    yield s
    await s.close()


def commits_of(store: Store) -> list[Commit]:
    seen: list[Commit] = []
    store.listen(seen.append)
    return seen


def post(n: int) -> Post:
    return Post.model_validate(make_post(n, text=f"post number {n}"))


async def test_admissions_arriving_together_share_one_commit_and_keep_their_own_events(
        store: Store) -> None:
    """Ten admissions started together go in one transaction, with one commit for the
    listeners; each returns exactly its own post's event, and the seqs follow the order they
    arrived in."""
    commits = commits_of(store)
    admission = Admission(store)
    results = await asyncio.gather(*(admission.admit("w", post(n)) for n in range(10)))
    for n, events in enumerate(results):
        assert len(events) == 1 and isinstance(events[0], PostEvent)
        assert events[0].post_id == f"x:{100000 + n}"
    assert [evs[0].seq for evs in results] == list(range(1, 11))
    assert [sum(len(evs) for evs in c.events.values()) for c in commits] == [10]
    shown = [e.seq for c in commits for e in c.events["w"]]
    assert shown == list(range(1, 11))


async def test_a_lone_admission_is_written_at_once(store: Store) -> None:
    """With nothing else waiting, an admission is its own transaction, as before."""
    commits = commits_of(store)
    events = await Admission(store).admit("w", post(1))
    assert [e.seq for e in events] == [1] and len(commits) == 1


async def test_a_failing_admission_costs_only_itself(store: Store) -> None:
    """One admission whose transaction raises fails alone: the batch it was in is rolled
    back and the others are written one by one, with no gap in the seqs."""
    bad = "x:100005"

    async def rules(tx: Tx, wall: WallInfo) -> RuleSet:
        # Raises once the bad post's row is in the transaction, as a broken post would.
        found = await tx.conn.exec_driver_sql("SELECT count(*) FROM posts WHERE id = ?", (bad,))
        if found.scalar_one():
            raise RuntimeError(f"cannot admit {bad}")
        return await stored_rules(tx, wall)

    admission = Admission(store, rules)
    outcome = await asyncio.gather(*(admission.admit("w", post(n)) for n in range(3, 9)),
                                   return_exceptions=True)
    assert isinstance(outcome[2], RuntimeError)
    ok = [r for r in outcome if isinstance(r, list)]
    assert len(ok) == 5 and all(len(r) == 1 for r in ok)
    assert sorted(evs[0].seq for evs in ok) == list(range(1, 6))
    assert {p["id"] for p in await store.wall_posts("w", limit=50)} == {
        f"x:{100000 + n}" for n in range(3, 9) if n != 5}
