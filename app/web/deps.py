"""Named dependency types. They take `HTTPConnection` so HTTP and WebSocket routes share them;
the objects themselves are built in the lifespan (app.main) and kept on `app.state`."""

from __future__ import annotations

from typing import Annotated

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
]


def get_settings(conn: HTTPConnection) -> Settings:
    settings: Settings = conn.app.state.settings
    return settings


def get_store(conn: HTTPConnection) -> Store:
    store: Store = conn.app.state.store
    return store


def get_hub(conn: HTTPConnection) -> Hub:
    hub: Hub = conn.app.state.hub
    return hub


def get_ingest(conn: HTTPConnection) -> Ingest:
    ingest: Ingest = conn.app.state.ingest
    return ingest


def get_walls(conn: HTTPConnection) -> Walls:
    walls: Walls = conn.app.state.walls
    return walls


def get_decisions(conn: HTTPConnection) -> Decisions:
    decisions: Decisions = conn.app.state.decisions
    return decisions


def get_announcements(conn: HTTPConnection) -> Announcements:
    announcements: Announcements = conn.app.state.announcements
    return announcements


def get_screens(conn: HTTPConnection) -> Screens:
    screens: Screens = conn.app.state.screens
    return screens


def get_wall(slug: str, store: Annotated[Store, Depends(get_store)]) -> WallInfo:
    """Return the wall named in the path. Raises 404 for an unknown slug."""
    try:
        return store.wall(slug)
    except WallNotFound:
        raise HTTPException(404, f"no wall {slug!r}") from None


SettingsDep = Annotated[Settings, Depends(get_settings)]
StoreDep = Annotated[Store, Depends(get_store)]
HubDep = Annotated[Hub, Depends(get_hub)]
IngestDep = Annotated[Ingest, Depends(get_ingest)]
WallsDep = Annotated[Walls, Depends(get_walls)]
DecisionsDep = Annotated[Decisions, Depends(get_decisions)]
AnnouncementsDep = Annotated[Announcements, Depends(get_announcements)]
ScreensDep = Annotated[Screens, Depends(get_screens)]
WallDep = Annotated[WallInfo, Depends(get_wall)]
