"""Public REST API under `/api/v1` (DESIGN.md §4). Moderator-only variants come with auth."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, HTTPException, Query

from app.web.auth import MaybePrincipalDep
from app.web.deps import HubDep, IngestDep, StoreDep, WallDep

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")


@router.get("/walls")
async def list_walls(store: StoreDep) -> list[dict[str, Any]]:
    return [w.public() for w in store.walls()]


@router.get("/walls/{slug}")
async def get_wall(wall: WallDep, hub: HubDep) -> dict[str, Any]:
    return {**wall.public(), "viewers": hub.subscriber_count(wall.slug)}


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


@router.get("/walls/{slug}/stats")
async def wall_stats(wall: WallDep, store: StoreDep) -> dict[str, Any]:
    return await store.stats(wall.slug)


@router.get("/walls/{slug}/sources")
async def wall_sources(wall: WallDep, ingest: IngestDep) -> list[dict[str, Any]]:
    return [s.as_dict() for s in ingest.statuses(wall.slug)]
