"""Moderator and admin accounts, server-side sessions and API tokens.

Passwords are hashed with argon2id (argon2-cffi), off the event loop. Session ids and API tokens
are 32 random bytes shown once; only their SHA-256 is stored, so a copy of the database opens no
session. A login for an unknown user still spends one hash, so timing does not reveal names.
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection

from app.clock import aware, utcnow
from app.settings import SLUG
from app.store.schema import api_tokens, sessions, user_walls, users
from app.store.store import Store, Tx

__all__ = ["AccountError", "Accounts", "Principal", "Role"]

Role = Literal["admin", "moderator"]
ROLES: tuple[Role, ...] = ("admin", "moderator")
# OWASP's argon2id floor (19 MiB, 2 passes, 1 lane): tens of milliseconds a login on a small
# machine that is also serving screens, instead of the library default's 64 MiB x 4 lanes.
_hasher = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
_DUMMY = _hasher.hash("not a real password")


class AccountError(ValueError):
    """A bad username, password, role or a name already taken; the message says which."""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a logged-in user or an API token, and the walls it may act on."""

    name: str
    role: Role
    via: Literal["session", "token"]
    walls: frozenset[str] | None = None  # None: every wall

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def may_moderate(self, slug: str) -> bool:
        """Return whether this principal may act on wall `slug` (admins: every wall)."""
        return self.is_admin or self.walls is None or slug in self.walls


def _scope(role: str, walls: Iterable[str]) -> list[str]:
    """Return the checked, de-duplicated wall slugs of a scope. Raises AccountError."""
    scope = list(dict.fromkeys(w.strip() for w in walls))
    if scope and role == "admin":
        raise AccountError("an admin has every wall; --wall is for moderators")
    for slug in scope:
        if not SLUG.match(slug):
            raise AccountError(f"not a wall slug: {slug!r}")
    return scope


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()



class Accounts:
    def __init__(self, store: Store, *, idle: timedelta = timedelta(hours=4),
                 absolute: timedelta = timedelta(hours=14)) -> None:
        self.store = store
        self.idle = idle
        self.absolute = absolute

    # -- users -----------------------------------------------------------------------------

    async def add_user(self, username: str, password: str, role: str,
                       walls: Iterable[str] = ()) -> None:
        """Create a user; a moderator given `walls` may act on those walls only, else on all.
        Raises AccountError for a bad or taken name, a short password, an unknown role or a
        bad wall slug."""
        username = username.strip()
        if not username or len(username) > 100 or not username.isprintable():
            raise AccountError("a username is 1 to 100 printable characters")
        if len(password) < 10:
            raise AccountError("a password has at least 10 characters")
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        scope = _scope(role, walls)
        hashed = await asyncio.to_thread(_hasher.hash, password)

        async def run(tx: Tx) -> None:
            try:
                res = await tx.conn.execute(insert(users).values(
                    username=username, password_hash=hashed, role=role, created_at=utcnow()))
            except IntegrityError:
                raise AccountError(f"user {username!r} exists") from None
            uid = res.inserted_primary_key[0] if res.inserted_primary_key else None
            for slug in scope:
                await tx.conn.execute(insert(user_walls).values(user_id=uid, wall_slug=slug))

        await self.store.write(run)

    async def set_password(self, username: str, password: str) -> None:
        """Replace the user's password and end their sessions. Raises KeyError, AccountError."""
        if len(password) < 10:
            raise AccountError("a password has at least 10 characters")
        hashed = await asyncio.to_thread(_hasher.hash, password)

        async def run(tx: Tx) -> None:
            uid = (await tx.conn.execute(select(users.c.id).where(users.c.username == username))
                   ).scalar_one_or_none()
            if uid is None:
                raise KeyError(username)
            await tx.conn.execute(update(users).where(users.c.id == uid)
                                  .values(password_hash=hashed))
            await tx.conn.execute(delete(sessions).where(sessions.c.user_id == uid))

        await self.store.write(run)

    async def users(self) -> list[dict[str, Any]]:
        """Return every user with role, creation time and walls (null: every wall)."""
        async with self.store.engine.connect() as conn:
            rows = (await conn.execute(select(users.c.id, users.c.username, users.c.role,
                                              users.c.created_at)
                                       .order_by(users.c.username))).all()
            scopes = await _user_scopes(conn)
        return [{"username": r.username, "role": r.role,
                 "created_at": aware(r.created_at).isoformat(),
                 "walls": sorted(scopes[r.id]) if r.id in scopes else None} for r in rows]

    async def delete_user(self, username: str) -> None:
        """Delete the user and their sessions. Raises KeyError if there is none."""
        async def run(tx: Tx) -> None:
            uid = (await tx.conn.execute(select(users.c.id).where(users.c.username == username))
                   ).scalar_one_or_none()
            if uid is None:
                raise KeyError(username)
            await tx.conn.execute(delete(sessions).where(sessions.c.user_id == uid))
            await tx.conn.execute(delete(users).where(users.c.id == uid))

        await self.store.write(run)

    async def authenticate(self, username: str, password: str) -> Principal | None:
        """Return the user if the password is right, else None."""
        async with self.store.engine.connect() as conn:
            row = (await conn.execute(select(users.c.id, users.c.username, users.c.password_hash,
                                             users.c.role).where(users.c.username == username))
                   ).first()
            scopes = await _user_scopes(conn, row.id) if row else {}
        stored = row.password_hash if row else _DUMMY
        try:
            await asyncio.to_thread(_hasher.verify, stored, password)
        except (VerificationError, InvalidHashError):
            return None
        if row is None:
            return None
        return Principal(row.username, row.role, "session", _frozen(scopes.get(row.id)))

    # -- sessions --------------------------------------------------------------------------

    async def create_session(self, username: str) -> str:
        """Return a new session id for `username` (to be set as a cookie)."""
        token = secrets.token_urlsafe(32)

        async def run(tx: Tx) -> None:
            uid = (await tx.conn.execute(select(users.c.id).where(users.c.username == username))
                   ).scalar_one()
            await tx.conn.execute(insert(sessions).values(
                id_hash=_digest(token), user_id=uid, created_at=utcnow(), last_seen=utcnow()))

        await self.store.write(run)
        return token

    async def session(self, token: str, *, touch: bool = True) -> Principal | None:
        """Return the session's user, or None if unknown or past its idle or absolute limit.
        With `touch`, the call counts as activity (a console's re-check does not)."""
        if not token or len(token) > 200:
            return None
        async with self.store.engine.connect() as conn:
            row = (await conn.execute(
                select(sessions.c.created_at, sessions.c.last_seen, users.c.id, users.c.username,
                       users.c.role)
                .join(users, users.c.id == sessions.c.user_id)
                .where(sessions.c.id_hash == _digest(token)))).first()
            scopes = await _user_scopes(conn, row.id) if row else {}
        if row is None:
            return None
        current = utcnow()
        if (current - aware(row.created_at) > self.absolute
                or current - aware(row.last_seen) > self.idle):
            await self.end_session(token)
            return None
        if touch and current - aware(row.last_seen) > timedelta(minutes=1):
            async def seen(tx: Tx) -> None:
                await tx.conn.execute(update(sessions).where(
                    sessions.c.id_hash == _digest(token)).values(last_seen=current))

            await self.store.write(seen)
        return Principal(row.username, row.role, "session", _frozen(scopes.get(row.id)))

    async def end_session(self, token: str) -> None:
        async def run(tx: Tx) -> None:
            await tx.conn.execute(delete(sessions).where(sessions.c.id_hash == _digest(token)))

        await self.store.write(run)

    # -- API tokens ------------------------------------------------------------------------

    async def create_token(self, name: str, role: str = "moderator",
                           walls: Iterable[str] = ()) -> str:
        """Return a new API token (shown once); a moderator token given `walls` acts on those
        walls only. Raises AccountError for a taken name, a bad role or wall slug."""
        if role not in ROLES:
            raise AccountError(f"role must be one of {', '.join(ROLES)}")
        if not name.strip() or len(name) > 100:
            raise AccountError("a token name is 1 to 100 characters")
        scope = _scope(role, walls)
        token = "tw_" + secrets.token_urlsafe(32)

        async def run(tx: Tx) -> None:
            try:
                await tx.conn.execute(insert(api_tokens).values(
                    name=name.strip(), token_hash=_digest(token), role=role, created_at=utcnow(),
                    walls=scope or None))
            except IntegrityError:
                raise AccountError(f"token {name!r} exists") from None

        await self.store.write(run)
        return token

    async def token(self, token: str) -> Principal | None:
        """Return the token's principal, or None for an unknown token."""
        if not token.startswith("tw_") or len(token) > 200:
            return None
        async with self.store.engine.connect() as conn:
            row = (await conn.execute(select(api_tokens.c.name, api_tokens.c.role,
                                             api_tokens.c.walls)
                                      .where(api_tokens.c.token_hash == _digest(token)))).first()
        if row is None:
            return None
        return Principal(f"token:{row.name}", row.role, "token", _frozen(row.walls))

    async def tokens(self) -> list[dict[str, Any]]:
        """Return every token's name, role, creation time and walls (null: every wall)."""
        async with self.store.engine.connect() as conn:
            rows = (await conn.execute(select(api_tokens.c.name, api_tokens.c.role,
                                              api_tokens.c.created_at, api_tokens.c.walls))).all()
        return [{"name": r.name, "role": r.role, "created_at": aware(r.created_at).isoformat(),
                 "walls": r.walls} for r in rows]

    async def delete_token(self, name: str) -> None:
        async def run(tx: Tx) -> None:
            res = await tx.conn.execute(delete(api_tokens).where(api_tokens.c.name == name))
            if res.rowcount == 0:
                raise KeyError(name)

        await self.store.write(run)


async def _user_scopes(conn: AsyncConnection, user_id: int | None = None) -> dict[int, set[str]]:
    """Return the wall slugs of each scoped user (of one user when `user_id` is given)."""
    stmt = select(user_walls.c.user_id, user_walls.c.wall_slug)
    if user_id is not None:
        stmt = stmt.where(user_walls.c.user_id == user_id)
    scopes: dict[int, set[str]] = {}
    for row in await conn.execute(stmt):
        scopes.setdefault(row.user_id, set()).add(row.wall_slug)
    return scopes


def _frozen(walls: Iterable[str] | None) -> frozenset[str] | None:
    return frozenset(walls) if walls else None
