"""Moderation over HTTP: the auth matrix, login throttling, pre-moderation, two moderators,
blocks, undo and announcements, each seen through the public API and the live socket."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
import websockets

from app.models import Post
from app.settings import Settings, WallConfig
from tests.conftest import PASSWORD
from tests.web.conftest import Running, serve

EVIL = {"Origin": "https://evil.example"}


@asynccontextmanager
async def server_with_people(settings: Settings) -> AsyncIterator[tuple[Running, dict[str, httpx.AsyncClient]]]:
    """A server with users alice (moderator), bob (moderator), root (admin), a moderator token,
    and one logged-in HTTP client per principal plus an anonymous one."""
    async with serve(settings) as srv:
        accounts = srv.app.state.accounts
        for name, role in (("alice", "moderator"), ("bob", "moderator"), ("root", "admin")):
            await accounts.add_user(name, PASSWORD, role)
        token = await accounts.create_token("script", "moderator")
        clients: dict[str, httpx.AsyncClient] = {}
        for name in ("alice", "bob", "root"):
            c = httpx.AsyncClient(base_url=srv.url)
            r = await c.post("/api/v1/login", json={"username": name, "password": PASSWORD})
            assert r.status_code == 200, r.text
            clients[name] = c
        clients["token"] = httpx.AsyncClient(base_url=srv.url,
                                             headers={"Authorization": f"Bearer {token}"})
        clients["anon"] = httpx.AsyncClient(base_url=srv.url)
        try:
            yield srv, clients
        finally:
            for c in clients.values():
                await c.aclose()


MODERATOR_ROUTES = [
    ("GET", "/api/v1/walls/w/posts?state=pending", None),
    ("GET", "/api/v1/walls/w/posts?state=hidden", None),
    ("POST", "/api/v1/walls/w/posts/x:100001/hide", None),
    ("POST", "/api/v1/walls/w/posts/x:100001/approve", {"reason": "fine"}),
    ("POST", "/api/v1/walls/w/posts/x:100001/pin", None),
    ("GET", "/api/v1/walls/w/blocks", None),
    ("POST", "/api/v1/walls/w/blocks", {"kind": "keyword", "value": "zzz"}),
    ("DELETE", "/api/v1/walls/w/blocks", {"kind": "keyword", "value": "zzz"}),
    ("POST", "/api/v1/walls/w/announcements", {"text": "Coffee in hall B"}),
    ("DELETE", "/api/v1/walls/w/announcements/1", None),
    ("GET", "/api/v1/walls/w/audit", None),
    ("POST", "/api/v1/walls/w/audit/undo", None),
    ("GET", "/api/v1/walls/w/queue", None),
    ("GET", "/api/v1/me", None),
]
ADMIN_ROUTES = [
    ("POST", "/api/v1/walls", {"slug": "new", "hashtags": ["new"], "sources": []}),
    ("PATCH", "/api/v1/walls/w", {"title": "Renamed"}),
    ("GET", "/api/v1/users", None),
    ("POST", "/api/v1/users", {"username": "carol", "password": PASSWORD, "role": "moderator"}),
    ("DELETE", "/api/v1/users/nobody", None),
    ("GET", "/api/v1/tokens", None),
    ("POST", "/api/v1/tokens", {"name": "other"}),
    ("DELETE", "/api/v1/tokens/nothing", None),
    ("DELETE", "/api/v1/walls/new", None),
]


async def call(c: httpx.AsyncClient, method: str, url: str, body: Any,
               headers: dict[str, str] | None = None) -> httpx.Response:
    return await c.request(method, url, json=body, headers=headers)


async def test_auth_matrix(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """Anonymous: 401 everywhere; moderator and token: 403 on admin routes only; admin: allowed;
    a session from a foreign Origin may not change state; a bearer token may."""
    async with server_with_people(make_settings()) as (srv, c):
        await srv.admit("w", post_factory(1))
        for method, url, body in MODERATOR_ROUTES + ADMIN_ROUTES:
            r = await call(c["anon"], method, url, body)
            assert r.status_code == 401, (method, url, r.status_code)
            assert r.json()["detail"]
        for who in ("alice", "token", "root"):
            for method, url, body in MODERATOR_ROUTES:
                r = await call(c[who], method, url, body)
                assert r.status_code not in (401, 403), (who, method, url, r.status_code, r.text)
        for who in ("alice", "token"):
            for method, url, body in ADMIN_ROUTES:
                r = await call(c[who], method, url, body)
                assert r.status_code == 403, (who, method, url, r.status_code)
        for method, url, body in ADMIN_ROUTES:
            r = await call(c["root"], method, url, body)
            assert r.status_code not in (401, 403), (method, url, r.status_code, r.text)
        for method, url, body in MODERATOR_ROUTES + ADMIN_ROUTES:
            if method == "GET":
                continue
            r = await call(c["root"], method, url, body, EVIL)
            assert r.status_code == 403, (method, url, r.status_code)
            r = await call(c["root"], method, url, body, {"Sec-Fetch-Site": "cross-site"})
            assert r.status_code == 403, (method, url, r.status_code)
        r = await call(c["token"], "POST", "/api/v1/walls/w/posts/x:100001/hide", None, EVIL)
        assert r.status_code in (200, 409)


async def test_login_sets_a_strict_http_only_cookie(make_settings: Callable[..., Settings]) -> None:
    """The session cookie is HttpOnly and SameSite=Strict; logout ends the session."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        await srv.app.state.accounts.add_user("alice", PASSWORD, "moderator")
        r = await http.post("/api/v1/login", json={"username": "alice", "password": PASSWORD})
        cookie = r.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=strict" in cookie and "tw_session=" in cookie
        assert (await http.get("/api/v1/me")).json()["username"] == "alice"
        assert (await http.post("/api/v1/logout")).status_code == 200
        assert (await http.get("/api/v1/me")).status_code == 401


async def test_login_from_a_foreign_origin_is_refused(make_settings: Callable[..., Settings]) -> None:
    """A login posted by another site's page is refused (login CSRF)."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        await srv.app.state.accounts.add_user("alice", PASSWORD, "moderator")
        r = await http.post("/api/v1/login", json={"username": "alice", "password": PASSWORD},
                            headers=EVIL)
        assert r.status_code == 403


async def test_failed_logins_are_throttled_per_user_with_retry_after(make_settings: Callable[..., Settings]) -> None:
    """After five wrong passwords for one user, even the right one waits, with Retry-After."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        await srv.app.state.accounts.add_user("alice", PASSWORD, "moderator")
        for _ in range(5):
            r = await http.post("/api/v1/login", json={"username": "alice", "password": "wrong"})
            assert r.status_code == 401
        r = await http.post("/api/v1/login", json={"username": "alice", "password": PASSWORD})
        assert r.status_code == 429 and 1 <= int(r.headers["retry-after"]) <= 900
        # Another user from the same address is not locked out by alice's failures.
        await srv.app.state.accounts.add_user("bob", PASSWORD, "moderator")
        r = await http.post("/api/v1/login", json={"username": "bob", "password": PASSWORD})
        assert r.status_code == 200


async def test_failed_logins_are_throttled_per_address(make_settings: Callable[..., Settings]) -> None:
    """Twenty failures from one address, across usernames, block that address."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        for i in range(20):
            await http.post("/api/v1/login", json={"username": f"u{i}", "password": "wrong"})
        r = await http.post("/api/v1/login", json={"username": "fresh", "password": "x"})
        assert r.status_code == 429 and "retry-after" in r.headers


async def recv_until(ws: Any, predicate: Callable[[dict[str, Any]], bool], timeout: float = 3) -> dict[str, Any]:
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            if predicate(frame):
                return dict(frame)


async def test_pre_moderation_shows_nothing_until_approved(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """Under pre-moderation a new post reaches no public API, socket or snapshot until approved."""
    wall = WallConfig(slug="w", hashtags=["ASNR14"], sources=[], moderation="pre")
    async with server_with_people(make_settings(walls=[wall])) as (srv, c):
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            assert (await recv_until(ws, lambda f: f["type"] == "snapshot"))["posts"] == []
            await srv.admit("w", post_factory(1))
            assert (await c["anon"].get("/api/v1/walls/w/posts")).json() == []
            async with websockets.connect(f"{srv.ws}/ws/walls/w") as fresh:
                assert (await recv_until(fresh, lambda f: f["type"] == "snapshot"))["posts"] == []
            with pytest.raises(TimeoutError):
                await recv_until(ws, lambda f: f["type"] == "events", timeout=0.5)
            pending = (await c["alice"].get("/api/v1/walls/w/posts?state=pending")).json()
            assert [p["id"] for p in pending] == ["x:100001"]
            assert (await c["alice"].post("/api/v1/walls/w/posts/x:100001/approve")).status_code == 200
            frame = await recv_until(ws, lambda f: f["type"] == "events")
            assert frame["events"][0]["post"]["id"] == "x:100001"
        assert [p["id"] for p in (await c["anon"].get("/api/v1/walls/w/posts")).json()] == ["x:100001"]


async def test_two_moderators_never_act_twice(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """When alice and bob hide the same post at once, one succeeds and the other gets 409
    naming the state; the wall gets one remove event."""
    async with server_with_people(make_settings()) as (srv, c):
        await srv.admit("w", post_factory(1))
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            await recv_until(ws, lambda f: f["type"] == "snapshot")
            a, b = await asyncio.gather(
                c["alice"].post("/api/v1/walls/w/posts/x:100001/hide"),
                c["bob"].post("/api/v1/walls/w/posts/x:100001/hide"))
            assert sorted([a.status_code, b.status_code]) == [200, 409]
            loser = a if a.status_code == 409 else b
            assert "already hidden" in loser.json()["detail"]
            frame = await recv_until(ws, lambda f: f["type"] == "events")
            assert frame["events"] == [{"seq": 2, "type": "remove", "id": "x:100001"}]


async def test_console_feed_shows_each_moderators_decisions(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """Bob's console learns of alice's decision and of new queued posts, live."""
    async with server_with_people(make_settings()) as (srv, c):
        cookie = c["bob"].cookies.get("tw_session")
        headers = {"Cookie": f"tw_session={cookie}"}
        async with websockets.connect(f"{srv.ws}/ws/moderate/w", additional_headers=headers) as ws:
            assert (await recv_until(ws, lambda f: True))["type"] == "hello"
            await srv.admit("w", post_factory(1))
            first = await recv_until(ws, lambda f: f["type"] == "mod")
            assert first["items"][0]["post"]["id"] == "x:100001"
            await c["alice"].post("/api/v1/walls/w/posts/x:100001/pin")
            frame = await recv_until(ws, lambda f: f["type"] == "mod")
            item = frame["items"][0]
            assert (item["type"], item["action"], item["actor"]) == ("decision", "pin", "alice")


async def test_console_feed_sends_heartbeats(make_settings: Callable[..., Settings]) -> None:
    """A quiet console feed still gets heartbeats, so a dropped connection can be noticed."""
    async with server_with_people(make_settings()) as (srv, c):
        cookie = c["bob"].cookies.get("tw_session")
        async with websockets.connect(f"{srv.ws}/ws/moderate/w",
                                      additional_headers={"Cookie": f"tw_session={cookie}"}) as ws:
            await recv_until(ws, lambda f: f["type"] == "hello")
            assert (await recv_until(ws, lambda f: True, timeout=2))["type"] == "heartbeat"


async def test_console_feed_needs_a_login(make_settings: Callable[..., Settings]) -> None:
    """The moderators' socket refuses anonymous and foreign-origin handshakes."""
    async with server_with_people(make_settings()) as (srv, c):
        with pytest.raises(websockets.exceptions.InvalidStatus):
            async with websockets.connect(f"{srv.ws}/ws/moderate/w"):
                pass
        cookie = c["bob"].cookies.get("tw_session")
        with pytest.raises(websockets.exceptions.InvalidStatus):
            async with websockets.connect(f"{srv.ws}/ws/moderate/w", origin="https://evil.example",  # type: ignore[arg-type]
                                          additional_headers={"Cookie": f"tw_session={cookie}"}):
                pass


async def test_new_block_hides_posts_already_shown_and_undo_restores(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """Blocking an author removes their cards from screens at once; undo brings them back."""
    async with server_with_people(make_settings()) as (srv, c):
        for i in range(4):  # authors user0..user3
            await srv.admit("w", post_factory(i))
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            await recv_until(ws, lambda f: f["type"] == "snapshot")
            r = await c["alice"].post("/api/v1/walls/w/blocks", json={"kind": "author", "value": "@user2"})
            assert r.status_code == 201 and r.json()["hidden"] == ["x:100002"]
            frame = await recv_until(ws, lambda f: f["type"] == "events")
            assert frame["events"][0] == {"seq": 5, "type": "remove", "id": "x:100002"}
            # A new post by the blocked author never shows.
            await srv.admit("w", post_factory(9, author={"id": "2", "handle": "@user2"}))
            visible = {p["id"] for p in (await c["anon"].get("/api/v1/walls/w/posts")).json()}
            assert visible == {"x:100000", "x:100001", "x:100003"}
            r = await c["alice"].post("/api/v1/walls/w/audit/undo")
            assert r.status_code == 200
            frame = await recv_until(ws, lambda f: f["type"] == "events")
            assert frame["events"][0]["post"]["id"] == "x:100002"
        assert (await c["alice"].get("/api/v1/walls/w/blocks")).json() == []


async def test_undo_refuses_when_someone_acted_since(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """Alice's undo of her hide fails with 409 once bob has unhidden and pinned the post."""
    async with server_with_people(make_settings()) as (srv, c):
        await srv.admit("w", post_factory(1))
        await c["alice"].post("/api/v1/walls/w/posts/x:100001/hide", json={"reason": "spam"})
        await c["bob"].post("/api/v1/walls/w/posts/x:100001/unhide")
        r = await c["alice"].post("/api/v1/walls/w/audit/undo")
        assert r.status_code == 409
        audit = (await c["root"].get("/api/v1/walls/w/audit")).json()
        assert [(e["action"], e["actor"], e["reason"]) for e in audit] == [
            ("unhide", "bob", None), ("hide", "alice", "spam")]


async def test_announcements_reach_screens_and_snapshots(make_settings: Callable[..., Settings]) -> None:
    """An announcement arrives live and is part of a later snapshot until withdrawn."""
    async with server_with_people(make_settings()) as (srv, c):
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            await recv_until(ws, lambda f: f["type"] == "snapshot")
            r = await c["alice"].post("/api/v1/walls/w/announcements", json={"text": "Keynote in Hall A at 9:00"})
            assert r.status_code == 201
            frame = await recv_until(ws, lambda f: f["type"] == "events")
            assert frame["events"][0]["announcement"]["text"] == "Keynote in Hall A at 9:00"
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            snap = await recv_until(ws, lambda f: f["type"] == "snapshot")
            assert [a["text"] for a in snap["wall"]["announcements"]] == ["Keynote in Hall A at 9:00"]
        ann_id = r.json()["id"]
        assert (await c["alice"].delete(f"/api/v1/walls/w/announcements/{ann_id}")).status_code == 200
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            snap = await recv_until(ws, lambda f: f["type"] == "snapshot")
            assert snap["wall"]["announcements"] == []


async def test_admin_changes_reach_screens(make_settings: Callable[..., Settings]) -> None:
    """An admin's change of title or layout is a wall event; a bad value is a clear 422."""
    async with server_with_people(make_settings()) as (srv, c):
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            await recv_until(ws, lambda f: f["type"] == "snapshot")
            r = await c["root"].patch("/api/v1/walls/w", json={"title": "Day 2", "layout": "spotlight"})
            assert r.status_code == 200
            frame = await recv_until(ws, lambda f: f["type"] == "events")
            assert frame["events"][0]["wall"]["title"] == "Day 2"
            assert frame["events"][0]["wall"]["layout"] == "spotlight"
        r = await c["root"].patch("/api/v1/walls/w", json={"layout": "carousel"})
        assert r.status_code == 422 and "layout" in r.json()["detail"]
        r = await c["root"].post("/api/v1/walls", json={"slug": "day2", "hashtags": ["ASNR14"], "sources": []})
        assert r.status_code == 201
        async with websockets.connect(f"{srv.ws}/ws/walls/day2") as ws:
            assert (await recv_until(ws, lambda f: True))["type"] == "snapshot"
        r = await c["root"].post("/api/v1/walls", json={"slug": "Bad Slug"})
        assert r.status_code == 422


async def test_admin_deletes_a_wall(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """Deleting a wall disconnects its screens, removes it from the API and refuses new sockets."""
    async with server_with_people(make_settings()) as (srv, c):
        await srv.admit("w", post_factory(1))
        async with websockets.connect(f"{srv.ws}/ws/walls/w") as ws:
            await recv_until(ws, lambda f: f["type"] == "snapshot")
            assert (await c["alice"].delete("/api/v1/walls/w")).status_code == 403
            assert (await c["root"].delete("/api/v1/walls/w")).status_code == 200
            with pytest.raises(websockets.ConnectionClosed):
                await recv_until(ws, lambda f: False)
        assert (await c["anon"].get("/api/v1/walls/w")).status_code == 404
        assert (await c["anon"].get("/api/v1/walls")).json() == []
        with pytest.raises(websockets.exceptions.InvalidStatus):
            async with websockets.connect(f"{srv.ws}/ws/walls/w"):
                pass


async def test_sessions_end_after_the_idle_limit(make_settings: Callable[..., Settings]) -> None:
    """A session unused for longer than the idle limit no longer authenticates."""
    from datetime import timedelta

    async with server_with_people(make_settings()) as (srv, c):
        assert (await c["alice"].get("/api/v1/me")).status_code == 200
        srv.app.state.accounts.idle = timedelta(seconds=0)
        assert (await c["alice"].get("/api/v1/me")).status_code == 401
        srv.app.state.accounts.idle = timedelta(hours=4)
        srv.app.state.accounts.absolute = timedelta(seconds=0)
        assert (await c["bob"].get("/api/v1/me")).status_code == 401


async def test_moderation_actions_on_unknown_posts_are_404(make_settings: Callable[..., Settings]) -> None:
    """Acting on a post that is not on the wall is a 404, and a bad action a 422."""
    async with server_with_people(make_settings()) as (_, c):
        r = await c["alice"].post("/api/v1/walls/w/posts/x:999/hide")
        assert r.status_code == 404
        r = await c["alice"].post("/api/v1/walls/w/posts/x:999/explode")
        assert r.status_code == 422
        r = await c["alice"].post("/api/v1/walls/w/posts/mastodon:https://m.example/users/a/statuses/1/hide")
        assert r.status_code == 404 and "mastodon:https://m.example/users/a/statuses/1" in r.json()["detail"]


async def test_over_long_input_is_a_clear_422_and_changes_nothing(
        make_settings: Callable[..., Settings]) -> None:
    """A keyword past 300 characters, a reason past 500 or an announcement past 500 is refused
    with a 422 naming the field, and nothing is stored; the longest allowed keyword works."""
    async with server_with_people(make_settings()) as (_, c):
        for path, body, field in [
            ("/api/v1/walls/w/blocks", {"kind": "keyword", "value": "k" * 301}, "value"),
            ("/api/v1/walls/w/blocks", {"kind": "keyword", "value": "ok", "reason": "r" * 501},
             "reason"),
            ("/api/v1/walls/w/announcements", {"text": "a" * 501}, "text"),
        ]:
            r = await c["alice"].post(path, json=body)
            assert r.status_code == 422, (path, field)
            assert field in r.text
        assert (await c["alice"].get("/api/v1/walls/w/blocks")).json() == []
        r = await c["alice"].post("/api/v1/walls/w/blocks", json={"kind": "keyword", "value": "k" * 300})
        assert r.status_code == 201
