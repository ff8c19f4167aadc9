"""The hours before a first start, from the authenticated `app.bsky.feed.searchPosts`.

Jetstream replays only about a day and has no hashtag filter; search does. With a handle and an
app password the first start of a wall fetches `backfill_hours` of matching posts per hashtag,
newest pages first. One PDS session is created and reused, refreshed when the PDS says it has
expired, and created again when the refresh is refused.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Mapping
from datetime import datetime
from typing import Any

import httpx
from pydantic import SecretStr

from app.clock import iso
from app.models import Metrics, Post
from app.sources.base import SourceStatus
from app.sources.bluesky.normalize import COLLECTION, matches, profile_to_author, record_to_post
from app.sources.plumbing import Now

__all__ = ["Backfill", "PdsSession", "view_to_post"]

# Pages of 100 per hashtag at most: a few hours of a conference, never the network's history.
_MAX_PAGES = 20


def view_to_post(view: Mapping[str, Any], tags: set[str], now: datetime) -> Post | None:
    """Return the wall post for an `app.bsky.feed.defs#postView` carrying one of `tags`, with
    its author and counts; None for another collection, another hashtag or a malformed view."""
    uri = str(view.get("uri") or "")
    parts = uri.removeprefix("at://").split("/")
    record = view.get("record")
    if len(parts) != 3 or parts[1] != COLLECTION or not isinstance(record, Mapping):
        return None
    if not matches(record, tags):
        return None
    try:
        author = profile_to_author(view["author"])
    except (KeyError, TypeError, ValueError):
        author = None  # the DID stands in for the handle
    metrics = Metrics(
        likes=int(view.get("likeCount") or 0),
        reposts=int(view.get("repostCount") or 0),
        replies=int(view.get("replyCount") or 0),
        quotes=int(view.get("quoteCount") or 0),
    )
    return record_to_post(parts[0], parts[2], record, author=author, now=now, metrics=metrics)


def _xrpc_error(resp: httpx.Response) -> str | None:
    """Return the `error` name of an XRPC error body, or None."""
    try:
        data = resp.json()
    except ValueError:
        return None
    return str(data.get("error")) if isinstance(data, dict) else None


class PdsSession:
    """XRPC GETs as the wall's account on its PDS, with one session reused across calls."""

    def __init__(
        self,
        pds_url: str,
        handle: str | None,
        password: SecretStr | None,
        status: SourceStatus,
    ) -> None:
        self._pds = pds_url.rstrip("/")
        self._handle = handle
        self._password = password
        self._status = status
        self._access: str | None = None
        self._refresh: str | None = None

    async def get(
        self, client: httpx.AsyncClient, method: str, params: dict[str, str]
    ) -> dict[str, Any]:
        """Return the JSON object XRPC `method` answers (an empty dict for anything else).

        Raises httpx.HTTPError on a failed call or login, and ValueError when the PDS keeps
        refusing the session."""
        for _ in range(3):
            if self._access is None:
                await self._create(client)
            resp = await client.get(
                f"{self._pds}/xrpc/{method}",
                params=params,
                headers={"Authorization": f"Bearer {self._access}"},
            )
            if resp.status_code in (400, 401) and _xrpc_error(resp) in (
                "ExpiredToken",
                "InvalidToken",
            ):
                await self._renew(client)
                continue
            resp.raise_for_status()
            data = resp.json()
            return data if isinstance(data, dict) else {}
        raise ValueError(f"{method}: session refused")

    async def _create(self, client: httpx.AsyncClient) -> None:
        """Log in with the app password. Raises httpx.HTTPError when the PDS refuses."""
        password = self._password
        resp = await client.post(
            f"{self._pds}/xrpc/com.atproto.server.createSession",
            json={
                "identifier": self._handle,
                "password": password.get_secret_value() if password else "",
            },
        )
        resp.raise_for_status()
        data = resp.json()
        self._access, self._refresh = str(data["accessJwt"]), str(data["refreshJwt"])
        self._status.extra["sessions"] = self._status.extra.get("sessions", 0) + 1

    async def _renew(self, client: httpx.AsyncClient) -> None:
        """Trade the refresh token for a new session; on refusal the next call logs in."""
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
            self._refresh = None


class Backfill:
    """Search backfill of a wall's hashtags; what it yields is remembered as already seen."""

    def __init__(
        self,
        session: PdsSession,
        hashtags: tuple[str, ...],
        *,
        remember: Callable[[str, str], None],
        status: SourceStatus,
        now: Now,
    ) -> None:
        self._session = session
        self._hashtags = hashtags
        self._tags = {h.casefold() for h in hashtags}
        self._remember = remember  # (post id, cid): Jetstream then drops the same version
        self._status = status
        self._now = now

    async def run(self, client: httpx.AsyncClient, since: datetime) -> AsyncIterator[Post]:
        """Yield the matching posts since `since`, newest pages first. A failure ends the
        backfill early (noted in `status.extra["backfill"]`), never raises."""
        stamp = iso(since) or ""  # iso() is None only for None
        count = 0
        try:
            for tag in self._hashtags:
                cursor: str | None = None
                for _ in range(_MAX_PAGES):
                    params = {"q": f"#{tag}", "since": stamp, "sort": "latest", "limit": "100"}
                    if cursor:
                        params["cursor"] = cursor
                    data = await self._session.get(client, "app.bsky.feed.searchPosts", params)
                    views = data.get("posts") or []
                    for view in views:
                        post = view_to_post(view, self._tags, self._now())
                        if post is not None:
                            self._remember(post.id, str(view.get("cid") or ""))
                            count += 1
                            self._status.posts += 1
                            yield post
                    cursor = data.get("cursor")
                    if not cursor or not views:
                        break
            self._status.extra["backfill"] = {"posts": count, "since": stamp}
        except (httpx.HTTPError, ValueError, KeyError, TypeError) as err:
            self._status.extra["backfill"] = {"posts": count, "error": f"{type(err).__name__}"}
