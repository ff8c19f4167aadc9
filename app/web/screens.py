"""Named hall screens: admins name a projector and get its URL with a key; moderators see how
each named screen is doing (its last health report), so a frozen projector stands out.

Only a screen opened with its key reports health or takes remote reloads; anonymous viewers
are counted, never listed, and nobody's address is shown. An admin puts a named screen in a
room of the programme; the screen asks for its room with its key (`GET …/screens/mine`) and
asks again when the wall's `programme_rev` changes, which a room assignment changes.
"""

from __future__ import annotations

import secrets
import time
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request

from app.store.screens import ScreenError
from app.web.auth import AdminDep, ModeratorDep
from app.web.deps import HubDep, ScreensDep, SettingsDep, WallDep, WallsDep
from app.web.schemas import (
    ScreenCreatedOut,
    ScreenIn,
    ScreenListOut,
    ScreenRoomIn,
    ScreenSelfOut,
    StatusOut,
    errors,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")


@router.get("/walls/{slug}/screens", response_model=list[ScreenListOut],
            response_model_exclude_none=True, responses=errors(401, 403, 404))
async def list_screens(wall: WallDep, _: ModeratorDep, hub: HubDep,
                       screens: ScreensDep) -> list[dict[str, Any]]:
    """Return the wall's named screens, each `connected` or not, with the health it last
    reported (seq, reconnects, DOM size, memory) and that report's age."""
    live = hub.screens(wall.slug)
    now = time.time()
    listed = []
    for screen in await screens.list(wall.slug):
        report = live.get(screen.id)
        entry: dict[str, Any] = {"id": screen.id, "name": screen.name, "room": screen.room,
                                 "connected": report is not None, **(report or {})}
        if "at" in entry:
            entry["age_s"] = round(now - entry["at"], 1)
        listed.append(entry)
    return listed


@router.post("/walls/{slug}/screens", status_code=201, response_model=ScreenCreatedOut,
             responses=errors(401, 403, 404, (409, "A screen has this name, or the wall has "
                                                   "as many screens as it may.")))
async def add_screen(wall: WallDep, body: ScreenIn, _: AdminDep, screens: ScreensDep,
                     settings: SettingsDep, request: Request) -> dict[str, Any]:
    """Name a hall screen; return its key and the URL to open on the projector (both shown
    only in this answer). 409: the name is taken or the wall has 50 screens."""
    try:
        screen, key = await screens.create(wall.slug, body.name)
    except ScreenError as err:
        raise HTTPException(409, str(err)) from None
    base = settings.public_url or str(request.base_url).rstrip("/")
    return {"id": screen.id, "name": screen.name, "key": key,
            "url": f"{base}/walls/{wall.slug}?screen={key}"}


@router.delete("/walls/{slug}/screens/{screen_id}", response_model=StatusOut,
               responses=errors(401, 403, (404, "No such wall or screen.")))
async def delete_screen(wall: WallDep, screen_id: int, _: AdminDep, screens: ScreensDep,
                        hub: HubDep) -> dict[str, str]:
    """Forget a named screen: its key stops working and an open one carries on as an
    anonymous viewer. 404: no such screen."""
    try:
        await screens.delete(wall.slug, screen_id)
    except KeyError:
        raise HTTPException(404, "no such screen") from None
    hub.forget_screen(wall.slug, screen_id)
    return {"status": "deleted"}


@router.put("/walls/{slug}/screens/{screen_id}/room", response_model=ScreenListOut,
            response_model_exclude_none=True,
            responses=errors(401, 403, (404, "No such wall or screen."), 422))
async def set_screen_room(wall: WallDep, screen_id: int, body: ScreenRoomIn, _: AdminDep,
                          screens: ScreensDep, walls: WallsDep) -> dict[str, Any]:
    """Put the named screen in a room of the programme (`null`: the whole wall again); it
    follows within seconds. 404: no such screen; 422: a bad room name."""
    try:
        screen = await screens.set_room(wall.slug, screen_id, body.room)
    except KeyError:
        raise HTTPException(404, "no such screen") from None
    except ScreenError as err:
        raise HTTPException(422, str(err)) from None
    # Screens learn of it by a `wall` event: the programme's revision changes.
    await walls.change(wall.slug, {"programme_rev": secrets.token_hex(4)})
    return {"id": screen.id, "name": screen.name, "room": screen.room, "connected": False}


@router.get("/walls/{slug}/screens/mine", response_model=ScreenSelfOut,
            responses=errors((404, "No such wall, or no screen has this key.")))
async def my_screen(wall: WallDep, screens: ScreensDep,
                    key: Annotated[str, Header(alias="X-Screen-Key", max_length=100)] = ""
                    ) -> dict[str, Any]:
    """Return the named screen whose key is in `X-Screen-Key`: its name and room (null: the
    whole wall). A hall screen opened with `?screen=KEY` asks this. 404: no such key."""
    screen = await screens.by_key(wall.slug, key)
    if screen is None:
        raise HTTPException(404, "no screen has this key")
    return {"id": screen.id, "name": screen.name, "room": screen.room}
