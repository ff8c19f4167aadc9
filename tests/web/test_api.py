"""The public REST API, health endpoints and security headers over real HTTP."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from app.models import Post
from app.settings import Settings
from tests.web.conftest import logged_in, serve


async def test_walls_posts_and_stats(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """The API lists walls, a wall's visible posts newest first, and its figures."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        for i in range(3):
            await srv.admit("w", post_factory(i))
        await srv.mod.moderate("w", "x:100001", "hide", "alice")
        walls = (await http.get("/api/v1/walls")).json()
        assert [w["slug"] for w in walls] == ["w"]
        posts = (await http.get("/api/v1/walls/w/posts")).json()
        assert [p["id"] for p in posts] == ["x:100002", "x:100000"]
        assert (await http.get("/api/v1/walls/w/posts", params={"limit": 1})).json()[0]["id"] == "x:100002"
        stats = (await http.get("/api/v1/walls/w/stats")).json()
        assert stats["posts"] == 2 and stats["hidden"] == 1 and stats["accounts"] == 2


async def test_hidden_and_pending_need_a_login(make_settings: Callable[..., Settings]) -> None:
    """Listing pending or hidden posts without auth is 401 with a JSON detail."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        for state in ("pending", "hidden"):
            r = await http.get("/api/v1/walls/w/posts", params={"state": state})
            assert r.status_code == 401 and "detail" in r.json()


async def test_bad_input_is_a_clear_4xx_never_a_500(make_settings: Callable[..., Settings]) -> None:
    """Unknown walls are 404 and malformed parameters 422, each as JSON."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        assert (await http.get("/api/v1/walls/nope")).status_code == 404
        assert (await http.get("/api/v1/walls/nope/posts")).json()["detail"]
        assert (await http.get("/walls/nope")).status_code == 404
        for params in ({"limit": "many"}, {"limit": 0}, {"state": "all"}, {"before": -1}):
            r = await http.get("/api/v1/walls/w/posts", params=params)
            assert r.status_code == 422 and "detail" in r.json()


async def test_source_status_is_listed(make_settings: Callable[..., Settings], tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Each source of a wall reports its state: the public a generic reason only, a
    moderator why (a source without credentials names the missing setting)."""
    from app.settings import WallConfig

    wall = WallConfig(slug="w", hashtags=["ASNR14"], sources=["x"])
    async with serve(make_settings(walls=[wall])) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        public = (await http.get("/api/v1/walls/w/sources")).json()
        moderator = await logged_in(srv, "alice", "moderator")
        detailed = (await moderator.get("/api/v1/walls/w/sources")).json()
        await moderator.aclose()
    assert public == [{"source": "x", "state": "stopped", "reason": "not available on this wall",
                       "last_success": None, "posts": 0}]
    assert "TWEETWALL_X_BEARER_TOKEN" in detailed[0]["last_error"]


async def test_health_readiness_metrics_and_headers(make_settings: Callable[..., Settings]) -> None:
    """Health and readiness answer 200, metrics are Prometheus text, pages carry a strict CSP."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        assert (await http.get("/healthz")).json() == {"status": "ok"}
        ready = await http.get("/readyz")
        # One process alone (no Redis): it leads every wall's ingest (docs/scale.md).
        assert ready.status_code == 200 and ready.json() == {
            "status": "ready", "database": "ok", "redis": "off", "ingest": {"w": "leader"}}
        metrics = await http.get("/metrics")
        assert 'tweetwall_viewers{wall="w"}' in metrics.text
        assert 'tweetwall_ingest_leader{wall="w"} 1.0' in metrics.text
        assert "tweetwall_process_viewers 0.0" in metrics.text
        r = await http.get("/api/v1/walls")
        csp = r.headers["content-security-policy"]
        assert "script-src 'self'" in csp and "object-src 'none'" in csp
        assert r.headers["x-content-type-options"] == "nosniff"


async def test_highlights_for_a_quiet_wall(make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """Highlights list pinned posts, the most liked first, and photos that are not sensitive."""
    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        image = [{"kind": "image", "url": "https://cdn.example/a.jpg", "alt": "poster"}]
        await srv.admit("w", post_factory(1, metrics={"likes": 3}))
        await srv.admit("w", post_factory(2, metrics={"likes": 40}, media=image))
        await srv.admit("w", post_factory(3, media=image, sensitive=True))
        await srv.admit("w", post_factory(4))
        await srv.mod.moderate("w", "x:100004", "pin", "alice")
        got = (await http.get("/api/v1/walls/w/highlights")).json()
    assert [p["id"] for p in got["most_liked"]] == ["x:100002", "x:100001"]
    assert [p["id"] for p in got["photos"]] == ["x:100002"]
    assert [p["id"] for p in got["pinned"]] == ["x:100004"]


async def test_readiness_is_503_unavailable_while_the_database_does_not_answer(
        make_settings: Callable[..., Settings], tmp_path: Path) -> None:
    """A load balancer takes a process whose database is away out of the rotation, and back
    once it answers again (docs/scale.md)."""
    from sqlalchemy.ext.asyncio import create_async_engine

    async with serve(make_settings()) as srv, httpx.AsyncClient(base_url=srv.url) as http:
        good = srv.store._engine
        away = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'missing' / 'x.db'}")
        srv.store._engine = away
        try:
            res = await http.get("/readyz")
        finally:
            srv.store._engine = good
            await away.dispose()
        assert res.status_code == 503
        assert res.json() | {"ingest": None} == {"status": "unavailable", "database": "down",
                                                "redis": "off", "ingest": None}
        assert (await http.get("/readyz")).status_code == 200
