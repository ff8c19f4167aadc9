"""Moderator routes (docs/design.md §4): actions on posts, blocks, announcements, audit and
undo, and the console's authenticated live feed. Every route needs a moderator (listing the
announcements excepted: screens show them anyway); errors are JSON `{"detail": "..."}`.

No login: 401. A state change by a browser session from another site: 403. Unknown wall: 404.
Answers are described by the models of app/web/schemas/."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, HTTPException, WebSocket
from pydantic import BaseModel, Field

from app.moderation import InvalidAction
from app.modfeed import ModFeed
from app.store.accounts import Accounts
from app.store.announcements import InvalidAnnouncement
from app.store.stats import wall_stats
from app.web.auth import AccountsDep, MaybePrincipalDep, ModeratorDep, authenticate
from app.web.deps import (
    AnnouncementsDep,
    DecisionsDep,
    HubDep,
    IngestDep,
    SettingsDep,
    StoreDep,
    WallDep,
)
from app.web.live import CLOSE_POLICY, finish, run_socket, writer_for
from app.web.schemas import (
    AnnouncementOut,
    AuditEntryOut,
    BlockAddedOut,
    BlockOut,
    DecisionOut,
    QueueOut,
    StatusOut,
    errors,
)
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


@router.post("/api/v1/walls/{slug}/posts/{post_id:path}/{action}", response_model=DecisionOut,
             responses=errors(401, 403, (404, "No such wall, or the post is not on it."),
                              (409, "The action no longer applies (another moderator got "
                                    "there first).")))
async def act(
    wall: WallDep, post_id: str,
    action: Literal["approve", "hide", "unhide", "pin", "unpin"],
    who: ModeratorDep, mod: DecisionsDep,
    body: Annotated[Reason | None, Body()] = None,
) -> dict[str, Any]:
    """Apply an action to a post of the wall; return the audit entry, once it is committed
    (P3). 409 if it no longer applies (another moderator got there first), 404 for a post not
    on this wall."""
    try:
        return await mod.moderate(wall.slug, post_id, action, who.name,
                                  body.reason if body else None)
    except KeyError:
        raise HTTPException(404, f"no post {post_id!r} on this wall") from None
    except InvalidAction as err:
        raise _refused(err) from None


@router.get("/api/v1/walls/{slug}/blocks", response_model=list[BlockOut],
            responses=errors(401, 403, 404))
async def list_blocks(wall: WallDep, _: ModeratorDep, mod: DecisionsDep) -> list[dict[str, Any]]:
    """Return the wall's block rules, oldest first."""
    return await mod.blocks(wall.slug)


@router.post("/api/v1/walls/{slug}/blocks", status_code=201, response_model=BlockAddedOut,
             responses=errors(401, 403, 404, (409, "The rule exists already.")))
async def add_block(wall: WallDep, body: BlockIn, who: ModeratorDep,
                    mod: DecisionsDep) -> dict[str, Any]:
    """Block an author (`source:id` or handle) or a keyword; hides matching posts at once.
    Return the rule, the posts it hid and the audit entry that undoes it. 409: it exists."""
    try:
        entry = await mod.add_block(wall.slug, body.kind, body.value, who.name, body.reason)
    except InvalidAction as err:
        raise _refused(err) from None
    return {"kind": body.kind, "value": body.value.strip(),
            "hidden": sorted(entry["before"]["states"]), "audit_id": entry["id"]}


@router.delete("/api/v1/walls/{slug}/blocks", response_model=StatusOut,
               responses=errors(401, 403, (404, "No such wall or no such block.")))
async def remove_block(wall: WallDep, body: BlockIn, who: ModeratorDep,
                       mod: DecisionsDep) -> dict[str, str]:
    """Delete a block rule (posts it hid stay hidden); return `{"status": "removed"}`.
    404: no such rule."""
    try:
        await mod.remove_block(wall.slug, body.kind, body.value.strip(), who.name)
    except KeyError:
        raise HTTPException(404, "no such block") from None
    return {"status": "removed"}


@router.get("/api/v1/walls/{slug}/announcements", response_model=list[AnnouncementOut],
            responses=errors(404))
async def list_announcements(wall: WallDep, board: AnnouncementsDep,
                             who: MaybePrincipalDep = None) -> list[dict[str, Any]]:
    """Return the announcements the wall's screens show now; a moderator of the wall also
    gets the scheduled ones (`published: false`), which are not public before they start."""
    if who is not None and who.may_moderate(wall.slug):
        return await board.listing(wall.slug)
    return await board.current(wall.slug)


@router.post("/api/v1/walls/{slug}/announcements", status_code=201,
             response_model=AnnouncementOut, responses=errors(401, 403, 404, 422))
async def announce(wall: WallDep, body: AnnouncementIn, who: ModeratorDep,
                   board: AnnouncementsDep) -> dict[str, Any]:
    """Put an announcement on the wall's screens, now or between `starts_at` and `ends_at`;
    return it. 422: `ends_at` is not after `starts_at`, or is past."""
    if body.starts_at and body.ends_at and body.ends_at <= body.starts_at:
        raise HTTPException(422, "ends_at must be after starts_at")
    try:
        return await board.announce(wall.slug, body.text, who.name, body.starts_at,
                                    body.ends_at)
    except InvalidAnnouncement as err:
        raise HTTPException(422, str(err)) from None


@router.delete("/api/v1/walls/{slug}/announcements/{announcement_id}",
               response_model=StatusOut,
               responses=errors(401, 403, (404, "No such wall or no such announcement.")))
async def withdraw(wall: WallDep, announcement_id: int, who: ModeratorDep,
                   board: AnnouncementsDep) -> dict[str, str]:
    """Take an announcement off the screens; return `{"status": "withdrawn"}`. 404: no such
    announcement (or withdrawn already)."""
    try:
        await board.withdraw(wall.slug, announcement_id, who.name)
    except KeyError:
        raise HTTPException(404, "no such announcement") from None
    return {"status": "withdrawn"}


@router.get("/api/v1/walls/{slug}/audit", response_model=list[AuditEntryOut],
            responses=errors(401, 403, 404))
async def audit(wall: WallDep, _: ModeratorDep, mod: DecisionsDep,
                limit: int = 100) -> list[dict[str, Any]]:
    """Return the wall's decisions, newest first, at most `limit` (1 to 1000)."""
    return await mod.audit(wall.slug, max(1, min(limit, 1000)))


@router.post("/api/v1/walls/{slug}/audit/undo", response_model=DecisionOut,
             responses=errors(401, 403, (404, "No such wall, or nothing to undo."),
                              (409, "The post changed since; nothing was undone.")))
async def undo(wall: WallDep, who: ModeratorDep, mod: DecisionsDep,
               body: Annotated[UndoIn | None, Body()] = None) -> dict[str, Any]:
    """Undo decision `id` (default: your latest); return the new audit entry. 404: nothing to
    undo; 409: the post changed since."""
    try:
        return await mod.undo(wall.slug, who.name, body.id if body else None)
    except KeyError:
        raise HTTPException(404, "nothing to undo") from None
    except InvalidAction as err:  # includes Conflict: somebody acted since
        raise _refused(err) from None


@router.get("/api/v1/walls/{slug}/queue", response_model=QueueOut,
            responses=errors(401, 403, 404))
async def queue_counts(wall: WallDep, _: ModeratorDep, store: StoreDep, hub: HubDep,
                       ingest: IngestDep) -> dict[str, Any]:
    """Return the counts for the console header (posts by state, screens connected) with the
    status of each source."""
    stats = await wall_stats(store, wall.slug)
    return {"pending": stats["pending"], "visible": stats["posts"], "hidden": stats["hidden"],
            "viewers": hub.subscriber_count(wall.slug),
            "sources": [s.as_dict() for s in ingest.statuses(wall.slug)]}


@router.websocket("/ws/moderate/{slug}")
async def console_socket(ws: WebSocket, slug: str, settings: SettingsDep,
                         accounts: AccountsDep) -> None:
    """The console's live feed: new posts with their state and reason, and every decision.
    Refused (1008) without a moderator of this wall; closed (1008) within `RECHECK_S` of a
    logout, a session's expiry, a password change or the user's deletion."""
    if not origin_allowed(ws.headers.get("origin"), ws.headers.get("host"),
                          settings.allowed_origins):
        await ws.close(code=CLOSE_POLICY)
        return
    who = await authenticate(ws, accounts)
    store = ws.app.state.store
    if (who is None or slug not in {w.slug for w in store.walls()}
            or not who.may_moderate(slug)):
        await ws.close(code=CLOSE_POLICY)
        return
    feed: ModFeed = ws.app.state.modfeed
    await ws.accept()
    writer = writer_for(ws)
    hello = {"type": "hello", "user": who.name, "role": who.role}
    async with feed.subscribe(slug, hello, writer, stall_s=settings.hub.send_timeout_s) as sub:
        reading = asyncio.create_task(run_socket(ws, sub))
        watching = asyncio.create_task(_still_allowed(ws, accounts, slug))
        done, _ = await asyncio.wait({reading, watching}, return_when=asyncio.FIRST_COMPLETED)
        for task in (reading, watching):
            task.cancel()
        await asyncio.gather(reading, watching, return_exceptions=True)
        code = reading.result() if reading in done and not reading.exception() else CLOSE_POLICY
    await finish(ws, writer, code)


RECHECK_S = 2.0


async def _still_allowed(ws: WebSocket, accounts: Accounts, slug: str) -> None:
    """Return once the socket's credential no longer lets it moderate `slug` (checked every
    `RECHECK_S` without counting as the user's activity)."""
    while True:
        await asyncio.sleep(RECHECK_S)
        who = await authenticate(ws, accounts, touch=False)
        if who is None or not who.may_moderate(slug):
            return
