"""Ingest throughput of the whole pipeline: normalise, moderate, store, publish.

    .venv/bin/python bench/ingest.py [--posts 2000] [--sources 1,16] [--db sqlite,postgres]
                                     [--history 0,50000]

Builds what `tweetwall serve` builds for a wall with no sources (the store, the hub with the
wall loaded, `Walls` with its cached rules, the store's listener publishing every commit to the
hub and the moderators' feed), then `--sources` tasks, as many supervised sources would, each
validate raw wire posts into `Post` (normalise) and admit them one after another through the
app's own `Admission` (policy with the default rules and word list, the store's transaction,
the hub). Posts have distinct texts and authors, so the policy shows them rather than holding
duplicates or authors over their hourly cap. Prints posts per second per row, with the share of
posts that reached the hub. SQLite syncs every commit (synchronous=FULL); admissions that
arrive together share one transaction (group commit, app/ingest/admission.py).

`--history N` first puts N posts of 5,000 other authors on the wall, ingested within the last
hour (written straight into the tables: only the admissions after them are timed), so the per-post
lookups (the author's posts in the last hour, an earlier copy of the same text) run against a wall
as full as a big meeting's.

PostgreSQL: 127.0.0.1:5432, user postgres, trust auth; the bench creates its own database and
drops it afterwards (`--pg-url` to point elsewhere).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from workload import make_post_dict  # bench/workload.py, beside this file

from app.hub import Hub
from app.models import Post
from app.modfeed import ModFeed
from app.settings import Settings, WallConfig
from app.store import Commit, Store
from app.walls import Walls

PG_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def raw_post(i: int, base: dict[str, Any]) -> dict[str, Any]:
    """A raw wire post number `i`: distinct id, text and author (500 authors)."""
    return base | {"id": f"x:{300000 + i}", "text": f"{base['text']} {i}",
                   "author": {**base["author"], "id": str(i % 500), "handle": f"@u{i % 500}"}}


async def fill(store: Store, slug: str, count: int, base: dict[str, Any]) -> None:
    """Put `count` visible posts on the wall by 5,000 other authors (so no timed post is held
    for its author's hourly cap), ingested in the last hour, in batches of straight INSERTs."""
    from sqlalchemy import insert, update

    from app.moderation import text_key
    from app.store.schema import posts as posts_table
    from app.store.schema import wall_posts, walls

    wall = store.wall(slug)
    now = datetime.now(UTC)
    async with store.engine.begin() as conn:
        for start in range(0, count, 5000):
            post_rows, placed = [], []
            for i in range(start, min(count, start + 5000)):
                raw = raw_post(-1 - i, base)
                raw["author"] = {**raw["author"], "id": f"h{i % 5000}", "handle": f"@h{i % 5000}"}
                raw["text"] = f"{base['text']} earlier {i}"   # no timed post is a copy of one
                post = Post.model_validate(raw)
                at = now - timedelta(seconds=3000 * (i + 1) / count)
                post_rows.append({
                    "id": post.id, "source": post.source, "author_id": post.author.id,
                    "author_handle": post.author.handle, "created_at": at, "ingested_at": at,
                    "text": post.text, "data": post.wire(), "text_key": text_key(post)})
                placed.append({"wall_id": wall.id, "post_id": post.id, "state": "visible",
                               "reason": None, "pinned": False, "order_seq": i + 1,
                               "updated_at": at})
            await conn.execute(insert(posts_table), post_rows)
            await conn.execute(insert(wall_posts), placed)
        await conn.execute(update(walls).where(walls.c.id == wall.id).values(last_order=count))
    # Statistics, as autovacuum takes them after a load like this (this machine's PostgreSQL
    # runs with autovacuum off): without them its planner walks the whole wall per lookup.
    async with store.engine.connect() as conn:
        await (await conn.execution_options(isolation_level="AUTOCOMMIT")).exec_driver_sql(
            "ANALYZE")


async def run_row(url: str, posts: int, sources: int, history: int = 0,
                  indexed: bool = True) -> dict[str, Any]:
    """Admit `posts` posts from `sources` concurrent producers, on a wall that already holds
    `history` posts; return the row. `indexed=False` is the baseline before migration 0008:
    the author lookup's index dropped."""
    settings = Settings(database_url=url, walls=[
        WallConfig(slug="bench", title="Bench", hashtags=["ASNR14"], sources=[])])
    store = Store(url)
    await store.open()
    if not indexed:
        async with store.engine.begin() as conn:
            await conn.exec_driver_sql("DROP INDEX ix_posts_author_key_ingested")
    hub, feed = Hub(), ModFeed()
    published = [0]

    def committed(commit: Commit) -> None:
        for slug, events in commit.events.items():
            if slug in hub.walls():
                hub.publish(slug, events)
                published[0] += len(events)
        for slug, messages in commit.console.items():
            feed.publish(slug, messages)

    walls = Walls(store, hub, settings)
    store.listen(committed)
    await walls.start()
    admission = walls.ingest.admission
    bases = [make_post_dict(n, 400) for n in range(1, 51)]
    if history:
        await fill(store, "bench", history, bases[0])
    raws = [raw_post(i, bases[i % 50]) for i in range(posts)]
    started = time.perf_counter()

    async def source(k: int) -> None:
        for raw in raws[k::sources]:
            await admission.admit("bench", Post.model_validate(raw))

    await asyncio.gather(*(source(k) for k in range(sources)))
    took = time.perf_counter() - started
    await walls.stop()
    await store.close()
    return {"posts": posts, "sources": sources, "history": history, "indexed": indexed,
            "seconds": round(took, 2),
            "per_s": round(posts / took), "published": published[0]}


async def postgres_url(admin: str) -> tuple[str, str]:
    """Create a fresh database for the bench; returns (its URL, its name)."""
    import asyncpg

    name = f"tweetwall_bench_{os.getpid()}"
    conn = await asyncpg.connect(admin.replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()
    return admin.rsplit("/", 1)[0] + f"/{name}", name


async def drop_postgres(admin: str, name: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(admin.replace("postgresql+asyncpg", "postgresql"))
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()


async def measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    """Run every (database, sources) row; returns the rows."""
    rows: list[dict[str, Any]] = []
    for db in args.db.split(","):
        for sources, history, indexed in itertools.product(
                (int(s) for s in args.sources.split(",")),
                (int(h) for h in args.history.split(",")),
                (True, False) if args.baseline else (True,)):
            if db == "sqlite":
                with tempfile.TemporaryDirectory(prefix="tweetwall-ingest-") as tmp:
                    url = f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
                    row = await run_row(url, args.posts, sources, history, indexed)
            else:
                try:
                    url, name = await postgres_url(args.pg_url)
                except (OSError, ImportError) as err:
                    rows.append({"db": db, "sources": sources, "error": repr(err)})
                    continue
                try:
                    row = await run_row(url, args.posts, sources, history, indexed)
                finally:
                    await drop_postgres(args.pg_url, name)
            rows.append({"db": db, **row})
            print(f"  {rows[-1]}", file=sys.stderr, flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--sources", default="1,16", help="concurrent producers per row")
    parser.add_argument("--db", default="sqlite,postgres")
    parser.add_argument("--history", default="0", help="posts already on the wall, per row")
    parser.add_argument("--baseline", action="store_true",
                        help="beside each row, the same without the author index (before 0008)")
    parser.add_argument("--pg-url", default=PG_ADMIN, help="an existing database to connect to")
    args = parser.parse_args()
    for row in asyncio.run(measure(args)):
        if "error" in row:
            print(f"{row['db']:8} sources={row['sources']:<3} {row['error']}")
        else:
            print(f"{row['db']:8} sources={row['sources']:<3} history={row['history']:<6} "
                  f"{'indexed' if row['indexed'] else 'no index':9}{row['per_s']:>6} posts/s "
                  f"({row['posts']} in {row['seconds']} s, {row['published']} reached the hub)")


if __name__ == "__main__":
    main()
