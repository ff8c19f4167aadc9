#!/usr/bin/env python3
"""How long the meeting report takes over a big wall (docs/report.md), on SQLite by default.

    .venv/bin/python bench/report.py                      # 100,000 posts, 2,000 accounts
    .venv/bin/python bench/report.py --posts 20000 --runs 5
    .venv/bin/python bench/report.py --url postgresql+asyncpg://...   # an empty database

Seeds a wall with `--posts` generated wire posts (bulk inserts, not the ingest: that is not what
is measured), a third of the accounts categorised, then times each way of reading the report
and prints a table: best and median of `--runs` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert

from app.report.build import Period, build_report
from app.report.commands import export
from app.report.render import report_csv, standalone_html
from app.settings import Settings
from app.store import Store
from app.store.categories import Categories
from app.store.schema import posts, wall_posts
from app.store.stats import wall_stats

LANGS = ["en"] * 12 + ["fr", "fr", "es", "de", "ja", "pt", "it"]
TAGS = ["stroke", "dti", "neurorad", "ai", "spine", "peds", "mtl", "mrphysics"]
START = datetime(2014, 5, 15, 11, tzinfo=UTC)


def wire(n: int, rng: random.Random, accounts: int, days: int) -> dict[str, Any]:
    """Return post `n`: a plausible wire post with tags, mentions, links and some media."""
    who = int(rng.paretovariate(1.2)) % accounts
    at = START + timedelta(seconds=rng.randrange(days * 86400))
    tag = rng.choice(TAGS)
    content = [{"type": "text", "text": f"Post {n} about the session ", "href": None},
               {"type": "hashtag", "text": "#ASNR14", "href": "https://x.com/hashtag/ASNR14"},
               {"type": "text", "text": " ", "href": None},
               {"type": "hashtag", "text": f"#{tag}", "href": f"https://x.com/hashtag/{tag}"}]
    if rng.random() < 0.3:
        content.append({"type": "mention", "text": f"@user{rng.randrange(accounts)}",
                        "href": "https://x.com/u"})
    if rng.random() < 0.15:
        content.append({"type": "link", "text": f"site{n % 50}.example",
                        "href": f"https://site{n % 50}.example/"})
    media = ([{"kind": "image", "url": f"https://img.example/{n}.jpg", "preview_url": None,
               "alt": "", "width": 1200, "height": 800}] if rng.random() < 0.18 else [])
    return {"id": f"x:{10**12 + n}", "source": "x", "url": f"https://x.com/u/status/{n}",
            "created_at": at.isoformat().replace("+00:00", "Z"),
            "author": {"id": str(who), "handle": f"@user{who}", "name": f"User {who}",
                       "avatar_url": None, "profile_url": None,
                       "followers_count": 50 + (who * 7919) % 20000},
            "content": content, "text": "".join(t["text"] for t in content), "media": media,
            "lang": rng.choice(LANGS), "is_repost": rng.random() < 0.3, "quoted": None,
            "sensitive": False, "content_warning": None, "in_reply_to": None,
            "metrics": {"likes": 0, "reposts": 0, "replies": 0, "quotes": 0},
            "hashtags": ["asnr14", tag], "also_on": []}


async def seed(store: Store, n: int, accounts: int, days: int) -> None:
    """Put `n` posts on wall `bench` (2% hidden, 1% pending) and categorise a third of the
    accounts."""
    wall = await store.create_wall("bench", "Bench meeting", {"hashtags": ["ASNR14"]})
    rng = random.Random(14)
    now = datetime.now(UTC)
    async with store.engine.begin() as conn:
        for start in range(0, n, 5000):
            batch = [wire(i, rng, accounts, days) for i in range(start, min(n, start + 5000))]
            await conn.execute(insert(posts), [{
                "id": p["id"], "source": "x", "author_id": p["author"]["id"],
                "author_handle": p["author"]["handle"], "text": p["text"], "data": p,
                "created_at": datetime.fromisoformat(p["created_at"]), "ingested_at": now,
                "text_key": None} for p in batch])
            await conn.execute(insert(wall_posts), [{
                "wall_id": wall.id, "post_id": p["id"], "pinned": False, "reason": None,
                "state": "hidden" if i % 50 == 0 else "pending" if i % 100 == 1 else "visible",
                "order_seq": start + i, "updated_at": now} for i, p in enumerate(batch)])
    kinds = ["attendee", "remote attendee", "non-specialist", "institution"]
    await Categories(store).apply("bench", {f"x:{a}": kinds[a % 4]
                                            for a in range(0, accounts, 3)}, "bench")


async def timed(runs: int, fn: Callable[[], Awaitable[Any]]) -> tuple[float, float]:
    """Return (best, median) seconds of `runs` calls of `fn`."""
    took = []
    for _ in range(runs):
        t = time.perf_counter()
        await fn()
        took.append(time.perf_counter() - t)
    return min(took), statistics.median(took)


async def main(args: argparse.Namespace) -> None:
    url = args.url or f"sqlite+aiosqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    store = Store(url)
    await store.open()
    t = time.perf_counter()
    await seed(store, args.posts, args.accounts, args.days)
    print(f"seeded {args.posts:,} posts from {args.accounts:,} accounts over {args.days} days "
          f"in {time.perf_counter() - t:.1f} s ({url.split(':')[0]})\n")
    report = await build_report(store, "bench")
    settings = Settings(database_url=url)
    cases: list[tuple[str, Callable[[], Awaitable[Any]]]] = [
        ("report figures (all SQL)", lambda: build_report(store, "bench")),
        ("report as HTML (2 charts)", lambda: asyncio.to_thread(standalone_html, report)),
        ("report as CSV", lambda: asyncio.to_thread(report_csv, report)),
        ("live stats (GET .../stats)", lambda: wall_stats(store, "bench", detail=True)),
        ("console header counts", lambda: wall_stats(store, "bench")),
        ("transcript CSV (visible)", lambda: export(settings, "bench", "csv", Period(),
                                                    io.BytesIO())),
    ]
    print(f"{'what':<30} {'best':>9} {'median':>9}")
    print(f"{'-' * 30} {'-' * 9} {'-' * 9}")
    for name, fn in cases:
        best, median = await timed(args.runs, fn)
        print(f"{name:<30} {best:>8.3f}s {median:>8.3f}s")
    print(f"\n{report['posts']:,} posts counted, {report['participants']:,} participants, "
          f"{report['moderated_away']:,} moderated away")
    await store.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--posts", type=int, default=100_000)
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--days", type=int, default=9)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--url", help="an empty database (default: a temporary SQLite file)")
    asyncio.run(main(parser.parse_args()))
