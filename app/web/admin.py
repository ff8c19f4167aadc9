"""Admin routes: walls, users and API tokens. Every route needs the admin role."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException
from pydantic import BaseModel, Field

from app.settings import WallConfig
from app.store.accounts import AccountError
from app.walls import InvalidWall, WallExists, public
from app.web.auth import AccountsDep, AdminDep
from app.web.deps import WallDep, WallsDep

__all__ = ["router"]

router = APIRouter(prefix="/api/v1")


class UserIn(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=10, max_length=1000)
    role: str = "moderator"


class TokenIn(BaseModel):
    name: str = Field(min_length=1, max_length=100)
    role: str = "moderator"


@router.post("/walls", status_code=201)
async def create_wall(wall: WallConfig, walls: WallsDep, _: AdminDep) -> dict[str, Any]:
    """Create a wall and start its sources. 409 if the slug is taken."""
    try:
        return public(await walls.open(wall))
    except WallExists as err:
        raise HTTPException(409, str(err)) from None


@router.patch("/walls/{slug}")
async def change_wall(wall: WallDep, changes: dict[str, Any], walls: WallsDep,
                      _: AdminDep) -> dict[str, Any]:
    """Change a wall's title, hashtags, layout, theme, moderation mode or rules; screens
    follow at once. Sources are not restarted by this call."""
    try:
        return public(await walls.change(wall.slug, changes))
    except InvalidWall as err:
        raise HTTPException(422, str(err)) from None


@router.delete("/walls/{slug}")
async def delete_wall(_: AdminDep, wall: WallDep, walls: WallsDep) -> dict[str, str]:
    """Delete a wall: its sources stop, its screens are disconnected, its data is removed.
    A wall declared in the config file comes back at the next start."""
    await walls.close(wall.slug)
    return {"status": "deleted"}


@router.get("/users")
async def list_users(accounts: AccountsDep, _: AdminDep) -> list[dict[str, Any]]:
    return await accounts.users()


@router.post("/users", status_code=201)
async def add_user(body: UserIn, accounts: AccountsDep, _: AdminDep) -> dict[str, str]:
    try:
        await accounts.add_user(body.username, body.password, body.role)
    except AccountError as err:
        raise HTTPException(409 if "exists" in str(err) else 422, str(err)) from None
    return {"username": body.username, "role": body.role}


@router.delete("/users/{username}")
async def delete_user(username: str, accounts: AccountsDep, _: AdminDep) -> dict[str, str]:
    try:
        await accounts.delete_user(username)
    except KeyError:
        raise HTTPException(404, "no such user") from None
    return {"status": "deleted"}


@router.get("/tokens")
async def list_tokens(accounts: AccountsDep, _: AdminDep) -> list[dict[str, Any]]:
    return await accounts.tokens()


@router.post("/tokens", status_code=201)
async def create_token(body: TokenIn, accounts: AccountsDep, _: AdminDep) -> dict[str, str]:
    """Create an API token; the value is shown only in this answer."""
    try:
        token = await accounts.create_token(body.name, body.role)
    except AccountError as err:
        raise HTTPException(409 if "exists" in str(err) else 422, str(err)) from None
    return {"name": body.name, "role": body.role, "token": token}


@router.delete("/tokens/{name}")
async def delete_token(name: str, accounts: AccountsDep, _: AdminDep) -> dict[str, str]:
    try:
        await accounts.delete_token(name)
    except KeyError:
        raise HTTPException(404, "no such token") from None
    return {"status": "deleted"}
