"""The bundled demo meeting (app/data/meeting): valid wire posts, true manifest, safe media."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.models import Post

DATA = Path(__file__).resolve().parent.parent / "app" / "data" / "meeting"
MEDIA = DATA / "media"
BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
RTL_SCRIPTS = re.compile(r"[\u0590-\u05ff\u0600-\u06ff]")
ZWJ = "\u200d"


@pytest.fixture(scope="module")
def raw() -> list[dict[str, Any]]:
    lines = (DATA / "meeting.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.fixture(scope="module")
def posts(raw: list[dict[str, Any]]) -> list[Post]:
    return [Post.model_validate(item) for item in raw]


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    return json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))


def is_hostile(item: dict[str, Any]) -> bool:
    """A post written to attack the wall: markup, unsafe link, bidi trick or a huge word."""
    author = item["author"]
    text = item["text"]
    hrefs = [t.get("href") for t in item["content"] if t.get("href")]
    return (
        "<script" in text.lower()
        or "onerror=" in text.lower()
        or any(not re.match(r"https?://[^/]", h) for h in hrefs)
        or any(ch in BIDI for ch in author["name"] + author["handle"] + text)
        or any(len(word) >= 200 for word in text.split())
    )


def test_every_line_validates_as_a_post(raw: list[dict[str, Any]]) -> None:
    """Every JSONL line is accepted by Post.model_validate."""
    for item in raw:
        Post.model_validate(item)


def test_lines_have_the_wire_shape(raw: list[dict[str, Any]], posts: list[Post]) -> None:
    """Each line has exactly the keys of Post.wire(); non-hostile lines round-trip unchanged."""
    for item, post in zip(raw, posts, strict=True):
        wire = post.wire()
        assert list(item) == list(wire)
        if not is_hostile(item):
            assert item == wire, item["id"]


def test_manifest_counts_match_the_posts(
    raw: list[dict[str, Any]], posts: list[Post], manifest: dict[str, Any]
) -> None:
    """Every figure in manifest.json is the true figure of meeting.jsonl."""
    assert manifest["hashtag"] == "#ASNR14"
    assert manifest["posts"] == len(posts)
    assert manifest["accounts"] == len({p.author.id for p in posts})
    assert manifest["first_day"] == posts[0].created_at.date().isoformat() == "2014-05-15"
    assert manifest["last_day"] == posts[-1].created_at.date().isoformat() == "2014-05-23"
    assert manifest["by_source"] == dict(Counter(p.source for p in posts))
    assert manifest["languages"] == sorted({p.lang for p in posts if p.lang})
    assert manifest["reposts"] == sum(p.is_repost for p in posts)
    assert manifest["replies"] == sum(p.in_reply_to is not None for p in posts)
    assert manifest["quotes"] == sum(p.quoted is not None and not p.is_repost for p in posts)
    assert manifest["with_media"] == sum(bool(p.media) for p in posts)
    assert manifest["hostile"] == sum(is_hostile(item) for item in raw)
    assert 5 <= manifest["hostile"] <= 8


def test_exactly_51_accounts(posts: list[Post]) -> None:
    """The meeting has exactly 51 distinct authors, like ASNR 2014."""
    assert len({p.author.id for p in posts}) == 51
    assert len({p.author.handle for p in posts}) == 51


def test_at_least_400_posts(posts: list[Post]) -> None:
    """The meeting has at least 400 posts, ids unique."""
    assert len(posts) >= 400
    assert len({p.id for p in posts}) == len(posts)


def test_sorted_by_time_inside_the_meeting(posts: list[Post]) -> None:
    """Posts are in created_at order, all between 15 and 23 May 2014 UTC."""
    times = [p.created_at for p in posts]
    assert times == sorted(times)
    assert datetime(2014, 5, 15, tzinfo=UTC) <= times[0]
    assert times[-1] < datetime(2014, 5, 24, tzinfo=UTC)


def test_nights_are_quiet_and_sessions_busy(posts: list[Post]) -> None:
    """Montréal 08:00-18:00 (12:00-22:00 UTC) carries most posts, 01:00-06:00 almost none."""
    local = Counter((p.created_at.hour - 4) % 24 for p in posts)
    day = sum(local[h] for h in range(8, 18))
    night = sum(local[h] for h in range(1, 6))
    assert day > 0.6 * len(posts)
    assert night < 0.02 * len(posts)


def test_all_three_sources_with_x_the_largest(posts: list[Post]) -> None:
    """Posts come from x, mastodon and bluesky; x has the most."""
    counts = Counter(p.source for p in posts)
    assert set(counts) == {"x", "mastodon", "bluesky"}
    assert counts["x"] > counts["mastodon"] + counts["bluesky"]


def test_ids_and_urls_look_native(posts: list[Post]) -> None:
    """Ids follow each network's scheme, x snowflakes decode to the post time."""
    for p in posts:
        if p.source == "x":
            assert re.fullmatch(r"x:\d{18,19}", p.id)
            ms = (int(p.native_id) >> 22) + 1288834974657
            assert abs(ms / 1000 - p.created_at.timestamp()) < 2
            assert p.url and p.url.startswith("https://x.com/")
        elif p.source == "mastodon":
            assert re.fullmatch(r"mastodon:https://[a-z.]+/users/\w+/statuses/\d+", p.id)
        else:
            assert re.fullmatch(
                r"bluesky:at://did:plc:[a-z2-7]{24}/app\.bsky\.feed\.post/[2-7a-z]{13}", p.id
            )
            assert p.url and p.url.startswith("https://bsky.app/profile/")


def test_every_post_carries_the_hashtag(posts: list[Post]) -> None:
    """Every post is tagged #ASNR14, so each one can reach the wall."""
    assert all("asnr14" in p.hashtags for p in posts)


def test_rtl_zwj_and_several_languages(posts: list[Post]) -> None:
    """Arabic and Hebrew posts, an emoji ZWJ sequence and at least six languages are present."""
    langs = {p.lang for p in posts}
    assert {"ar", "he", "fr", "es", "de", "ja"} <= langs
    assert any(p.lang in ("ar", "he") and RTL_SCRIPTS.search(p.text) for p in posts)
    assert any(ZWJ in p.text for p in posts)


def test_content_warning_with_sensitive_media(posts: list[Post]) -> None:
    """At least one post hides sensitive media behind a content warning."""
    assert any(p.content_warning and p.sensitive and p.media for p in posts)


def test_reposts_quotes_and_replies_resolve(posts: list[Post]) -> None:
    """Reposts exist; replies and quotes point at posts of the dataset on the same network."""
    by_id = {p.id: p for p in posts}
    assert sum(p.is_repost for p in posts) >= 20
    replies = [p for p in posts if p.in_reply_to]
    quotes = [p for p in posts if p.quoted and not p.is_repost]
    assert len(replies) >= 10 and len(quotes) >= 5
    for p in replies:
        parent = by_id[p.in_reply_to or ""]
        assert parent.source == p.source and parent.created_at < p.created_at
        assert p.content[0].type == "mention"
    for p in quotes:
        assert p.quoted is not None
        target = by_id[p.quoted.id]
        assert target.text == p.quoted.text and target.created_at == p.quoted.created_at


def test_media_and_links_present(posts: list[Post]) -> None:
    """Images with alt text (and one or two without), links and mentions all occur."""
    images = [m for p in posts for m in p.media]
    assert images and all(m.width and m.height for m in images)
    assert any(not m.alt for m in images) and sum(bool(m.alt) for m in images) > 0.9 * len(images)
    kinds = Counter(t.type for p in posts for t in p.content)
    assert kinds["link"] >= 10 and kinds["mention"] >= 20
    assert any(len(p.text) > 700 for p in posts)
    assert sum(p.author.avatar_url is None for p in {p.author.id: p for p in posts}.values()) >= 5


def test_hostile_posts_are_neutralised(raw: list[dict[str, Any]], posts: list[Post]) -> None:
    """Raw hostile values are in the file, and none survive Post validation."""
    blob = json.dumps(raw, ensure_ascii=False)
    for needle in ("<script>alert(1)</script>", "onerror=alert(1)", "javascript:alert(1)",
                   "data:text/html,", "\u202e"):
        assert needle in blob
    for p in posts:
        for t in p.content:
            assert t.href is None or re.match(r"https?://[^/]", t.href), t.href
        for url in (p.author.avatar_url, p.author.profile_url, p.url):
            assert url is None or url.startswith(("https://", "/demo-media/"))
        shown = p.author.name + p.author.handle + p.text
        assert not BIDI & set(shown)
        assert not any(unicodedata.category(ch) == "Cc" for ch in shown.replace("\n", ""))


def test_media_files_exist_and_svgs_are_inert(posts: list[Post]) -> None:
    """Every /demo-media/ file exists; no SVG has script, handlers, foreignObject or http refs."""
    refs = {m.url for p in posts for m in p.media} | {m.preview_url for p in posts for m in p.media}
    refs |= {p.author.avatar_url for p in posts}
    used = {r for r in refs if r and r.startswith("/demo-media/")}
    assert used
    for ref in used:
        assert (MEDIA / ref.removeprefix("/demo-media/")).is_file(), ref
    files = sorted(MEDIA.iterdir())
    assert 25 <= sum(f.name.startswith("photo-") for f in files) <= 40
    assert sum(f.stat().st_size for f in files) < 2_000_000
    for f in files:
        svg = f.read_text(encoding="utf-8")
        assert f.suffix == ".svg" and svg.startswith("<svg")
        low = svg.lower()
        assert "<script" not in low and "foreignobject" not in low
        assert not re.search(r"\son\w+\s*=", low), f.name
        assert 'href="http' not in low and "href='http" not in low
        assert "url(http" not in low and "@import" not in low


def test_categories_name_real_accounts_and_match_the_manifest(
    posts: list[Post], manifest: dict[str, Any]
) -> None:
    """categories.json gives real accounts of the meeting (`{source}:{author id}`), each once,
    a category of its own list; the manifest's category counts are its counts, and every
    account is categorised but the hostile ones."""
    data = json.loads((DATA / "categories.json").read_text(encoding="utf-8"))
    authors = {f"{p.source}:{p.author.id}": p.author.handle for p in posts}
    accounts = [a["account"] for a in data["accounts"]]
    assert len(accounts) == len(set(accounts))
    assert set(accounts) <= set(authors)
    assert {a["category"] for a in data["accounts"]} <= set(data["categories"])
    assert all(authors[a["account"]] == a["handle"] for a in data["accounts"])
    counts = Counter(a["category"] for a in data["accounts"])
    assert manifest["categories"] == {c: counts[c] for c in data["categories"]}
    assert list(manifest["categories"]) == data["categories"]
    assert manifest["categories"] == {"attendee": 20, "remote attendee": 8,
                                      "non-specialist": 12, "institution": 8}
    assert manifest["uncategorised"] == len(authors) - len(accounts) == 3


def test_the_programme_matches_the_meeting(posts: list[Post], manifest: dict[str, Any]) -> None:
    """programme.json/.ics/.csv hold the manifest's sessions, inside the meeting's days, in the
    rooms the posts name; every speaker handle is an account of the meeting that posts, and
    the demo's session exists; most sessions have posts that belong to them."""
    from app.programme import common_words, compile_session, parse_programme, sessions_of

    entry = manifest["programme"]
    found = [parse_programme((DATA / name).read_bytes(), name=name) for name in entry["files"]]
    assert all(len(p.sessions) == entry["sessions"] == 32 for p in found)
    programme = found[0]
    assert programme.rooms == entry["rooms"] and programme.timezone == entry["timezone"]
    assert entry["demo_session"] in {s.key for s in programme.sessions}
    first, last = posts[0].created_at, posts[-1].created_at
    assert all(first <= s.start < s.end <= last for s in programme.sessions)
    texts = " ".join(p.text for p in posts)
    for room in ("Hall 210", "517", "510", "520"):
        assert room in texts
    handles = {f"{p.source}:{p.author.handle.lstrip('@').lower()}" for p in posts}
    given = {f"{n}:{h}" for s in programme.sessions for sp in s.speakers for n, h in sp.handles}
    assert given and given <= handles
    common = common_words(programme.sessions)
    matches = [compile_session(s, title_match=True, wall_tags=["ASNR14"], common=common)
               for s in programme.sessions]
    counted = Counter(i for p in posts for i in sessions_of(p.wire(), matches))
    assert sum(1 for i in range(len(matches)) if counted[i] > 0) >= 28
