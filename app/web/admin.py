"""Admin routes: walls, users and API tokens. Every route needs the admin role.

No login: 401. Not an admin, or a browser session's request from another site: 403. Errors are
JSON `{"detail": "..."}`; answers are described by the models of app/web/schemas/.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from app.settings import WallConfig
from app.store.accounts import AccountError
from app.walls import InvalidWall, WallExists, public
from app.web.auth import AccountsDep, AdminDep
from app.web.deps import WallDep, WallsDep
from app.web.schemas import (
    StatusOut,
    TokenCreatedOut,
    TokenOut,
    UserCreatedOut,
    UserOut,
    WallOut,
    errors,
)

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")


_WALLS = "walls a moderator may act on; empty: every wall"


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=10, max_length=1000)
    role: str = "moderator"
    walls: list[str] = Field(default_factory=list, max_length=200, description=_WALLS)


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: str = "moderator"
    walls: list[str] = Field(default_factory=list, max_length=200, description=_WALLS)


@router.post("/walls", status_code=201, response_model=WallOut,
             responses=errors(401, 403, (409, "A wall with this slug exists."),
                              (422, "Invalid settings, or a replay file or Mastodon instance "
                                    "the server may not reach; `detail` says which.")))
async def create_wall(wall: WallConfig, walls: WallsDep, _: AdminDep) -> dict[str, Any]:
    """Create a wall and start its sources; return its public settings. 409 if the slug is
    taken; 422 for invalid settings, a replay file outside the replay folder or a Mastodon
    instance that is not a public https host."""
    try:
        return public(await walls.open(wall))
    except WallExists as err:
        raise HTTPException(409, str(err)) from None
    except InvalidWall as err:
        raise HTTPException(422, str(err)) from None


@router.patch("/walls/{slug}", response_model=WallOut,
              responses=errors(401, 403, 404, (422, "The change would make the wall's settings "
                                                     "invalid; `detail` names the field.")))
async def change_wall(wall: WallDep, changes: dict[str, Any], walls: WallsDep,
                      _: AdminDep) -> dict[str, Any]:
    """Change a wall's title, hashtags, layout, theme, moderation mode or rules; screens
    follow at once. Sources are not restarted by this call. Return the public settings.
    422: the change is invalid (or tries to change the slug)."""
    try:
        return public(await walls.change(wall.slug, changes))
    except InvalidWall as err:
        raise HTTPException(422, str(err)) from None


@router.delete("/walls/{slug}", response_model=StatusOut, responses=errors(401, 403, 404))
async def delete_wall(_: AdminDep, wall: WallDep, walls: WallsDep) -> dict[str, str]:
    """Delete a wall: its sources stop, its screens are disconnected, its data is removed.
    A wall declared in the config file comes back at the next start. Return
    `{"status": "deleted"}`."""
    await walls.close(wall.slug)
    return {"status": "deleted"}


@router.get("/users", response_model=list[UserOut], responses=errors(401, 403))
async def list_users(accounts: AccountsDep, _: AdminDep) -> list[dict[str, Any]]:
    """Return every user with role, creation time and the walls it may act on."""
    return await accounts.users()


@router.post("/users", status_code=201, response_model=UserCreatedOut,
             responses=errors(401, 403, (409, "The username is taken."),
                              (422, "A bad username, a short password or an unknown role.")))
async def add_user(body: UserIn, accounts: AccountsDep, _: AdminDep) -> dict[str, Any]:
    """Create a user (a moderator given `walls` acts on those only); return its name, role and
    walls. 409: the name is taken; 422: a bad name, password, role or wall slug."""
    try:
        await accounts.add_user(body.username, body.password, body.role, body.walls)
    except AccountError as err:
        raise HTTPException(409 if "exists" in str(err) else 422, str(err)) from None
    return {"username": body.username, "role": body.role, "walls": body.walls or None}


@router.delete("/users/{username}", response_model=StatusOut,
               responses=errors(401, 403, (404, "No such user.")))
async def delete_user(username: str, accounts: AccountsDep, _: AdminDep) -> dict[str, str]:
    """Delete a user and end their sessions; return `{"status": "deleted"}`. 404: no such
    user."""
    try:
        await accounts.delete_user(username)
    except KeyError:
        raise HTTPException(404, "no such user") from None
    return {"status": "deleted"}


@router.get("/tokens", response_model=list[TokenOut], responses=errors(401, 403))
async def list_tokens(accounts: AccountsDep, _: AdminDep) -> list[dict[str, Any]]:
    """Return every API token's name, role, creation time and walls (never its value)."""
    return await accounts.tokens()


@router.post("/tokens", status_code=201, response_model=TokenCreatedOut,
             responses=errors(401, 403, (409, "A token with this name exists."),
                              (422, "A bad name or an unknown role.")))
async def create_token(body: TokenIn, accounts: AccountsDep, _: AdminDep) -> dict[str, Any]:
    """Create an API token (a moderator token given `walls` acts on those only); return it
    with its name, role and walls: the value is shown only in this answer. 409: the name is
    taken; 422: a bad name, role or wall slug."""
    try:
        token = await accounts.create_token(body.name, body.role, body.walls)
    except AccountError as err:
        raise HTTPException(409 if "exists" in str(err) else 422, str(err)) from None
    return {"name": body.name, "role": body.role, "token": token, "walls": body.walls or None}


@router.delete("/tokens/{name}", response_model=StatusOut,
               responses=errors(401, 403, (404, "No such token.")))
async def delete_token(name: str, accounts: AccountsDep, _: AdminDep) -> dict[str, str]:
    """Revoke an API token; return `{"status": "deleted"}`. 404: no such token."""
    try:
        await accounts.delete_token(name)
    except KeyError:
        raise HTTPException(404, "no such token") from None
    return {"status": "deleted"}
