"""Mastodon: hashtag timelines of several instances, polled or streamed, gap-free.

`MastodonSource.events()` runs one task per instance, so one failing server never stops the
others, plus a deletion re-check task, and hands the consumer what they queue. The pieces:
raw status JSON -> `Post` in the pure normalize.py (HTML in html.py), per-instance state and the
rate-limited GET in http.py, the shared queue, dedupe and REST catch-up in feed.py, SSE
streaming in stream.py and deletion re-checks in recheck.py; each gets what it needs as
arguments, never this object. Per (instance, tag) a cursor (the newest status id seen) is
persisted only after the posts before it were taken by the consumer. Streaming (needs a token)
is followed after every (re)connect by the same REST catch-up from the cursor.
"""

from __future__ import annotations

import asyncio
import functools
import ipaddress
import logging
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta
from urllib.parse import urlsplit

import httpx

from app.clock import iso, utcnow
from app.models import Post
from app.settings import MastodonSettings
from app.sources.base import SourceContext, SourceEvent, SourceStatus
from app.sources.mastodon.feed import Feed, catch_up
from app.sources.mastodon.http import PAGE, Commit, Fetcher, Get, Instance, Item
from app.sources.mastodon.normalize import instance_base
from app.sources.mastodon.recheck import Rechecker
from app.sources.mastodon.stream import StreamMode
from app.sources.plumbing import Backoff, BoundedMap, Now, Sleep, describe

__all__ = ["MastodonSource", "private_channel"]

log = logging.getLogger(__name__)

# Versions of posts already queued, across instances: enough for hours of a busy hashtag.
_MAX_VERSIONS = 20_000
# Statuses a server answers with that mean "no streaming for you here": poll instead.
_NO_STREAMING = (401, 403, 404, 405, 501)


def private_channel(base: str) -> bool:
    """Return whether a credential may travel to `base`: https, or plain http to loopback."""
    parts = urlsplit(base)
    if parts.scheme == "https":
        return True
    host = (parts.hostname or "").lower()
    try:
        return parts.scheme == "http" and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return parts.scheme == "http" and host == "localhost"


class MastodonSource:
    """Hashtag posts from several Mastodon instances as one stream of `Post` and `Deletion`."""

    name = "mastodon"

    def __init__(
        self,
        ctx: SourceContext,
        settings: MastodonSettings,
        instances: list[str],
        tokens: Mapping[str, str] | None = None,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        now: Now = utcnow,
        sleep: Sleep = asyncio.sleep,
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
        self._recheck_interval = recheck_interval_s
        self._recheck_batch = recheck_batch
        # A token belongs to the server that issued it: `tokens` maps each instance URL to
        # its own, and an instance gets only that one, only over https (or to a loopback
        # address: a local stand-in or tunnel never leaves the machine).
        bases = list(dict.fromkeys(instance_base(i) for i in instances if i.strip()))
        own = {instance_base(k): v for k, v in (tokens or {}).items()}
        self.instances = [
            Instance(
                base=b,
                host=urlsplit(b).netloc,
                token=own.get(b) if private_channel(b) else None,
                # No jitter: each instance is its own server, nothing to spread retries over.
                retry=Backoff(2.0, max_backoff_s, jitter=0.0),
            )
            for b in bases
        ]
        self.versions: BoundedMap[str, str] = BoundedMap(_MAX_VERSIONS)
        for inst in self.instances:
            self.status.extra.setdefault("instances", {})[inst.host] = inst.info

    # -- the consumer side -------------------------------------------------------------------

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Yield posts and deletions from every instance until cancelled; returns at once
        (status "stopped") when no instance is configured."""
        if not self.instances:
            self.status.failed("no Mastodon instances configured", "stopped")
            return
        queue: asyncio.Queue[Item] = asyncio.Queue(maxsize=2 * PAGE)
        timeout = httpx.Timeout(15.0, read=self._read_timeout)
        async with httpx.AsyncClient(transport=self._transport, timeout=timeout) as client:
            get = Fetcher(client, self.status, now=self.now, sleep=self.sleep).get
            feed = Feed(queue, self.ctx.cursors, self.versions)
            stream = StreamMode(get, feed, self.ctx.hashtags, healthy=self.ok, now=self.now)
            rechecker = Rechecker(
                get,
                feed,
                self.instances,
                functools.partial(self.ctx.visible_ids, self.name),
                sleep=self.sleep,
                interval_s=self._recheck_interval,
                batch=self._recheck_batch,
            )
            tasks = [
                asyncio.create_task(self._run(client, inst, get, feed, stream))
                for inst in self.instances
            ]
            tasks.append(asyncio.create_task(rechecker.run()))
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
        self,
        client: httpx.AsyncClient,
        inst: Instance,
        get: Get,
        feed: Feed,
        stream: StreamMode,
    ) -> None:
        """Poll or stream `inst` until cancelled, backing off after each failure."""
        streaming = bool(self.settings.streaming and inst.token)
        while True:
            try:
                if streaming:
                    inst.info["mode"] = "streaming"
                    await stream.run(client, inst)
                else:
                    inst.info["mode"] = "polling"
                    for tag in self.ctx.hashtags:
                        await catch_up(get, feed, inst, tag)
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
                if streaming and code in _NO_STREAMING:
                    streaming = False
                self._fail(inst, f"HTTP {code} from {err.request.url.path}")
            except (httpx.HTTPError, ValueError, OSError) as err:
                self._fail(inst, describe(err))
            except Exception as err:  # a bug must not end this instance's loop silently
                log.exception("mastodon %s: unexpected error", inst.host)
                self._fail(inst, describe(err))
            await self.sleep(inst.retry.failed())

    def ok(self, inst: Instance) -> None:
        """Mark `inst` healthy (and the source, when every instance is)."""
        inst.retry.succeeded()
        inst.info.update(state="ok", last_success=iso(self.now()), error=None)
        if all(i.info.get("state") == "ok" for i in self.instances):
            self.status.succeeded()
        elif self.status.state != "rate_limited":
            self.status.state = "ok"
            self.status.last_success = self.now()

    def _fail(self, inst: Instance, error: str) -> None:
        """Record `error` on `inst` (and on the source, when every instance is failing)."""
        log.warning("mastodon %s: %s", inst.host, error)
        inst.info.update(state="error", error=error, error_at=iso(self.now()))
        if all(i.info.get("state") == "error" for i in self.instances):
            self.status.failed(f"{inst.host}: {error}")
        else:
            self.status.last_error = f"{inst.host}: {error}"[:500]
            self.status.last_error_at = self.now()
