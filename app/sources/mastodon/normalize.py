"""Mastodon status JSON -> `Post`: pure functions tested on recorded payloads.

A boost is unwrapped to its original, only `public` statuses are kept, and every platform URL
goes through the model's `safe_url`. No I/O here: feed.py and stream.py fetch and stream.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from app.models import Author, Media, Metrics, Post, QuotedPost, Token, safe_url
from app.sources.cards import gif_media, link_card, poll_tokens
from app.sources.mastodon.html import html_to_tokens

__all__ = ["id_key", "instance_base", "status_to_post"]

_MEDIA_KINDS = {"image": "image", "gifv": "gif", "video": "video"}


def instance_base(instance: str) -> str:
    """Return `scheme://host[:port]` for an instance given as a host name or a URL."""
    value = instance.strip().rstrip("/")
    if "://" not in value:
        value = f"https://{value}"
    parts = urlsplit(value)
    return f"{parts.scheme}://{parts.netloc}"


def _author(account: Mapping[str, Any], host: str) -> Author:
    """Return the author of an account seen on `host` (`@user@host` for a local account)."""
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
    """Return the attachments with a known kind and a safe URL, as media."""
    media = []
    for att in attachments:
        kind = _MEDIA_KINDS.get(str(att.get("type")))
        # `remote_url` is the file on the author's server: the same on every instance that
        # caches the status, so two sightings of one attachment are recognised as one.
        url = safe_url(att.get("remote_url")) or safe_url(att.get("url"))
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
    """Return the accepted, public quote of a status (Mastodon 4.4+), or None.

    Raises KeyError or ValueError for a malformed quote (the caller drops the status)."""
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


def _extras(status: Mapping[str, Any], tokens: list[Token], media: list[Media]) -> list[Token]:
    """Return `tokens` with the status's poll options and its link card added (a card of a GIF
    also adds the GIF to `media`)."""
    poll = status.get("poll")
    if isinstance(poll, Mapping):
        options = [o for o in poll.get("options") or [] if isinstance(o, Mapping)]
        tokens = poll_tokens(tokens, [str(o.get("title") or "") for o in options])
    card = status.get("card")
    if isinstance(card, Mapping) and isinstance(card.get("url"), str):
        title = str(card.get("title") or "")
        gif = gif_media(card["url"], alt=str(card.get("image_description") or ""), title=title)
        if gif is not None and not media:
            media.append(gif)
        tokens = link_card(tokens, card["url"], title)
    return tokens


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
        quoted = _quoted(original, host)
        # The "RE: <link>" paragraph is a fallback for servers that cannot show quotes: shown
        # beside the quote card it would say the same thing twice.
        tokens = html_to_tokens(
            str(original.get("content") or ""), drop_quote_inline=quoted is not None
        )
        media = _media(original.get("media_attachments") or [])
        tokens = _extras(original, tokens, media)
        tags = [str(t.get("name", "")).casefold() for t in original.get("tags") or []]
        return Post(
            id=f"mastodon:{original['uri']}",
            source="mastodon",
            url=original.get("url") or original.get("uri"),
            created_at=original["created_at"],
            edited_at=original.get("edited_at"),
            author=_author(original["account"], host),
            content=tokens,
            text="".join(t.text for t in tokens),
            media=media,
            lang=original.get("language"),
            is_repost=status.get("reblog") is not None,
            quoted=quoted,
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


def id_key(status_id: str) -> tuple[int, str]:
    """Return a sort key that orders Mastodon status ids by age."""
    # Mastodon ids are decimal strings of varying length: compare by length, then text.
    return (len(status_id), status_id)
