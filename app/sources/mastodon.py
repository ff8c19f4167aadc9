"""Mastodon: hashtag timelines of several instances, polled or streamed, gap-free.

`MastodonSource.events()` does the I/O; raw status JSON becomes a `Post` in the pure
mastodon_normalize.py, per-instance state and the rate-limited GET are in mastodon_http.py,
SSE streaming is in mastodon_stream.py and deletion re-checks in mastodon_recheck.py. Each
instance runs in its own task, so one failing server never stops the others. Per (instance, tag)
a cursor (the newest status id seen) is persisted only after the posts before it were taken by
the consumer; polling pages forward with `min_id` and the `Link rel="prev"` URL until a page is
empty. Streaming (needs a token) is followed after every (re)connect by the same REST catch-up
from the cursor, so a dropped stream loses nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx

from app.models import Post
from app.settings import MastodonSettings
from app.sources.base import SourceContext, SourceEvent, SourceStatus
from app.sources.mastodon_http import PAGE, Commit, Instance, Item, get
from app.sources.mastodon_normalize import id_key, instance_base, status_to_post
from app.sources.mastodon_recheck import Rechecker
from app.sources.mastodon_stream import StreamMode

__all__ = ["MastodonSource"]

log = logging.getLogger(__name__)

_MAX_VERSIONS = 20_000


class MastodonSource:
    """Hashtag posts from several Mastodon instances as one stream of `Post` and `Deletion`."""

    name = "mastodon"

    def __init__(
        self,
        ctx: SourceContext,
        settings: MastodonSettings,
        instances: list[str],
        token: str | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        token_instance: str | None = None,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        stream_read_timeout_s: float = 60.0,
        max_backoff_s: float = 300.0,
        recheck_interval_s: float = 300.0,
        recheck_batch: int = 20,
    ) -> None:
        self.ctx = ctx
        self.settings = settings
        self.status = SourceStatus(source=self.name)
        self._transport = transport
        self.now = now
        self.sleep = sleep
        self._read_timeout = stream_read_timeout_s
        self._max_backoff = max_backoff_s
        # A token belongs to one server: sending it to every instance would leak it. It goes
        # only to `token_instance` (default: the first instance listed).
        bases = list(dict.fromkeys(instance_base(i) for i in instances if i.strip()))
        owner = instance_base(token_instance) if token_instance else (bases[0] if bases else None)
        self.instances = [
            Instance(base=b, host=urlsplit(b).netloc, token=token if b == owner else None)
            for b in bases
        ]
        self.versions: OrderedDict[str, str] = OrderedDict()
        self._streaming = StreamMode(self)
        self._rechecker = Rechecker(self, recheck_interval_s, recheck_batch)
        for inst in self.instances:
            self.status.extra.setdefault("instances", {})[inst.host] = inst.info

    # -- the consumer side -------------------------------------------------------------------

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Yield posts and deletions from every instance until cancelled."""
        if not self.instances:
            self.status.failed("no Mastodon instances configured", "stopped")
            return
        queue: asyncio.Queue[Item] = asyncio.Queue(maxsize=2 * PAGE)
        timeout = httpx.Timeout(15.0, read=self._read_timeout)
        async with httpx.AsyncClient(transport=self._transport, timeout=timeout) as client:
            tasks = [asyncio.create_task(self._run(client, inst, queue)) for inst in self.instances]
            tasks.append(asyncio.create_task(self._rechecker.run(client, queue)))
            try:
                while True:
                    item = await queue.get()
                    if isinstance(item, Commit):
                        # Everything queued before this commit has been taken by the consumer.
                        await self.ctx.cursors.set(item.key, item.value)
                        continue
                    if isinstance(item, Post):
                        self.status.posts += 1
                    yield item
            finally:
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    # -- one instance ------------------------------------------------------------------------

    async def _run(
        self, client: httpx.AsyncClient, inst: Instance, queue: asyncio.Queue[Item]
    ) -> None:
        streaming = bool(self.settings.streaming and inst.token)
        while True:
            try:
                if streaming:
                    inst.info["mode"] = "streaming"
                    await self._streaming.run(client, inst, queue)
                else:
                    inst.info["mode"] = "polling"
                    await self._poll_once(client, inst, queue)
                    self.ok(inst)
                    self.status.next_poll = self.now() + timedelta(
                        seconds=self.settings.poll_interval_s
                    )
                    await self.sleep(self.settings.poll_interval_s)
                    continue
            except asyncio.CancelledError:
                raise
            except httpx.HTTPStatusError as err:
                code = err.response.status_code
                if streaming and code in (401, 403, 404, 405, 501):
                    streaming = False  # no streaming for us here: poll instead
                self._fail(inst, f"HTTP {code} from {err.request.url.path}")
            except (httpx.HTTPError, ValueError, OSError) as err:
                self._fail(inst, f"{type(err).__name__}: {err}")
            except Exception as err:  # a bug must not end this instance's loop silently
                log.exception("mastodon %s: unexpected error", inst.host)
                self._fail(inst, f"{type(err).__name__}: {err}")
            inst.failures += 1
            delay = min(self._max_backoff, 2.0 ** min(inst.failures, 10))
            await self.sleep(delay)

    def ok(self, inst: Instance) -> None:
        """Mark `inst` healthy (and the source, when every instance is)."""
        inst.failures = 0
        inst.info.update(state="ok", last_success=self.now().isoformat(), error=None)
        if all(i.info.get("state") == "ok" for i in self.instances):
            self.status.succeeded()
        elif self.status.state != "rate_limited":
            self.status.state = "ok"
            self.status.last_success = self.now()

    def _fail(self, inst: Instance, error: str) -> None:
        log.warning("mastodon %s: %s", inst.host, error)
        inst.info.update(state="error", error=error, error_at=self.now().isoformat())
        if all(i.info.get("state") == "error" for i in self.instances):
            self.status.failed(f"{inst.host}: {error}")
        else:
            self.status.last_error = f"{inst.host}: {error}"[:500]
            self.status.last_error_at = self.now()

    async def get(
        self,
        client: httpx.AsyncClient,
        inst: Instance,
        url: str,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """GET honouring X-RateLimit-*: waits out a spent budget or a 429, then retries."""
        return await get(
            client, inst, url, params, status=self.status, now=self.now, sleep=self.sleep
        )

    # -- REST catch-up -----------------------------------------------------------------------

    def _key(self, inst: Instance, tag: str) -> str:
        return f"{inst.host}|{tag.casefold()}"

    async def _cursor(self, inst: Instance, tag: str) -> str | None:
        if tag not in inst.cursors:
            inst.cursors[tag] = await self.ctx.cursors.get(self._key(inst, tag))
        return inst.cursors[tag]

    async def advance(
        self, inst: Instance, tag: str, status_id: str, queue: asyncio.Queue[Item]
    ) -> None:
        """Move the (instance, tag) cursor to `status_id` if newer, queuing its durable write."""
        current = await self._cursor(inst, tag)
        if current is None or id_key(status_id) > id_key(current):
            inst.cursors[tag] = status_id
            await queue.put(Commit(self._key(inst, tag), status_id))

    async def _poll_once(
        self, client: httpx.AsyncClient, inst: Instance, queue: asyncio.Queue[Item]
    ) -> None:
        for tag in self.ctx.hashtags:
            await self.catch_up(client, inst, tag, queue)

    async def catch_up(
        self, client: httpx.AsyncClient, inst: Instance, tag: str, queue: asyncio.Queue[Item]
    ) -> None:
        """Fetch every status after the cursor (first start: the latest page only)."""
        cursor = await self._cursor(inst, tag)
        url: str | None = f"{inst.base}/api/v1/timelines/tag/{tag}"
        params: dict[str, str] | None = {"limit": str(PAGE)}
        if cursor is not None:
            assert params is not None
            params["min_id"] = cursor
        while url is not None:
            resp = await self.get(client, inst, url, params)
            data = resp.json()
            page = (
                [s for s in data if isinstance(s, dict) and "id" in s]
                if isinstance(data, list)
                else []
            )
            if not page:
                return
            page.sort(key=lambda s: id_key(str(s.get("id", ""))))
            for status in page:
                await self.offer(inst, status, queue)
            # One durable cursor write per page, queued behind the page's posts.
            await self.advance(inst, tag, str(page[-1]["id"]), queue)
            if cursor is None:
                return  # first start: no unbounded history
            prev = resp.links.get("prev", {}).get("url")
            newest = await self._cursor(inst, tag)
            if prev and urlsplit(prev).netloc == urlsplit(inst.base).netloc:
                url, params = prev, None
            else:
                url, params = (
                    f"{inst.base}/api/v1/timelines/tag/{tag}",
                    {"limit": str(PAGE), "min_id": str(newest)},
                )

    async def offer(
        self, inst: Instance, status: Mapping[str, Any], queue: asyncio.Queue[Item]
    ) -> None:
        """Queue the post unless the same version was already queued (from any instance)."""
        inst.remember(status)
        post = status_to_post(status, inst.host)
        if post is None:
            return
        original = status.get("reblog") or status
        version = str(original.get("edited_at") or "")
        seen = self.versions.get(post.id)
        if seen is not None and seen >= version:
            return
        self.versions[post.id] = version
        self.versions.move_to_end(post.id)
        while len(self.versions) > _MAX_VERSIONS:
            self.versions.popitem(last=False)
        await queue.put(post)
