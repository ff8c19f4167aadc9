"""Response models of walls, posts, figures, sources and screens."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from app.models import Post
from app.moderation import State as PostState
from app.sources.base import State as SourceState
from app.web.schemas.common import Layout, Mode, Theme, Time

__all__ = [
    "ColoursOut", "ContributorOut", "HighlightsOut", "HourCountOut", "ModeratedPost",
    "Moderation", "PublicSourceOut", "QueueOut", "ScreenCreatedOut", "ScreenIn",
    "ScreenListOut", "ScreenOut", "ScreenRoomIn", "ScreenSelfOut", "SourceStatusOut",
    "StatsOut", "WallDetailOut", "WallOut", "WallPost",
]


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
