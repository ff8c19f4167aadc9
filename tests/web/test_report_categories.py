"""The moderators' category API (app/web/categories.py): the auth matrix, and categories
reaching the report."""

from __future__ import annotations

from collections.abc import Callable

import httpx

from app.models import Post
from app.settings import Settings, WallConfig
from tests.web.conftest import logged_in, serve

INES = "mastodon:https://rad.community/users/ines"
ROUTE = "/api/v1/walls/w/accounts/{}/category"


async def test_only_a_moderator_of_the_wall_reads_or_changes_categories(
        make_settings: Callable[..., Settings]) -> None:
    """Anonymous: 401; a moderator of another wall: 403; a foreign Origin on a session
    change: 403; an unknown wall: 404."""
    settings = make_settings(walls=[WallConfig(slug="w", sources=[]),
                                    WallConfig(slug="v", sources=[])])
    async with serve(settings) as srv:
        async with httpx.AsyncClient(base_url=srv.url) as anon:
            assert (await anon.get("/api/v1/walls/w/categories")).status_code == 401
            assert (await anon.put(ROUTE.format("x:1"),
                                   json={"category": "attendee"})).status_code == 401
        other = await logged_in(srv, "olga", "moderator", walls=("v",))
        mine = await logged_in(srv, "mia", "moderator", walls=("w",))
        try:
            assert (await other.get("/api/v1/walls/w/categories")).status_code == 403
            assert (await other.put(ROUTE.format("x:1"),
                                    json={"category": "attendee"})).status_code == 403
            foreign = await mine.put(ROUTE.format("x:1"), json={"category": "attendee"},
                                     headers={"Origin": "https://evil.example"})
            assert foreign.status_code == 403
            assert (await mine.get("/api/v1/walls/nope/categories")).status_code == 404
        finally:
            await other.aclose()
            await mine.aclose()


async def test_a_moderator_sorts_accounts_and_the_report_follows(
        make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """PUT gives a category (a Mastodon id with slashes too), GET reads it, a category the
    wall does not offer is 422, DELETE takes it away; the list shows every account and the
    report's categories and sentence count them."""
    async with serve(make_settings()) as srv:
        await srv.admit("w", post_factory(1))
        await srv.admit("w", post_factory(2))
        client = await logged_in(srv, "root")
        try:
            put = await client.put(ROUTE.format("x:1"), json={"category": "Attendee"})
            assert put.status_code == 200, put.text
            assert put.json()["category"] == "attendee" and put.json()["updated_by"] == "root"
            assert (await client.put(ROUTE.format(INES),
                                     json={"category": "institution"})).status_code == 200
            assert (await client.get(ROUTE.format(INES))).json()["category"] == "institution"
            bad = await client.put(ROUTE.format("x:2"), json={"category": "speaker"})
            assert bad.status_code == 422 and "not a category" in bad.json()["detail"]
            assert (await client.put(ROUTE.format("nope"),
                                     json={"category": "attendee"})).status_code == 422
            listed = (await client.get("/api/v1/walls/w/categories")).json()
            assert [c["name"] for c in listed["categories"]] == [
                "attendee", "remote attendee", "non-specialist", "institution"]
            assert {a["account"]: a["category"] for a in listed["accounts"]} == {
                "x:1": "attendee", "x:2": None, INES: "institution"}
            report = (await client.get("/api/v1/walls/w/report")).json()
            assert report["sentence"].endswith("from 2 accounts, including 1 attendee.")
            gone = await client.delete(ROUTE.format("x:1"))
            assert gone.status_code == 200 and gone.json()["category"] is None
            assert (await client.get(ROUTE.format("x:1"))).json()["category"] is None
        finally:
            await client.aclose()
