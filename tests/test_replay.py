"""The replay source: time order, pacing, backfill, looping with new ids, a persisted cursor."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from app.models import Post
from app.settings import ReplaySettings
from app.sources.base import MemoryCursors, SourceContext
from app.sources.replay import ReplaySource, bundled_path, load_posts
from tests.conftest import make_post, write_jsonl

NOW = datetime(2026, 11, 29, 9, 0, tzinfo=UTC)


class FakeSleep:
    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


def source(path: Path, cursors: MemoryCursors, sleep: FakeSleep, **kw: object) -> ReplaySource:
    settings = ReplaySettings.model_validate({"speed": 60, "min_gap_s": 1, "max_gap_s": 4,
                                              "backfill": 0, **kw})
    ctx = SourceContext(wall="w", hashtags=("ASNR14",), cursors=cursors)
    return ReplaySource(ctx, settings, path, sleep=sleep, clock=lambda: NOW)


async def take(src: ReplaySource, n: int) -> list[Post]:
    out: list[Post] = []
    async for item in src.events():
        assert isinstance(item, Post)
        out.append(item)
        if len(out) == n:
            break
    return out


async def test_posts_come_in_time_order_with_scaled_clamped_gaps(tmp_path: Path) -> None:
    """Gaps are the real ones divided by speed, clamped to [min_gap_s, max_gap_s]."""
    # make_post spaces posts 5 minutes apart: 300 s / 60 = 5 s, clamped to 4 s.
    path = write_jsonl(tmp_path / "m.jsonl", [make_post(3), make_post(1), make_post(2)])
    sleep = FakeSleep()
    posts = await take(source(path, MemoryCursors(), sleep), 3)
    assert [p.id for p in posts] == ["x:100001", "x:100002", "x:100003"]
    assert sleep.waits == [1, 4, 4]
    assert all(p.created_at == NOW for p in posts)


async def test_first_start_backfills_a_full_wall_at_once(tmp_path: Path) -> None:
    """A first start yields `backfill` posts without waiting, stamped in the recent past."""
    path = write_jsonl(tmp_path / "m.jsonl", [make_post(i) for i in range(10)])
    sleep = FakeSleep()
    posts = await take(source(path, MemoryCursors(), sleep, backfill=4), 4)
    assert sleep.waits == []
    assert [p.created_at <= NOW for p in posts] == [True] * 4
    assert posts[0].created_at < posts[-1].created_at == NOW


async def test_restart_continues_from_the_cursor(tmp_path: Path) -> None:
    """A restarted replay carries on after the last post it delivered."""
    path = write_jsonl(tmp_path / "m.jsonl", [make_post(i) for i in range(6)])
    cursors = MemoryCursors()
    first = await take(source(path, cursors, FakeSleep(), backfill=2), 4)
    again = await take(source(path, cursors, FakeSleep(), backfill=2), 1)
    assert [p.id for p in first] == [f"x:10000{i}" for i in range(4)]
    # The 4th post was yielded but the consumer stopped before the cursor advanced past it:
    # at-least-once delivery, and the store's upsert makes the repeat harmless.
    assert again[0].id in ("x:100003", "x:100004")


async def test_looping_gives_new_ids_each_lap(tmp_path: Path) -> None:
    """After the last post the replay starts again with ids marked by lap."""
    path = write_jsonl(tmp_path / "m.jsonl", [make_post(1), make_post(2)])
    posts = await take(source(path, MemoryCursors(), FakeSleep()), 5)
    assert [p.id for p in posts] == ["x:100001", "x:100002", "x:100001~1", "x:100002~1",
                                     "x:100001~2"]


async def test_without_loop_the_source_finishes(tmp_path: Path) -> None:
    """With loop off the replay ends after the last post and says so."""
    path = write_jsonl(tmp_path / "m.jsonl", [make_post(1)])
    src = source(path, MemoryCursors(), FakeSleep(), loop=False)
    assert len(await take(src, 10)) == 1
    assert src.status.state == "finished"


async def test_bad_lines_are_skipped_and_counted(tmp_path: Path) -> None:
    """Invalid JSON or invalid posts are skipped with a count; the rest still plays."""
    path = tmp_path / "m.jsonl"
    path.write_text(json.dumps(make_post(1)) + "\n{not json\n"
                    + json.dumps(make_post(2, source="nope")) + "\n\n", encoding="utf-8")
    posts, skipped = load_posts(path)
    assert [p.id for p in posts] == ["x:100001"] and skipped == 2


def test_bundled_meeting_is_shipped() -> None:
    """The package carries the bundled meeting the demo replays."""
    posts, skipped = load_posts(bundled_path())
    assert len(posts) >= 400 and skipped == 0


async def test_default_pace_keeps_the_meetings_rhythm() -> None:
    """With the default settings the bundled meeting plays with bursts (posts well under a
    second apart) and quiet stretches of several seconds, a median gap of a few seconds, and a
    whole loop in under three quarters of an hour; not one post a second."""
    sleep = FakeSleep()
    ctx = SourceContext(wall="w", hashtags=("ASNR14",), cursors=MemoryCursors())
    settings = ReplaySettings.model_validate({"backfill": 0})
    src = ReplaySource(ctx, settings, bundled_path(), sleep=sleep, clock=lambda: NOW)
    posts, _ = load_posts(bundled_path())
    await take(src, len(posts))
    gaps = sorted(sleep.waits[1:])
    median = gaps[len(gaps) // 2]
    assert 1 <= median <= 4, median
    assert sum(1 for g in gaps if g < 1) >= len(gaps) // 4, "bursts"
    assert sum(1 for g in gaps if g >= 8) >= 20, "quiet stretches"
    assert max(gaps) <= settings.max_gap_s
    assert 10 * 60 <= sum(gaps) <= 45 * 60
