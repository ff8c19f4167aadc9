"""The wire shape: account ids and handles, post ids and permalinks, markup -> content tokens.

Post markup: `@key` mentions an account of accounts.toml, `#Tag` is a hashtag,
`[shown text](https://...)` is a link; everything else is text.
"""

from __future__ import annotations

import random
import re
from datetime import datetime
from typing import Any
from urllib.parse import quote

from .data import MEDIA_PREFIX, Account

TWITTER_EPOCH_MS = 1288834974657
B32 = "abcdefghijklmnopqrstuvwxyz234567"
TID_CHARS = "234567abcdefghijklmnopqrstuvwxyz"
TOKEN_RE = re.compile(
    r"\[(?P<ltext>[^\]]+)\]\((?P<href>https://[^)\s]+)\)"
    r"|(?<![\w@])@(?P<mention>[A-Za-z0-9_]+)"
    r"|(?<![\w#&])#(?P<tag>[0-9A-Za-z_\u00c0-\u024f]*[A-Za-z][0-9A-Za-z_\u00c0-\u024f]*)"
)


def setup_accounts(accounts: list[Account], rng: random.Random) -> None:
    """Give every account its platform id, handle, profile and avatar URL."""
    for a in accounts:
        if a.source == "x":
            a.id = str(rng.randrange(14_000_000, 2_450_000_000))
            a.handle = f"@{a.key}"
            a.profile_url = f"https://x.com/{a.key}"
        elif a.source == "mastodon":
            a.id = f"https://{a.instance}/users/{a.key}"
            a.handle = f"@{a.key}@{a.instance}"
            a.profile_url = f"https://{a.instance}/@{a.key}"
        else:
            a.id = "did:plc:" + "".join(rng.choice(B32) for _ in range(24))
            a.handle = f"@{a.bsky}"
            a.profile_url = f"https://bsky.app/profile/{a.bsky}"
        if a.raw_handle:
            a.handle = a.raw_handle
        if a.avatar:
            a.avatar_url = f"{MEDIA_PREFIX}avatar-{a.key.lower()}.svg"
        elif a.raw_avatar:
            a.avatar_url = a.raw_avatar


def mention_text(target: Account, poster: Account) -> str:
    if target.source == "mastodon":
        same = poster.source == "mastodon" and poster.instance == target.instance
        return f"@{target.key}" if same else f"@{target.key}@{target.instance}"
    if target.source == "bluesky":
        return f"@{target.bsky}"
    return f"@{target.key}"


def hashtag_href(tag: str, poster: Account) -> str:
    if poster.source == "x":
        return f"https://x.com/hashtag/{quote(tag)}?src=hash"
    if poster.source == "mastodon":
        return f"https://{poster.instance}/tags/{quote(tag)}"
    return f"https://bsky.app/hashtag/{quote(tag)}"


def text_token(t: str) -> dict[str, Any]:
    return {"type": "text", "text": t, "href": None}


def raw_token(t: dict[str, Any], poster: Account) -> dict[str, Any]:
    """A hostile post's token as written; a hashtag without href links to the poster's tag
    page, any other token without href has none."""
    default = hashtag_href(t["text"].lstrip("#"), poster) if t["type"] == "hashtag" else None
    return {"type": t["type"], "text": t["text"], "href": t.get("href", default)}


def tokenize(src: str, poster: Account, accounts: dict[str, Account]) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    pos = 0
    for m in TOKEN_RE.finditer(src):
        if m.start() > pos:
            out.append(text_token(src[pos:m.start()]))
        if m.group("href"):
            out.append({"type": "link", "text": m.group("ltext"), "href": m.group("href")})
        elif m.group("mention"):
            target = accounts.get(m.group("mention"))
            if target is None:
                raise SystemExit(f"unknown mention @{m.group('mention')} in {src[:60]!r}")
            out.append({"type": "mention", "text": mention_text(target, poster),
                        "href": target.profile_url})
        else:
            tag = m.group("tag")
            out.append({"type": "hashtag", "text": f"#{tag}", "href": hashtag_href(tag, poster)})
        pos = m.end()
    if pos < len(src):
        out.append(text_token(src[pos:]))
    return merge(out)


def merge(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Drop empty tokens and join neighbouring text tokens."""
    out: list[dict[str, Any]] = []
    for t in tokens:
        if not t["text"]:
            continue
        if out and t["type"] == "text" and out[-1]["type"] == "text":
            out[-1] = text_token(out[-1]["text"] + t["text"])
        else:
            out.append(dict(t))
    return out


def native_id(rng: random.Random, acc: Account, t: datetime) -> tuple[str, str]:
    """Return (post id, permalink) for a post by `acc` at `t`, shaped like the platform's own:
    an X snowflake, a Mastodon status URL, a Bluesky at:// URI with a TID."""
    ms = int(t.timestamp() * 1000) + rng.randrange(1000)
    if acc.source == "x":
        snow = ((ms - TWITTER_EPOCH_MS) << 22) | (rng.randrange(1024) << 12) | rng.randrange(4096)
        return f"x:{snow}", f"https://x.com/{acc.key}/status/{snow}"
    if acc.source == "mastodon":
        sid = (ms << 16) | rng.randrange(65536)
        return (f"mastodon:https://{acc.instance}/users/{acc.key}/statuses/{sid}",
                f"https://{acc.instance}/@{acc.key}/{sid}")
    v = ((ms * 1000 + rng.randrange(1000)) << 10) | rng.randrange(1024)
    tid = "".join(TID_CHARS[(v >> (5 * (12 - i))) & 31] for i in range(13))
    return (f"bluesky:at://{acc.id}/app.bsky.feed.post/{tid}",
            f"https://bsky.app/profile/{acc.bsky}/post/{tid}")


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%SZ")


def post_dict(rng: random.Random, acc: Account, t: datetime, content: list[dict[str, Any]], *,
              media: list[dict[str, Any]], lang: str, is_repost: bool = False,
              quoted: dict[str, Any] | None = None, sensitive: bool = False,
              cw: str | None = None, reply_to: str | None = None) -> dict[str, Any]:
    """Return a post in the wire shape of `app.models.Post.wire()` (metrics come later)."""
    pid, url = native_id(rng, acc, t)
    tags = [c["text"].lstrip("#").casefold() for c in content if c["type"] == "hashtag"]
    return {
        "id": pid, "source": acc.source, "url": url, "created_at": iso(t),
        "author": acc.wire(), "content": content, "text": "".join(c["text"] for c in content),
        "media": media, "lang": lang, "is_repost": is_repost, "quoted": quoted,
        "sensitive": sensitive, "content_warning": cw, "pinned": False,
        "in_reply_to": reply_to,
        "metrics": {"likes": 0, "reposts": 0, "replies": 0, "quotes": 0},
        "hashtags": list(dict.fromkeys(tags)),
        "also_on": [],
    }
