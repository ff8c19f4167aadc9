"""The holes a security review found, each pinned by a test that failed before its fix."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable

import httpx
import pytest

from app.settings import Settings
from tests.fakes.mastodon_api import FakeMastodon, make_status
from tests.helpers import until
from tests.web.conftest import logged_in, serve


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
