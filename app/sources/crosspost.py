"""One post shown once: spot a cross-post or a bridge copy of a post already on the wall.

Pure: no I/O, no clock. `crosspost_key(post)` is the post's words with what differs between
networks removed (links, mentions, bridge footers, punctuation, case). `CrosspostIndex.check(post)`
returns the id of a post seen before on another network that the new one duplicates: same words
(or one a truncation of the other), within a time window, by the same person, where "same person"
is any of: the same normalised display name, handles linked by the operator, or a Bridgy Fed
account (`@alice.bsky.social@bsky.brid.gy` on Mastodon is `alice.bsky.social` on Bluesky;
`alice.mastodon.social.ap.brid.gy` on Bluesky is `@alice@mastodon.social`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from app.models import Post
from app.sources.plumbing import BoundedMap

__all__ = ["CrosspostIndex", "crosspost_key", "person_keys"]

_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)
_BRIDGE_FOOTERS = [
    re.compile(p, re.IGNORECASE)
    for p in (
        r"\[?\s*bridged from\b.*$",  # Bridgy Fed's footer on truncated posts
        r"\(?\s*(?:cross-?posted|posted) (?:from|via|with)\b.*$",
        r"\s[\u2014\u2013-]\s*via\s+\S+\s*$",
        r"\(via\s+[^)]*\)\s*$",
        r"🌉.*$",
    )
]
_NON_WORD = re.compile(r"[^\w]+")
_ELLIPSIS = re.compile(r"(?:…|\.\.\.)\s*$")


def _fold(text: str) -> str:
    """Return `text` casefolded, punctuation and emoji dropped, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_NON_WORD.sub(" ", text).split())


def crosspost_key(post: Post) -> str:
    """Return the post's comparable words: no links, mentions or bridge footers; casefolded,
    punctuation and emoji dropped, whitespace collapsed; hashtags kept as words."""
    parts = []
    for token in post.content:
        if token.type in ("link", "mention"):
            continue
        parts.append(token.text.lstrip("#\uff03") if token.type == "hashtag" else token.text)
    text = _URL.sub(" ", "".join(parts) if parts else post.text)
    for footer in _BRIDGE_FOOTERS:
        text = footer.sub("", text)
    text = _ELLIPSIS.sub("", text.strip())
    return _fold(text)


def _canonical_handle(handle: str, source: str) -> set[str]:
    """Return the handle forms this account is known by, across a Bridgy Fed bridge."""
    h = handle.strip().lstrip("@").casefold()
    if not h or h.startswith("did:"):
        return {h} if h else set()
    forms = {f"{source}:{h}"} if source == "x" else {h}
    if h.endswith("@bsky.brid.gy"):
        forms.add(h.removesuffix("@bsky.brid.gy"))  # a Bluesky account seen on the fediverse
    if h.endswith(".ap.brid.gy"):
        user, _, domain = h.removesuffix(".ap.brid.gy").partition(".")
        if user and domain:  # fediverse usernames have no dots: the first label is the user
            forms.add(f"{user}@{domain}")
    return forms


def person_keys(post: Post, links: dict[str, str] | None = None) -> set[str]:
    """Return keys that identify the post's author across networks."""
    keys = {f"handle:{h}" for h in _canonical_handle(post.author.handle, post.source)}
    for handle in list(keys):
        person = (links or {}).get(handle.removeprefix("handle:"))
        if person:
            keys.add(f"person:{person}")
    name = _fold(post.author.name)
    name = re.sub(
        r"\b(?:bsky social|bsky|mastodon|masto|fediverse|they them|she her|he him)\b", "", name
    ).strip()
    if len(name) >= 3:
        keys.add(f"name:{' '.join(name.split())}")
    return keys


@dataclass(frozen=True, slots=True)
class _Seen:
    id: str
    source: str
    key: str
    people: frozenset[str]
    created: float


class CrosspostIndex:
    """Remembers recent posts; `check` tells whether a new one repeats one from another network."""

    def __init__(
        self,
        window: timedelta = timedelta(minutes=10),
        *,
        min_chars: int = 12,
        capacity: int = 5000,
    ) -> None:
        self.window = window.total_seconds()
        self.min_chars = min_chars
        # Keyed by post id, oldest first: the oldest posts are forgotten beyond `capacity`.
        self._seen: BoundedMap[str, _Seen] = BoundedMap(capacity)
        self._links: dict[str, str] = {}

    def link(self, *handles: str) -> None:
        """Declare that these handles (any network, with or without '@') are one person."""
        person = min(h.strip().lstrip("@").casefold() for h in handles)
        for handle in handles:
            self._links[handle.strip().lstrip("@").casefold()] = person

    def _same_words(self, a: str, b: str) -> bool:
        """Return True if the two keys are the same words, or one begins the other."""
        short, long = sorted((a, b), key=len)
        if len(short) < self.min_chars:
            return False
        # A bridge or a character limit may cut one copy short: a prefix of the other counts.
        return long == short or long.startswith(short)

    def check(self, post: Post) -> str | None:
        """Return the id of an earlier-seen post on another network that `post` duplicates, else
        None. A post that is not a duplicate is remembered; checking the same id twice is None."""
        if post.id in self._seen:
            return None
        key = crosspost_key(post)
        people = frozenset(person_keys(post, self._links))
        created = post.created_at.timestamp()
        for seen in self._seen.values():
            if (
                seen.source != post.source
                and abs(seen.created - created) <= self.window
                and seen.people & people
                and self._same_words(seen.key, key)
            ):
                return seen.id
        self._seen.put(post.id, _Seen(post.id, post.source, key, people, created))
        return None
