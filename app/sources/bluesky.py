"""Bluesky: Jetstream (the firehose as JSON over WebSocket) filtered by hashtag, gap-free.

Raw atproto records stay in this module. Pure functions turn a post record into a `Post`
(`record_to_post`, with UTF-8 byte-offset facets -> tokens); `BlueskySource.events()` does the I/O:

- Jetstream has no hashtag filter, so every `app.bsky.feed.post` commit is matched here against the
  wall's hashtags (tag facets, the record's `tags`, `#tag` in the text; case-insensitive).
- Its `time_us` cursor is persisted every few seconds, only once everything before it was yielded,
  and rewound a few seconds on reconnect (the boundary is not gap-free); the re-sent posts are
  dropped by (uri, cid) here and by upsert downstream.
- Matching posts wait up to `batch_wait_s` so their authors' profiles (and quoted posts) can be
  fetched from the public AppView in batches of 25 and cached; if that fails the DID is the handle.
- With a handle and an app password, a first start backfills `backfill_hours` with the
  authenticated `app.bsky.feed.searchPosts`, one session reused and refreshed on expiry.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol
from urllib.parse import urlencode

import httpx
from pydantic import ValidationError
from websockets.exceptions import WebSocketException

from app.models import Author, Deletion, Media, Metrics, Post, QuotedPost, Token, safe_url
from app.settings import BlueskySettings
from app.sources.base import SourceContext, SourceEvent, SourceStatus

__all__ = [
    "BlueskySource",
    "facet_tokens",
    "matches",
    "post_uri",
    "profile_to_author",
    "record_to_post",
]

log = logging.getLogger(__name__)

COLLECTION = "app.bsky.feed.post"
BATCH = 25
_DID = re.compile(r"^did:[a-z]+:[A-Za-z0-9._:%-]{1,200}$")
_RKEY = re.compile(r"^[A-Za-z0-9._:~-]{1,512}$")
_CID = re.compile(r"^[A-Za-z0-9]{8,200}$")
_TEXT_TAG = re.compile(r"(?<![\w&])[#\uff03](\w{1,100})")
_SENSITIVE_LABELS = {"porn", "sexual", "nudity", "graphic-media", "gore"}
_MAX_REMEMBERED = 50_000


class WebSocketLike(Protocol):
    async def recv(self) -> str | bytes: ...


Connect = Callable[[str], AbstractAsyncContextManager[WebSocketLike]]


def _default_connect(url: str) -> AbstractAsyncContextManager[WebSocketLike]:
    from websockets.asyncio.client import connect

    return connect(url, max_size=2**22, open_timeout=15, ping_interval=20, ping_timeout=20)


# -- pure normalisation ---------------------------------------------------------------------


def post_uri(did: str, rkey: str) -> str:
    """Return the at:// URI of a post record."""
    return f"at://{did}/{COLLECTION}/{rkey}"


def _profile_url(did_or_handle: str) -> str:
    return f"https://bsky.app/profile/{did_or_handle}"


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _record_tags(record: Mapping[str, Any]) -> set[str]:
    tags = {t.casefold() for t in _list(record.get("tags")) if isinstance(t, str)}
    for facet in _list(record.get("facets")):
        for feature in _list(facet.get("features")) if isinstance(facet, Mapping) else []:
            if (
                isinstance(feature, Mapping)
                and feature.get("$type") == "app.bsky.richtext.facet#tag"
            ):
                tags.add(str(feature.get("tag", "")).lstrip("#").casefold())
    tags.update(m.casefold() for m in _TEXT_TAG.findall(str(record.get("text") or "")))
    return tags


def matches(record: Mapping[str, Any], hashtags: Iterable[str]) -> bool:
    """Return True if the post record carries one of `hashtags` (facet, `tags` or text)."""
    wanted = {h.lstrip("#").casefold() for h in hashtags}
    return bool(wanted & _record_tags(record))


def facet_tokens(text: str, facets: list[Any] | None) -> list[Token]:
    """Return the tokens of a post text, applying facets whose offsets count UTF-8 bytes.

    Overlapping, out-of-range or unknown facets are ignored (their bytes stay text); a link facet
    keeps its target only if it is http(s), mentions link to the bsky.app profile.
    """
    raw = text.encode("utf-8")
    spans: list[tuple[int, int, Mapping[str, Any]]] = []
    for facet in _list(facets):
        try:
            start, end = int(facet["index"]["byteStart"]), int(facet["index"]["byteEnd"])
            feature = facet["features"][0]
        except (KeyError, IndexError, TypeError, ValueError):
            continue
        if 0 <= start < end <= len(raw) and isinstance(feature, Mapping):
            spans.append((start, end, feature))
    tokens: list[Token] = []
    pos = 0
    for start, end, feature in sorted(spans, key=lambda s: s[0]):
        if start < pos:
            continue
        if start > pos:
            tokens.append(Token(type="text", text=raw[pos:start].decode("utf-8", "ignore")))
        tokens.append(_facet_token(raw[start:end].decode("utf-8", "ignore"), feature))
        pos = end
    if pos < len(raw):
        tokens.append(Token(type="text", text=raw[pos:].decode("utf-8", "ignore")))
    return [t for t in tokens if t.text]


def _facet_token(label: str, feature: Mapping[str, Any]) -> Token:
    kind = feature.get("$type")
    if kind == "app.bsky.richtext.facet#link":
        href = safe_url(str(feature.get("uri", "")))
        return Token(type="link", text=label, href=href) if href else Token(type="text", text=label)
    if kind == "app.bsky.richtext.facet#mention" and _DID.match(str(feature.get("did", ""))):
        return Token(type="mention", text=label, href=_profile_url(str(feature["did"])))
    if kind == "app.bsky.richtext.facet#tag":
        tag = str(feature.get("tag", "")).lstrip("#")
        if re.fullmatch(r"[^\s/?#]{1,100}", tag):
            return Token(type="hashtag", text=label, href=f"https://bsky.app/hashtag/{tag}")
    return Token(type="text", text=label)


def profile_to_author(profile: Mapping[str, Any]) -> Author:
    """Return the author for an `app.bsky.actor.defs#profileView(Detailed)`.

    Raises KeyError or ValueError when the profile has no valid DID."""
    did = str(profile["did"])
    if not _DID.match(did):
        raise ValueError(f"not a DID: {did[:80]!r}")
    handle = str(profile.get("handle") or did)
    followers = profile.get("followersCount")
    return Author(
        id=did,
        handle=f"@{handle}" if handle != did else did,
        name=str(profile.get("displayName") or ""),
        avatar_url=safe_url(profile.get("avatar")),
        profile_url=_profile_url(did),
        followers_count=followers if isinstance(followers, int) else None,
    )


def _blob_cid(blob: Any) -> str | None:
    if not isinstance(blob, Mapping):
        return None
    ref = blob.get("ref")
    cid = ref.get("$link") if isinstance(ref, Mapping) else blob.get("cid")
    return cid if isinstance(cid, str) and _CID.match(cid) else None


def _embed_media(did: str, embed: Mapping[str, Any]) -> list[Media]:
    kind = embed.get("$type")
    if kind == "app.bsky.embed.recordWithMedia" and isinstance(embed.get("media"), Mapping):
        return _embed_media(did, embed["media"])
    media: list[Media] = []
    if kind == "app.bsky.embed.images":
        for image in embed.get("images") or []:
            cid = _blob_cid(image.get("image")) if isinstance(image, Mapping) else None
            if cid is None:
                continue
            ratio = image.get("aspectRatio") or {}
            media.append(
                Media(
                    kind="image",
                    url=f"https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{cid}@jpeg",
                    preview_url=f"https://cdn.bsky.app/img/feed_thumbnail/plain/{did}/{cid}@jpeg",
                    alt=str(image.get("alt") or ""),
                    width=ratio.get("width") if isinstance(ratio.get("width"), int) else None,
                    height=ratio.get("height") if isinstance(ratio.get("height"), int) else None,
                )
            )
    elif kind == "app.bsky.embed.video" and (cid := _blob_cid(embed.get("video"))):
        media.append(
            Media(
                kind="video",
                url=f"https://video.bsky.app/watch/{did}/{cid}/playlist.m3u8",
                preview_url=f"https://video.bsky.app/watch/{did}/{cid}/thumbnail.jpg",
                alt=str(embed.get("alt") or ""),
            )
        )
    return media


def quoted_uri(record: Mapping[str, Any]) -> str | None:
    """Return the at:// URI a post quotes, if any."""
    embed = record.get("embed")
    if not isinstance(embed, Mapping):
        return None
    ref = embed.get("record")
    if embed.get("$type") == "app.bsky.embed.recordWithMedia" and isinstance(ref, Mapping):
        ref = ref.get("record")
    uri = ref.get("uri") if isinstance(ref, Mapping) else None
    if isinstance(uri, str) and uri.startswith("at://") and f"/{COLLECTION}/" in uri:
        return uri
    return None


def _web_url(uri: str) -> str | None:
    parts = uri.removeprefix("at://").split("/")
    if len(parts) == 3 and _DID.match(parts[0]) and _RKEY.match(parts[2]):
        return f"https://bsky.app/profile/{parts[0]}/post/{parts[2]}"
    return None


def _created_at(value: Any, now: datetime) -> datetime:
    # createdAt is set by the poster's device: a clock far ahead must not pin a post on top.
    try:
        at = datetime.fromisoformat(str(value))
        at = at if at.tzinfo else at.replace(tzinfo=UTC)
    except ValueError:
        return now
    return now if at > now + timedelta(minutes=1) else at


def quoted_from_view(view: Mapping[str, Any]) -> QuotedPost | None:
    """Return the quote card for an `app.bsky.feed.defs#postView`, or None if malformed."""
    try:
        record = view["record"]
        tokens = facet_tokens(str(record.get("text") or ""), record.get("facets"))
        return QuotedPost(
            id=f"bluesky:{view['uri']}",
            url=_web_url(str(view["uri"])),
            author=profile_to_author(view["author"]),
            content=tokens,
            text="".join(t.text for t in tokens),
            created_at=_created_at(record.get("createdAt"), datetime.now(UTC)),
        )
    except (KeyError, TypeError, AttributeError, ValueError):
        return None


def record_to_post(
    did: str,
    rkey: str,
    record: Mapping[str, Any],
    *,
    author: Author | None = None,
    quoted: QuotedPost | None = None,
    now: datetime | None = None,
    metrics: Metrics | None = None,
) -> Post | None:
    """Return the wall post for an `app.bsky.feed.post` record by `did`, or None if malformed.

    Without `author` the DID stands in for the handle. A quoted post that could not be fetched
    becomes a bare reference (its URI and author DID) so the card can still link to it.
    """
    if not _DID.match(did) or not _RKEY.match(rkey):
        return None
    now = now or datetime.now(UTC)
    try:
        text = str(record.get("text") or "")
        tokens = facet_tokens(text, record.get("facets"))
        embed = record.get("embed")
        media = _embed_media(did, embed) if isinstance(embed, Mapping) else []
        quote_ref = quoted_uri(record)
        if quoted is None and quote_ref is not None:
            quoted_did = quote_ref.removeprefix("at://").split("/")[0]
            quoted = QuotedPost(
                id=f"bluesky:{quote_ref}",
                url=_web_url(quote_ref),
                author=Author(
                    id=quoted_did, handle=quoted_did, profile_url=_profile_url(quoted_did)
                ),
            )
        labels = (record.get("labels") or {}).get("values") or []
        sensitive = any(
            isinstance(v, Mapping) and v.get("val") in _SENSITIVE_LABELS for v in labels
        )
        reply = ((record.get("reply") or {}).get("parent") or {}).get("uri")
        langs = record.get("langs") or []
        uri = post_uri(did, rkey)
        return Post(
            id=f"bluesky:{uri}",
            source="bluesky",
            url=f"https://bsky.app/profile/{did}/post/{rkey}",
            created_at=_created_at(record.get("createdAt"), now),
            author=author or Author(id=did, handle=did, profile_url=_profile_url(did)),
            content=tokens,
            text=text,
            media=media,
            lang=str(langs[0]) if langs else None,
            quoted=quoted,
            sensitive=sensitive,
            in_reply_to=f"bluesky:{reply}" if isinstance(reply, str) else None,
            metrics=metrics or Metrics(),
            hashtags=sorted(_record_tags(record)),
        )
    except (KeyError, TypeError, AttributeError, ValueError, ValidationError):
        return None


# -- the source -----------------------------------------------------------------------------


class _Pending:
    def __init__(self, did: str, rkey: str, cid: str, record: Mapping[str, Any], us: int) -> None:
        self.did, self.rkey, self.cid, self.record, self.us = did, rkey, cid, record, us


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
        self._url = jetstream_url
        self._transport = http_transport
        self._connect = connect or _default_connect
        self._pds = pds_url.rstrip("/")
        self._appview = settings.appview_url.rstrip("/")
        self._now = now
        self._sleep = sleep
        self._cursor_every = cursor_every_s
        self._rewind_us = int(rewind_s * 1_000_000)
        self._batch_wait = batch_wait_s
        self._idle = idle_timeout_s
        self._max_backoff = max_backoff_s
        self._ttl = profile_ttl_s
        self._tags = {h.casefold() for h in ctx.hashtags}
        self._profiles: dict[str, tuple[Author, float]] = {}
        self._quotes: dict[str, QuotedPost] = {}
        self._known: OrderedDict[str, str] = OrderedDict()  # post id -> cid yielded
        self._visible: set[str] = set()
        self._visible_at = -1e9
        self._last_us: int | None = None
        self._saved_us: int | None = None
        self._access: str | None = None
        self._refresh: str | None = None
        self.status.extra.update(connected=False, reconnects=0, cursor_us=None, lag_s=None)

    async def events(self) -> AsyncIterator[SourceEvent]:
        """Yield matching posts and deletions until cancelled."""
        async with httpx.AsyncClient(transport=self._transport, timeout=15.0) as client:
            saved = await self.ctx.cursors.get("jetstream")
            if saved is not None and saved.isdigit():
                self._last_us = self._saved_us = int(saved)
            elif self.settings.handle and self.settings.app_password:
                # First start with credentials: search covers the hours before; Jetstream
                # then starts where the search began (by our clock, minus the rewind).
                start_us = int(self._now().timestamp() * 1_000_000)
                since = self._now() - timedelta(hours=self.settings.backfill_hours)
                async for post in self._backfill(client, since):
                    yield post
                self._last_us = start_us
            # else: first start without credentials: live from now, no cursor until a message.
            async for event in self._jetstream(client):
                yield event

    # -- Jetstream ---------------------------------------------------------------------------

    async def _jetstream(self, client: httpx.AsyncClient) -> AsyncIterator[SourceEvent]:
        failures = 0
        while True:
            query = {"wantedCollections": COLLECTION}
            if self._last_us is not None:
                query["cursor"] = str(max(0, self._last_us - self._rewind_us))
            url = f"{self._url}?{urlencode(query)}"
            pending: list[_Pending] = []
            try:
                async with self._connect(url) as ws:
                    self.status.extra["connected"] = True
                    self.status.extra["reconnects"] += 1
                    self.status.succeeded()
                    failures = 0
                    async for event in self._read(client, ws, pending):
                        yield event
            except asyncio.CancelledError:
                raise
            except (WebSocketException, OSError, TimeoutError, ValueError) as err:
                self.status.failed(f"jetstream: {type(err).__name__}: {err}")
            self.status.extra["connected"] = False
            # Posts read but not yet yielded are re-sent after the rewind; the cursor below
            # never passes them.
            await self._save_cursor(pending)
            failures += 1
            await self._sleep(min(self._max_backoff, 0.5 * 2 ** min(failures, 8)))

    async def _read(
        self, client: httpx.AsyncClient, ws: WebSocketLike, pending: list[_Pending]
    ) -> AsyncIterator[SourceEvent]:
        loop = asyncio.get_running_loop()
        saved_at = last_message = first_pending = loop.time()
        while True:
            deadlines = [last_message + self._idle]
            if pending:
                deadlines.append(first_pending + self._batch_wait)
            if self._safe_us(pending) != self._saved_us:
                deadlines.append(saved_at + self._cursor_every)
            try:
                raw = await asyncio.wait_for(ws.recv(), max(0.0, min(deadlines) - loop.time()))
            except TimeoutError:
                if loop.time() - last_message >= self._idle:
                    raise TimeoutError(f"no message for {self._idle:.0f} s") from None
                raw = None
            if raw is not None:
                last_message = loop.time()
                try:
                    msg = json.loads(raw)
                except ValueError:
                    msg = None
                if not isinstance(msg, dict):
                    continue
                if not pending:
                    first_pending = loop.time()
                async for event in self._handle(msg, pending):
                    yield event
            unknown = {p.did for p in pending if not self._fresh(p.did)}
            due = pending and loop.time() - first_pending >= self._batch_wait
            if pending and (due or not unknown or len(unknown) >= BATCH):
                batch = list(pending)
                pending.clear()
                for post in await self._hydrated(client, batch):
                    yield post
            if loop.time() - saved_at >= self._cursor_every:
                # Reached only after the consumer took every post yielded above.
                await self._save_cursor(pending)
                saved_at = loop.time()

    async def _handle(
        self, msg: Mapping[str, Any], pending: list[_Pending]
    ) -> AsyncIterator[SourceEvent]:
        us = msg.get("time_us")
        did = str(msg.get("did") or "")
        when = us if isinstance(us, int) else (self._last_us or 0)
        if isinstance(us, int):
            self._last_us = max(self._last_us or 0, us)
            lag = self._now().timestamp() - us / 1_000_000
            self.status.extra["lag_s"] = round(lag, 3)
        kind = msg.get("kind")
        if kind == "commit":
            commit = msg.get("commit")
            if not isinstance(commit, Mapping) or commit.get("collection") != COLLECTION:
                return
            if not _DID.match(did):
                return
            rkey = str(commit.get("rkey") or "")
            op = commit.get("operation")
            record = commit.get("record")
            if op in ("create", "update") and isinstance(record, Mapping):
                if matches(record, self._tags):
                    pid = f"bluesky:{post_uri(did, rkey)}"
                    cid = str(commit.get("cid") or "")
                    if self._known.get(pid) != cid or not cid:
                        pending.append(_Pending(did, rkey, cid, record, when))
            elif op == "delete":
                pid = f"bluesky:{post_uri(did, rkey)}"
                pending[:] = [p for p in pending if (p.did, p.rkey) != (did, rkey)]
                if pid in self._known or pid in await self._visible_ids():
                    self._known.pop(pid, None)
                    yield Deletion(post_id=pid)
        elif kind == "identity":
            self._profiles.pop(did, None)  # the handle changed: fetch the profile again
        elif kind == "account":
            account = msg.get("account")
            if isinstance(account, Mapping) and account.get("active") is False:
                # Deactivated, suspended, taken down or deleted: its posts are gone from
                # Bluesky (their links are dead), so they leave the wall too.
                self._profiles.pop(did, None)
                pending[:] = [p for p in pending if p.did != did]
                prefix = f"bluesky:at://{did}/"
                ids = {i for i in self._known if i.startswith(prefix)}
                ids |= {i for i in await self._visible_ids() if i.startswith(prefix)}
                for pid in sorted(ids):
                    self._known.pop(pid, None)
                    yield Deletion(post_id=pid)

    async def _visible_ids(self) -> set[str]:
        loop = asyncio.get_running_loop()
        if loop.time() - self._visible_at > 30.0:
            self._visible_at = loop.time()
            self._visible = set(await self.ctx.visible_ids(self.name))
        return self._visible

    def _safe_us(self, pending: list[_Pending]) -> int | None:
        """Return the newest time_us with nothing unyielded at or before it."""
        if self._last_us is None:
            return None
        return min([p.us - 1 for p in pending] + [self._last_us])

    async def _save_cursor(self, pending: list[_Pending]) -> None:
        safe = self._safe_us(pending)
        if safe is None or safe == self._saved_us:
            return
        await self.ctx.cursors.set("jetstream", str(safe))
        self._saved_us = safe
        self.status.succeeded()
        self.status.extra["cursor_us"] = safe

    def _remember(self, post_id: str, cid: str) -> None:
        self._known[post_id] = cid
        self._known.move_to_end(post_id)
        while len(self._known) > _MAX_REMEMBERED:
            self._known.popitem(last=False)

    # -- hydration ---------------------------------------------------------------------------

    def _fresh(self, did: str) -> bool:
        cached = self._profiles.get(did)
        return cached is not None and time.monotonic() - cached[1] < self._ttl

    async def _hydrated(self, client: httpx.AsyncClient, batch: list[_Pending]) -> list[Post]:
        await self._fetch_profiles(client, [p.did for p in batch])
        await self._fetch_quotes(client, [u for p in batch if (u := quoted_uri(p.record))])
        posts = []
        for p in batch:
            cached = self._profiles.get(p.did)
            ref = quoted_uri(p.record)
            post = record_to_post(
                p.did,
                p.rkey,
                p.record,
                author=cached[0] if cached else None,
                quoted=self._quotes.get(ref) if ref else None,
                now=self._now(),
            )
            if post is not None:
                self._remember(post.id, p.cid)
                self.status.posts += 1
                posts.append(post)
        return posts

    async def _fetch_profiles(self, client: httpx.AsyncClient, dids: list[str]) -> None:
        unknown = [d for d in dict.fromkeys(dids) if not self._fresh(d)]
        for i in range(0, len(unknown), BATCH):
            chunk = unknown[i : i + BATCH]
            try:
                resp = await client.get(
                    f"{self._appview}/xrpc/app.bsky.actor.getProfiles",
                    params=[("actors", d) for d in chunk],
                )
                resp.raise_for_status()
                for profile in resp.json().get("profiles") or []:
                    author = profile_to_author(profile)
                    self._profiles[author.id] = (author, time.monotonic())
            except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError) as err:
                self.status.extra["profile_error"] = f"{type(err).__name__}: {err}"[:300]

    async def _fetch_quotes(self, client: httpx.AsyncClient, uris: list[str]) -> None:
        unknown = [u for u in dict.fromkeys(uris) if u not in self._quotes]
        for i in range(0, len(unknown), BATCH):
            try:
                resp = await client.get(
                    f"{self._appview}/xrpc/app.bsky.feed.getPosts",
                    params=[("uris", u) for u in unknown[i : i + BATCH]],
                )
                resp.raise_for_status()
                for view in resp.json().get("posts") or []:
                    quote = quoted_from_view(view)
                    if quote is not None:
                        self._quotes[quote.id.removeprefix("bluesky:")] = quote
            except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError) as err:
                self.status.extra["quote_error"] = f"{type(err).__name__}: {err}"[:300]
        while len(self._quotes) > 5000:
            self._quotes.pop(next(iter(self._quotes)))

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
