"""Public REST API under `/api/v1` (DESIGN.md §4). Moderator-only variants come with auth."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query

from app.store.stats import wall_stats
from app.walls import public
from app.web.auth import MaybePrincipalDep
from app.web.deps import HubDep, IngestDep, StoreDep, WallDep

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")


@router.get("/walls")
async def list_walls(store: StoreDep) -> list[dict[str, Any]]:
    return [public(w) for w in store.walls()]


@router.get("/walls/{slug}")
async def get_wall(wall: WallDep, hub: HubDep) -> dict[str, Any]:
    return {**public(wall), "viewers": hub.subscriber_count(wall.slug)}


@router.get("/walls/{slug}/posts")
async def wall_posts(
    wall: WallDep,
    store: StoreDep,
    state: Literal["pending", "visible", "hidden"] = "visible",
    limit: int = Query(50, ge=1, le=500),
    before: int | None = Query(None, ge=0),
    principal: MaybePrincipalDep = None,
) -> list[dict[str, Any]]:
    """Visible posts, newest first. Pending and hidden posts are for moderators."""
    if state != "visible":
        if principal is None:
            raise HTTPException(401, "login required to list pending or hidden posts",
                                headers={"WWW-Authenticate": "Bearer"})
        return await store.wall_posts(wall.slug, state, limit, before, reasons=True)
    return await store.wall_posts(wall.slug, "visible", limit, before)


@router.get("/walls/{slug}/highlights")
async def highlights(wall: WallDep, store: StoreDep,
                     limit: int = Query(8, ge=1, le=50)) -> dict[str, list[dict[str, Any]]]:
    """What a quiet wall rotates through: pinned posts, the most liked of the recent ones, and
    recent photos (never sensitive ones)."""
    recent = await store.wall_posts(wall.slug, "visible", 500)

    def score(p: dict[str, Any]) -> int:
        m = p.get("metrics") or {}
        return int(m.get("likes", 0)) + 2 * int(m.get("reposts", 0)) + int(m.get("quotes", 0))

    liked = sorted((p for p in recent if score(p) > 0 and not p.get("is_repost")),
                   key=score, reverse=True)
    photos = [p for p in recent if not p.get("sensitive") and not p.get("content_warning")
              and any(m.get("kind") == "image" for m in p.get("media") or [])]
    return {"pinned": await store.pinned_posts(wall.slug), "most_liked": liked[:limit],
            "photos": photos[:limit]}


@router.get("/walls/{slug}/stats")
async def get_stats(wall: WallDep, store: StoreDep) -> dict[str, Any]:
    return await wall_stats(store, wall.slug)


@router.get("/walls/{slug}/sources")
async def wall_sources(wall: WallDep, ingest: IngestDep) -> list[dict[str, Any]]:
    return [s.as_dict() for s in ingest.statuses(wall.slug)]
