"""Mastodon: hashtag timelines of several instances, polled or streamed, gap-free.

Raw Mastodon JSON stays in this module: `status_to_post` (pure) turns one status into a `Post`,
and `MastodonSource.events()` does the I/O. Each instance runs in its own task, so one failing
server never stops the others. Per (instance, tag) a cursor (the newest status id seen) is
persisted only after the posts before it were taken by the consumer; polling pages forward with
`min_id` and the `Link rel="prev"` URL until a page is empty. Streaming (SSE, needs a token) is
followed after every (re)connect by the same REST catch-up from the cursor, so a dropped stream
loses nothing.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import httpx
from pydantic import ValidationError

from app.models import Author, Deletion, Media, Metrics, Post, QuotedPost, safe_url
from app.settings import MastodonSettings
from app.sources.base import SourceContext, SourceEvent, SourceStatus
from app.sources.html import html_to_tokens

__all__ = ["MastodonSource", "instance_base", "status_to_post"]

log = logging.getLogger(__name__)

PAGE = 40
_MEDIA_KINDS = {"image": "image", "gifv": "gif", "video": "video"}
_MAX_REMEMBERED = 20_000


def instance_base(instance: str) -> str:
    """Return `scheme://host[:port]` for an instance given as a host name or a URL."""
    value = instance.strip().rstrip("/")
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc}"


def _author(account: Mapping[str, Any], host: str) -> Author:
    acct = str(account.get("acct") or account.get("username") or "")
    handle = f"@{acct}" if "@" in acct else f"@{acct}@{host}"
    return Author(
        id=safe_url(account.get("uri")) or safe_url(account.get("url")) or handle,
        handle=handle,
        name=str(account.get("display_name") or account.get("username") or ""),
        avatar_url=safe_url(account.get("avatar_static") or account.get("avatar")),
        profile_url=safe_url(account.get("url")),
        followers_count=account.get("followers_count")
        if isinstance(account.get("followers_count"), int)
        else None,
    )


def _media(attachments: list[Mapping[str, Any]]) -> list[Media]:
    media = []
    for att in attachments:
        kind = _MEDIA_KINDS.get(str(att.get("type")))
        url = safe_url(att.get("url") or att.get("remote_url"))
        if kind is None or url is None:
            continue
        original = (att.get("meta") or {}).get("original") or {}
        media.append(
            Media(
                kind=kind,
                url=url,
                preview_url=safe_url(att.get("preview_url")),
                alt=str(att.get("description") or ""),
                width=original.get("width") if isinstance(original.get("width"), int) else None,
                height=original.get("height") if isinstance(original.get("height"), int) else None,
            )
        )
    return media


def _quoted(status: Mapping[str, Any], host: str) -> QuotedPost | None:
    quote = status.get("quote")
    if not isinstance(quote, Mapping) or quote.get("state", "accepted") != "accepted":
        return None
    inner = quote.get("quoted_status")
    if not isinstance(inner, Mapping) or inner.get("visibility") not in ("public", "unlisted"):
        return None
    tokens = html_to_tokens(str(inner.get("content") or ""))
    return QuotedPost(
        id=f"mastodon:{inner['uri']}",
        url=inner.get("url") or inner.get("uri"),
        author=_author(inner["account"], host),
        content=tokens,
        text="".join(t.text for t in tokens),
        created_at=inner.get("created_at"),
    )


def status_to_post(status: Mapping[str, Any], host: str) -> Post | None:
    """Return the wall post for a Mastodon status seen on instance `host`, or None.

    A boost becomes its original (`is_repost` true, keyed by the original's `uri`, so copies seen
    on other instances are one post). Only `public` statuses are kept: `unlisted` means the author
    asked to stay out of public discovery, and a wall is public discovery. Malformed input gives
    None rather than raising.
    """
    try:
        original = status.get("reblog") or status
        if original.get("visibility") != "public":
            return None
        tokens = html_to_tokens(str(original.get("content") or ""))
        tags = [str(t.get("name", "")).casefold() for t in original.get("tags") or []]
        return Post(
            id=f"mastodon:{original['uri']}",
            source="mastodon",
            url=original.get("url") or original.get("uri"),
            created_at=original["created_at"],
            author=_author(original["account"], host),
            content=tokens,
            text="".join(t.text for t in tokens),
            media=_media(original.get("media_attachments") or []),
            lang=original.get("language"),
            is_repost=status.get("reblog") is not None,
            quoted=_quoted(original, host),
            sensitive=bool(original.get("sensitive")),
            content_warning=original.get("spoiler_text") or None,
            metrics=Metrics(
                likes=int(original.get("favourites_count") or 0),
                reposts=int(original.get("reblogs_count") or 0),
                replies=int(original.get("replies_count") or 0),
            ),
            hashtags=[t for t in dict.fromkeys(tags) if t],
        )
    except (KeyError, TypeError, ValueError, AttributeError, ValidationError):
        return None


def _id_key(status_id: str) -> tuple[int, str]:
    # Mastodon ids are decimal strings of varying length: compare by length, then text.
    return (len(status_id), status_id)


@dataclass(frozen=True)
class _Commit:
    key: str
    value: str


_Item = SourceEvent | _Commit


@dataclass
class _Instance:
    base: str
    host: str
    token: str | None
    cursors: dict[str, str | None] = field(default_factory=dict)
    local_uris: OrderedDict[str, str] = field(default_factory=OrderedDict)
    not_before: datetime | None = None
    failures: int = 0
    info: dict[str, Any] = field(default_factory=dict)


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
        self._now = now
        self._sleep = sleep
        self._read_timeout = stream_read_timeout_s
        self._max_backoff = max_backoff_s
        self._recheck_interval = recheck_interval_s
        self._recheck_batch = recheck_batch
        # A token belongs to one server: sending it to every instance would leak it. It goes
        # only to `token_instance` (default: the first instance listed).
        bases = list(dict.fromkeys(instance_base(i) for i in instances if i.strip()))
        owner = instance_base(token_instance) if token_instance else (bases[0] if bases else None)
        self._instances = [
            _Instance(base=b, host=urlsplit(b).netloc, token=token if b == owner else None)
            for b in bases
        ]
        self._versions: OrderedDict[str, str] = OrderedDict()
        for inst in self._instances:
            self.status.extra.setdefault("instances", {})[inst.host] = inst.info

    # -- the consumer side -------------------------------------------------------------------

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Yield posts and deletions from every instance until cancelled."""
        if not self._instances:
            self.status.failed("no Mastodon instances configured", "stopped")
            return
        queue: asyncio.Queue[_Item] = asyncio.Queue(maxsize=2 * PAGE)
        timeout = httpx.Timeout(15.0, read=self._read_timeout)
        async with httpx.AsyncClient(transport=self._transport, timeout=timeout) as client:
            tasks = [
                asyncio.create_task(self._run(client, inst, queue)) for inst in self._instances
            ]
            tasks.append(asyncio.create_task(self._recheck_loop(client, queue)))
            try:
                while True:
                    item = await queue.get()
                    if isinstance(item, _Commit):
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
        self, client: httpx.AsyncClient, inst: _Instance, queue: asyncio.Queue[_Item]
    ) -> None:
        streaming = bool(self.settings.streaming and inst.token)
        while True:
            try:
                if streaming:
                    inst.info["mode"] = "streaming"
                    await self._stream(client, inst, queue)
                else:
                    inst.info["mode"] = "polling"
                    await self._poll_once(client, inst, queue)
                    self._ok(inst)
                    self.status.next_poll = self._now() + timedelta(
                        seconds=self.settings.poll_interval_s
                    )
                    await self._sleep(self.settings.poll_interval_s)
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
            await self._sleep(delay)

    def _ok(self, inst: _Instance) -> None:
        inst.failures = 0
        inst.info.update(state="ok", last_success=self._now().isoformat(), error=None)
        if all(i.info.get("state") == "ok" for i in self._instances):
            self.status.succeeded()
        elif self.status.state != "rate_limited":
            self.status.state = "ok"
            self.status.last_success = self._now()

    def _fail(self, inst: _Instance, error: str) -> None:
        log.warning("mastodon %s: %s", inst.host, error)
        inst.info.update(state="error", error=error, error_at=self._now().isoformat())
        if all(i.info.get("state") == "error" for i in self._instances):
            self.status.failed(f"{inst.host}: {error}")
        else:
            self.status.last_error = f"{inst.host}: {error}"[:500]
            self.status.last_error_at = self._now()

    async def _get(
        self,
        client: httpx.AsyncClient,
        inst: _Instance,
        url: str,
        params: dict[str, str] | None = None,
    ) -> httpx.Response:
        """GET honouring X-RateLimit-*: waits out a spent budget or a 429, then retries."""
        headers = {"Authorization": f"Bearer {inst.token}"} if inst.token else {}
        for _ in range(5):
            await self._wait_budget(inst)
            resp = await client.get(url, params=params, headers=headers)
            self._note_limits(inst, resp)
            if resp.status_code == 429:
                continue
            resp.raise_for_status()
            return resp
        raise httpx.HTTPStatusError("still rate limited", request=resp.request, response=resp)

    async def _wait_budget(self, inst: _Instance) -> None:
        if inst.not_before is None:
            return
        delay = (inst.not_before - self._now()).total_seconds()
        inst.not_before = None
        if delay > 0:
            inst.info["state"] = "rate_limited"
            self.status.state = "rate_limited"
            self.status.next_poll = self._now() + timedelta(seconds=delay)
            await self._sleep(min(delay, 900.0))

    def _note_limits(self, inst: _Instance, resp: httpx.Response) -> None:
        remaining = resp.headers.get("X-RateLimit-Remaining")
        inst.info["rate_remaining"] = remaining
        if resp.status_code != 429 and remaining != "0":
            return
        until: datetime | None = None
        try:
            until = datetime.fromisoformat(resp.headers.get("X-RateLimit-Reset", ""))
            until = until if until.tzinfo else until.replace(tzinfo=UTC)
        except ValueError:
            retry_after = resp.headers.get("Retry-After", "")
            seconds = float(retry_after) if retry_after.isdigit() else 60.0
            until = self._now() + timedelta(seconds=seconds)
        if resp.status_code == 429:  # a reset already past (clock skew) must not spin
            until = max(until, self._now() + timedelta(seconds=1))
        inst.not_before = until

    # -- REST catch-up -----------------------------------------------------------------------

    def _key(self, inst: _Instance, tag: str) -> str:
        return f"{inst.host}|{tag.casefold()}"

    async def _cursor(self, inst: _Instance, tag: str) -> str | None:
        if tag not in inst.cursors:
            inst.cursors[tag] = await self.ctx.cursors.get(self._key(inst, tag))
        return inst.cursors[tag]

    async def _advance(
        self, inst: _Instance, tag: str, status_id: str, queue: asyncio.Queue[_Item]
    ) -> None:
        current = await self._cursor(inst, tag)
        if current is None or _id_key(status_id) > _id_key(current):
            inst.cursors[tag] = status_id
            await queue.put(_Commit(self._key(inst, tag), status_id))

    async def _poll_once(
        self, client: httpx.AsyncClient, inst: _Instance, queue: asyncio.Queue[_Item]
    ) -> None:
        for tag in self.ctx.hashtags:
            await self._catch_up(client, inst, tag, queue)

    async def _catch_up(
        self, client: httpx.AsyncClient, inst: _Instance, tag: str, queue: asyncio.Queue[_Item]
    ) -> None:
        """Fetch every status after the cursor (first start: the latest page only)."""
        cursor = await self._cursor(inst, tag)
        url: str | None = f"{inst.base}/api/v1/timelines/tag/{tag}"
        params: dict[str, str] | None = {"limit": str(PAGE)}
        if cursor is not None:
            assert params is not None
            params["min_id"] = cursor
        while url is not None:
            resp = await self._get(client, inst, url, params)
            data = resp.json()
            page = (
                [s for s in data if isinstance(s, dict) and "id" in s]
                if isinstance(data, list)
                else []
            )
            if not page:
                return
            page.sort(key=lambda s: _id_key(str(s.get("id", ""))))
            for status in page:
                await self._offer(inst, status, queue)
            # One durable cursor write per page, queued behind the page's posts.
            await self._advance(inst, tag, str(page[-1]["id"]), queue)
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

    def _remember(self, inst: _Instance, status: Mapping[str, Any]) -> None:
        for s in (status, status.get("reblog")):
            if isinstance(s, Mapping) and s.get("reblog") is None and "id" in s and "uri" in s:
                inst.local_uris[str(s["id"])] = str(s["uri"])
        while len(inst.local_uris) > _MAX_REMEMBERED:
            inst.local_uris.popitem(last=False)

    async def _offer(
        self, inst: _Instance, status: Mapping[str, Any], queue: asyncio.Queue[_Item]
    ) -> None:
        """Queue the post unless the same version was already queued (from any instance)."""
        self._remember(inst, status)
        post = status_to_post(status, inst.host)
        if post is None:
            return
        original = status.get("reblog") or status
        version = str(original.get("edited_at") or "")
        seen = self._versions.get(post.id)
        if seen is not None and seen >= version:
            return
        self._versions[post.id] = version
        self._versions.move_to_end(post.id)
        while len(self._versions) > _MAX_REMEMBERED:
            self._versions.popitem(last=False)
        await queue.put(post)

    # -- streaming ---------------------------------------------------------------------------

    async def _streaming_base(self, client: httpx.AsyncClient, inst: _Instance) -> str:
        resp = await self._get(client, inst, f"{inst.base}/api/v2/instance")
        data = resp.json()
        streaming = ((data.get("configuration") or {}).get("urls") or {}).get("streaming")
        if not isinstance(streaming, str) or not streaming:
            return inst.base
        parts = urlsplit(streaming)
        scheme = {"wss": "https", "ws": "http"}.get(parts.scheme, parts.scheme)
        if scheme not in ("http", "https") or not parts.netloc:
            return inst.base
        if inst.base.startswith("https:"):
            scheme = "https"  # the token must never travel in clear text
        return f"{scheme}://{parts.netloc}"

    async def _stream(
        self, client: httpx.AsyncClient, inst: _Instance, queue: asyncio.Queue[_Item]
    ) -> None:
        base = await self._streaming_base(client, inst)
        inst.info["streaming_host"] = urlsplit(base).netloc
        tasks = [
            asyncio.create_task(self._stream_tag(client, inst, base, tag, queue))
            for tag in self.ctx.hashtags
        ]
        try:
            done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
        finally:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        for task in done:
            if (error := task.exception()) is not None:
                raise error

    async def _stream_tag(
        self,
        client: httpx.AsyncClient,
        inst: _Instance,
        base: str,
        tag: str,
        queue: asyncio.Queue[_Item],
    ) -> None:
        """Follow one hashtag stream; returns (to be reconnected) when the server ends it."""
        url = f"{base}/api/v1/streaming/hashtag"
        headers = {"Authorization": f"Bearer {inst.token}", "Accept": "text/event-stream"}
        async with client.stream("GET", url, params={"tag": tag}, headers=headers) as resp:
            resp.raise_for_status()
            inst.info["reconnects"] = inst.info.get("reconnects", -1) + 1
            # Connected: whatever is published from now on is in this stream, so the REST
            # catch-up from the cursor closes the gap since the last connection.
            await self._catch_up(client, inst, tag, queue)
            self._ok(inst)
            event, data = "", []
            async for line in resp.aiter_lines():
                if line.startswith(":"):
                    inst.info["heartbeat"] = self._now().isoformat()
                elif line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].removeprefix(" "))
                elif line == "":
                    if event and data:
                        await self._dispatch(inst, tag, event, "\n".join(data), queue)
                    event, data = "", []
        raise httpx.RemoteProtocolError("stream ended")

    async def _dispatch(
        self, inst: _Instance, tag: str, event: str, data: str, queue: asyncio.Queue[_Item]
    ) -> None:
        if event == "delete":
            uri = inst.local_uris.pop(data.strip().strip('"'), None)
            if uri is not None:
                self._versions.pop(f"mastodon:{uri}", None)
                await queue.put(Deletion(post_id=f"mastodon:{uri}"))
            return
        if event not in ("update", "status.update"):
            return
        status = json.loads(data)
        if not isinstance(status, dict):
            return
        if event == "status.update" and status_to_post(status, inst.host) is None:
            # An edit that made the status private (or unreadable) takes it off the wall.
            uri = status.get("uri")
            if isinstance(uri, str):
                self._versions.pop(f"mastodon:{uri}", None)
                await queue.put(Deletion(post_id=f"mastodon:{uri}"))
            return
        await self._offer(inst, status, queue)
        if event == "update" and "id" in status:
            await self._advance(inst, tag, str(status["id"]), queue)

    # -- deletion re-checks ------------------------------------------------------------------

    async def _recheck_loop(self, client: httpx.AsyncClient, queue: asyncio.Queue[_Item]) -> None:
        """Every few minutes, ask the instance that served a visible post whether it still
        exists and is public: polling never sees deletes, and a stream misses those made
        while it was down. A few posts per round, oldest-checked first, within the rate limit."""
        order: OrderedDict[str, None] = OrderedDict()
        while True:
            await self._sleep(self._recheck_interval)
            try:
                visible = await self.ctx.visible_ids(self.name)
            except Exception:  # the store is not ours to diagnose; try again next round
                log.exception("mastodon: visible_ids failed")
                continue
            for post_id in visible:
                order.setdefault(post_id, None)
            for post_id in [p for p in order if p not in set(visible)]:
                del order[post_id]
            for post_id in list(order)[: self._recheck_batch]:
                order.move_to_end(post_id)
                await self._recheck(client, post_id, queue)

    async def _recheck(
        self, client: httpx.AsyncClient, post_id: str, queue: asyncio.Queue[_Item]
    ) -> None:
        uri = post_id.removeprefix("mastodon:")
        for inst in self._instances:
            local = next((k for k, v in inst.local_uris.items() if v == uri), None)
            if local is None:
                continue
            try:
                resp = await self._get(client, inst, f"{inst.base}/api/v1/statuses/{local}")
            except httpx.HTTPStatusError as err:
                if err.response.status_code in (404, 410):
                    inst.local_uris.pop(local, None)
                    self._versions.pop(post_id, None)
                    await queue.put(Deletion(post_id=post_id))
                return
            except (httpx.HTTPError, ValueError) as err:
                inst.info["recheck_error"] = f"{type(err).__name__}: {err}"[:300]
                return
            status = resp.json()
            if isinstance(status, dict) and status_to_post(status, inst.host) is None:
                self._versions.pop(post_id, None)
                await queue.put(Deletion(post_id=post_id))
            elif isinstance(status, dict):
                await self._offer(inst, status, queue)  # re-yielded only if edited
            return
