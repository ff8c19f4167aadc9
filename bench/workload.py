"""The bench's workload: wire posts of a given size and a publisher on an absolute schedule.

Shared by bench/fanout_server.py (the servers) and bench/ingest.py (the ingest rows). Each
post is a validated `Post` (`Post.model_validate(...).wire()`) of about `--post-bytes` of JSON;
the publisher adds `bench_i` (its number) and `sent_at` (the epoch second it was due) so a load
client can count deliveries and compute latency.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson

from app.models import Post

WORDS = ("radiology", "poster", "session", "#ASNR14", "contrast", "perfusion", "neuro",
         "imaging", "keynote", "hall", "slides", "great", "talk", "MRI", "results")


def make_post_dict(n: int, text_bytes: int) -> dict[str, Any]:
    """A validated wire post (like tests/conftest.py `make_post`) with ~`text_bytes` of text."""
    words: list[str] = []
    size = 0
    while size < text_bytes:
        w = WORDS[(n + len(words) * 7) % len(WORDS)]
        words.append(w)
        size += len(w) + 1
    text = " ".join(words)[:text_bytes]
    at = datetime(2014, 5, 15, 12, 0, tzinfo=UTC) + timedelta(minutes=5 * n)
    raw: dict[str, Any] = {
        "id": f"x:{100000 + n}",
        "source": "x",
        "url": f"https://x.com/user{n % 7}/status/{100000 + n}",
        "created_at": at.isoformat().replace("+00:00", "Z"),
        "author": {"id": str(n % 7), "handle": f"@user{n % 7}", "name": f"User {n % 7}",
                   "avatar_url": f"https://pbs.example.org/profile/{n % 7}/normal.jpg"},
        "content": [
            {"type": "text", "text": text + " "},
            {"type": "hashtag", "text": "#ASNR14", "href": "https://x.com/hashtag/ASNR14"},
        ],
        "text": text + " #ASNR14",
        "lang": "en",
        "hashtags": ["ASNR14"],
    }
    return Post.model_validate(raw).wire()


def post_size(text_bytes: int) -> int:
    """Bytes of one post as JSON (with the bench keys)."""
    post = make_post_dict(1, text_bytes) | {"bench_i": 1, "sent_at": time.time()}
    return len(orjson.dumps(post))


def text_bytes_for(post_bytes: int) -> int:
    """The text length that makes a post about `post_bytes` of JSON (the text is there twice:
    as `content` tokens and as plain `text`)."""
    overhead = post_size(0)
    return max((post_bytes - overhead) // 2, 0)


class Publisher:
    """Publishes `posts` posts at `rate` per second through `emit`, on an absolute schedule."""

    def __init__(self, posts: int, rate: float, text_bytes: int, *, yield_each: bool) -> None:
        self.planned, self.rate, self.text_bytes = posts, rate, text_bytes
        self.yield_each = yield_each
        self.published = 0  # emit() returned
        self.started_at = 0.0
        self.finished_at = 0.0
        self.emit_since = 0.0  # when the emit() in progress began (0: none in progress)
        self.longest_emit_s = 0.0
        self.errors = 0
        self.task: asyncio.Task[None] | None = None
        self._templates = [make_post_dict(i, text_bytes) for i in range(1, 51)]

    def post(self, i: int, due: float) -> dict[str, Any]:
        base = self._templates[i % len(self._templates)]
        return base | {"id": f"x:{200000 + i}", "bench_i": i, "sent_at": due}

    def start(self, emit: Callable[[int, dict[str, Any]], Awaitable[None]]) -> bool:
        if self.task is not None:
            return False
        self.task = asyncio.create_task(self._run(emit))
        return True

    async def _run(self, emit: Callable[[int, dict[str, Any]], Awaitable[None]]) -> None:
        self.started_at = time.time()
        i = 1
        while i <= self.planned:
            # Wake at the next post's due time and emit every post due by then, as a source
            # delivers whatever arrived meanwhile. `yield_each` (naive) lets the loop run between
            # two broadcasts, as when each post arrives through its own request; the hub's
            # publish() never awaits, so its posts due together go out together.
            await asyncio.sleep(max(self.started_at + (i - 1) / self.rate - time.time(), 0))
            now = time.time()
            while i <= self.planned and (due := self.started_at + (i - 1) / self.rate) <= now:
                self.emit_since = time.time()
                try:
                    await emit(i, self.post(i, due))
                except Exception:  # a broadcast that raised: count it and go on
                    self.errors += 1
                self.longest_emit_s = max(self.longest_emit_s, time.time() - self.emit_since)
                self.emit_since = 0.0
                self.published = i
                i += 1
                if self.yield_each:
                    await asyncio.sleep(0)
        self.finished_at = time.time()

    def stats(self) -> dict[str, Any]:
        now = time.time()
        stalled = now - self.emit_since if self.emit_since else 0.0
        return {
            "planned": self.planned, "published": self.published, "errors": self.errors,
            "started_at": self.started_at, "finished_at": self.finished_at,
            "stalled_s": round(stalled, 3),
            "longest_emit_s": round(max(self.longest_emit_s, stalled), 3),
        }
