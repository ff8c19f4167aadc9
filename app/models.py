"""The leaves every layer shares: a post, its author, media and content tokens.

A `Post` is the wire shape of docs/design.md §2. Sources build posts from hostile platform data, so
validation here is the last gate before storage and browsers: a URL that is not http(s) (or a
same-origin path for bundled media) never survives as an `href`, an avatar or a media URL.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

__all__ = [
    "SOURCES",
    "AlsoOn",
    "Author",
    "Deletion",
    "Media",
    "Metrics",
    "Post",
    "QuotedPost",
    "Token",
    "clean_text",
    "safe_image_url",
    "safe_url",
]

SOURCES = ("x", "mastodon", "bluesky")
SourceName = Literal["x", "mastodon", "bluesky"]
TokenType = Literal["text", "hashtag", "link", "mention"]

# Characters that let hostile text reorder or hide what is around it on the screen:
# bidi embeddings/overrides/isolates and a few invisible controls. Plain RTL text is untouched.
_BIDI_CONTROLS = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"), None
)


def clean_text(value: str, *, limit: int = 10_000) -> str:
    """Return `value` without bidi controls and C0/C1 controls (newlines and tabs kept), cut at
    `limit` characters. Zero-width joiners stay: emoji ZWJ sequences need them."""
    value = value.translate(_BIDI_CONTROLS)
    value = "".join(
        ch for ch in value if ch in "\n\t" or unicodedata.category(ch) != "Cc"
    )
    return value[:limit]


def safe_url(value: str | None) -> str | None:
    """Return `value` if it is an absolute http(s) URL or a same-origin absolute path, else None.

    Anything else (``javascript:``, ``data:``, protocol-relative ``//host``, backslash tricks,
    embedded whitespace or controls) is refused rather than repaired.
    """
    if not value or len(value) > 4096:
        return None
    if any(ch.isspace() or unicodedata.category(ch) == "Cc" for ch in value) or "\\" in value:
        return None
    if value.startswith("/"):
        return value if not value.startswith("//") else None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    return value


def safe_image_url(value: str | None) -> str | None:
    """Return `value` as an image address a page may load: https (a plain-http one is upgraded,
    as browsers upgrade mixed content, since every page's CSP loads images only from itself and
    https) or a same-origin path; None for anything `safe_url` refuses."""
    url = safe_url(value)
    if url is not None and url[:7].lower() == "http://":
        return "https://" + url[7:]
    return url


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class Author(_Model):
    id: str
    handle: str
    name: str = ""
    avatar_url: str | None = None
    profile_url: str | None = None
    followers_count: int | None = None

    @field_validator("handle", "name")
    @classmethod
    def _text(cls, v: str) -> str:
        return clean_text(v, limit=200)

    @field_validator("profile_url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return safe_url(v)

    @field_validator("avatar_url")
    @classmethod
    def _avatar(cls, v: str | None) -> str | None:
        return safe_image_url(v)


class Token(_Model):
    """One run of post content; pages build DOM nodes from these with textContent."""

    type: TokenType
    text: str
    href: str | None = None

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        return clean_text(v)

    @model_validator(mode="after")
    def _href(self) -> Token:
        href = safe_url(self.href) if self.href is not None else None
        if self.type == "text" and self.href is not None:
            object.__setattr__(self, "href", None)
        elif href != self.href:
            # An unsafe link keeps its words but loses its target: it becomes plain text.
            object.__setattr__(self, "href", None)
            object.__setattr__(self, "type", "text")
        return self


class Media(_Model):
    kind: Literal["image", "video", "gif"] = "image"
    url: str
    preview_url: str | None = None
    alt: str = ""
    width: int | None = None
    height: int | None = None

    @field_validator("alt")
    @classmethod
    def _alt(cls, v: str) -> str:
        return clean_text(v, limit=1500)

    @field_validator("preview_url")
    @classmethod
    def _preview(cls, v: str | None) -> str | None:
        return safe_image_url(v)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str) -> str:
        url = safe_image_url(v)
        if url is None:
            raise ValueError("media url must be http(s)")
        return url


class Metrics(_Model):
    likes: int = 0
    reposts: int = 0
    replies: int = 0
    quotes: int = 0


class QuotedPost(_Model):
    """The post a quote refers to, shown inside the quoting card (never nested further)."""

    id: str
    url: str | None = None
    author: Author
    content: list[Token] = Field(default_factory=list)
    text: str = ""
    created_at: datetime | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return safe_url(v)


class AlsoOn(_Model):
    """The same post seen on another network (a cross-post or a bridge copy)."""

    source: SourceName
    id: str
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return safe_url(v)


class Post(_Model):
    id: str
    source: SourceName
    url: str | None = None
    created_at: datetime
    # When the version shown was made, for an edited post (None: never edited). Sightings of
    # one post are merged newest version first (app/merge.py). Left out of a dump when None,
    # so a never-edited post keeps the documented wire shape (and its stored form) exactly.
    edited_at: datetime | None = Field(default=None, exclude_if=lambda v: v is None)
    author: Author
    content: list[Token] = Field(default_factory=list)
    text: str = ""
    media: list[Media] = Field(default_factory=list)
    lang: str | None = None
    is_repost: bool = False
    quoted: QuotedPost | None = None
    sensitive: bool = False
    content_warning: str | None = None
    pinned: bool = False
    in_reply_to: str | None = None
    metrics: Metrics = Field(default_factory=Metrics)
    hashtags: list[str] = Field(default_factory=list)
    also_on: list[AlsoOn] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _url(cls, v: str | None) -> str | None:
        return safe_url(v)

    @field_validator("text")
    @classmethod
    def _text(cls, v: str) -> str:
        return clean_text(v)

    @field_validator("content_warning")
    @classmethod
    def _cw(cls, v: str | None) -> str | None:
        return clean_text(v, limit=500) if v else None

    @field_validator("created_at", "edited_at")
    @classmethod
    def _utc(cls, v: datetime | None) -> datetime | None:
        if v is None:
            return None
        return v.replace(tzinfo=UTC) if v.tzinfo is None else v.astimezone(UTC)

    @model_validator(mode="after")
    def _derived(self) -> Post:
        if not self.id.startswith(f"{self.source}:"):
            raise ValueError(f"post id must start with '{self.source}:'")
        if not self.text and self.content:
            object.__setattr__(self, "text", "".join(t.text for t in self.content))
        if not self.content and self.text:
            object.__setattr__(self, "content", [Token(type="text", text=self.text)])
        if not self.hashtags:
            tags = [t.text.lstrip("#").casefold() for t in self.content if t.type == "hashtag"]
            object.__setattr__(self, "hashtags", list(dict.fromkeys(tags)))
        return self

    @property
    def native_id(self) -> str:
        return self.id.split(":", 1)[1]

    def wire(self) -> dict[str, Any]:
        """Return the JSON-ready dict sent to browsers (docs/design.md §2)."""
        return self.model_dump(mode="json")


@dataclass(frozen=True, slots=True)
class Deletion:
    """A source says the post with this global id is gone (deleted or made private)."""

    post_id: str
    at: datetime | None = None

    def __post_init__(self) -> None:
        if self.at is None:
            object.__setattr__(self, "at", datetime.now(UTC))
