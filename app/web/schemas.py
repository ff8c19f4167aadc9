"""Response models of the JSON API (docs/design.md §4), so `/api/v1/openapi.json` is complete.

They describe what the routes already send: the stores build plain dicts, FastAPI checks them
against these models and serialises them, so every key and value goes out as it did. Times
stay the strings the stores made (`...Z`, or `+00:00` for accounts), documented as date-times.
A post is `app.models.Post` with unknown keys kept, so a field added to the wire format passes
through. Errors are `{"detail": "..."}` (`ErrorOut`); `errors(...)` builds a route's `responses=`.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema

from app.models import Post
from app.moderation import State as PostState
from app.settings import WallConfig
from app.sources.base import State as SourceState
from app.store.accounts import Role

__all__ = [
    "AccountCategoryOut", "AccountInfoOut", "AnnouncementOut", "AuditEntryOut", "BlockAddedOut",
    "BlockOut", "CategoriesOut", "CategoryIn", "CategoryOut", "ColoursOut", "ContributorOut",
    "DecisionOut", "ErrorOut", "FieldError", "HighlightsOut", "HourCountOut", "InvalidOut",
    "LoginOut", "MatchOut", "MeOut", "ModeratedPost", "Moderation", "ProgrammeImportOut",
    "ProgrammeOut", "ProgrammeSessionOut", "PublicSourceOut", "QueueOut", "ReportOut", "RoomOut",
    "ScreenCreatedOut", "ScreenIn", "ScreenListOut", "ScreenOut", "ScreenRoomIn", "ScreenSelfOut",
    "SourceStatusOut", "SpeakerHandlesIn", "SpeakerOut", "StatsOut", "StatusOut",
    "TokenCreatedOut", "TokenOut", "UserCreatedOut", "UserOut", "WallDetailOut", "WallOut",
    "WallPost", "errors",
]

Time = Annotated[str, WithJsonSchema({"type": "string", "format": "date-time"})]


def _choices(field: str) -> WithJsonSchema:
    """Document a wall setting as the enum `WallConfig` accepts (checked there, not here)."""
    return WithJsonSchema({"type": "string", "enum": list(get_args(
        WallConfig.model_fields[field].annotation))})


Layout = Annotated[str, _choices("layout")]
Theme = Annotated[str, _choices("theme")]
Mode = Annotated[str, _choices("moderation")]


# -- walls ---------------------------------------------------------------------------------

class ColoursOut(BaseModel):
    model_config = ConfigDict(extra="allow")

    background: str
    text: str
    accent: str


class WallOut(BaseModel):
    """A wall's public settings (what a screen may see), with the URLs of its images."""

    slug: str
    title: str
    hashtags: list[str]
    layout: Layout
    theme: Theme
    moderation: Mode
    colours: ColoursOut | None
    join_url: str | None
    slide_interval_s: int
    idle_after_s: int
    reload: str | None = Field(description="changes when an admin asks screens to reload")
    sources: list[str] = Field(description="the networks the wall follows (for join-in links)")
    min_dwell_s: int = Field(description="the least time a card keeps its place on a hall screen")
    session_margin_min: int | None = Field(
        None, description="minutes after a session's end its posts still belong to it")
    title_match: bool | None = Field(
        None, description="posts also belong to a session by its title's keywords")
    programme_rev: str | None = Field(
        None, description="changes when the programme or a screen's room changes")
    logo_url: str | None
    slides: list[str]
    qr_url: str


class WallDetailOut(WallOut):
    viewers: int = Field(description="screens and viewers connected now")


# -- posts ---------------------------------------------------------------------------------

class WallPost(Post):
    """A post as shown on the wall (the wire format of docs/design.md §2) with `pinned`."""

    model_config = ConfigDict(extra="allow")


class Moderation(BaseModel):
    state: PostState
    reason: str | None = Field(description="why the post is queued or hidden")
    order: int = Field(description="paging key: pass as `before` for the next page")


class ModeratedPost(WallPost):
    """A post in a moderator's listing, with its state on the wall and why."""

    moderation: Moderation


class HighlightsOut(BaseModel):
    pinned: list[WallPost]
    most_liked: list[WallPost]
    photos: list[WallPost]


# -- figures, sources and screens ----------------------------------------------------------

class HourCountOut(BaseModel):
    hour: Time = Field(description="the start of the hour")
    posts: int


class ContributorOut(BaseModel):
    handle: str
    posts: int


class StatsOut(BaseModel):
    """The live figures of a wall, over its visible posts (pending and hidden: counts only)."""

    posts: int = Field(description="visible posts")
    pending: int
    hidden: int
    accounts: int = Field(description="distinct authors of visible posts")
    first_post_at: Time | None
    last_post_at: Time | None
    participants: int = Field(description="distinct accounts (as `accounts`)")
    original_posts: int = Field(description="visible posts that are not reposts")
    reposts: int
    with_media: int = Field(description="visible posts with a photo or video")
    media_share: float = Field(description="with_media / posts, 0 to 1")
    per_hour: list[HourCountOut] = Field(
        description="the 24 hours up to the newest post's hour, oldest first")
    top_contributors: list[ContributorOut] = Field(description="the 5 accounts with most posts")
    sources: dict[str, int] = Field(description="posts by network")
    languages: dict[str, int] = Field(description="posts by language (`und`: unknown)")


class SourceStatusOut(BaseModel):
    """One source of a wall; a source adds its own figures as further keys."""

    model_config = ConfigDict(extra="allow")

    source: str
    state: SourceState
    last_success: Time | None
    last_error: str | None
    last_error_at: Time | None
    next_poll: Time | None
    posts: int


class PublicSourceOut(BaseModel):
    """One source of a wall as the public sees it: no error text, no figures."""

    source: str
    state: SourceState
    reason: str | None = Field(description="a generic reason when it is not running")
    last_success: Time | None
    posts: int


class QueueOut(BaseModel):
    pending: int
    visible: int
    hidden: int
    viewers: int
    sources: list[SourceStatusOut]


class ScreenOut(BaseModel):
    """A named hall screen and, when it is connected and has reported, its last health; a
    field it did not report is left out."""

    id: int
    name: str
    connected: bool
    at: float | None = Field(None, description="when it reported, epoch seconds")
    kind: str | None = None
    seq: int | None = None
    reconnects: int | None = None
    dom_nodes: int | None = None
    cards: int | None = None
    heap_mb: float | None = None
    uptime_s: float | None = None
    width: int | None = None
    height: int | None = None
    epoch: str | None = None
    backlog: int | None = Field(None, description="frames queued for it on the server")
    age_s: float | None = Field(None, description="seconds since the report")


class ScreenListOut(ScreenOut):
    """A named screen in the console's list: its health, and the room it stands in."""

    room: str | None = Field(None, description="the programme's room it stands in; absent: "
                             "the whole wall")


class ScreenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100, description='e.g. "Hall A, left"')


class ScreenRoomIn(BaseModel):
    room: str | None = Field(max_length=100, description='a room of the programme, e.g. '
                             '"Hall 210"; null: the whole wall')


class ScreenSelfOut(BaseModel):
    id: int
    name: str
    room: str | None


class ScreenCreatedOut(BaseModel):
    id: int
    name: str
    key: str = Field(description="the screen's secret, shown only in this answer")
    url: str = Field(description="open this on the projector")


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


# -- moderation ----------------------------------------------------------------------------

class DecisionOut(BaseModel):
    """An audit entry as recorded: the state before and after (their keys depend on the
    action: a post's `state`/`pinned`, a block's `kind`/`value`...)."""

    id: int
    post_id: str = Field(description="empty for a decision that is not about one post")
    action: str
    actor: str
    reason: str | None
    at: Time
    before: dict[str, Any]
    after: dict[str, Any]


class AuditEntryOut(BaseModel):
    id: int
    post_id: str | None
    action: str
    actor: str
    reason: str | None
    at: Time
    undone_at: Time | None


class BlockOut(BaseModel):
    kind: Literal["author", "keyword"]
    value: str
    created_by: str
    reason: str | None
    created_at: Time


class BlockAddedOut(BaseModel):
    kind: Literal["author", "keyword"]
    value: str
    hidden: list[str] = Field(description="ids of the posts the block hid")
    audit_id: int = Field(description="the decision to undo to lift the block")


class AnnouncementOut(BaseModel):
    id: int
    text: str
    starts_at: Time | None
    ends_at: Time | None
    published: bool = Field(True, description="false: scheduled, listed for moderators only")


# -- accounts ------------------------------------------------------------------------------

class UserOut(BaseModel):
    username: str
    role: Role
    created_at: Time
    walls: list[str] | None = Field(None, description="the walls it may act on; null: all")


class UserCreatedOut(BaseModel):
    username: str
    role: Role
    walls: list[str] | None = Field(None, description="null: every wall")


class TokenOut(BaseModel):
    name: str
    role: Role
    created_at: Time
    walls: list[str] | None = Field(None, description="the walls it may act on; null: all")


class TokenCreatedOut(BaseModel):
    name: str
    role: Role
    token: str = Field(description="the secret, shown only in this answer")
    walls: list[str] | None = Field(None, description="null: every wall")


class LoginOut(BaseModel):
    username: str
    role: Role


class MeOut(LoginOut):
    via: Literal["session", "token"]


class StatusOut(BaseModel):
    status: str


# -- errors --------------------------------------------------------------------------------

class ErrorOut(BaseModel):
    """Every error the API raises: a human-readable `detail`."""

    detail: str


class FieldError(BaseModel):
    """One problem with the request, as FastAPI reports it."""

    model_config = ConfigDict(extra="allow")

    loc: list[str | int]
    msg: str
    type: str


class InvalidOut(BaseModel):
    """422: a message from the route, or FastAPI's list of what is wrong with the request."""

    detail: str | list[FieldError]


_WHY = {
    401: "Not logged in: no valid session cookie or bearer token.",
    403: "Not allowed: the admin role is required, or a browser request came from another "
         "site.",
    404: "No such wall (or no such item on it).",
    409: "Not possible in the current state.",
    413: "The upload is too large.",
    415: "The upload is not a supported image type.",
    422: "The request or the change it asks for is invalid.",
    429: "Too many failed logins; see `Retry-After`.",
}


def errors(*codes: int | tuple[int, str]) -> dict[int | str, dict[str, Any]]:
    """Return `responses=` documenting the status `codes` as JSON errors, each with the usual
    description or, given as `(code, description)`, with the route's own."""
    described = [c if isinstance(c, tuple) else (c, _WHY[c]) for c in codes]
    return {code: {"model": InvalidOut if code == 422 else ErrorOut, "description": why}
            for code, why in described}
