"""The report over HTTP (app/web/report.py): the page under the strict CSP with inert charts,
hostile data escaped, its JSON and CSV, the transcript, and moderation respected."""

from __future__ import annotations

import base64
import csv
import io
import re
from collections.abc import Callable
from html.parser import HTMLParser

import httpx

from app.models import Post
from app.settings import Settings
from app.web.security import CSP
from tests.web.conftest import serve

HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
HOSTILE = {"id": "666", "handle": "@<img src=x onerror=alert(1)>",
           "name": "<script>alert('name')</script>"}


class Tags(HTMLParser):
    """The tags and attributes of a page, as a browser's parser sees them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def hostile_post(post_factory: Callable[..., Post]) -> Post:
    return post_factory(5, author=HOSTILE, content=[
        {"type": "text", "text": "<b onmouseover=alert(2)>hi</b> "},
        {"type": "hashtag", "text": "#<svg/onload=alert(3)>", "href": "https://x.com/h"},
        {"type": "link", "text": "javascript:alert(4)", "href": "javascript:alert(4)"},
        {"type": "link", "text": "ok.example", "href": "https://ok.example/\"onclick=\"x"},
    ])


async def test_the_report_page_is_inert_escaped_and_inside_the_csp(
        make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """The page answers with the strict CSP, holds no script and no inline style, shows its
    charts as data: SVG images with no script or handler, escapes hostile names and words,
    and links only http(s) URLs."""
    async with serve(make_settings()) as srv:
        for n in range(3):
            await srv.admit("w", post_factory(n))
        await srv.admit("w", hostile_post(post_factory))
        async with httpx.AsyncClient(base_url=srv.url) as client:
            r = await client.get("/walls/w/report")
    assert r.status_code == 200 and r.headers["content-security-policy"] == CSP
    html = r.text
    assert "<script" not in html and "<style" not in html and " style=" not in html
    assert "&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;" in html
    assert "onerror=alert(1)>" not in html and "<svg/onload" not in html
    tags = Tags(html).tags
    assert {t for t, _a in tags}.isdisjoint({"script", "style", "iframe", "object", "svg"})
    assert not [a for _t, attrs in tags for a in attrs if a.startswith("on") or a == "style"]
    hrefs = [attrs["href"] or "" for _t, attrs in tags if "href" in attrs]
    assert all(h.startswith(("/", "https://", "http://")) for h in hrefs), hrefs
    assert 'href="https://ok.example/&#34;onclick=&#34;x"' in html
    charts = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', html)
    assert len(charts) == 2
    for chart in charts:
        svg = base64.b64decode(chart)
        assert b"<script" not in svg.lower() and not HANDLER.search(svg.decode())
    assert "4 posts using #ASNR14 were logged on May 15, 2014 from 4 accounts." in html


async def test_hidden_posts_never_reach_the_report_or_the_transcript(
        make_settings: Callable[..., Settings], post_factory: Callable[..., Post]) -> None:
    """After a hide, the page, its JSON, its CSV and both transcripts never show the post's
    text or author; the JSON counts it in moderated_away only."""
    async with serve(make_settings()) as srv:
        await srv.admit("w", post_factory(1))
        await srv.admit("w", post_factory(2, text="SECRET-WORDS", content=[],
                                          author={"id": "77", "handle": "@hid", "name": "Hid"}))
        await srv.mod.moderate("w", "x:100002", "hide", "alice")
        async with httpx.AsyncClient(base_url=srv.url) as client:
            answers = [await client.get(path) for path in (
                "/walls/w/report", "/api/v1/walls/w/report", "/walls/w/report.csv",
                "/walls/w/transcript.csv", "/walls/w/transcript.jsonl")]
    for a in answers:
        assert a.status_code == 200
        assert "SECRET-WORDS" not in a.text and "@hid" not in a.text
    figures = answers[1].json()
    assert (figures["posts"], figures["moderated_away"], figures["participants"]) == (1, 1, 1)


async def test_downloads_and_a_bad_period(make_settings: Callable[..., Settings],
                                          post_factory: Callable[..., Post]) -> None:
    """The report CSV and the transcript CSV are UTF-8 with a byte order mark and a header,
    sent as attachments; the JSONL transcript is wire posts; a bad period or time zone is
    422, an unknown wall or format 404."""
    async with serve(make_settings()) as srv:
        await srv.admit("w", post_factory(1, text="=1+1", content=[]))
        async with httpx.AsyncClient(base_url=srv.url) as client:
            table = await client.get("/walls/w/report.csv")
            posts = await client.get("/walls/w/transcript.csv")
            lines = await client.get("/walls/w/transcript.jsonl")
            bad = [await client.get(p) for p in (
                "/walls/w/report?tz=Mars/Olympus", "/walls/w/report?since=2014-05-20&until"
                "=2014-05-19", "/api/v1/walls/w/report?since=yesterday")]
            missing = [await client.get(p) for p in ("/walls/nope/report",
                                                     "/walls/w/transcript.xlsx")]
    assert table.content.startswith(b"\xef\xbb\xbf")
    assert 'filename="w-report.csv"' in table.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(posts.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["time", "network", "handle"] and rows[1][4] == "'=1+1"
    assert lines.text.count("\n") == 1 and '"id":"x:100001"' in lines.text
    assert [b.status_code for b in bad] == [422, 422, 422]
    assert [m.status_code for m in missing] == [404, 404]


async def test_live_stats_answer_the_new_figures(make_settings: Callable[..., Settings],
                                                 post_factory: Callable[..., Post]) -> None:
    """GET /api/v1/walls/{slug}/stats keeps its keys and adds reposts, media, per hour, top
    contributors, networks and languages."""
    async with serve(make_settings()) as srv:
        await srv.admit("w", post_factory(1))
        await srv.admit("w", post_factory(2, is_repost=True))
        async with httpx.AsyncClient(base_url=srv.url) as client:
            stats = (await client.get("/api/v1/walls/w/stats")).json()
    assert {"posts", "pending", "hidden", "accounts", "first_post_at", "last_post_at"} <= set(stats)
    assert (stats["posts"], stats["original_posts"], stats["reposts"]) == (2, 1, 1)
    assert stats["sources"] == {"x": 2} and len(stats["per_hour"]) == 24
    assert stats["top_contributors"][0]["posts"] == 1
