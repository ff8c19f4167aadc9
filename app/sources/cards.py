"""What every network's normaliser shares for the parts of a post beside its text: link cards,
GIFs posted as links, polls, and the placeholder for an author the payload did not resolve.

A card is never empty: a link card whose URL is not already a link in the text is added as a
link token showing its title (or, without one, its address); a GIF posted as a link (Bluesky's
GIF picker, a Mastodon card of a GIF) also becomes media of kind `gif`; a poll's options are
listed as text. Every URL goes through `safe_url` (and the models' validators) on the way.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import ValidationError

from app.models import Author, Media, Token, clean_text, safe_url

__all__ = ["gif_media", "is_alt", "link_card", "placeholder_author", "poll_tokens", "shown_url"]

_GIF_PATH = re.compile(r"\.gif$", re.IGNORECASE)
# "ALT: …", the description Bluesky's GIF picker writes, is the GIF's alt text.
_ALT_PREFIX = re.compile(r"^\s*alt:\s*", re.IGNORECASE)


def is_alt(description: str) -> bool:
    """Return True if a card's description is alt text ("ALT: …", as GIF pickers write it)."""
    return bool(_ALT_PREFIX.match(description))


def shown_url(url: str) -> str:
    """Return a URL as a card shows it without a title: host and path, no scheme or query."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/")
    return f"{parts.netloc}{path}" if parts.netloc else url


def link_card(content: list[Token], url: str | None, title: str | None) -> list[Token]:
    """Return `content` with the card's link appended on a line of its own, titled, unless the
    URL is unsafe or is already a link of the text (then `content` is returned as is)."""
    href = safe_url(url)
    if href is None or any(t.type == "link" and t.href == href for t in content):
        return content
    label = clean_text(title or "", limit=300).strip() or shown_url(href)
    tail = [Token(type="link", text=label, href=href)]
    if any(t.text.strip() for t in content):
        tail.insert(0, Token(type="text", text="\n\n"))
    return [*content, *tail]


def gif_media(
    url: str | None, *, preview_url: str | None = None, alt: str = "", title: str = ""
) -> Media | None:
    """Return media of kind `gif` when `url` is a safe link to a `.gif` file, else None.

    The alt text is `alt` without the "ALT:" prefix GIF pickers add, else the card's title."""
    href = safe_url(url)
    if href is None or not _GIF_PATH.search(urlsplit(href).path):
        return None
    described = _ALT_PREFIX.sub("", alt).strip()
    try:
        # An animated GIF plays in an <img>: it is its own preview when there is no still.
        return Media(kind="gif", url=href, preview_url=safe_url(preview_url) or href,
                     alt=described or title)
    except ValidationError:
        return None


def poll_tokens(content: list[Token], options: list[str]) -> list[Token]:
    """Return `content` with a poll's options listed one per line after it."""
    shown = [clean_text(o, limit=200).strip() for o in options if isinstance(o, str)]
    shown = [o for o in shown if o]
    if not shown:
        return content
    lines = "\n".join(f"▢ {o}" for o in shown)
    lead = "\n\n" if any(t.text.strip() for t in content) else ""
    return [*content, Token(type="text", text=lead + lines)]


def placeholder_author(author_id: str, network: str, profile_url: str | None = None) -> Author:
    """Return the author shown when a payload does not say who posted: no handle (never a bare
    "@"), a name saying so, and the profile link only when the caller can build a safe one."""
    return Author(
        id=author_id or "unknown",
        handle="",
        name=f"Unknown {network} account",
        profile_url=profile_url,
    )
