"""Named dependency types. They take `HTTPConnection` so HTTP and WebSocket routes share them;
the objects themselves are built in the lifespan (app.main) and kept on `app.state`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import Depends, HTTPException
from starlette.requests import HTTPConnection

from app.hub import Hub
from app.ingest import Ingest
from app.settings import Settings
from app.store import Store, WallInfo, WallNotFound
from app.store.announcements import Announcements
from app.store.decisions import Decisions
from app.store.screens import Screens
from app.walls import Walls

T = TypeVar("T")

__all__ = [
    "AnnouncementsDep",
    "DecisionsDep",
    "HubDep",
    "IngestDep",
    "ScreensDep",
    "SettingsDep",
    "StoreDep",
    "WallDep",
    "WallsDep",
    "state",
]


def state(name: str, kind: type[T]) -> Callable[[HTTPConnection], T]:
    """Return a dependency giving `app.state.<name>`, one of the objects the lifespan built."""
    def dependency(conn: HTTPConnection) -> T:
        value: T = getattr(conn.app.state, name)
        return value

    dependency.__name__ = f"get_{name}"
    return dependency


get_store = state("store", Store)


def get_wall(slug: str, store: Annotated[Store, Depends(get_store)]) -> WallInfo:
    """Return the wall named in the path. Raises 404 for an unknown slug."""
    try:
        return store.wall(slug)
    except WallNotFound:
        raise HTTPException(404, f"no wall {slug!r}") from None


SettingsDep = Annotated[Settings, Depends(state("settings", Settings))]
StoreDep = Annotated[Store, Depends(get_store)]
HubDep = Annotated[Hub, Depends(state("hub", Hub))]
IngestDep = Annotated[Ingest, Depends(state("ingest", Ingest))]
WallsDep = Annotated[Walls, Depends(state("walls", Walls))]
DecisionsDep = Annotated[Decisions, Depends(state("decisions", Decisions))]
AnnouncementsDep = Annotated[Announcements, Depends(state("announcements", Announcements))]
ScreensDep = Annotated[Screens, Depends(state("screens", Screens))]
WallDep = Annotated[WallInfo, Depends(get_wall)]
