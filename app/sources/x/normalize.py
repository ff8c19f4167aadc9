"""Raw X API v2 JSON -> `Post`: a pure function tested on recorded payloads (tests/fixtures/x/).

The chain is: pick the tweet to show (a repost is unwrapped to its original, the page's own
expanded copy when it has one), take its full text (`note_tweet` for long posts), cut that text
into content tokens at its entities (text.py), attach media, a poll and the quoted post from the
page. What the page refers to but does not hold (a media key, a tweet, an author) is counted in
`Gaps`, never silently dropped; an unresolved author gets a clear placeholder. Platform URLs only
ever pass through the models' validators, so a `javascript:` link in an entity loses its target
and becomes plain text, and a hostile media or avatar URL is dropped.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from urllib.parse import quote

from pydantic import ValidationError

from app.clock import utcnow
from app.models import Author, Media, Metrics, Post, QuotedPost, Token, safe_url
from app.sources.cards import placeholder_author, poll_tokens
from app.sources.x.page import Gaps, Json, Page, refs
from app.sources.x.text import content_tokens

__all__ = ["Json", "content_tokens", "post_id", "snowflake_time", "tweet_to_post"]

_KINDS = {"photo": "image", "video": "video", "animated_gif": "gif"}
# Tweet ids are snowflakes: milliseconds since this epoch, shifted left by 22 bits.
_TWEPOCH_MS = 1288834974657


def post_id(tweet: Json) -> str:
    """Return the global id of `tweet`: `x:` + the first id of its edit history, so every edit
    of a post updates the same card."""
    history = tweet.get("edit_history_tweet_ids") or []
    first = history[0] if history else tweet["id"]
    return f"x:{first}"


def snowflake_time(tweet_id: str) -> datetime | None:
    """Return when a tweet id was minted (ids since late 2010 are snowflakes), or None."""
    if not tweet_id.isdigit() or int(tweet_id) < 1 << 22:
        return None
    return datetime.fromtimestamp(((int(tweet_id) >> 22) + _TWEPOCH_MS) / 1000, UTC)


def _author(author_id: str, page: Page, gaps: Gaps) -> Author:
    """Return the author `author_id` from the page's users; a placeholder (counted in `gaps`)
    when the page does not include them."""
    user = page.users.get(author_id)
    if user is None or not user.get("username"):
        gaps.authors.add(author_id or "?")
        profile = f"https://x.com/i/user/{author_id}" if author_id.isdigit() else None
        return placeholder_author(author_id, "X", profile)
    username = str(user["username"])
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
        # Without `variants` (not asked for, or withheld) the still is all there is to show:
        # a card keeps the video or GIF as its preview rather than losing it.
        url = best.get("url") if best else preview
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


def _body(tweet: Json, drop_links: set[str]) -> list[Token]:
    """Return the content tokens of the tweet's full text (`note_tweet` for long posts), without
    links to the tweet itself or to any id in `drop_links`."""
    drop = drop_links | {str(tweet.get("id"))} | {
        str(i) for i in tweet.get("edit_history_tweet_ids") or []}
    note = tweet.get("note_tweet")
    if isinstance(note, dict) and note.get("text"):
        return content_tokens(str(note["text"]), note.get("entities"), drop_links=drop)
    text = str(tweet.get("text") or "")
    return content_tokens(text, tweet.get("entities"), drop_links=drop)


def _created(tweet: Json) -> datetime:
    """Return when the tweet was posted: its `created_at`, else the time in its id, else now.
    Raises ValueError when `created_at` is not ISO 8601."""
    raw = tweet.get("created_at")
    if isinstance(raw, str):
        return datetime.fromisoformat(raw)
    return snowflake_time(str(tweet.get("id") or "")) or utcnow()


def _permalink(author: Author, tweet_id: str) -> str:
    """Return the x.com address of a tweet (the handle-less form for an unknown author)."""
    handle = author.handle.lstrip("@")
    if not handle:
        return f"https://x.com/i/web/status/{tweet_id}"
    return f"https://x.com/{quote(handle, safe='')}/status/{tweet_id}"


def _quoted(tweet: Json, page: Page, gaps: Gaps) -> QuotedPost | None:
    """Return the card of the tweet this one quotes, or None (counted when not in the page)."""
    quoted_ids = refs(tweet, "quoted")
    if not quoted_ids:
        return None
    q = page.tweets.get(quoted_ids[0])
    if q is None:
        gaps.tweets.add(quoted_ids[0])
        return None
    q_author = _author(str(q.get("author_id") or ""), page, gaps)
    q_content = _body(q, set())
    return QuotedPost(
        id=post_id(q),
        url=_permalink(q_author, str(q["id"])),
        author=q_author,
        content=q_content,
        text="".join(t.text for t in q_content),
        created_at=_created(q),
    )


def _versions(tweet: Json) -> tuple[datetime, datetime | None]:
    """Return (created_at, edited_at): an edit's own `created_at` is when it was edited, and the
    post was created when the first id of its edit history was minted."""
    at = _created(tweet)
    history = [str(i) for i in tweet.get("edit_history_tweet_ids") or []]
    if len(history) < 2 or str(tweet.get("id")) == history[0]:
        return at, None
    return snowflake_time(history[0]) or at, at


def tweet_to_post(
    tweet: Json, includes: Json | None = None, *, page: Page | None = None,
    gaps: Gaps | None = None,
) -> Post:
    """Return the wall `Post` for one v2 `tweet` of a `page` (or of a response's `includes`).

    A repost is shown as the post it reposts (same card as the original, `is_repost=True`), from
    the page's expanded copy of the original when it has one; when the original is missing the
    repost itself is shown. What the page lacks is added to `gaps`. Raises KeyError, TypeError
    or ValueError (incl. pydantic's ValidationError) for a tweet too malformed to show.
    """
    page = page or Page({"includes": includes or {}})
    gaps = gaps if gaps is not None else Gaps()
    is_repost = False
    reposted = refs(tweet, "retweeted")
    if reposted:
        is_repost = True
        original = page.tweets.get(reposted[0])
        if original is None:
            gaps.tweets.add(reposted[0])
        tweet = original or tweet

    tweet_id = str(tweet["id"])
    author = _author(str(tweet.get("author_id") or ""), page, gaps)
    quoted = _quoted(tweet, page, gaps)
    content = _body(tweet, set(refs(tweet, "quoted")) if quoted else set())
    attachments = tweet.get("attachments") or {}
    keys = attachments.get("media_keys") or []
    gaps.media.update(page.unresolved_media(keys))
    polls = [page.polls[str(p)] for p in attachments.get("poll_ids") or [] if str(p) in page.polls]
    for poll in polls:
        options = [o for o in poll.get("options") or [] if isinstance(o, dict)]
        content = poll_tokens(content, [str(o.get("label") or "") for o in options])
    created, edited = _versions(tweet)
    replied = refs(tweet, "replied_to")
    pm = tweet.get("public_metrics") or {}
    return Post(
        id=post_id(tweet),
        source="x",
        url=_permalink(author, tweet_id),
        created_at=created,
        edited_at=edited,
        author=author,
        content=content,
        media=[m for m in (_media(page.media[str(k)]) for k in keys if str(k) in page.media) if m],
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
