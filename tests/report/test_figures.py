"""The report's figures over a store (app/report/build.py), on SQLite and PostgreSQL: what is
counted, what is listed, and moderation respected everywhere."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from zoneinfo import ZoneInfo

from app.ingest import Admission
from app.models import Post
from app.report.build import Period, build_report
from app.report.export import transcript
from app.store import Store
from app.store.categories import Categories
from app.store.decisions import Decisions
from app.store.stats import wall_stats

SECRET = "launch codes in the hidden post"


def linked(n: int, post_factory: Callable[..., Post], **kw: object) -> Post:
    """Post `n` with a hashtag, a mention and a link of its own (`tag{n}`, `@who{n}`)."""
    return post_factory(n, content=[
        {"type": "text", "text": f"Post {n} "},
        {"type": "hashtag", "text": "#ASNR14", "href": "https://x.com/hashtag/ASNR14"},
        {"type": "hashtag", "text": f"#tag{n}", "href": "https://x.com/hashtag/x"},
        {"type": "mention", "text": f"@who{n}", "href": "https://x.com/who"},
        {"type": "link", "text": f"site{n}.example", "href": f"https://site{n}.example/"},
    ], **kw)


async def test_hidden_posts_are_only_counted_and_deleted_ones_not_at_all(
        store: Store, post_factory: Callable[..., Post]) -> None:
    """A hidden post counts in moderated_away only: never in posts, participants or any list,
    and its words never appear; a post deleted at its source is not counted anywhere; the
    transcript holds the visible posts only."""
    admission = Admission(store)
    for n in (1, 2, 3):
        await admission.admit("w", linked(n, post_factory))
    await admission.admit("w", linked(6, post_factory, text=SECRET,
                                      author={"id": "66", "handle": "@troll", "name": "Troll"}))
    await Decisions(store).moderate("w", "x:100006", "hide", "alice")
    await admission.remove("x:100003")
    r = await build_report(store, "w")
    assert (r["posts"], r["participants"], r["moderated_away"]) == (2, 2, 1)
    text = repr(r)
    for gone in ("tag6", "who6", "site6", "troll", "Troll", "tag3", "who3", "site3", SECRET):
        assert gone not in text
    assert {t["tag"] for t in r["hashtags"]} == {"#tag1", "#tag2"}  # the wall's own left out
    assert {m["mention"] for m in r["mentions"]} == {"@who1", "@who2"}
    assert {link["url"] for link in r["links"]} == {"https://site1.example/",
                                                   "https://site2.example/"}
    assert [p["id"] async for p in transcript(store, "w")] == ["x:100001", "x:100002"]


async def test_pending_posts_are_counted_but_their_words_not_shown(
        store: Store, post_factory: Callable[..., Post]) -> None:
    """A post waiting for a moderator counts as logged (posts, participants, categories) and
    is said to be pending; its hashtags, mentions, links and author's name are not listed."""
    await store.create_wall("pre", "Pre", {"moderation": "pre", "hashtags": ["ASNR14"]})
    await Admission(store).admit("pre", linked(4, post_factory))
    r = await build_report(store, "pre")
    assert (r["posts"], r["pending"], r["participants"]) == (1, 1, 1)
    assert r["hashtags"] == r["mentions"] == r["links"] == r["top_contributors"] == []


async def test_figures_categories_and_the_sentence(
        store: Store, post_factory: Callable[..., Post]) -> None:
    """Reposts, media, languages, networks, impressions (followers where known) and per-day
    counts are true; categories count accounts and posts and feed the sentence."""
    admission = Admission(store)
    author = {"id": "1", "handle": "@user1", "name": "User 1", "followers_count": 100}
    await admission.admit("w", post_factory(1, author=author))
    await admission.admit("w", post_factory(2, is_repost=True, lang="fr", media=[
        {"kind": "image", "url": "https://img.example/a.png"}]))
    await admission.admit("w", post_factory(8, author=author))
    await Categories(store).set("w", "x:1", "attendee", "alice")
    await Categories(store).set("w", "x:2", "institution", "alice")
    r = await build_report(store, "w")
    assert (r["posts"], r["original_posts"], r["reposts"], r["with_media"]) == (3, 2, 1, 1)
    assert r["impressions"]["estimate"] == 200 and r["impressions"]["posts_with_followers"] == 2
    assert r["languages"] == [{"lang": "en", "posts": 2}, {"lang": "fr", "posts": 1}]
    assert r["sources"] == [{"source": "x", "posts": 3}]
    assert r["per_day"] == [{"day": "2014-05-15", "posts": 3, "original_posts": 2}]
    cats = {c["category"]: (c["accounts"], c["posts"]) for c in r["categories"]}
    assert cats["attendee"] == (1, 2) and cats["institution"] == (1, 1)
    assert r["uncategorised"] == {"accounts": 0, "posts": 0}
    assert r["sentence"] == ("3 posts using #ASNR14 were logged on May 15, 2014 from 2 accounts,"
                             " including 1 attendee and 1 institution.")
    assert [a["handle"] for a in r["top_contributors"]] == ["@user1", "@user2"]
    assert r["top_by_reach"][0]["impressions"] == 200


async def test_a_period_and_a_time_zone_choose_the_days(
        store: Store, post_factory: Callable[..., Post]) -> None:
    """since/until keep the posts of those days (both included) in the report's time zone;
    a post at 02:00 UTC belongs to the day before in Montréal."""
    admission = Admission(store)
    await admission.admit("w", post_factory(1, created_at="2014-05-16T02:00:00Z"))
    await admission.admit("w", post_factory(2, created_at="2014-05-17T15:00:00Z"))
    utc = await build_report(store, "w")
    assert (utc["first_day"], utc["last_day"], utc["days"]) == ("2014-05-16", "2014-05-17", 2)
    mtl = await build_report(store, "w", Period(tz=ZoneInfo("America/Montreal")))
    assert mtl["first_day"] == "2014-05-15" and mtl["days"] == 3
    assert [h["hour"] for h in mtl["per_hour"] if h["posts"]] == [11, 22]
    one = await build_report(store, "w", Period(date(2014, 5, 17), date(2014, 5, 17)))
    assert (one["posts"], one["first_day"]) == (1, "2014-05-17")


async def test_live_stats_keep_todays_keys_and_add_the_new_figures(
        store: Store, post_factory: Callable[..., Post]) -> None:
    """wall_stats counts visible posts: the five original keys plus reposts, media share,
    the 24 hours up to the newest post, top contributors, networks and languages."""
    admission = Admission(store)
    for n in range(4):
        await admission.admit("w", post_factory(n, is_repost=n == 0))
    s = await wall_stats(store, "w", detail=True)
    assert (s["posts"], s["pending"], s["hidden"], s["accounts"]) == (4, 0, 0, 4)
    assert s["first_post_at"] == "2014-05-15T12:00:00Z"
    assert (s["original_posts"], s["reposts"], s["media_share"]) == (3, 1, 0.0)
    assert len(s["per_hour"]) == 24 and s["per_hour"][-1] == {
        "hour": "2014-05-15T12:00:00Z", "posts": 4}
    assert s["sources"] == {"x": 4} and s["languages"] == {"en": 4}
    assert len(s["top_contributors"]) == 4
