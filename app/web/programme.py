"""The meeting's programme (docs/programme.md): rooms and sessions, public like the wall; an
admin uploads the file (frab/pretalx `schedule.json`, iCalendar or CSV; at most 2 MiB, the
body cap of app/web/limits.py) or clears it; moderators give speakers their handles.

Each session comes with its belonging rule's sets (`match`), so a hall screen or a viewer
decides which posts belong to it with the same sets the report uses. Every change gives the
wall a new `programme_rev`, and screens fetch the programme again on that `wall` event.
"""

from __future__ import annotations

import secrets
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request

from app.clock import iso, utcnow
from app.programme import (
    MAX_FILE_BYTES,
    ProgrammeError,
    common_words,
    compile_session,
    parse_programme,
    speaker_key,
)
from app.store import WallInfo
from app.store.programme import Programmes, SpeakerError, StoredProgramme
from app.web.auth import AdminDep, ModeratorDep
from app.web.deps import WallDep, WallsDep
from app.web.report import answer_cache
from app.web.schemas import (
    ProgrammeImportOut,
    ProgrammeOut,
    SpeakerHandlesIn,
    SpeakerOut,
    StatusOut,
    errors,
)

__all__ = ["programme_payload", "router"]

router = APIRouter(prefix="/api/v1")

_TYPES = {"application/json": "json", "text/calendar": "ics", "text/csv": "csv"}
_UPLOAD = {"requestBody": {"required": True, "content": {
    t: {"schema": {"type": "string", "format": "binary"}} for t in sorted(_TYPES)}}}


def _programmes(request: Request) -> Programmes:
    """Return the programme store of this app (made on first use: it holds no state)."""
    found: Programmes | None = getattr(request.app.state, "programmes", None)
    if found is None:
        found = request.app.state.programmes = Programmes(request.app.state.store)
    return found


def programme_payload(wall: WallInfo, stored: StoredProgramme | None,
                      extra: dict[str, list[tuple[str, str]]], room: str | None = None
                      ) -> dict[str, Any]:
    """Return the programme API's answer for the wall: rooms, and sessions (of `room` only,
    when given) with their speakers and belonging rule."""
    c = wall.config
    margin = int(c.get("session_margin_min", 15) or 0)
    title_match = bool(c.get("title_match", False))
    sessions = stored.programme.sessions if stored else ()
    rooms: dict[str, int] = {}
    for s in sessions:
        rooms[s.room] = rooms.get(s.room, 0) + 1
    listed = []
    common = common_words(sessions)
    for s in sessions:
        if room is not None and s.room != room:
            continue
        match = compile_session(s, margin=timedelta(minutes=margin), title_match=title_match,
                                wall_tags=c.get("hashtags") or [], extra_handles=extra,
                                common=common)
        wire = s.wire()
        wire["id"] = wire.pop("key")
        speakers = []
        for sp in s.speakers:
            given = dict(sp.handles)
            given.update(dict(extra.get(speaker_key(sp.name), [])))
            speakers.append({"name": sp.name, "handles": {n: "@" + h for n, h in given.items()}})
        listed.append({**wire, "speakers": speakers, "match": match.wire()})
    return {"title": stored.programme.title if stored else "",
            "timezone": stored.programme.timezone if stored else None,
            "margin_min": margin, "title_match": title_match,
            "imported_at": (stored.imported_at or None) if stored else None,
            "now": iso(utcnow()),
            "rooms": [{"name": n, "sessions": k} for n, k in rooms.items()],
            "sessions": listed}


@router.get("/walls/{slug}/programme", response_model=ProgrammeOut, response_model_by_alias=True,
            responses=errors(404))
async def get_programme(request: Request, wall: WallDep,
                        room: str | None = Query(None, max_length=100,
                                                 description="only this room's sessions")
                        ) -> dict[str, Any]:
    """Return the wall's rooms and sessions, each with its speakers and the belonging rule's
    sets (empty lists when the wall has no programme). 404: no wall."""
    rev = wall.config.get("programme_rev")
    key = ("programme", wall.slug, rev, wall.config.get("session_margin_min"),
           wall.config.get("title_match"), room)

    async def make() -> dict[str, Any]:
        store = _programmes(request)
        return programme_payload(wall, await store.get(wall.slug),
                                 await store.speaker_handles(wall.slug), room)

    found: dict[str, Any] = await answer_cache(request).get(key, make, ttl=10.0)
    return {**found, "now": iso(utcnow())}


async def _read(request: Request) -> bytes:
    data = bytearray()
    async for chunk in request.stream():
        data.extend(chunk)
        if len(data) > MAX_FILE_BYTES:
            raise HTTPException(413, "a programme file is at most 2 MiB")
    return bytes(data)


@router.put("/walls/{slug}/programme", response_model=ProgrammeImportOut,
            responses=errors(401, 403, 404, 413, 422), openapi_extra=_UPLOAD)
async def upload_programme(request: Request, wall: WallDep, walls: WallsDep, who: AdminDep,
                           tz: str | None = Query(None, max_length=64, description=(
                               "IANA zone of local times when the file names none")),
                           name: str = Query("", max_length=200, description="file name")
                           ) -> dict[str, Any]:
    """Make the file in the body the wall's programme (`Content-Type` application/json,
    text/calendar or text/csv; else told by its content); the same file again changes
    nothing. 413: over 2 MiB; 422: not a programme, with the entry that is wrong."""
    declared = request.headers.get("content-type", "").split(";")[0].strip().lower()
    data = await _read(request)
    try:
        programme = parse_programme(data, name=name, fmt=_TYPES.get(declared), tz=tz)
    except ProgrammeError as err:
        raise HTTPException(422, str(err)) from None
    summary = await _programmes(request).replace(wall.slug, programme,
                                                 source=name or declared, actor=who.name)
    await walls.change(wall.slug, {"programme_rev": secrets.token_hex(4)})
    return {"sessions": len(programme.sessions), "rooms": programme.rooms,
            "added": summary.added, "changed": summary.changed,
            "removed": summary.removed, "unchanged": summary.unchanged}


@router.delete("/walls/{slug}/programme", response_model=StatusOut,
               responses=errors(401, 403, 404))
async def clear_programme(request: Request, wall: WallDep, walls: WallsDep,
                          _: AdminDep) -> dict[str, str]:
    """Remove the wall's programme: hall screens in rooms show the whole wall again."""
    await _programmes(request).clear(wall.slug)
    await walls.change(wall.slug, {"programme_rev": secrets.token_hex(4)})
    return {"status": "cleared"}


@router.put("/walls/{slug}/programme/speakers/{name:path}", response_model=SpeakerOut,
            responses=errors(401, 403, (404, "No such wall, or no such speaker."), 422))
async def set_speaker(request: Request, wall: WallDep, name: str, body: SpeakerHandlesIn,
                      walls: WallsDep, who: ModeratorDep) -> dict[str, Any]:
    """Give a speaker of the programme handles per network (kept across imports); posts by or
    mentioning them then belong to their sessions. 404: no such speaker; 422: a bad handle."""
    try:
        kept = await _programmes(request).set_speaker_handles(wall.slug, name, body.handles,
                                                              who.name)
    except SpeakerError as err:
        status = 404 if str(err).startswith("no speaker") else 422
        raise HTTPException(status, str(err)) from None
    await walls.change(wall.slug, {"programme_rev": secrets.token_hex(4)})
    return {"name": name, "handles": {n: "@" + h for n, h in kept.items()}}
