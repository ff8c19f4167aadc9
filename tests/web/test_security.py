"""The holes a security review found, each pinned by a test that failed before its fix."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from app.models import Post
from app.settings import Settings, WallConfig
from tests.fakes.mastodon_api import FakeMastodon, make_status
from tests.helpers import until
from tests.web.conftest import PASSWORD, Running, logged_in, serve


@pytest.fixture
async def mastodons() -> AsyncIterator[tuple[FakeMastodon, FakeMastodon]]:
    """Two stand-in Mastodon servers: the operator's own, and one an admin could name."""
    own, foreign = FakeMastodon(), FakeMastodon()
    await own.start()
    await foreign.start()
    yield own, foreign
    await own.stop()
    await foreign.stop()


async def test_the_mastodon_token_never_goes_to_a_server_a_wall_names(
    make_settings: Callable[..., Settings], mastodons: tuple[FakeMastodon, FakeMastodon]
) -> None:
    """A wall created over the API with a foreign instance first: the operator's token still
    goes only to the operator's instance, never to the foreign one."""
    own, foreign = mastodons
    own.publish(make_status(1))
    foreign.publish(make_status(2))
    settings = make_settings(mastodon_instances=[own.base], mastodon_token="secret",
                             allow_private_instances=True)
    async with serve(settings) as srv:
        admin = await logged_in(srv, "root")
        r = await admin.post("/api/v1/walls", json={
            "slug": "evil", "hashtags": ["ASNR14"], "sources": ["mastodon"],
            "mastodon_instances": [foreign.base, own.base]})
        assert r.status_code == 201, r.text
        await until(lambda: bool(own.auth_seen) and bool(foreign.auth_seen), 10)
        await admin.aclose()
    assert set(foreign.auth_seen) == {None}
    assert set(own.auth_seen) == {"Bearer secret"}


async def _raw_request(url: str, head: str) -> str:
    """Send only a request's head (no body) and return the status line of the answer."""
    host, port = url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    writer.write(head.encode())
    await writer.drain()
    try:
        async with asyncio.timeout(5):
            return (await reader.readline()).decode().strip()
    finally:
        writer.close()


async def test_an_anonymous_body_is_refused_before_it_is_read(
    make_settings: Callable[..., Settings]
) -> None:
    """An anonymous 40 MB POST to a moderator route is answered 401 from its head alone: the
    server never waits for, reads or parses the body."""
    async with serve(make_settings()) as srv:
        head = ("POST /api/v1/walls/w/blocks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                "Content-Type: application/json\r\nContent-Length: 41943040\r\n\r\n")
        assert (await _raw_request(srv.url, head)).startswith("HTTP/1.1 401")


async def test_oversized_bodies_get_413_declared_or_not(
    make_settings: Callable[..., Settings]
) -> None:
    """A signed-in request with a 1 MB JSON body gets 413 from its declared length alone, or
    once 64 KiB of a chunked body have arrived; a normal body still works."""
    async with serve(make_settings()) as srv:
        token = await srv.app.state.accounts.create_token("script", "admin")
        auth = f"Authorization: Bearer {token}\r\nContent-Type: application/json\r\n"
        line = "POST /api/v1/walls/w/blocks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        declared = await _raw_request(srv.url, f"{line}{auth}Content-Length: 1000000\r\n\r\n")
        chunk = "x" * 16384
        body = "".join(f"{len(chunk):x}\r\n{chunk}\r\n" for _ in range(6))
        streamed = await _raw_request(
            srv.url, f"{line}{auth}Transfer-Encoding: chunked\r\n\r\n{body}")
        fine = await httpx.AsyncClient(base_url=srv.url).post(
            "/api/v1/walls/w/blocks", json={"kind": "keyword", "value": "spam"},
            headers={"Authorization": f"Bearer {token}"})
    assert declared.startswith("HTTP/1.1 413") and streamed.startswith("HTTP/1.1 413")
    assert fine.status_code == 201


async def test_a_strangers_wrong_guesses_never_lock_the_moderator_out(
    make_settings: Callable[..., Settings]
) -> None:
    """Five wrong passwords for `moderator` from one address throttle that address only: the
    real moderator, from another address (told by a trusted proxy), still signs in."""
    async with serve(make_settings(forwarded_allow_ips=["127.0.0.1"])) as srv:
        await srv.app.state.accounts.add_user("moderator", PASSWORD, "moderator")
        async with httpx.AsyncClient(base_url=srv.url) as c:
            def attempt(password: str, address: str) -> Awaitable[httpx.Response]:
                return c.post("/api/v1/login", json={"username": "moderator", "password": password},
                              headers={"X-Forwarded-For": address})

            stranger = [(await attempt("guess-number-x", "203.0.113.5")).status_code
                        for _ in range(6)]
            real = await attempt(PASSWORD, "198.51.100.7")
    assert stranger == [401] * 5 + [429]
    assert real.status_code == 200


async def test_forwarded_addresses_from_an_untrusted_peer_are_ignored(
    make_settings: Callable[..., Settings]
) -> None:
    """Without a trusted proxy, a client cannot escape the per-address limit by inventing
    X-Forwarded-For addresses."""
    async with serve(make_settings()) as srv:
        async with httpx.AsyncClient(base_url=srv.url) as c:
            codes = [(await c.post("/api/v1/login", json={"username": f"u{i}", "password": "x"},
                                   headers={"X-Forwarded-For": f"198.51.100.{i}"})).status_code
                     for i in range(21)]
    assert codes == [401] * 20 + [429]


async def _console(srv: Running, client: httpx.AsyncClient, slug: str = "w") -> Any:
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    return await websockets.connect(f"{srv.ws}/ws/moderate/{slug}", open_timeout=5,
                                    additional_headers={"Cookie": cookie})


@pytest.mark.parametrize("ending", ["logout", "password change", "user deleted", "expiry"])
async def test_a_console_closes_within_seconds_when_its_session_ends(
    make_settings: Callable[..., Settings], ending: str
) -> None:
    """The moderators' feed stops streaming pending and hidden posts within seconds of a
    logout, a password change, the user's deletion or the session's expiry."""
    async with serve(make_settings()) as srv:
        client = await logged_in(srv, "alice", "moderator")
        ws = await _console(srv, client)
        assert json.loads(await asyncio.wait_for(ws.recv(), 5))["type"] == "hello"
        accounts = srv.app.state.accounts
        if ending == "logout":
            assert (await client.post("/api/v1/logout")).status_code == 200
        elif ending == "password change":
            await accounts.set_password("alice", "another long password")
        elif ending == "user deleted":
            await accounts.delete_user("alice")
        else:
            accounts.idle = timedelta(seconds=0.5)
        start = time.monotonic()
        with pytest.raises(websockets.ConnectionClosed) as closed:
            async with asyncio.timeout(6):
                while True:
                    await ws.recv()
        await client.aclose()
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1008
    assert time.monotonic() - start < 5


async def test_a_moderator_scoped_to_one_wall_is_refused_on_another(
    make_settings: Callable[..., Settings], post_factory: Callable[..., Post]
) -> None:
    """A moderator (or token) given --wall w acts on w; on wall `other` the routes, the
    audit, the console page and the console socket answer 403 (1008); an admin has both."""
    walls = [WallConfig(slug=s, title=s, hashtags=["ASNR14"], sources=[]) for s in ("w", "other")]
    async with serve(make_settings(walls=walls)) as srv:
        for slug in ("w", "other"):
            await srv.admit(slug, post_factory(1))
        alice = await logged_in(srv, "alice", "moderator", walls=("w",))
        root = await logged_in(srv, "root", "admin")
        token = await srv.app.state.accounts.create_token("w-script", "moderator", ["w"])
        script = httpx.AsyncClient(base_url=srv.url, headers={"Authorization": f"Bearer {token}"})
        results = {}
        for who, client in (("alice", alice), ("token", script), ("root", root)):
            for slug in ("w", "other"):
                hide = await client.post(f"/api/v1/walls/{slug}/posts/x:100001/hide")
                audit = await client.get(f"/api/v1/walls/{slug}/audit")
                pending = await client.get(f"/api/v1/walls/{slug}/posts?state=hidden")
                results[who, slug] = (hide.status_code, audit.status_code, pending.status_code)
        page = await alice.get("/moderate/other")
        with pytest.raises(websockets.InvalidStatus):
            await _console(srv, alice, "other")
        own = await _console(srv, alice, "w")
        await own.close()
        for c in (alice, root, script):
            await c.aclose()
    assert results["alice", "w"] == (200, 200, 200)
    assert results["alice", "other"] == (403, 403, 403)
    assert results["token", "w"] == (409, 200, 200)  # alice hid it first
    assert results["token", "other"] == (403, 403, 403)
    assert results["root", "other"] == (200, 200, 200)
    assert page.status_code == 403


async def test_only_named_screens_report_and_the_list_is_bounded(
    make_settings: Callable[..., Settings]
) -> None:
    """Anonymous sockets claiming to be hall screens (with forged figures) are never listed;
    a named screen is, without anyone's address; a wall has at most 50 named screens; a
    deleted screen's key stops counting."""
    async with serve(make_settings()) as srv:
        admin = await logged_in(srv, "root")
        made = (await admin.post("/api/v1/walls/w/screens", json={"name": "Hall A"})).json()
        forged = {"type": "health", "kind": "hall", "seq": 999999, "dom_nodes": 1}
        sockets = [await websockets.connect(f"{srv.ws}/ws/walls/w", open_timeout=5)
                   for _ in range(20)]
        sockets.append(await websockets.connect(f"{srv.ws}/ws/walls/w?screen=not-a-key"))
        named = await websockets.connect(made["url"].replace("http://", "ws://")
                                         .replace("/walls/", "/ws/walls/"))
        for ws in [*sockets, named]:
            await ws.recv()
            await ws.send(json.dumps(forged | {"seq": 7} if ws is named else forged))

        async def reported() -> bool:
            listed = (await admin.get("/api/v1/walls/w/screens")).json()
            return "seq" in listed[0]

        await until(reported, 5)
        listed = (await admin.get("/api/v1/walls/w/screens")).json()
        for i in range(49):
            assert (await admin.post("/api/v1/walls/w/screens",
                                     json={"name": f"Room {i}"})).status_code == 201
        over = await admin.post("/api/v1/walls/w/screens", json={"name": "One too many"})
        gone = await admin.delete(f"/api/v1/walls/w/screens/{made['id']}")
        after = [s for s in (await admin.get("/api/v1/walls/w/screens")).json()
                 if s["name"] == "Hall A"]
        for ws in [*sockets, named]:
            await ws.close()
        await admin.aclose()
    assert [(s["name"], s["seq"]) for s in listed] == [("Hall A", 7)]
    assert not any("peer" in s or "127.0.0.1" in json.dumps(s) for s in listed)
    assert over.status_code == 409 and gone.status_code == 200 and after == []


async def test_behind_a_tls_proxy_the_cookie_is_secure_and_hsts_is_sent(
    make_settings: Callable[..., Settings]
) -> None:
    """Behind a trusted proxy terminating TLS, the session cookie is Secure and responses carry
    HSTS; the same header from an untrusted peer changes nothing."""
    async def login(settings: Settings, name: str) -> httpx.Response:
        async with serve(settings) as srv:
            await srv.app.state.accounts.add_user(name, PASSWORD, "moderator")
            async with httpx.AsyncClient(base_url=srv.url) as c:
                return await c.post("/api/v1/login", json={"username": name,
                                                           "password": PASSWORD},
                                    headers={"X-Forwarded-Proto": "https"})

    proxied = await login(make_settings(forwarded_allow_ips=["127.0.0.1"]), "alice")
    direct = await login(make_settings(), "bob")
    assert "secure" in proxied.headers["set-cookie"].lower()
    assert proxied.headers["strict-transport-security"].startswith("max-age=")
    assert "secure" not in direct.headers["set-cookie"].lower()
    assert "strict-transport-security" not in direct.headers


async def test_the_qr_code_never_trusts_a_host_header_in_a_shared_cache(
    make_settings: Callable[..., Settings]
) -> None:
    """With TWEETWALL_PUBLIC_URL the QR code encodes that address whatever Host says, and may be
    cached; without it, an answer built from Host is marked private, no-store."""
    forged = {"Host": "evil.example"}
    async with serve(make_settings(public_url="https://wall.example.org")) as srv:
        async with httpx.AsyncClient(base_url=srv.url) as c:
            configured = await c.get("/walls/w/qr.svg", headers=forged)
            viewer = await c.get("/walls/w/qr.svg")
    async with serve(make_settings()) as srv:
        async with httpx.AsyncClient(base_url=srv.url) as c:
            fallback = await c.get("/walls/w/qr.svg", headers=forged)
    assert configured.content == viewer.content
    assert configured.headers["cache-control"].startswith("public")
    assert fallback.headers["cache-control"] == "private, no-store"


async def test_admin_input_stays_off_the_servers_files_and_private_network(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    """A wall created or changed over the API may replay only files in the replay folder and
    name only https Mastodon hosts on the public internet (422 otherwise)."""
    folder = tmp_path / "replays"
    folder.mkdir()
    (folder / "meeting.jsonl").write_text("")
    (tmp_path / "secret.jsonl").write_text("")
    async with serve(make_settings(replay_dir=folder)) as srv:
        admin = await logged_in(srv, "root")

        async def create(slug: str, **fields: Any) -> int:
            r = await admin.post("/api/v1/walls", json={"slug": slug, "hashtags": ["ASNR14"],
                                                        "sources": ["replay"], **fields})
            return r.status_code

        codes = {
            "dev zero": await create("a", replay_file="/dev/zero"),
            "outside": await create("b", replay_file=str(tmp_path / "secret.jsonl")),
            "climbing out": await create("c", replay_file="../secret.jsonl"),
            "inside": await create("d", replay_file="meeting.jsonl"),
            "plain http": await create("e", mastodon_instances=["http://neuro.example"]),
            "loopback": await create("f", mastodon_instances=["https://127.0.0.1:8443"]),
            "private": await create("g", mastodon_instances=["https://10.1.2.3"]),
            "internal name": await create("h", mastodon_instances=["https://mastodon.internal"]),
            "public": await create("i", mastodon_instances=["https://neuro.example"]),
        }
        changed = await admin.patch("/api/v1/walls/w", json={"replay_file": "/etc/passwd"})
        await admin.aclose()
    assert codes == {"dev zero": 422, "outside": 422, "climbing out": 422, "inside": 201,
                     "plain http": 422, "loopback": 422, "private": 422, "internal name": 422,
                     "public": 201}
    assert changed.status_code == 422
