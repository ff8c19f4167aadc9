"""Per-instance state of the Mastodon source and its rate-limited GET.

Each instance keeps its own cursors, the local ids of statuses it served (a delete event names
only the local id), its rate-limit window, its retry backoff and its status block. `Fetcher.get`
honours X-RateLimit-*: it waits out a spent budget or a 429, then retries.
"""

from __future__ import annotations

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import httpx

from app.sources.base import SourceEvent, SourceStatus
from app.sources.plumbing import Backoff, BoundedMap, Now, Sleep

__all__ = ["PAGE", "Commit", "Fetcher", "Get", "Instance", "Item"]

PAGE = 40
# Local ids of statuses served, per instance: enough for hours of a busy hashtag.
_MAX_REMEMBERED = 20_000
# Never sleep longer than this for one rate-limit window, whatever the reset header says.
_MAX_RATE_WAIT_S = 900.0


@dataclass(frozen=True)
class Commit:
    """A cursor write, queued behind the posts it covers."""

    key: str
    value: str


Item = SourceEvent | Commit


def _retry() -> Backoff:
    """Return the default reconnect backoff of an instance: 2, 4, 8 ... 300 s, no jitter."""
    return Backoff(2.0, 300.0, jitter=0.0)


@dataclass
class Instance:
    """One Mastodon server polled or streamed by the source."""

    base: str
    host: str
    token: str | None
    cursors: dict[str, str | None] = field(default_factory=dict)
    local_uris: BoundedMap[str, str] = field(default_factory=lambda: BoundedMap(_MAX_REMEMBERED))
    not_before: datetime | None = None
    retry: Backoff = field(default_factory=_retry)
    info: dict[str, Any] = field(default_factory=dict)

    def remember(self, status: Mapping[str, Any]) -> None:
        """Record the local id -> uri of a status (and of the original it boosts)."""
        for s in (status, status.get("reblog")):
            if isinstance(s, Mapping) and s.get("reblog") is None and "id" in s and "uri" in s:
                self.local_uris.put(str(s["id"]), str(s["uri"]))

    def local_id(self, uri: str) -> str | None:
        """Return the local id this instance served the status `uri` under, or None."""
        return next((local for local, known in self.local_uris.items() if known == uri), None)


class Get(Protocol):
    """A rate-limited GET against one instance (`Fetcher.get`)."""

    def __call__(
        self, inst: Instance, url: str, params: dict[str, str] | None = None
    ) -> Awaitable[httpx.Response]: ...


class Fetcher:
    """GETs on one httpx client, each honouring its instance's rate limit."""

    def __init__(
        self, client: httpx.AsyncClient, status: SourceStatus, *, now: Now, sleep: Sleep
    ) -> None:
        self._client = client
        self._status = status
        self._now = now
        self._sleep = sleep

    async def get(
        self, inst: Instance, url: str, params: dict[str, str] | None = None
    ) -> httpx.Response:
        """Return the response of a GET honouring X-RateLimit-*: waits out a spent budget or a
        429, then retries. Raises httpx.HTTPStatusError on an error status or after five 429s,
        and httpx.HTTPError on a network failure."""
        headers = {"Authorization": f"Bearer {inst.token}"} if inst.token else {}
        for _ in range(5):
            await self._wait_budget(inst)
            resp = await self._client.get(url, params=params, headers=headers)
            self._note_limits(inst, resp)
            if resp.status_code == 429:
                continue
            resp.raise_for_status()
            return resp
        raise httpx.HTTPStatusError("still rate limited", request=resp.request, response=resp)

    async def _wait_budget(self, inst: Instance) -> None:
        """Return at once, or once the instance's spent rate-limit window has reset."""
        if inst.not_before is None:
            return
        delay = (inst.not_before - self._now()).total_seconds()
        inst.not_before = None
        if delay > 0:
            inst.info["state"] = "rate_limited"
            self._status.state = "rate_limited"
            self._status.next_poll = self._now() + timedelta(seconds=delay)
            await self._sleep(min(delay, _MAX_RATE_WAIT_S))

    def _note_limits(self, inst: Instance, resp: httpx.Response) -> None:
        """Note the rate limit a response reports; when spent (or a 429), when it resets."""
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
