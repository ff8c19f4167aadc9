"""X tweet text -> content tokens, cut at the tweet's entities (urls, hashtags, mentions).

X v2 counts entity offsets in code points of the text *before* its three HTML escapes are undone,
so each entity is looked for at its offset and, failing that, at its first free occurrence. t.co
links become their expanded URL shown as their display URL; links to the tweet's own media, to a
quoted tweet shown as a card, or to the tweet itself (the "read more" link of a truncated or
edited tweet) are cut out.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from app.models import Token

__all__ = ["content_tokens", "links_to", "tidy"]

Json = dict[str, Any]

_MEDIA_LINK = re.compile(r"/status/\d+/(photo|video)/\d+/?$")
_BARE_URL = re.compile(r"https?://[^\s<>\"']+")


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
    media and to any id in `drop_links` (a quoted post shown separately) are removed. A tweet
    without `entities` at all (asked for without `tweet.fields`) still gets its bare http(s)
    URLs as links.
    """
    text = _unescape(text)
    if entities is None:
        entities = {"urls": [{"url": m.group(0), "start": m.start()}
                             for m in _BARE_URL.finditer(text)]}
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
        if u.get("media_key") or _MEDIA_LINK.search(expanded) or links_to(expanded, drop_links):
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
    return tidy(tokens)


def links_to(url: str, ids: set[str] | None) -> bool:
    """Return True if `url` is the permalink of one of the tweets `ids`."""
    pattern = r"/status/{}(?:[/?#]|$)"
    return any(re.search(pattern.format(re.escape(i)), url) for i in ids or ())


def tidy(tokens: list[Token]) -> list[Token]:
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


