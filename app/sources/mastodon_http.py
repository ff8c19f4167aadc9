"""Per-instance state of the Mastodon source and its rate-limited GET.

Each instance keeps its own cursors, the local ids of statuses it served (a delete event names
only the local id), its rate-limit budget and its status block. `get` honours X-RateLimit-*:
it waits out a spent budget or a 429, then retries.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from app.sources.base import SourceEvent, SourceStatus

__all__ = ["PAGE", "Commit", "Instance", "Item", "get"]

PAGE = 40
_MAX_REMEMBERED = 20_000


@dataclass(frozen=True)
class Commit:
    """A cursor write, queued behind the posts it covers."""

    key: str
    value: str


Item = SourceEvent | Commit


@dataclass
class Instance:
    """One Mastodon server polled or streamed by the source."""

    base: str
    host: str
    token: str | None
    cursors: dict[str, str | None] = field(default_factory=dict)
    local_uris: OrderedDict[str, str] = field(default_factory=OrderedDict)
    not_before: datetime | None = None
    failures: int = 0
    info: dict[str, Any] = field(default_factory=dict)

    def remember(self, status: Mapping[str, Any]) -> None:
        """Record the local id -> uri of a status (and of the original it boosts)."""
        for s in (status, status.get("reblog")):
            if isinstance(s, Mapping) and s.get("reblog") is None and "id" in s and "uri" in s:
                self.local_uris[str(s["id"])] = str(s["uri"])
        while len(self.local_uris) > _MAX_REMEMBERED:
            self.local_uris.popitem(last=False)


async def get(
    client: httpx.AsyncClient,
    inst: Instance,
    url: str,
    params: dict[str, str] | None,
    *,
    status: SourceStatus,
    now: Callable[[], datetime],
    sleep: Callable[[float], Awaitable[None]],
) -> httpx.Response:
    """Return the response of a GET honouring X-RateLimit-*: waits out a spent budget or a 429,
    then retries. Raises httpx.HTTPStatusError on an error status or after five 429s."""
    headers = {"Authorization": f"Bearer {inst.token}"} if inst.token else {}
    for _ in range(5):
        await _wait_budget(inst, status, now, sleep)
        resp = await client.get(url, params=params, headers=headers)
        _note_limits(inst, resp, now)
        if resp.status_code == 429:
            continue
        resp.raise_for_status()
        return resp
    raise httpx.HTTPStatusError("still rate limited", request=resp.request, response=resp)


async def _wait_budget(
    inst: Instance,
    status: SourceStatus,
    now: Callable[[], datetime],
    sleep: Callable[[float], Awaitable[None]],
) -> None:
    if inst.not_before is None:
        return
    delay = (inst.not_before - now()).total_seconds()
    inst.not_before = None
    if delay > 0:
        inst.info["state"] = "rate_limited"
        status.state = "rate_limited"
        status.next_poll = now() + timedelta(seconds=delay)
        await sleep(min(delay, 900.0))


def _note_limits(inst: Instance, resp: httpx.Response, now: Callable[[], datetime]) -> None:
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
        until = now() + timedelta(seconds=seconds)
    if resp.status_code == 429:  # a reset already past (clock skew) must not spin
        until = max(until, now() + timedelta(seconds=1))
    inst.not_before = until
