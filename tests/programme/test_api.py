"""The programme over HTTP (app/web/programme.py, app/web/screens.py): public listing, admin
upload with its cap and clear errors, speakers' handles, a screen's room."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import httpx

from app.settings import Settings
from tests.web.conftest import logged_in, serve

MEETING = Path(__file__).parent.parent.parent / "app" / "data" / "meeting"
ROUTE = "/api/v1/walls/w/programme"


async def test_an_admin_uploads_each_format_and_everyone_reads_it(
        make_settings: Callable[..., Settings]) -> None:
    """PUT with each format's content type imports; the same file again changes nothing; the
    public GET lists rooms and sessions with their rule; a wall event carries a new rev."""
    async with serve(make_settings()) as srv:
        admin = await logged_in(srv, "ada")
        try:
            ics = await admin.put(ROUTE, content=(MEETING / "programme.ics").read_bytes(),
                                  headers={"Content-Type": "text/calendar"})
            assert ics.status_code == 200, ics.text
            assert ics.json()["added"] == 32
            rev = srv.store.wall("w").config["programme_rev"]
            again = await admin.put(ROUTE, content=(MEETING / "programme.json").read_bytes(),
                                    headers={"Content-Type": "application/json"})
            assert again.json() | {"rooms": []} == {"sessions": 32, "rooms": [], "added": 0,
                                                    "changed": 0, "removed": 0,
                                                    "unchanged": 32}
            assert srv.store.wall("w").config["programme_rev"] != rev
            csv = await admin.put(ROUTE + "?name=p.csv",
                                  content=(MEETING / "programme.csv").read_bytes(),
                                  headers={"Content-Type": "text/csv"})
            # CSV has no ids: its sessions replace the others.
            assert csv.json()["added"] == 32 and csv.json()["removed"] == 32
        finally:
            await admin.aclose()
        async with httpx.AsyncClient(base_url=srv.url) as anon:
            listed = (await anon.get(ROUTE)).json()
            hall = (await anon.get(ROUTE, params={"room": "Hall 210"})).json()
    assert {r["name"] for r in listed["rooms"]} == {"Room 510", "Room 520", "Room 517",
                                                   "Hall 210", "Exhibit Hall", "Old Port"}
    assert len(listed["sessions"]) == 32 and {s["room"] for s in hall["sessions"]} == {"Hall 210"}
    stroke = next(s for s in listed["sessions"] if s["title"].startswith("Symposium: Stroke"))
    assert stroke["start"] == "2014-05-17T08:00:00-04:00"
    assert stroke["match"]["from"] == "2014-05-17T08:00:00-04:00"
    assert stroke["match"]["until"] == "2014-05-17T12:15:00-04:00"
    assert stroke["match"]["hashtags"] == ["stroke"]
    assert "x:kofi_neurorad" in stroke["match"]["handles"]
    assert stroke["match"]["words"] == []          # the test wall does not match titles


async def test_a_bad_upload_is_refused_with_its_entry_never_a_500(
        make_settings: Callable[..., Settings]) -> None:
    """422 names the entry; 413 over 2 MiB; 401 anonymous; 403 a moderator."""
    async with serve(make_settings()) as srv:
        admin = await logged_in(srv, "ada")
        mod = await logged_in(srv, "mo", "moderator")
        try:
            bad = await admin.put(ROUTE, content=b"title,room,start,end\nTalk,,x,y\n",
                                  headers={"Content-Type": "text/csv"})
            assert bad.status_code == 422
            assert bad.json()["detail"].startswith("line 2 'Talk': not a date and time")
            big = await admin.put(ROUTE, content=b" " * (3 * 1024 * 1024),
                                  headers={"Content-Type": "text/csv"})
            assert big.status_code == 413
            junk = await admin.put(ROUTE, content=bytes(range(256)) * 10)
            assert junk.status_code == 422
            assert (await mod.put(ROUTE, content=b"x")).status_code == 403
        finally:
            await admin.aclose()
            await mod.aclose()
        async with httpx.AsyncClient(base_url=srv.url) as anon:
            assert (await anon.put(ROUTE, content=b"x")).status_code == 401
            assert (await anon.get(ROUTE)).json()["sessions"] == []
            assert (await anon.get("/api/v1/walls/nope/programme")).status_code == 404


async def test_moderators_give_speakers_handles_that_survive_an_import(
        make_settings: Callable[..., Settings]) -> None:
    """A handle given to a programme's speaker joins the session's rule and stays after the
    file is imported again; an unknown speaker is 404, a bad handle 422."""
    async with serve(make_settings()) as srv:
        admin = await logged_in(srv, "ada")
        try:
            body = (MEETING / "programme.json").read_bytes()
            await admin.put(ROUTE, content=body, headers={"Content-Type": "application/json"})
            r = await admin.put(ROUTE + "/speakers/Dr. Elena Castellane",
                                json={"handles": {"x": "@ecastellane", "bluesky": None}})
            assert r.status_code == 200, r.text
            assert r.json() == {"name": "Dr. Elena Castellane",
                                "handles": {"x": "@ecastellane"}}
            assert (await admin.put(ROUTE + "/speakers/Nobody",
                                    json={"handles": {"x": "@n"}})).status_code == 404
            assert (await admin.put(ROUTE + "/speakers/Dr. Elena Castellane",
                                    json={"handles": {"x": "not a handle!"}})).status_code == 422
            await admin.put(ROUTE, content=body, headers={"Content-Type": "application/json"})
            listed = (await admin.get(ROUTE)).json()
        finally:
            await admin.aclose()
    stroke = next(s for s in listed["sessions"] if s["id"] == "asnr14-stroke-1")
    assert "x:ecastellane" in stroke["match"]["handles"]
    assert stroke["speakers"][0] == {"name": "Dr. Elena Castellane",
                                     "handles": {"x": "@ecastellane"}}


async def test_an_admin_puts_a_named_screen_in_a_room(
        make_settings: Callable[..., Settings]) -> None:
    """The room is listed with the screen; the screen learns it with its key; a wrong key is
    404; a moderator may not assign."""
    async with serve(make_settings()) as srv:
        admin = await logged_in(srv, "ada")
        mod = await logged_in(srv, "mo", "moderator")
        try:
            made = (await admin.post("/api/v1/walls/w/screens",
                                     json={"name": "Hall 210, left"})).json()
            route = f"/api/v1/walls/w/screens/{made['id']}/room"
            assert (await mod.put(route, json={"room": "Hall 210"})).status_code == 403
            put = await admin.put(route, json={"room": " Hall  210 "})
            assert put.status_code == 200 and put.json()["room"] == "Hall 210"
            listed = (await admin.get("/api/v1/walls/w/screens")).json()
            assert listed[0]["room"] == "Hall 210"
            assert (await admin.put("/api/v1/walls/w/screens/999/room",
                                    json={"room": "A"})).status_code == 404
        finally:
            await admin.aclose()
            await mod.aclose()
        async with httpx.AsyncClient(base_url=srv.url) as anon:
            mine = await anon.get("/api/v1/walls/w/screens/mine",
                                  headers={"X-Screen-Key": made["key"]})
            assert mine.json() == {"id": made["id"], "name": "Hall 210, left",
                                   "room": "Hall 210"}
            wrong = await anon.get("/api/v1/walls/w/screens/mine",
                                   headers={"X-Screen-Key": "nope"})
            assert wrong.status_code == 404
