"""Raw X API v2 JSON -> `Post`: a pure function tested on recorded payloads.

The chain is: pick the tweet to show (a repost is unwrapped to its original), take its full text
(`note_tweet` for long posts), cut that text into content tokens at its entities, attach media
and the quoted post from `includes`. Platform URLs are only ever passed on through the model's
own validators, so a `javascript:` link in an entity loses its target and becomes plain text, and
a hostile media or avatar URL is dropped.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from pydantic import ValidationError

from app.clock import utcnow
from app.models import Author, Media, Metrics, Post, QuotedPost, Token, safe_url

__all__ = ["Json", "content_tokens", "gone_ids", "post_id", "tweet_to_post"]

Json = dict[str, Any]
"""A JSON object as X sends it."""

_MEDIA_LINK = re.compile(r"/status/\d+/(photo|video)/\d+/?$")
_KINDS = {"photo": "image", "video": "video", "animated_gif": "gif"}
_GONE = ("resource-not-found", "not-authorized-for-resource")


def post_id(tweet: Json) -> str:
    """Return the global id of `tweet`: `x:` + the first id of its edit history, so every edit
    of a post updates the same card."""
    history = tweet.get("edit_history_tweet_ids") or []
    first = history[0] if history else tweet["id"]
    return f"x:{first}"


def _unescape(text: str) -> str:
    """Return `text` with the HTML escapes X v2 puts in tweet text undone."""
    # v2 escapes exactly these three in `text`; `&amp;` last so "&amp;lt;" stays "&lt;".
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _locate(text: str, literal: str, hint: int, taken: list[tuple[int, int]]) -> int | None:
    """Return where `literal` sits in `text`: at `hint` if it matches there, else its first
    occurrence not already taken (entity offsets can drift after HTML unescaping)."""

    def free(s: int) -> bool:
        """Return True if `literal` at `s` overlaps no span already taken."""
        return all(s + len(literal) <= a or s >= b for a, b in taken)

    if text[hint : hint + len(literal)].casefold() == literal.casefold() and free(hint):
        return hint
    folded, needle = text.casefold(), literal.casefold()
    start = folded.find(needle)
    while start != -1:
        if free(start):
            return start
        start = folded.find(needle, start + 1)
    return None


def content_tokens(
    text: str, entities: Json | None, *, drop_links: set[str] | None = None
) -> list[Token]:
    """Return the content tokens of `text` cut at its `entities` (urls, hashtags, mentions).

    t.co links become their expanded URL (href) shown as their display URL; links to attached
    media and to any id in `drop_links` (a quoted post shown separately) are removed.
    """
    text = _unescape(text)
    entities = entities or {}
    spans: list[tuple[int, int, Token | None]] = []
    taken: list[tuple[int, int]] = []

    def add(literal: str, hint: Any, token: Token | None) -> None:
        """Take the span of `literal` near `hint` for `token` (None: cut it out)."""
        if not literal:
            return
        start = _locate(text, literal, hint if isinstance(hint, int) else 0, taken)
        if start is None:
            return
        taken.append((start, start + len(literal)))
        spans.append((start, start + len(literal), token))

    for u in entities.get("urls") or []:
        short = str(u.get("url") or "")
        expanded = str(u.get("expanded_url") or short)
        if u.get("media_key") or _MEDIA_LINK.search(expanded) or _links_to(expanded, drop_links):
            add(short, u.get("start"), None)
            continue
        shown = str(u.get("display_url") or expanded)
        add(short, u.get("start"), Token(type="link", text=shown, href=expanded))
    for h in entities.get("hashtags") or []:
        tag = str(h.get("tag") or "")
        href = f"https://x.com/hashtag/{quote(tag, safe='')}"
        add(f"#{tag}", h.get("start"), Token(type="hashtag", text=f"#{tag}", href=href))
    for m in entities.get("mentions") or []:
        name = str(m.get("username") or "")
        href = f"https://x.com/{quote(name, safe='')}"
        add(f"@{name}", m.get("start"), Token(type="mention", text=f"@{name}", href=href))

    tokens: list[Token] = []
    cursor = 0
    for start, end, token in sorted(spans, key=lambda s: s[0]):
        if start > cursor:
            tokens.append(Token(type="text", text=text[cursor:start]))
        if token is not None:
            tokens.append(token)
        cursor = end
    if cursor < len(text):
        tokens.append(Token(type="text", text=text[cursor:]))
    return _tidy(tokens)


def _links_to(url: str, ids: set[str] | None) -> bool:
    """Return True if `url` is the permalink of one of the tweets `ids`."""
    pattern = r"/status/{}(?:[/?#]|$)"
    return any(re.search(pattern.format(re.escape(i)), url) for i in ids or ())


def _tidy(tokens: list[Token]) -> list[Token]:
    """Merge adjacent text runs (a refused link becomes text), drop empty ones and the
    whitespace a removed trailing link leaves behind."""
    out: list[Token] = []
    for token in tokens:
        if not token.text:
            continue
        if out and token.type == "text" and out[-1].type == "text":
            out[-1] = Token(type="text", text=out[-1].text + token.text)
        else:
            out.append(token)
    while out and out[-1].type == "text" and not out[-1].text.strip():
        out.pop()
    if out and out[-1].type == "text":
        out[-1] = Token(type="text", text=out[-1].text.rstrip())
    return out


def _index(includes: Json, key: str, field: str) -> dict[str, Json]:
    """Return the objects of `includes[key]` by their `field`."""
    items = includes.get(key) or []
    return {str(item.get(field)): item for item in items if isinstance(item, dict)}


def _author(author_id: str, users: dict[str, Json]) -> Author:
    """Return the author `author_id` from the included users (a bare id when absent)."""
    user = users.get(author_id)
    if user is None:
        return Author(id=author_id, handle=f"@{author_id}")
    username = str(user.get("username") or author_id)
    avatar = user.get("profile_image_url")
    if isinstance(avatar, str):
        # The default avatar is 48 px; a hall screen wants the 400 px rendition.
        avatar = re.sub(r"_normal(\.\w+)$", r"_400x400\1", avatar)
    followers = (user.get("public_metrics") or {}).get("followers_count")
    return Author(
        id=str(user.get("id") or author_id),
        handle=f"@{username}",
        name=str(user.get("name") or ""),
        avatar_url=avatar if isinstance(avatar, str) else None,
        profile_url=f"https://x.com/{quote(username, safe='')}",
        followers_count=followers if isinstance(followers, int) else None,
    )


def _media(item: Json) -> Media | None:
    """Return one attachment as `Media`, or None when it has no safe URL to show."""
    kind = _KINDS.get(str(item.get("type")), "image")
    preview = item.get("preview_image_url")
    if kind == "image":
        url = item.get("url")
    else:
        mp4 = [
            v
            for v in item.get("variants") or []
            if v.get("content_type") == "video/mp4" and safe_url(v.get("url"))
        ]
        best = max(mp4, key=lambda v: v.get("bit_rate") or 0, default=None)
        url = best.get("url") if best else None
    try:
        return Media(
            kind=kind,
            url=str(url),
            preview_url=preview if isinstance(preview, str) else None,
            alt=str(item.get("alt_text") or ""),
            width=item.get("width") if isinstance(item.get("width"), int) else None,
            height=item.get("height") if isinstance(item.get("height"), int) else None,
        )
    except ValidationError:
        return None


def _body(tweet: Json, drop_links: set[str] | None = None) -> list[Token]:
    """Return the content tokens of the tweet's full text (`note_tweet` for long posts)."""
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and note.get("text"):
        return content_tokens(str(note["text"]), note.get("entities"), drop_links=drop_links)
    text = str(tweet.get("text") or "")
    return content_tokens(text, tweet.get("entities"), drop_links=drop_links)


def _created(tweet: Json) -> datetime:
    """Return when the tweet was posted (now, when X did not say). Raises ValueError when
    `created_at` is not ISO 8601."""
    raw = tweet.get("created_at")
    if isinstance(raw, str):
        return datetime.fromisoformat(raw)
    return utcnow()


def _refs(tweet: Json, kind: str) -> list[str]:
    """Return the ids of the tweets this one references as `kind` (retweeted, quoted...)."""
    return [str(r["id"]) for r in tweet.get("referenced_tweets") or [] if r.get("type") == kind]


def _permalink(author: Author, tweet_id: str) -> str:
    """Return the x.com address of a tweet."""
    return f"https://x.com/{quote(author.handle.lstrip('@'), safe='')}/status/{tweet_id}"


def tweet_to_post(tweet: Json, includes: Json | None = None) -> Post:
    """Return the wall `Post` for one v2 `tweet` and the response's `includes`.

    A repost is shown as the post it reposts (same card as the original, `is_repost=True`); when
    the original is missing from `includes` the repost itself is shown. Raises KeyError,
    TypeError or ValueError (incl. pydantic's ValidationError) for a tweet too malformed to show.
    """
    includes = includes or {}
    tweets = _index(includes, "tweets", "id")
    users = _index(includes, "users", "id")
    media = _index(includes, "media", "media_key")

    is_repost = False
    reposted = _refs(tweet, "retweeted")
    if reposted:
        is_repost = True
        tweet = tweets.get(reposted[0], tweet)

    tweet_id = str(tweet["id"])
    author = _author(str(tweet.get("author_id") or ""), users)
    quoted_ids = _refs(tweet, "quoted")
    quoted = None
    if quoted_ids and quoted_ids[0] in tweets:
        q = tweets[quoted_ids[0]]
        q_author = _author(str(q.get("author_id") or ""), users)
        q_content = _body(q)
        quoted = QuotedPost(
            id=post_id(q),
            url=_permalink(q_author, str(q["id"])),
            author=q_author,
            content=q_content,
            text="".join(t.text for t in q_content),
            created_at=_created(q),
        )
    content = _body(tweet, drop_links=set(quoted_ids) if quoted else None)
    attached = [media.get(str(k)) for k in (tweet.get("attachments") or {}).get("media_keys") or []]
    replied = _refs(tweet, "replied_to")
    pm = tweet.get("public_metrics") or {}
    return Post(
        id=post_id(tweet),
        source="x",
        url=_permalink(author, tweet_id),
        created_at=_created(tweet),
        author=author,
        content=content,
        media=[m for m in (_media(a) for a in attached if a) if m is not None],
        lang=tweet.get("lang") if isinstance(tweet.get("lang"), str) else None,
        is_repost=is_repost,
        quoted=quoted,
        sensitive=bool(tweet.get("possibly_sensitive")),
        in_reply_to=f"x:{replied[0]}" if replied else None,
        metrics=Metrics(
            likes=int(pm.get("like_count") or 0),
            reposts=int(pm.get("retweet_count") or 0),
            replies=int(pm.get("reply_count") or 0),
            quotes=int(pm.get("quote_count") or 0),
        ),
    )


def gone_ids(requested: list[str], lookup: Json) -> list[str]:
    """Return the ids of `requested` that a `GET /2/tweets` answer no longer shows: reported in
    `errors` as not found or not authorised, or absent from an answer that accounts for others.

    An id found in any returned post's edit history counts as present. An answer with neither
    `data` nor `errors` proves nothing, and a hidden post never comes back (P4), so it gives [].
    """
    data = [t for t in lookup.get("data") or [] if isinstance(t, dict)]
    errors = [e for e in lookup.get("errors") or [] if isinstance(e, dict)]
    if not data and not errors:
        return []
    present = {str(t.get("id")) for t in data}
    for t in data:
        present.update(str(i) for i in t.get("edit_history_tweet_ids") or [])
    gone = {
        str(e.get("resource_id") or e.get("value"))
        for e in errors
        if str(e.get("type", "")).endswith(_GONE)
    }
    return [i for i in requested if i in gone or i not in present]
