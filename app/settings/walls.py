"""A wall's settings: its sources, moderation mode and rules, look, categories and pace."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

__all__ = ["DEFAULT_CATEGORIES", "HASHTAG", "SLUG", "Category", "Colours", "Section",
           "SourceKind", "WallConfig", "WallRules", "contrast_ratio"]

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
SourceKind = Literal["x", "mastodon", "bluesky", "replay"]
HASHTAG = re.compile(r"^\w{1,100}$")

class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WallRules(Section):
    """Automatic rules of a wall (app/moderation/policy.py). Block lists are managed live by
    moderators."""

    wordlist: bool = True
    extra_words: list[str] = Field(default_factory=list)
    queue_reposts: bool = False
    queue_replies: bool = False
    queue_sensitive: bool = True
    languages: list[str] = Field(default_factory=list)
    max_per_author_per_hour: int | None = Field(30, ge=0, description="0 or None: no cap")
    collapse_duplicates: bool = True


def contrast_ratio(a: str, b: str) -> float:
    """Return the WCAG 2 contrast ratio of two #rrggbb colours (1 to 21)."""

    def luminance(hex_colour: str) -> float:
        channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


class Colours(Section):
    """Brand colours; text and accent must read on the background at WCAG AA (4.5:1)."""

    background: str = "#0b1020"
    text: str = "#f5f7ff"
    accent: str = "#4cc9f0"

    @field_validator("background", "text", "accent")
    @classmethod
    def _hex(cls, v: str) -> str:
        if not re.fullmatch(r"#[0-9a-fA-F]{6}", v):
            raise ValueError(f"a colour is #rrggbb, got {v!r}")
        return v.lower()

    @model_validator(mode="after")
    def _contrast(self) -> Colours:
        for name in ("text", "accent"):
            ratio = contrast_ratio(getattr(self, name), self.background)
            if ratio < 4.5:
                raise ValueError(f"{name} on background has contrast {ratio:.2f}:1; "
                                 "WCAG AA needs at least 4.5:1")
        return self


CATEGORY = re.compile(r"^[^\s|][^|]{0,39}$")


class Category(Section):
    """A kind of account a moderator can assign (docs/report.md): its `name`, and the `plural`
    the report's sentence uses ("12 non-specialists"). Given as a plain string in the config
    file, the plural is the name with an "s"."""

    name: str = Field(min_length=1, max_length=40)
    plural: str | None = Field(None, min_length=1, max_length=80)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, v: Any) -> Any:
        return {"name": v} if isinstance(v, str) else v

    @field_validator("name")
    @classmethod
    def _name(cls, v: str) -> str:
        v = " ".join(v.split())
        if not CATEGORY.match(v):
            raise ValueError(f"a category is 1-40 characters without '|', got {v!r}")
        return v

    @property
    def label(self) -> str:
        """The plural, as the report's sentence says it."""
        return self.plural or f"{self.name}s"


DEFAULT_CATEGORIES = ("attendee", "remote attendee", "non-specialist", "institution")


class WallConfig(Section):
    slug: str
    title: str = ""
    hashtags: list[str] = Field(default_factory=list)
    sources: list[SourceKind] = Field(default_factory=lambda: list[SourceKind](["replay"]))
    moderation: Literal["pre", "post"] = "post"
    replay_file: Path | None = None
    mastodon_instances: list[str] | None = None
    layout: Literal["grid", "spotlight", "ticker"] = "grid"
    theme: Literal["dark", "light", "contrast"] = "dark"
    rules: WallRules = Field(default_factory=WallRules)
    colours: Colours | None = None
    join_url: str | None = None
    logo: int | None = None
    slides: list[int] = Field(default_factory=list)
    slide_interval_s: int = Field(0, ge=0, description="0: no slides; else seconds between them")
    idle_after_s: int = Field(90, ge=10, description="quiet time before highlights rotate in")
    min_dwell_s: int = Field(10, ge=0, le=300,
                             description="least time a card keeps its place on a hall screen")
    reload: str | None = None
    # The programme (docs/programme.md): a post belongs to a session until its end plus this
    # margin; with `title_match` also by the words of the session's title. `programme_rev`
    # changes with each import or room assignment, so screens fetch the programme again.
    session_margin_min: int = Field(15, ge=0, le=240,
                                    description="minutes after a session's end its posts count")
    title_match: bool = Field(False, description="a post also belongs to a session by the "
                                                 "keywords of its title")
    programme_rev: str | None = None
    # The kinds of account moderators sort the wall's participants into, for the report.
    categories: list[Category] = Field(
        default_factory=lambda: [Category(name=n) for n in DEFAULT_CATEGORIES])

    @field_validator("categories")
    @classmethod
    def _distinct(cls, v: list[Category]) -> list[Category]:
        names = [c.name.casefold() for c in v]
        if dupes := sorted({n for n in names if names.count(n) > 1}):
            raise ValueError(f"category {dupes[0]!r} is listed twice")
        return v

    @field_validator("join_url")
    @classmethod
    def _join(cls, v: str | None) -> str | None:
        if v is not None and not re.match(r"^https?://[^\s]+$", v):
            raise ValueError("join_url must be an http(s) URL")
        return v
    @field_validator("slug")
    @classmethod
    def _slug(cls, v: str) -> str:
        if not SLUG.match(v):
            raise ValueError("slug must be lowercase letters, digits and '-' (at most 63)")
        return v

    @field_validator("hashtags")
    @classmethod
    def _tags(cls, v: list[str]) -> list[str]:
        tags = [t.strip().lstrip("#") for t in v]
        for t in tags:
            if not HASHTAG.match(t):
                raise ValueError(f"not a hashtag: {t!r}")
        return tags
