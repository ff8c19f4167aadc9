"""Accounts on three networks, spelled one way: `x:name`, `mastodon:user@host`,
`bluesky:name.domain` (lower case, no `@` in front).

A speaker's handle is told apart by its shape: `@user@host` is Mastodon, a name with a dot is
a Bluesky handle, a plain name an X handle. A post names accounts by its author and by its
mention tokens; a mention's link says which network it points to (an X post's `@jwp` is X's
jwp; a Mastodon post's `@jwp` links to `https://neuro.garden/@jwp`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

__all__ = ["NETWORKS", "account_keys", "classify", "handle", "parse_speaker"]

NETWORKS = ("x", "mastodon", "bluesky")
_X = re.compile(r"^[a-z0-9_]{1,50}$")
_HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$")
_USER = re.compile(r"^[a-z0-9_.-]{1,64}$")
_IN_PARENS = re.compile(r"\(([^()]*)\)\s*$")
_X_HOSTS = ("x.com", "twitter.com", "www.x.com", "www.twitter.com", "mobile.twitter.com")


def handle(network: str, value: str) -> str | None:
    """Return `value` as a normalised handle on `network` (`jwp@neuro.garden` for Mastodon),
    or None when it cannot be one there."""
    h = value.strip().lstrip("@").lower()
    if network == "x":
        return h if _X.match(h) else None
    if network == "bluesky":
        return h if _HOST.match(h) else None
    if network == "mastodon":
        user, _, host = h.partition("@")
        return f"{user}@{host}" if _USER.match(user) and _HOST.match(host) else None
    return None


def classify(value: str) -> tuple[str, str] | None:
    """Return (network, handle) for a handle given without its network, by its shape:
    `@user@host` Mastodon, `name.domain` Bluesky, `name` X; None when it is none of them."""
    h = value.strip().lstrip("@")
    network = "mastodon" if "@" in h else "bluesky" if "." in h else "x"
    found = handle(network, h)
    return None if found is None else (network, found)


def parse_speaker(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Return the name and handles of a speaker written `Name (@a, @b@host, c.bsky.social)`;
    handles that are none of the three shapes are left out, a name without them has none."""
    found = _IN_PARENS.search(text)
    if found is None:
        return text.strip(), []
    handles = [h for part in re.split(r"[,;\s]+", found.group(1)) if part
               if (h := classify(part)) is not None]
    if not handles:
        return text.strip(), []
    return text[:found.start()].strip(), handles


def _mention(token: Mapping[str, Any], source: str) -> str | None:
    """Return the account a mention token points to (`network:handle`), or None."""
    text = str(token.get("text") or "").strip().lstrip("@").lower()
    href = token.get("href")
    if isinstance(href, str) and href.startswith(("https://", "http://")):
        parts = urlsplit(href)
        host = (parts.hostname or "").lower()
        path = parts.path.strip("/")
        if host in _X_HOSTS and path and "/" not in path:
            found = handle("x", path)
        elif host == "bsky.app" and path.startswith("profile/"):
            found = handle("bluesky", path.removeprefix("profile/"))
        elif path.startswith("@") and "/" not in path:
            found = handle("mastodon", f"{path[1:]}@{host}")
        else:
            found = None
        if found is not None:
            network = "x" if host in _X_HOSTS else "bluesky" if host == "bsky.app" else "mastodon"
            return f"{network}:{found}"
    if "@" in text:
        found = handle("mastodon", text)
        return None if found is None else f"mastodon:{found}"
    if source in ("x", "bluesky"):
        found = handle(source, text)
        return None if found is None else f"{source}:{found}"
    return None


def account_keys(post: Mapping[str, Any]) -> set[str]:
    """Return the accounts a wire post names: its author and each account it mentions, as
    `network:handle`."""
    source = str(post.get("source") or "")
    keys: set[str] = set()
    author = post.get("author")
    if isinstance(author, Mapping) and source in NETWORKS:
        found = handle(source, str(author.get("handle") or ""))
        if found is not None:
            keys.add(f"{source}:{found}")
    content = post.get("content")
    tokens: Iterable[Any] = content if isinstance(content, list) else ()
    for token in tokens:
        if isinstance(token, Mapping) and token.get("type") == "mention":
            found_key = _mention(token, source)
            if found_key is not None:
                keys.add(found_key)
    return keys
