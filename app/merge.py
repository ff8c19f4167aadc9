"""One rule for two sightings of the same post: the card may only get richer.

A post reaches the store by many paths: as itself, as the original of a repost (X expands media
and quotes only for a page's own tweets, so that copy is often poorer), as an edit, as a copy seen
on another Mastodon instance, as a deletion re-check, as the original of a cross-post. Whatever
the order, `merge_posts` keeps everything any sighting knew: media (and their alt text), the
quote, links, the cross-posts in `also_on`, a resolved author rather than a placeholder. Counters
take the highest value seen. The newest version (`edited_at`) decides the words; between
sightings of one version, the later one does.

A pure leaf: it imports only `app.models`. Whatever the order of the sightings, the card holds
the union of what they knew, so no sighting order can make a card poorer.
"""

from __future__ import annotations

from datetime import UTC, datetime

from app.models import AlsoOn, Author, Media, Metrics, Post, QuotedPost, Token

__all__ = ["author_rank", "merge_posts"]

_NEVER = datetime.min.replace(tzinfo=UTC)


def author_rank(author: Author) -> tuple[bool, bool, bool, bool]:
    """Return how well an author is known: a real handle (not empty, not a bare DID), an avatar,
    a name, a profile link. A placeholder (an author the payload did not resolve) ranks lowest."""
    handle = author.handle.strip()
    return (
        bool(handle) and not handle.startswith("did:") and handle != "@",
        author.avatar_url is not None,
        bool(author.name),
        author.profile_url is not None,
    )


def _version(post: Post) -> datetime:
    """Return the version a sighting shows: when it was edited, or the beginning of time."""
    return post.edited_at or _NEVER


def _same_media(a: Media, b: Media) -> Media:
    """Return one attachment seen twice: `a`'s fields, with what only `b` knew filled in."""
    return a.model_copy(
        update={
            "alt": a.alt or b.alt,
            "preview_url": a.preview_url or b.preview_url,
            "width": a.width if a.width is not None else b.width,
            "height": a.height if a.height is not None else b.height,
        }
    )


def _media(lead: Post, other: Post) -> list[Media]:
    """Return every attachment either sighting had, the lead's first: attachments are the same
    when their URLs are (sources give each attachment one canonical URL, e.g. a Mastodon
    status's `remote_url` on every instance that caches it)."""
    theirs = {m.url: m for m in other.media}
    merged = [_same_media(m, theirs[m.url]) if m.url in theirs else m for m in lead.media]
    known = {m.url for m in lead.media}
    return merged + [m for m in other.media if m.url not in known]


def _quote_rank(quoted: QuotedPost) -> tuple[bool, bool, int]:
    """Return how complete a quote card is: fetched words and a known author beat a bare link."""
    return (bool(quoted.content or quoted.text), author_rank(quoted.author)[0], len(quoted.text))


def _quoted(lead: QuotedPost | None, other: QuotedPost | None) -> QuotedPost | None:
    """Return the more complete quote card; the lead's when they are as complete."""
    if lead is None or other is None:
        return lead or other
    return other if _quote_rank(other) > _quote_rank(lead) else lead


def _content(lead: Post, other: Post) -> list[Token]:
    """Return the lead's tokens plus, on a line of their own, links only the other sighting had
    (an edit may drop a link, a card never loses one)."""
    hrefs = {t.href for t in lead.content if t.type == "link"}
    tail: list[Token] = []
    for token in other.content:
        if token.type == "link" and token.href not in hrefs:
            hrefs.add(token.href)
            tail += [Token(type="text", text="\n"), token]
    return [*lead.content, *tail]


def _also_on(a: list[AlsoOn], b: list[AlsoOn]) -> list[AlsoOn]:
    """Return every cross-post copy either sighting listed, once each, in a stable order."""
    by_id = {x.id: x for x in [*b, *a]}
    return sorted(by_id.values(), key=lambda x: (x.source, x.id))


def merge_posts(old: Post, new: Post) -> Post:
    """Return one post holding what both sightings of the same post knew.

    The newest version (`edited_at`; between sightings of one version, `new`) gives the
    words, language and reply; media are the union (alt text and sizes filled in from either),
    the quote and author are the most complete seen, a link or an `also_on` entry is never
    dropped, counters take their maximum, `sensitive` and a content warning stick, and a post
    seen once as itself is no longer a repost. Raises ValueError when the ids differ.
    """
    if old.id != new.id:
        raise ValueError(f"cannot merge {old.id!r} with {new.id!r}")
    # The newer version leads; between sightings of one version, the later sighting (a quote
    # accepted or revoked since, a corrected language) does.
    lead, other = (old, new) if _version(old) > _version(new) else (new, old)
    who = lead if author_rank(lead.author) >= author_rank(other.author) else other
    content = _content(lead, other)
    return lead.model_copy(
        update={
            "url": who.url or lead.url or other.url,
            "author": who.author,
            "created_at": min(lead.created_at, other.created_at),
            "content": content,
            "text": "".join(t.text for t in content) if content else lead.text,
            "media": _media(lead, other),
            "lang": lead.lang or other.lang,
            "is_repost": lead.is_repost and other.is_repost,
            "quoted": _quoted(lead.quoted, other.quoted),
            "sensitive": lead.sensitive or other.sensitive,
            "content_warning": lead.content_warning or other.content_warning,
            "pinned": lead.pinned or other.pinned,
            "in_reply_to": lead.in_reply_to or other.in_reply_to,
            "metrics": Metrics(
                likes=max(lead.metrics.likes, other.metrics.likes),
                reposts=max(lead.metrics.reposts, other.metrics.reposts),
                replies=max(lead.metrics.replies, other.metrics.replies),
                quotes=max(lead.metrics.quotes, other.metrics.quotes),
            ),
            "hashtags": list(dict.fromkeys([*lead.hashtags, *other.hashtags])),
            "also_on": _also_on(lead.also_on, other.also_on),
        }
    )
