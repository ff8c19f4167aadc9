"""Bluesky: Jetstream (the firehose as JSON over WebSocket) filtered by hashtag, gap-free.

`BlueskySource.events()` does the I/O; raw atproto records become a `Post` in the pure
bluesky_normalize.py (`record_to_post`, with UTF-8 byte-offset facets -> tokens).

- Jetstream is read in bluesky_jetstream.py: every `app.bsky.feed.post` commit is matched against
  the wall's hashtags, and its `time_us` cursor is persisted only once everything before it was
  yielded, rewound a few seconds on reconnect; re-sent posts are dropped by (uri, cid).
- Matching posts wait up to `batch_wait_s` so their authors' profiles (and quoted posts) can be
  fetched from the public AppView in batches of 25 and cached (bluesky_profiles.py); if that
  fails the DID is the handle.
- With a handle and an app password, a first start backfills `backfill_hours` with the
  authenticated `app.bsky.feed.searchPosts`, one session reused and refreshed on expiry.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from app.models import Metrics, Post
from app.settings import BlueskySettings
from app.sources.base import SourceContext, SourceEvent, SourceStatus
from app.sources.bluesky_jetstream import Connect, Jetstream, Pending, default_connect
from app.sources.bluesky_normalize import (
    COLLECTION,
    matches,
    profile_to_author,
    quoted_uri,
    record_to_post,
)
from app.sources.bluesky_profiles import ProfileCache

__all__ = ["BlueskySource"]

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
        pds_url: str = "https://bsky.social",
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
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
        self._pds = pds_url.rstrip("/")
        self._now = now
        self._tags = {h.casefold() for h in ctx.hashtags}
        self._profiles = ProfileCache(settings.appview_url, self.status, profile_ttl_s)
        self._known: OrderedDict[str, str] = OrderedDict()  # post id -> cid yielded
        self._jet = Jetstream(
            ctx,
            self.status,
            jetstream_url,
            connect or default_connect,
            tags=self._tags,
            known=self._known,
            profiles=self._profiles,
            hydrate=self._hydrated,
            now=now,
            sleep=sleep,
            cursor_every_s=cursor_every_s,
            rewind_s=rewind_s,
            batch_wait_s=batch_wait_s,
            idle_timeout_s=idle_timeout_s,
            max_backoff_s=max_backoff_s,
        )
        self._access: str | None = None
        self._refresh: str | None = None
        self.status.extra.update(connected=False, reconnects=0, cursor_us=None, lag_s=None)

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Yield matching posts and deletions until cancelled."""
        async with httpx.AsyncClient(transport=self._transport, timeout=15.0) as client:
            saved = await self.ctx.cursors.get("jetstream")
            if saved is not None and saved.isdigit():
                self._jet.last_us = self._jet.saved_us = int(saved)
            elif self.settings.handle and self.settings.app_password:
                # First start with credentials: search covers the hours before; Jetstream
                # then starts where the search began (by our clock, minus the rewind).
                start_us = int(self._now().timestamp() * 1_000_000)
                since = self._now() - timedelta(hours=self.settings.backfill_hours)
                async for post in self._backfill(client, since):
                    yield post
                self._jet.last_us = start_us
            # else: first start without credentials: live from now, no cursor until a message.
            async for event in self._jet.run(client):
                yield event

    # -- dedupe and hydration ---------------------------------------------------------------

    def _remember(self, post_id: str, cid: str) -> None:
        self._known[post_id] = cid
        self._known.move_to_end(post_id)
        while len(self._known) > _MAX_REMEMBERED:
            self._known.popitem(last=False)

    async def _hydrated(self, client: httpx.AsyncClient, batch: list[Pending]) -> list[Post]:
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
                self._remember(post.id, p.cid)
                self.status.posts += 1
                posts.append(post)
        return posts

    # -- authenticated search backfill -------------------------------------------------------

    async def _backfill(self, client: httpx.AsyncClient, since: datetime) -> AsyncIterator[Post]:
        """Yield the matching posts of the hours before the first start (newest pages first)."""
        stamp = since.astimezone(UTC).isoformat().replace("+00:00", "Z")
        count = 0
        try:
            for tag in self.ctx.hashtags:
                cursor: str | None = None
                for _ in range(20):
                    params = {"q": f"#{tag}", "since": stamp, "sort": "latest", "limit": "100"}
                    if cursor:
                        params["cursor"] = cursor
                    data = await self._xrpc_get(client, "app.bsky.feed.searchPosts", params)
                    views = data.get("posts") or []
                    for view in views:
                        post = self._from_view(view)
                        if post is not None:
                            count += 1
                            self.status.posts += 1
                            yield post
                    cursor = data.get("cursor")
                    if not cursor or not views:
                        break
            self.status.extra["backfill"] = {"posts": count, "since": stamp}
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as err:
            self.status.extra["backfill"] = {"posts": count, "error": f"{type(err).__name__}"}

    def _from_view(self, view: Mapping[str, Any]) -> Post | None:
        uri = str(view.get("uri") or "")
        parts = uri.removeprefix("at://").split("/")
        record = view.get("record")
        if len(parts) != 3 or parts[1] != COLLECTION or not isinstance(record, Mapping):
            return None
        if not matches(record, self._tags):
            return None
        try:
            author = profile_to_author(view["author"])
        except (KeyError, TypeError, ValueError):
            author = None
        metrics = Metrics(
            likes=int(view.get("likeCount") or 0),
            reposts=int(view.get("repostCount") or 0),
            replies=int(view.get("replyCount") or 0),
            quotes=int(view.get("quoteCount") or 0),
        )
        post = record_to_post(
            parts[0], parts[2], record, author=author, now=self._now(), metrics=metrics
        )
        if post is not None:
            self._remember(post.id, str(view.get("cid") or ""))
        return post

    async def _xrpc_get(
        self, client: httpx.AsyncClient, method: str, params: dict[str, str]
    ) -> dict[str, Any]:
        for _ in range(3):
            if self._access is None:
                await self._create_session(client)
            resp = await client.get(
                f"{self._pds}/xrpc/{method}",
                params=params,
                headers={"Authorization": f"Bearer {self._access}"},
            )
            if resp.status_code in (400, 401) and _xrpc_error(resp) in (
                "ExpiredToken",
                "InvalidToken",
            ):
                await self._refresh_session(client)
                continue
            resp.raise_for_status()
            data = resp.json()
            return data if isinstance(data, dict) else {}
        raise ValueError(f"{method}: session refused")

    async def _create_session(self, client: httpx.AsyncClient) -> None:
        password = self.settings.app_password
        resp = await client.post(
            f"{self._pds}/xrpc/com.atproto.server.createSession",
            json={
                "identifier": self.settings.handle,
                "password": password.get_secret_value() if password else "",
            },
        )
        resp.raise_for_status()
        data = resp.json()
        self._access, self._refresh = str(data["accessJwt"]), str(data["refreshJwt"])
        self.status.extra["sessions"] = self.status.extra.get("sessions", 0) + 1

    async def _refresh_session(self, client: httpx.AsyncClient) -> None:
        self._access = None
        if self._refresh is None:
            return
        resp = await client.post(
            f"{self._pds}/xrpc/com.atproto.server.refreshSession",
            headers={"Authorization": f"Bearer {self._refresh}"},
        )
        if resp.status_code == 200:
            data = resp.json()
            self._access, self._refresh = str(data["accessJwt"]), str(data["refreshJwt"])
        else:
            self._refresh = None  # the next call logs in again


def _xrpc_error(resp: httpx.Response) -> str | None:
    try:
        data = resp.json()
    except ValueError:
        return None
    return str(data.get("error")) if isinstance(data, dict) else None
