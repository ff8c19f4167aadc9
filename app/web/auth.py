"""Login, sessions, API tokens and the role checks every moderator and admin route uses.

- `POST /api/v1/login` sets a server-side session cookie (random id, HttpOnly, SameSite=Strict,
  Secure over https); failures are throttled per address and per (username, address) with
  `Retry-After`: a stranger's wrong guesses never lock the real user out, who still signs in
  from their own address. Behind a proxy the address is the client's only when the proxy is
  trusted (`TWEETWALL_FORWARDED_ALLOW_IPS`); otherwise `X-Forwarded-For` is ignored.
- A request with a session that changes state must come from our own origin (`Origin`, and
  `Sec-Fetch-Site` when the browser sends it); bearer-token requests are exempt (no ambient
  credential for another site to ride on).
- No principal: 401. Wrong role, or a moderator scoped to other walls: 403.
"""

from __future__ import annotations

import time
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from limits import RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter
from pydantic import BaseModel, Field
from starlette.requests import HTTPConnection

from app.store.accounts import Accounts, Principal
from app.web.deps import state
from app.web.schemas import LoginOut, MeOut, StatusOut, errors
from app.web.security import origin_allowed

__all__ = [
    "COOKIE",
    "AccountsDep",
    "AdminDep",
    "LoginThrottle",
    "MaybePrincipalDep",
    "ModeratorDep",
    "authenticate",
    "check_wall",
    "router",
]

COOKIE = "tw_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

router = APIRouter(prefix="/api/v1")


class LoginThrottle:
    """Failed logins allowed per address, and per (username, address), in a moving 15-minute
    window. Never per username alone: that would let anyone lock a documented name out."""

    def __init__(self, per_address: int = 20, per_user_address: int = 5) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._address = RateLimitItemPerMinute(per_address, 15)
        self._pair = RateLimitItemPerMinute(per_user_address, 15)

    def _keys(self, address: str, username: str) -> tuple[tuple[Any, str], ...]:
        return ((self._address, f"ip:{address}"),
                (self._pair, f"user:{username.casefold()}|ip:{address}"))

    async def retry_after(self, address: str, username: str) -> int | None:
        """Return seconds to wait if either key is over its limit, else None."""
        for item, key in self._keys(address, username):
            if not await self._limiter.test(item, key):
                stats = await self._limiter.get_window_stats(item, key)
                return max(1, int(stats.reset_time - time.time()) + 1)
        return None

    async def failed(self, address: str, username: str) -> None:
        for item, key in self._keys(address, username):
            await self._limiter.hit(item, key)


AccountsDep = Annotated[Accounts, Depends(state("accounts", Accounts))]


async def authenticate(conn: HTTPConnection, accounts: Accounts, *,
                       touch: bool = True) -> Principal | None:
    """Return who is calling: a bearer token, else the session cookie, else None. Without
    `touch` the check does not count as the session's activity."""
    header = conn.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return await accounts.token(header[7:].strip())
    cookie = conn.cookies.get(COOKIE)
    return await accounts.session(cookie, touch=touch) if cookie else None


def check_same_origin(conn: HTTPConnection) -> None:
    """Refuse (403) a state-changing browser request coming from another site."""
    settings = conn.app.state.settings
    if conn.headers.get("sec-fetch-site") in ("cross-site", "same-site"):
        raise HTTPException(403, "cross-site request refused")
    if not origin_allowed(conn.headers.get("origin"), conn.headers.get("host"),
                          settings.allowed_origins):
        raise HTTPException(403, "foreign Origin refused")


async def maybe_principal(conn: HTTPConnection, accounts: AccountsDep) -> Principal | None:
    return await authenticate(conn, accounts)


MaybePrincipalDep = Annotated[Principal | None, Depends(maybe_principal)]


def check_wall(principal: Principal, slug: str | None) -> None:
    """Refuse (403) a principal acting on a wall outside its scope."""
    if slug is not None and not principal.may_moderate(slug):
        raise HTTPException(403, f"not a moderator of wall {slug!r}")


def _require(admin: bool) -> Any:
    async def dependency(conn: HTTPConnection, principal: MaybePrincipalDep) -> Principal:
        if principal is None:
            raise HTTPException(401, "login required", headers={"WWW-Authenticate": "Bearer"})
        if admin and not principal.is_admin:
            raise HTTPException(403, "admin role required")
        check_wall(principal, conn.path_params.get("slug"))
        method = conn.scope.get("method", "GET")
        if principal.via == "session" and method not in SAFE_METHODS:
            check_same_origin(conn)
        return principal

    return dependency


ModeratorDep = Annotated[Principal, Depends(_require(admin=False))]
AdminDep = Annotated[Principal, Depends(_require(admin=True))]


class Login(BaseModel):
    username: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=1000)


@router.post("/login", response_model=LoginOut,
             responses=errors((401, "Wrong username or password."),
                              (403, "The login form was posted from another site."), 429))
async def login(body: Login, request: Request, response: Response,
                accounts: AccountsDep) -> dict[str, str]:
    """Check the password and set the session cookie; return who is logged in. 401: wrong
    username or password; 403: posted from another site; 429: too many failures (see
    `Retry-After`)."""
    check_same_origin(request)
    throttle: LoginThrottle = request.app.state.login_throttle
    ip = request.client.host if request.client else "?"
    wait = await throttle.retry_after(ip, body.username)
    if wait is not None:
        raise HTTPException(429, "too many failed logins; try again later",
                            headers={"Retry-After": str(wait)})
    principal = await accounts.authenticate(body.username, body.password)
    if principal is None:
        await throttle.failed(ip, body.username)
        raise HTTPException(401, "wrong username or password")
    token = await accounts.create_session(principal.name)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/",
                        max_age=int(accounts.absolute.total_seconds()))
    return {"username": principal.name, "role": principal.role}


@router.post("/logout", response_model=StatusOut,
             responses=errors((403, "The request came from another site.")))
async def logout(request: Request, response: Response, accounts: AccountsDep) -> dict[str, str]:
    """End the session and clear its cookie; return `{"status": "logged out"}` (also without
    a session). 403: posted from another site."""
    check_same_origin(request)
    cookie = request.cookies.get(COOKIE)
    if cookie:
        await accounts.end_session(cookie)
    response.delete_cookie(COOKIE, path="/")
    return {"status": "logged out"}


@router.get("/me", response_model=MeOut, responses=errors(401))
async def me(principal: ModeratorDep) -> dict[str, str]:
    """Return who is calling, their role and how (session or token). 401: nobody."""
    return {"username": principal.name, "role": principal.role, "via": principal.via}
