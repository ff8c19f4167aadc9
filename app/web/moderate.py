"""Moderator routes (DESIGN.md §4): actions on posts, blocks, announcements, audit and undo,
and the console's authenticated live feed. Every route needs a moderator; errors are JSON."""

from __future__ import annotations

import asyncio
import contextlib
import time
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, WebSocket
from pydantic import BaseModel, Field

from app.moderation import InvalidAction
from app.modfeed import ModFeed
from app.store.stats import wall_stats
from app.web.auth import AccountsDep, ModeratorDep, authenticate
from app.web.deps import (
    AnnouncementsDep,
    DecisionsDep,
    HubDep,
    IngestDep,
    SettingsDep,
    StoreDep,
    WallDep,
)
from app.web.live import CLOSE_POLICY, run_socket
from app.web.security import origin_allowed

__all__ = ["router"]

router = APIRouter()


class Reason(BaseModel):
    reason: str | None = Field(None, max_length=500)


class BlockIn(BaseModel):
    kind: Literal["author", "keyword"]
    value: str = Field(min_length=1, max_length=300)
    reason: str | None = Field(None, max_length=500)


class AnnouncementIn(BaseModel):
    text: str = Field(min_length=1, max_length=500)
    starts_at: datetime | None = None
    ends_at: datetime | None = None


class UndoIn(BaseModel):
    id: int | None = None


def _refused(err: Exception) -> HTTPException:
    return HTTPException(409, str(err) or "not possible in the post's current state")


@router.post("/api/v1/walls/{slug}/posts/{post_id:path}/{action}")
async def act(
    wall: WallDep, post_id: str,
    action: Literal["approve", "hide", "unhide", "pin", "unpin"],
    who: ModeratorDep, mod: DecisionsDep,
    body: Annotated[Reason | None, Body()] = None,
) -> dict[str, Any]:
    """Apply an action; answered only once it is committed (P3). 409 if it no longer applies
    (another moderator got there first), 404 for a post not on this wall."""
    try:
        return await mod.moderate(wall.slug, post_id, action, who.name,
                                  body.reason if body else None)
    except KeyError:
        raise HTTPException(404, f"no post {post_id!r} on this wall") from None
    except InvalidAction as err:
        raise _refused(err) from None


@router.get("/api/v1/walls/{slug}/blocks")
async def list_blocks(wall: WallDep, _: ModeratorDep, mod: DecisionsDep) -> list[dict[str, Any]]:
    return await mod.blocks(wall.slug)


@router.post("/api/v1/walls/{slug}/blocks", status_code=201)
async def add_block(wall: WallDep, body: BlockIn, who: ModeratorDep,
                    mod: DecisionsDep) -> dict[str, Any]:
    """Block an author (`source:id` or handle) or a keyword; hides matching posts at once."""
    try:
        entry = await mod.add_block(wall.slug, body.kind, body.value, who.name, body.reason)
    except InvalidAction as err:
        raise _refused(err) from None
    return {"kind": body.kind, "value": body.value.strip(),
            "hidden": sorted(entry["before"]["states"]), "audit_id": entry["id"]}


@router.delete("/api/v1/walls/{slug}/blocks")
async def remove_block(wall: WallDep, body: BlockIn, who: ModeratorDep,
                       mod: DecisionsDep) -> dict[str, str]:
    try:
        await mod.remove_block(wall.slug, body.kind, body.value.strip(), who.name)
    except KeyError:
        raise HTTPException(404, "no such block") from None
    return {"status": "removed"}


@router.get("/api/v1/walls/{slug}/announcements")
async def list_announcements(wall: WallDep, board: AnnouncementsDep) -> list[dict[str, Any]]:
    return await board.current(wall.slug)


@router.post("/api/v1/walls/{slug}/announcements", status_code=201)
async def announce(wall: WallDep, body: AnnouncementIn, who: ModeratorDep,
                   board: AnnouncementsDep) -> dict[str, Any]:
    if body.starts_at and body.ends_at and body.ends_at <= body.starts_at:
        raise HTTPException(422, "ends_at must be after starts_at")
    return await board.announce(wall.slug, body.text, who.name, body.starts_at, body.ends_at)


@router.delete("/api/v1/walls/{slug}/announcements/{announcement_id}")
async def withdraw(wall: WallDep, announcement_id: int, who: ModeratorDep,
                   board: AnnouncementsDep) -> dict[str, str]:
    try:
        await board.withdraw(wall.slug, announcement_id, who.name)
    except KeyError:
        raise HTTPException(404, "no such announcement") from None
    return {"status": "withdrawn"}


@router.get("/api/v1/walls/{slug}/audit")
async def audit(wall: WallDep, _: ModeratorDep, mod: DecisionsDep,
                limit: int = 100) -> list[dict[str, Any]]:
    return await mod.audit(wall.slug, max(1, min(limit, 1000)))


@router.post("/api/v1/walls/{slug}/audit/undo")
async def undo(wall: WallDep, who: ModeratorDep, mod: DecisionsDep,
               body: Annotated[UndoIn | None, Body()] = None) -> dict[str, Any]:
    """Undo a decision (default: your latest). 409 if the post changed since."""
    try:
        return await mod.undo(wall.slug, who.name, body.id if body else None)
    except KeyError:
        raise HTTPException(404, "nothing to undo") from None
    except InvalidAction as err:  # includes Conflict: somebody acted since
        raise _refused(err) from None


@router.get("/api/v1/walls/{slug}/queue")
async def queue_counts(wall: WallDep, _: ModeratorDep, store: StoreDep, hub: HubDep,
                       ingest: IngestDep) -> dict[str, Any]:
    """Counts for the console header, with source status and screens connected."""
    stats = await wall_stats(store, wall.slug)
    return {"pending": stats["pending"], "visible": stats["posts"], "hidden": stats["hidden"],
            "viewers": hub.subscriber_count(wall.slug),
            "sources": [s.as_dict() for s in ingest.statuses(wall.slug)]}


@router.get("/api/v1/walls/{slug}/screens")
async def screens(wall: WallDep, _: ModeratorDep, hub: HubDep) -> list[dict[str, Any]]:
    """Screens connected to the wall with the health each last reported (seq, reconnects,
    DOM size, memory), so a console can spot a frozen projector."""
    now = time.time()
    return [{**s, "age_s": round(now - s["at"], 1)} for s in hub.screens(wall.slug)]


@router.websocket("/ws/moderate/{slug}")
async def console_socket(ws: WebSocket, slug: str, settings: SettingsDep,
                         accounts: AccountsDep) -> None:
    """The console's live feed: new posts with their state and reason, and every decision."""
    if not origin_allowed(ws.headers.get("origin"), ws.headers.get("host"),
                          settings.allowed_origins):
        await ws.close(code=CLOSE_POLICY)
        return
    who = await authenticate(ws, accounts)
    store = ws.app.state.store
    if who is None or slug not in {w.slug for w in store.walls()}:
        await ws.close(code=CLOSE_POLICY)
        return
    feed: ModFeed = ws.app.state.modfeed
    await ws.accept()
    async with feed.subscribe(slug, {"type": "hello", "user": who.name, "role": who.role}) as sub:
        code = await run_socket(ws, sub, settings.hub.send_timeout_s)
    with contextlib.suppress(Exception):
        async with asyncio.timeout(2):
            await ws.close(code=code)
