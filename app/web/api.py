"""Public REST API under `/api/v1` (docs/design.md §4). Moderator-only variants come with auth.

Every answer is described by a model of app/web/schemas/; errors are `{"detail": "..."}`.
Lists of posts are the exception to "FastAPI checks the answer against its model": they are
sent as stored, because they were validated as `Post` when admitted and checking them again
costs ~65 µs a post on the event loop (30-60 ms for the console's page of 500).
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query, Request, Response
from pydantic import TypeAdapter

from app.clock import iso
from app.store.schema import MAX_ROW_ID
from app.store.stats import wall_stats
from app.walls import public
from app.web.auth import MaybePrincipalDep, check_wall
from app.web.deps import HubDep, IngestDep, StoreDep, WallDep
from app.web.report import answer_cache
from app.web.schemas import (
    HighlightsOut,
    ModeratedPost,
    PublicSourceOut,
    SourceStatusOut,
    StatsOut,
    WallDetailOut,
    WallOut,
    WallPost,
    errors,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")

_AS_STORED: TypeAdapter[Any] = TypeAdapter(Any)
STATS_CACHE_S = 5.0


def _as_stored(content: Any) -> Response:
    """Return `content` (stored posts) as JSON, without checking it against a model."""
    return Response(_AS_STORED.dump_json(content), media_type="application/json")


@router.get("/walls", response_model=list[WallOut])
async def list_walls(store: StoreDep) -> list[dict[str, Any]]:
    """Return every wall's public settings."""
    return [public(w) for w in store.walls()]


@router.get("/walls/{slug}", response_model=WallDetailOut, responses=errors(404))
async def get_wall(wall: WallDep, hub: HubDep) -> dict[str, Any]:
    """Return the wall's public settings and how many screens are connected. 404: no wall."""
    return {**public(wall), "viewers": hub.subscriber_count(wall.slug)}


@router.get(
    "/walls/{slug}/posts", response_model=list[ModeratedPost] | list[WallPost],
    responses=errors((401, "Listing pending or hidden posts needs a login."),
                     (403, "A moderator of other walls listed pending or hidden posts."), 404),
)
async def wall_posts(
    wall: WallDep,
    store: StoreDep,
    state: Literal["pending", "visible", "hidden"] = "visible",
    limit: int = Query(50, ge=1, le=500),
    before: int | None = Query(None, ge=0, le=MAX_ROW_ID),
    principal: MaybePrincipalDep = None,
) -> Response:
    """Return the wall's posts in `state`, newest first, at most `limit`, older than the paging
    key `before`. Visible posts are public; pending and hidden ones are for moderators and
    carry `moderation` (state, reason, paging key). 401: pending or hidden without a login;
    403: a moderator of other walls;
    404: no wall; 422: a bad parameter."""
    if state != "visible":
        if principal is None:
            raise HTTPException(401, "login required to list pending or hidden posts",
                                headers={"WWW-Authenticate": "Bearer"})
        check_wall(principal, wall.slug)
        return _as_stored(await store.wall_posts(wall.slug, state, limit, before,
                                                 reasons=True))
    return _as_stored(await store.wall_posts(wall.slug, "visible", limit, before))


@router.get("/walls/{slug}/highlights", response_model=HighlightsOut, responses=errors(404))
async def highlights(wall: WallDep, store: StoreDep,
                     limit: int = Query(8, ge=1, le=50)) -> Response:
    """Return what a quiet wall rotates through: pinned posts, the most liked of the recent ones,
    and recent photos (never sensitive ones), at most `limit` of each. 404: no wall."""
    recent = await store.wall_posts(wall.slug, "visible", 500)

    def score(p: dict[str, Any]) -> int:
        m = p.get("metrics") or {}
        return int(m.get("likes", 0)) + 2 * int(m.get("reposts", 0)) + int(m.get("quotes", 0))

    liked = sorted((p for p in recent if score(p) > 0 and not p.get("is_repost")),
                   key=score, reverse=True)
    photos = [p for p in recent if not p.get("sensitive") and not p.get("content_warning")
              and any(m.get("kind") == "image" for m in p.get("media") or [])]
    return _as_stored({"pinned": await store.pinned_posts(wall.slug),
                       "most_liked": liked[:limit], "photos": photos[:limit]})


@router.get("/walls/{slug}/stats", response_model=StatsOut, responses=errors(404))
async def get_stats(request: Request, wall: WallDep, store: StoreDep) -> dict[str, Any]:
    """Return the wall's live figures: posts by state, distinct authors, first and last post
    times, originals and reposts, posts with media, posts per hour over the last 24 hours of
    activity, top contributors, networks and languages (visible posts only; pending and
    hidden are counts); the same answer for `STATS_CACHE_S` seconds, however many ask (it
    reads every post of the wall). 404: no wall."""
    stats: dict[str, Any] = await answer_cache(request).get(
        ("stats", wall.slug), lambda: wall_stats(store, wall.slug, detail=True),
        ttl=STATS_CACHE_S)
    return stats


# What the public may know of a source that is not running: a state and a generic reason,
# never the error text (it can hold hosts, paths and upstream messages).
_PUBLIC_REASONS = {"stopped": "not available on this wall", "backoff": "temporarily unavailable",
                   "rate_limited": "rate limited, catching up shortly",
                   "waiting": "waiting for its next read", "finished": "finished"}


@router.get("/walls/{slug}/sources",
            response_model=list[SourceStatusOut] | list[PublicSourceOut],
            responses=errors(404))
async def wall_sources(wall: WallDep, ingest: IngestDep,
                       who: MaybePrincipalDep = None) -> list[dict[str, Any]]:
    """Return each source of the wall: to the public its state, a generic reason, its last
    success and post count; to a moderator of the wall also the error and the source's own
    figures. 404: no wall."""
    statuses = ingest.statuses(wall.slug)
    if who is not None and who.may_moderate(wall.slug):
        return [s.as_dict() for s in statuses]
    return [{"source": s.source, "state": s.state, "reason": _PUBLIC_REASONS.get(s.state),
             "last_success": iso(s.last_success), "posts": s.posts} for s in statuses]
