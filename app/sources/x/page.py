"""One X API v2 answer as the normaliser reads it, and what it could not resolve.

X expands media, quoted tweets and authors for the tweets of a page (`data`), not for the
tweets it includes by reference: the original of a repost, found in `includes.tweets`, has
media keys no `includes.media` entry answers and a quote no included tweet answers. So a `Page`
prefers the page's own copy of a tweet when it has one, says which originals it would have to
fetch to show in full (`originals_to_fetch`: one `GET /2/tweets` with the same expansions), and
takes that lookup in (`with_lookup`). What still cannot be resolved is counted in `Gaps`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Gaps", "Json", "Page", "refs"]

Json = dict[str, Any]
"""A JSON object as X sends it."""

# GET /2/tweets takes at most 100 ids.
_MAX_LOOKUP = 100


def refs(tweet: Json, kind: str) -> list[str]:
    """Return the ids of the tweets this one references as `kind` (retweeted, quoted...)."""
    found = tweet.get("referenced_tweets") or []
    return [str(r["id"]) for r in found if isinstance(r, dict) and r.get("type") == kind]


def _index(items: Any, key: str) -> dict[str, Json]:
    """Return the objects of a list by their `key` field (non-objects skipped)."""
    if not isinstance(items, list):
        return {}
    return {str(item.get(key)): item for item in items if isinstance(item, dict)}


@dataclass
class Gaps:
    """What a page referred to but did not include: media keys, tweets, authors."""

    media: set[str] = field(default_factory=set)
    tweets: set[str] = field(default_factory=set)
    authors: set[str] = field(default_factory=set)

    def counts(self) -> dict[str, int]:
        """Return how many of each kind were unresolved."""
        return {"media": len(self.media), "tweets": len(self.tweets),
                "authors": len(self.authors)}

    def __bool__(self) -> bool:
        """Return True if anything at all was unresolved."""
        return bool(self.media or self.tweets or self.authors)


class Page:
    """The tweets, users, media and polls of one answer, by id."""

    def __init__(self, body: Json) -> None:
        data = body.get("data") or []
        data = [data] if isinstance(data, dict) else data
        self.data: list[Json] = [t for t in data if isinstance(t, dict)] if isinstance(
            data, list) else []
        includes = body.get("includes") if isinstance(body.get("includes"), dict) else {}
        assert isinstance(includes, dict)
        # Expanded copies: the page's own tweets, then tweets fetched by `with_lookup`.
        self.expanded: dict[str, Json] = _index(self.data, "id")
        self.tweets: dict[str, Json] = {**_index(includes.get("tweets"), "id"), **self.expanded}
        self.users = _index(includes.get("users"), "id")
        self.media = _index(includes.get("media"), "media_key")
        self.polls = _index(includes.get("polls"), "id")

    def with_lookup(self, lookup: Json) -> Page:
        """Return this page with the tweets of a `GET /2/tweets` answer (and what it includes)
        known in full; `data` (what the page yields) is unchanged."""
        other = Page(lookup)
        page = Page({})
        page.data = self.data
        page.expanded = {**self.expanded, **other.expanded}
        page.tweets = {**other.tweets, **self.tweets, **other.expanded}
        page.users = {**other.users, **self.users}
        page.media = {**other.media, **self.media}
        page.polls = {**other.polls, **self.polls}
        return page

    def _complete(self, tweet: Json) -> bool:
        """Return True if every medium and the quote of `tweet` can be shown from this page."""
        keys = (tweet.get("attachments") or {}).get("media_keys") or []
        quoted = refs(tweet, "quoted")
        return all(str(k) in self.media for k in keys) and all(q in self.tweets for q in quoted)

    def originals_to_fetch(self) -> list[str]:
        """Return the ids (at most 100) of reposted originals this page cannot show in full:
        absent, or included without their media or quote."""
        wanted: dict[str, None] = {}
        for tweet in self.data:
            for original in refs(tweet, "retweeted"):
                if original in self.expanded:
                    continue
                found = self.tweets.get(original)
                if found is None or not self._complete(found):
                    wanted[original] = None
        return list(wanted)[:_MAX_LOOKUP]

    def unresolved_media(self, keys: Iterable[Any]) -> list[str]:
        """Return the media keys of `keys` this page has no object for."""
        return [str(k) for k in keys if str(k) not in self.media]
