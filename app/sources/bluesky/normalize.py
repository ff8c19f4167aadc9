"""atproto post records -> `Post`: pure functions tested on Jetstream-shaped payloads.

Facets count UTF-8 bytes and become tokens; hashtags are matched on tag facets, the record's
`tags` and `#tag` in the text; image and video blobs become CDN URLs; a quoted post is a card
(`quoted_from_view`) or, when it could not be fetched, a bare reference. No I/O here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from pydantic import ValidationError

from app.clock import utcnow
from app.models import Author, Media, Metrics, Post, QuotedPost, Token, safe_url
from app.sources.cards import gif_media, is_alt, link_card

__all__ = [
    "COLLECTION",
    "facet_tokens",
    "is_did",
    "matches",
    "post_uri",
    "profile_to_author",
    "quoted_from_view",
    "quoted_uri",
    "record_to_post",
]

COLLECTION = "app.bsky.feed.post"
_DID = re.compile(r"^did:[a-z]+:[A-Za-z0-9._:%-]{1,200}$")
_RKEY = re.compile(r"^[A-Za-z0-9._:~-]{1,512}$")
_CID = re.compile(r"^[A-Za-z0-9]{8,200}$")
_TEXT_TAG = re.compile(r"(?<![\w&])[#\uff03](\w{1,100})")
_SENSITIVE_LABELS = {"porn", "sexual", "nudity", "graphic-media", "gore"}


def is_did(value: str) -> bool:
    """Return True if `value` is a well-formed DID."""
    return bool(_DID.match(value))


def post_uri(did: str, rkey: str) -> str:
    """Return the at:// URI of a post record."""
    return f"at://{did}/{COLLECTION}/{rkey}"


def _profile_url(did_or_handle: str) -> str:
    """Return the bsky.app profile address of an account."""
    return f"https://bsky.app/profile/{did_or_handle}"


def _list(value: Any) -> list[Any]:
    """Return `value` if it is a list, else [] (records are untrusted JSON)."""
    return value if isinstance(value, list) else []


def _record_tags(record: Mapping[str, Any]) -> set[str]:
    """Return the record's hashtags, casefolded: tag facets, `tags` and `#tag` in the text."""
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
    """Return the token of one facet's text; a facet without a safe target is plain text."""
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
    """Return the CID of a blob reference (either wire form), or None if malformed."""
    if not isinstance(blob, Mapping):
        return None
    ref = blob.get("ref")
    cid = ref.get("$link") if isinstance(ref, Mapping) else blob.get("cid")
    return cid if isinstance(cid, str) and _CID.match(cid) else None


def _embed_media(did: str, embed: Mapping[str, Any]) -> list[Media]:
    """Return the images or video of an embed as CDN media of `did`."""
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
    elif kind == "app.bsky.embed.external" and isinstance(embed.get("external"), Mapping):
        ext = embed["external"]
        described = str(ext.get("description") or "")
        gif = gif_media(ext.get("uri"), alt=described if is_alt(described) else "",
                        title=str(ext.get("title") or ""))
        if gif is not None:
            media.append(gif)
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


def _external(embed: Any) -> Mapping[str, Any] | None:
    """Return the `external` link card of an embed (alone or beside a quote), or None."""
    if not isinstance(embed, Mapping):
        return None
    if embed.get("$type") == "app.bsky.embed.recordWithMedia":
        return _external(embed.get("media"))
    ext = embed.get("external")
    if embed.get("$type") == "app.bsky.embed.external" and isinstance(ext, Mapping):
        return ext
    return None


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
    """Return the bsky.app address of a post's at:// URI, or None if malformed."""
    parts = uri.removeprefix("at://").split("/")
    if len(parts) == 3 and _DID.match(parts[0]) and _RKEY.match(parts[2]):
        return f"https://bsky.app/profile/{parts[0]}/post/{parts[2]}"
    return None


def _created_at(value: Any, now: datetime) -> datetime:
    """Return the post's `createdAt` (naive taken as UTC), or `now` if unreadable or future."""
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
            created_at=_created_at(record.get("createdAt"), utcnow()),
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
    now = now or utcnow()
    try:
        tokens = facet_tokens(str(record.get("text") or ""), record.get("facets"))
        embed = record.get("embed")
        media = _embed_media(did, embed) if isinstance(embed, Mapping) else []
        if (ext := _external(embed)) is not None:
            # A link card (a GIF from the picker, an article) is a titled link: never an empty
            # card, even when the post has no text.
            tokens = link_card(tokens, ext.get("uri"), str(ext.get("title") or ""))
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
            text="".join(t.text for t in tokens),
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
