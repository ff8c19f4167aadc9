"""Admin routes: walls, users and API tokens. Every route needs the admin role."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field, ValidationError

from app.settings import WallConfig
from app.store.accounts import AccountError
from app.web.auth import AccountsDep, AdminDep
from app.web.deps import StoreDep, WallDep

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
async def create_wall(wall: WallConfig, request: Request, store: StoreDep,
                      _: AdminDep) -> dict[str, Any]:
    """Create a wall and start its sources. 409 if the slug is taken."""
    if wall.slug in {w.slug for w in store.walls()}:
        raise HTTPException(409, f"wall {wall.slug!r} exists")
    await request.app.state.open_wall(wall)
    return store.wall(wall.slug).public()


@router.patch("/walls/{slug}")
async def change_wall(wall: WallDep, changes: dict[str, Any], store: StoreDep,
                      _: AdminDep) -> dict[str, Any]:
    """Change a wall's title, hashtags, layout, theme, moderation mode or rules; screens
    follow at once. Sources are not restarted by this call."""
    if "slug" in changes:
        raise HTTPException(422, "a wall's slug cannot change")
    merged = {**wall.config, "title": wall.title, **changes, "slug": wall.slug}
    try:
        cfg = WallConfig.model_validate(merged)
    except ValidationError as err:
        first = err.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise HTTPException(422, f"{where}: {first['msg']}") from None
    config = cfg.model_dump(mode="json", exclude={"slug", "title"})
    store.forget_rules(wall.slug)
    return (await store.ensure_wall(wall.slug, cfg.title or wall.title, config)).public()


@router.delete("/walls/{slug}")
async def delete_wall(_: AdminDep, wall: WallDep, request: Request,
                      store: StoreDep) -> dict[str, str]:
    """Delete a wall: its sources stop, its screens are disconnected, its data is removed.
    A wall declared in the config file comes back at the next start."""
    await request.app.state.ingest.stop(wall.slug)
    request.app.state.hub.remove_wall(wall.slug)
    await store.delete_wall(wall.slug)
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
