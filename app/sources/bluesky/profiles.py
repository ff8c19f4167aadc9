"""Profile and quote hydration for the Bluesky source, cached.

Authors are fetched from the public AppView (`app.bsky.actor.getProfiles`) and quoted posts
(`app.bsky.feed.getPosts`) in batches of 25. A profile is fresh for `ttl_s`; a failed fetch is
noted in the source's status and the post goes out with its DID as the handle.
"""

from __future__ import annotations

import time

import httpx

from app.models import Author, QuotedPost
from app.sources.base import SourceStatus
from app.sources.bluesky.normalize import profile_to_author, quoted_from_view
from app.sources.plumbing import BoundedMap, describe

__all__ = ["BATCH", "ProfileCache"]

BATCH = 25
# Quote cards kept: quoted posts repeat within hours, not across days.
_MAX_QUOTES = 5000


class ProfileCache:
    """Authors by DID and quote cards by at:// URI, fetched from the AppView in batches."""

    def __init__(self, appview_url: str, status: SourceStatus, ttl_s: float) -> None:
        self._appview = appview_url.rstrip("/")
        self._status = status
        self._ttl = ttl_s
        self._profiles: dict[str, tuple[Author, float]] = {}
        self._quotes: BoundedMap[str, QuotedPost] = BoundedMap(_MAX_QUOTES)

    def author(self, did: str) -> Author | None:
        """Return the cached author of `did` (fresh or not), or None."""
        cached = self._profiles.get(did)
        return cached[0] if cached else None

    def quote(self, uri: str) -> QuotedPost | None:
        """Return the cached quote card of the post at `uri`, or None."""
        return self._quotes.get(uri)

    def forget(self, did: str) -> None:
        """Drop the cached profile of `did`, so it is fetched again."""
        self._profiles.pop(did, None)

    def fresh(self, did: str) -> bool:
        """Return True if the profile of `did` is cached and younger than the TTL."""
        cached = self._profiles.get(did)
        return cached is not None and time.monotonic() - cached[1] < self._ttl

    async def fetch_profiles(self, client: httpx.AsyncClient, dids: list[str]) -> None:
        """Fetch the profiles of `dids` not fresh in the cache; errors are noted, not raised."""
        unknown = [d for d in dict.fromkeys(dids) if not self.fresh(d)]
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
                self._status.extra["profile_error"] = describe(err)[:300]

    async def fetch_quotes(self, client: httpx.AsyncClient, uris: list[str]) -> None:
        """Fetch the quote cards of `uris` not cached yet; errors are noted, not raised."""
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
                        self._quotes.put(quote.id.removeprefix("bluesky:"), quote)
            except (httpx.HTTPError, ValueError, KeyError, TypeError, AttributeError) as err:
                self._status.extra["quote_error"] = describe(err)[:300]
