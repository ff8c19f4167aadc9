"""Response models of the meeting's numbers: account categories, the report, the programme."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from app.web.schemas.common import Time

__all__ = [
    "AccountCategoryOut", "AccountInfoOut", "CategoriesOut", "CategoryIn", "CategoryOut",
    "MatchOut", "ProgrammeImportOut", "ProgrammeOut", "ProgrammeSessionOut", "ReportOut",
    "RoomOut", "SpeakerHandlesIn", "SpeakerOut",
]


# -- categories and report -----------------------------------------------------------------

class CategoryIn(BaseModel):
    category: str | None = Field(max_length=100, description="one of the wall's categories; "
                                 "null takes the account's away")


class AccountCategoryOut(BaseModel):
    account: str = Field(description="`{source}:{author id}`, e.g. `x:1160500548`")
    category: str | None
    handle: str | None = Field(None, description="the handle it had when it was categorised")
    updated_by: str | None = None
    updated_at: Time | None = None


class CategoryOut(BaseModel):
    name: str
    plural: str | None
    label: str = Field(description="what the report's sentence says for several")


class AccountInfoOut(BaseModel):
    account: str
    handle: str
    name: str
    posts: int = Field(description="its posts on the wall, in any state")
    category: str | None


class CategoriesOut(BaseModel):
    categories: list[CategoryOut] = Field(description="the wall's choices, in its order")
    accounts: list[AccountInfoOut] = Field(description="most posts first")


class ReportOut(BaseModel):
    """The meeting's report (docs/report.md); the keys of `tweetwall report --format json`."""

    model_config = ConfigDict(extra="allow")

    wall: dict[str, Any]
    period: dict[str, str | None]
    posts: int = Field(description="every logged post, reposts included (visible or pending)")
    original_posts: int
    reposts: int
    replies: int
    participants: int = Field(description="distinct accounts")
    first_day: str | None = Field(description="YYYY-MM-DD")
    last_day: str | None = Field(description="YYYY-MM-DD")
    days: int
    with_media: int
    media_share: float
    pending: int = Field(description="of `posts`, still waiting for a moderator")
    moderated_away: int = Field(description="hidden posts: counted, never listed")
    impressions: dict[str, int | str] = Field(description="an estimate: see `note`")
    per_day: list[dict[str, str | int]]
    per_hour: list[dict[str, int]]
    top_contributors: list[dict[str, Any]]
    top_by_reach: list[dict[str, Any]]
    hashtags: list[dict[str, str | int]]
    mentions: list[dict[str, str | int]]
    links: list[dict[str, str | int]]
    languages: list[dict[str, str | int]]
    sources: list[dict[str, str | int]]
    categories: list[dict[str, str | int]]
    uncategorised: dict[str, int]
    sentence: str


# -- programme -----------------------------------------------------------------------------

class SpeakerOut(BaseModel):
    name: str
    handles: dict[str, str] = Field(description='per network: `{"x": "@name", "mastodon": '
                                    '"@user@host", "bluesky": "@name.domain"}`')


class MatchOut(BaseModel):
    """The belonging rule's sets for one session (app/programme/belongs.py): a post posted in
    [`from`, `until`) belongs when it has one of `hashtags`, names one of `handles` (as author
    or mention, `network:handle`) or has one of `words` (folded: lower case, no accents)."""

    model_config = ConfigDict(populate_by_name=True)

    from_: Time = Field(alias="from", serialization_alias="from")
    until: Time = Field(description="the session's end plus the wall's margin")
    hashtags: list[str]
    handles: list[str]
    words: list[str]


class ProgrammeSessionOut(BaseModel):
    id: str = Field(description="the session's id in the imported file")
    title: str
    room: str
    start: Time
    end: Time
    speakers: list[SpeakerOut]
    hashtags: list[str]
    track: str
    match: MatchOut


class RoomOut(BaseModel):
    name: str
    sessions: int


class ProgrammeOut(BaseModel):
    """A wall's programme: its rooms and sessions (by start), each with its belonging rule."""

    title: str
    timezone: str | None = Field(description="IANA zone the file gave (times carry offsets)")
    margin_min: int
    title_match: bool
    imported_at: Time | None
    now: Time = Field(description="the server's clock, for screens whose clock is off")
    rooms: list[RoomOut]
    sessions: list[ProgrammeSessionOut]


class ProgrammeImportOut(BaseModel):
    sessions: int
    rooms: list[str]
    added: int
    changed: int
    removed: int
    unchanged: int


class SpeakerHandlesIn(BaseModel):
    handles: dict[str, str | None] = Field(
        max_length=3, description='`{"x": "@name", "mastodon": "@user@host", "bluesky": '
        '"name.domain"}`; null or "" takes one away')
