"""Replay a recorded meeting (JSONL of wire-shaped posts) as if it were happening now.

The real gaps between posts are divided by `speed` and clamped to [min_gap_s, max_gap_s]. The
defaults keep the meeting's rhythm, compressed: bursts of posts when a session ends, quiet
stretches of several seconds, no dead nights (a night lasts `max_gap_s`). With `rebase_time` a
post is stamped with the moment it is replayed, so relative times on the wall read naturally.
Each lap after the first gives posts new ids (`x:123~2`): a loop is new content, not a duplicate.
The cursor (`lap:index`) is saved after each post so a restart carries on where it stopped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

import orjson
from pydantic import ValidationError

from app.clock import utcnow
from app.models import Post
from app.settings import ReplaySettings
from app.sources.base import SourceContext, SourceEvent, SourceStatus
from app.sources.plumbing import Sleep

__all__ = ["BUNDLED_MEETING", "ReplaySource", "bundled_path", "load_posts"]

log = logging.getLogger(__name__)

BUNDLED_MEETING = "data/meeting/meeting.jsonl"


def bundled_path() -> Path:
    """Return the path of the meeting recording shipped with the app."""
    return Path(str(resources.files("app").joinpath(BUNDLED_MEETING)))


def load_posts(path: Path) -> tuple[list[Post], int]:
    """Return the valid posts of the JSONL file at `path` sorted by time, and how many lines
    were skipped as invalid. Raises OSError if the file cannot be read."""
    posts: list[Post] = []
    skipped = 0
    with path.open("rb") as fh:
        for number, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                posts.append(Post.model_validate(orjson.loads(line)))
            except (orjson.JSONDecodeError, ValidationError) as err:
                skipped += 1
                log.warning("replay %s line %d skipped: %s", path.name, number, str(err)[:200])
    posts.sort(key=lambda p: p.created_at)
    return posts, skipped


class ReplaySource:
    """The posts of a recorded meeting, replayed as a live stream (see the module docstring)."""

    name = "replay"

    def __init__(
        self,
        ctx: SourceContext,
        settings: ReplaySettings,
        path: Path | None = None,
        *,
        sleep: Sleep = asyncio.sleep,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.path = path or settings.file or bundled_path()
        self.status = SourceStatus("replay")
        self._sleep = sleep
        self._clock = clock

    def _gap(self, posts: list[Post], i: int) -> float:
        """Return the seconds to wait before post `i`: its real gap, sped up and clamped."""
        if i == 0:
            return self.settings.min_gap_s
        real = (posts[i].created_at - posts[i - 1].created_at).total_seconds()
        s = self.settings
        return min(max(real / s.speed, s.min_gap_s), s.max_gap_s)

    def _emit(self, post: Post, lap: int, at: datetime) -> Post:
        """Return `post` as replayed in lap `lap` at `at`: a new id after the first lap."""
        update: dict[str, object] = {}
        if lap > 0:
            update["id"] = f"{post.id}~{lap}"
        if self.settings.rebase_time:
            update["created_at"] = at
        return post.model_copy(update=update) if update else post

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Yield the recording's posts, paced, forever when looping; returns at the end of a
        single pass or when the file has no valid post. Raises OSError if it cannot be read."""
        posts, skipped = await asyncio.to_thread(load_posts, Path(self.path))
        self.status.extra.update(total=len(posts), skipped_lines=skipped, file=Path(self.path).name)
        if not posts:
            self.status.failed("replay file has no valid posts", state="stopped")
            return
        raw = await self.ctx.cursors.get("position")
        lap, index = _parse_cursor(raw)
        if raw is None and self.settings.backfill:
            # A first start shows a full wall at once: the first posts, spaced as they were.
            end = min(self.settings.backfill, len(posts))
            now = self._clock()
            for i in range(end):
                back = sum(self._gap(posts, j) for j in range(i + 1, end))
                yield self._emit(posts[i], 0, now - timedelta(seconds=back))
                self.status.posts += 1
            index = end
            await self.ctx.cursors.set("position", f"0:{index}")
        self.status.succeeded()
        while True:
            if index >= len(posts):
                if not self.settings.loop:
                    self.status.state = "finished"
                    return
                lap, index = lap + 1, 0
            gap = self._gap(posts, index)
            self.status.next_poll = self._clock() + timedelta(seconds=gap)
            await self._sleep(gap)
            yield self._emit(posts[index], lap, self._clock())
            self.status.posts += 1
            self.status.succeeded()
            index += 1
            await self.ctx.cursors.set("position", f"{lap}:{index}")
            self.status.extra.update(lap=lap, position=index)


def _parse_cursor(raw: str | None) -> tuple[int, int]:
    """Return (lap, index) from a saved `lap:index` cursor; (0, 0) when absent or unreadable."""
    if not raw:
        return 0, 0
    try:
        lap, index = raw.split(":", 1)
        return max(int(lap), 0), max(int(index), 0)
    except ValueError:
        log.warning("replay cursor %r unreadable; starting over", raw)
        return 0, 0
