"""Bluesky: Jetstream (the firehose as JSON over WebSocket) filtered by hashtag, gap-free.

`BlueskySource.events()` does the I/O; raw atproto records become a `Post` in the pure
normalize.py (`record_to_post`, with UTF-8 byte-offset facets -> tokens).

- Jetstream is read in jetstream.py: every `app.bsky.feed.post` commit is matched against the
  wall's hashtags, and its `time_us` cursor is persisted only once everything before it was
  yielded, rewound a few seconds on reconnect; re-sent posts are dropped by (uri, cid).
- Matching posts wait up to `batch_wait_s` so their authors' profiles (and quoted posts) can be
  fetched from the public AppView in batches of 25 and cached (profiles.py); if that fails the
  DID is the handle.
- With a handle and an app password, a first start backfills `backfill_hours` with the
  authenticated `app.bsky.feed.searchPosts`, one session reused and refreshed on expiry
  (backfill.py).

Each piece gets what it needs as arguments, never this object.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import AsyncIterator
from datetime import timedelta

import httpx

from app.clock import utcnow
from app.models import Post
from app.settings import BlueskySettings
from app.sources.base import SourceContext, SourceEvent, SourceStatus
from app.sources.bluesky.backfill import Backfill, PdsSession
from app.sources.bluesky.jetstream import (
    CURSOR,
    Connect,
    Jetstream,
    Pending,
    Timing,
    default_connect,
)
from app.sources.bluesky.normalize import quoted_uri, record_to_post
from app.sources.bluesky.profiles import ProfileCache
from app.sources.plumbing import BoundedMap, Now, Sleep

__all__ = ["BlueskySource"]

# Post id -> cid yielded: enough for hours of a busy hashtag, and for a Jetstream rewind.
_MAX_REMEMBERED = 50_000


class BlueskySource:
    """Hashtag posts from the Bluesky network as one stream of `Post` and `Deletion`."""

    name = "bluesky"

    def __init__(
        self,
        ctx: SourceContext,
        settings: BlueskySettings,
        jetstream_url: str,
        *,
        http_transport: httpx.AsyncBaseTransport | None = None,
        connect: Connect | None = None,
        pds_url: str | None = None,
        now: Now = utcnow,
        sleep: Sleep = asyncio.sleep,
        cursor_every_s: float = 5.0,
        rewind_s: float = 5.0,
        batch_wait_s: float = 0.5,
        idle_timeout_s: float = 60.0,
        max_backoff_s: float = 60.0,
        profile_ttl_s: float = 6 * 3600,
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.status = SourceStatus(source=self.name)
        self._transport = http_transport
        self._now = now
        self._profiles = ProfileCache(settings.appview_url, self.status, profile_ttl_s)
        self._known: BoundedMap[str, str] = BoundedMap(_MAX_REMEMBERED)
        self._jet = Jetstream(
            jetstream_url,
            connect or default_connect,
            cursors=ctx.cursors,
            visible=functools.partial(ctx.visible_ids, self.name),
            status=self.status,
            tags={h.casefold() for h in ctx.hashtags},
            known=self._known,
            profiles=self._profiles,
            hydrate=self._hydrated,
            now=now,
            sleep=sleep,
            timing=Timing(cursor_every_s, rewind_s, batch_wait_s, idle_timeout_s, max_backoff_s),
        )
        self._backfill = Backfill(
            PdsSession(pds_url or settings.pds_url, settings.handle, settings.app_password,
                       self.status),
            ctx.hashtags,
            remember=self._known.put,
            status=self.status,
            now=now,
        )
        self.status.extra.update(connected=False, reconnects=0, cursor_us=None, lag_s=None)

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Yield matching posts and deletions until cancelled."""
        async with httpx.AsyncClient(transport=self._transport, timeout=15.0) as client:
            saved = await self.ctx.cursors.get(CURSOR)
            if saved is not None and saved.isdigit():
                self._jet.resume(int(saved))
            elif self.settings.handle and self.settings.app_password:
                # First start with credentials: search covers the hours before; Jetstream
                # then starts where the search began (by our clock, minus the rewind).
                start_us = int(self._now().timestamp() * 1_000_000)
                since = self._now() - timedelta(hours=self.settings.backfill_hours)
                async for post in self._backfill.run(client, since):
                    yield post
                self._jet.start_at(start_us)
            # else: first start without credentials: live from now, no cursor until a message.
            async for event in self._jet.run(client):
                yield event

    async def _hydrated(self, client: httpx.AsyncClient, batch: list[Pending]) -> list[Post]:
        """Return the posts of `batch` with their authors and quoted posts fetched (cached);
        a post that does not normalise is dropped. Never raises for a failed fetch."""
        await self._profiles.fetch_profiles(client, [p.did for p in batch])
        await self._profiles.fetch_quotes(client, [u for p in batch if (u := quoted_uri(p.record))])
        posts = []
        for p in batch:
            ref = quoted_uri(p.record)
            post = record_to_post(
                p.did,
                p.rkey,
                p.record,
                author=self._profiles.author(p.did),
                quoted=self._profiles.quote(ref) if ref else None,
                now=self._now(),
            )
            if post is not None:
                self._known.put(post.id, p.cid)
                self.status.posts += 1
                posts.append(post)
        return posts
