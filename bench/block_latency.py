"""Live events while a moderator blocks a keyword on a wall of 50,000 posts.

    .venv/bin/python bench/block_latency.py [--posts 50000] [--rate 20] [--db sqlite|postgres]

Fills a wall with `--posts` stored posts (bulk SQL, as a long meeting leaves them), then admits
new posts at `--rate` per second through the real `Admission` while a moderator adds a keyword
block, and measures each new post's latency from the admit call to the moment the store hands
its event to the listeners (the hub in production), plus how late a 50 ms ticker wakes (how long
the event loop was blocked: heartbeats and fan-out stop for that long). Two rows, same run:

- `naive`: the block as it was: one transaction under the writer lock that validates every
  shown or queued post with pydantic and matches it on the event loop.
- `paged`: `Decisions.add_block`: the rule committed first, the posts matched in pages read
  outside the lock, in a worker thread, hidden a page per transaction.

Prints one table; numbers go to docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select

from app.clock import utcnow
from app.ingest import Admission
from app.models import Post
from app.moderation import Block, RuleSet, matches_block
from app.store import Commit, Store, Tx
from app.store import posts as post_rows
from app.store.decisions import Decisions
from app.store.schema import posts, wall_posts

PG = os.environ.get("TWEETWALL_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/test")


def wire(n: int, word: str = "") -> dict[str, Any]:
    text = f"Post {n} from the stroke imaging session, room {n % 9} {word}#ASNR14"
    return Post.model_validate({
        "id": f"x:{10_000_000 + n}", "source": "x", "url": f"https://x.com/u/status/{n}",
        "created_at": "2014-05-17T14:03:00Z",
        "author": {"id": str(n % 400), "handle": f"@user{n % 400}", "name": f"User {n % 400}"},
        "content": [{"type": "text", "text": text}], "lang": "en",
    }).wire()


async def fill(store: Store, count: int) -> None:
    """Store `count` visible posts on wall `w`; one in 1,000 carries the word to block."""
    wall = store.wall("w")
    rows = [wire(n, "spoilerword " if n % 1000 == 0 else "") for n in range(count)]
    async with store.engine.begin() as conn:
        for start in range(0, count, 2000):
            chunk = rows[start:start + 2000]
            await conn.execute(insert(posts), [
                {"id": d["id"], "source": "x", "author_id": d["author"]["id"],
                 "author_handle": d["author"]["handle"], "created_at": utcnow(),
                 "ingested_at": utcnow(), "text": d["text"], "data": d, "text_key": None}
                for d in chunk])
            await conn.execute(insert(wall_posts), [
                {"wall_id": wall.id, "post_id": d["id"], "state": "visible", "pinned": False,
                 "reason": None, "order_seq": 0, "updated_at": utcnow()} for d in chunk])


async def naive_block(store: Store, value: str) -> None:
    """The block as it was: everything in one transaction under the lock, on the loop."""
    wall = store.wall("w")
    rules = RuleSet(blocks=(Block("keyword", value),), wordlist=False)

    async def run(tx: Tx) -> None:
        found = (await tx.conn.execute(
            select(wall_posts.c.post_id, wall_posts.c.state, wall_posts.c.pinned, posts.c.data)
            .join(posts, posts.c.id == wall_posts.c.post_id)
            .where(wall_posts.c.wall_id == wall.id, wall_posts.c.state != "hidden"))).all()
        for r in found:
            if matches_block(Post.model_validate(r.data), rules):
                await post_rows.set_state(tx, wall, r.post_id, r.data, (r.state, r.pinned),
                                          ("hidden", False), f"blocked keyword {value}")
        tx.rules_changed("w")

    await store.write(run)


async def measure(url: str, count: int, rate: float,
                  block: Callable[[Store], Awaitable[Any]]) -> dict[str, float]:
    store = Store(url)
    await store.open()
    await store.create_wall("w", "Bench", {"moderation": "post",
                                           "rules": {"wordlist": False,
                                                     "max_per_author_per_hour": None,
                                                     "collapse_duplicates": False}})
    await fill(store, count)
    sent: dict[str, float] = {}
    latencies: list[float] = []

    def committed(commit: Commit) -> None:
        for ev in commit.events.get("w", []):
            at = sent.pop(getattr(ev, "post_id", ""), None)
            if at is not None:
                latencies.append(time.perf_counter() - at)

    store.listen(committed)
    admission = Admission(store)
    lags: list[float] = []
    stop = asyncio.Event()

    async def ticker() -> None:
        while not stop.is_set():
            start = time.perf_counter()
            await asyncio.sleep(0.05)
            lags.append(time.perf_counter() - start - 0.05)

    async def producer() -> None:
        n = count
        while not stop.is_set():
            post = Post.model_validate(wire(n))
            sent[post.id] = time.perf_counter()
            asyncio.create_task(admission.admit("w", post))  # noqa: RUF006 - bench
            n += 1
            await asyncio.sleep(1 / rate)

    tasks = [asyncio.create_task(ticker()), asyncio.create_task(producer())]
    await asyncio.sleep(1.0)
    latencies.clear()
    lags.clear()
    started = time.perf_counter()
    await block(store)
    took = time.perf_counter() - started
    await asyncio.sleep(0.5)
    stop.set()
    await asyncio.gather(*tasks)
    await asyncio.sleep(0.5)
    await store.close()
    ordered = sorted(latencies) or [float("nan")]
    return {"block_s": took, "events": len(latencies),
            "p50_ms": statistics.median(ordered) * 1000,
            "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
            "max_ms": ordered[-1] * 1000, "loop_lag_max_ms": max(lags or [0]) * 1000}


async def database(kind: str, folder: Path, name: str) -> str:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{folder / (name + '.db')}"
    import asyncpg

    admin = await asyncpg.connect(PG)
    await admin.execute(f'DROP DATABASE IF EXISTS "tw_bench_{name}" WITH (FORCE)')
    await admin.execute(f'CREATE DATABASE "tw_bench_{name}"')
    await admin.close()
    return PG.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + \
        f"/tw_bench_{name}"


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--posts", type=int, default=50_000)
    parser.add_argument("--rate", type=float, default=20.0)
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for label, block in (
            ("naive", lambda s: naive_block(s, "spoilerword")),
            ("paged", lambda s: Decisions(s).add_block("w", "keyword", "spoilerword", "bench")),
        ):
            url = await database(args.db, Path(tmp), label)
            rows.append((label, await measure(url, args.posts, args.rate, block)))
    print(f"\nBlock a keyword on a wall of {args.posts:,} posts ({args.db}), "
          f"new posts at {args.rate:g}/s")
    print("| block | block took | live events | p50 | p99 | max | event loop blocked (max) |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for label, r in rows:
        print(f"| {label} | {r['block_s']:.2f} s | {r['events']:.0f} | {r['p50_ms']:.0f} ms "
              f"| {r['p99_ms']:.0f} ms | {r['max_ms']:.0f} ms | {r['loop_lag_max_ms']:.0f} ms |")


if __name__ == "__main__":
    asyncio.run(main())
