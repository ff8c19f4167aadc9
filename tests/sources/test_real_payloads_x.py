"""X API v2 normalisation on real recorded responses (tests/fixtures/README.md names each one's
origin): the wire post a card is built from, in full, and what the page could not resolve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.sources.x.normalize import tweet_to_post
from app.sources.x.page import Gaps, Page

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "x"
JOE = {"id": "233543983", "handle": "@JoeOTooIe", "name": "Joe O'Toole 🌈💚🌹🇪🇺",
       "avatar_url": "https://pbs.twimg.com/profile_images/1246119594273705985/9yMYk024_400x400.jpg",
       "profile_url": "https://x.com/JoeOTooIe", "followers_count": 1920}
JAVIER_QUOTE = "And another one: Green Energy, a small-sized UK power retailer with ~250,000 customers, goes out of business. On my count since mid-Aug, Green is the 6th UK retailer to collapse, with the total number of customers affected exceeding now 900,000 households."
SUPPLIER: dict[str, Any] = {
    "id": "x:1440713966649417731", "source": "x",
    "url": "https://x.com/JoeOTooIe/status/1440713966649417731",
    "created_at": "2021-09-22T16:25:51Z", "author": JOE,
    "content": [
        {"type": "text", "text": "This is my supplier! 😬💀\n\nThe email I've received explicitly blames a range of factors. Chief among them are the bad decisions of ", "href": None},
        {"type": "mention", "text": "@KwasiKwarteng", "href": "https://x.com/KwasiKwarteng"},
        {"type": "text", "text": ", ", "href": None},
        {"type": "mention", "text": "@beisgovuk", "href": "https://x.com/beisgovuk"},
        {"type": "text", "text": " and ", "href": None},
        {"type": "mention", "text": "@ofgem", "href": "https://x.com/ofgem"},
        {"type": "text", "text": ", but ", "href": None},
        {"type": "hashtag", "text": "#Brexit", "href": "https://x.com/hashtag/Brexit"},
        {"type": "text", "text": " and the Suez Canal were also named. \n\nThe ", "href": None},
        {"type": "hashtag", "text": "#GasCrisis", "href": "https://x.com/hashtag/GasCrisis"},
        {"type": "text", "text": " proves that privatised energy isn't working.", "href": None}],
    "text": "This is my supplier! 😬💀\n\nThe email I've received explicitly blames a range of factors. Chief among them are the bad decisions of @KwasiKwarteng, @beisgovuk and @ofgem, but #Brexit and the Suez Canal were also named. \n\nThe #GasCrisis proves that privatised energy isn't working.",
    "media": [
        {"kind": "image", "url": "https://pbs.twimg.com/media/E_5xtEhVIAInx_o.jpg", "preview_url": None,
         "alt": "A long email from Green Energy - please request full text if required.",
         "width": 854, "height": 1757},
        {"kind": "image", "url": "https://pbs.twimg.com/media/E_5xtbNVQAQGNb4.jpg", "preview_url": None,
         "alt": "", "width": 841, "height": 1778},
        {"kind": "image", "url": "https://pbs.twimg.com/media/E_5xty_VgBAr1Is.jpg", "preview_url": None,
         "alt": "", "width": 1080, "height": 2160}],
    "lang": "en", "is_repost": False,
    "quoted": {
        "id": "x:1440670794103754762", "url": "https://x.com/JavierBlas/status/1440670794103754762",
        "author": {"id": "1647573157", "handle": "@JavierBlas", "name": "Javier Blas",
                   "avatar_url": "https://pbs.twimg.com/profile_images/1329570676190097408/3HJkOp4e_400x400.jpg",
                   "profile_url": "https://x.com/JavierBlas", "followers_count": 116798},
        "content": [{"type": "text", "text": JAVIER_QUOTE, "href": None}], "text": JAVIER_QUOTE,
        "created_at": "2021-09-22T13:34:18Z"},
    "sensitive": False, "content_warning": None, "pinned": False, "in_reply_to": None,
    "metrics": {"likes": 1, "reposts": 1, "replies": 0, "quotes": 0},
    "hashtags": ["brexit", "gascrisis"], "also_on": [],
}


def normalise(name: str, tweet_id: str | None = None) -> tuple[dict[str, Any], Gaps]:
    """Return the wire post of one tweet of a recorded answer (its first by default) and what
    the answer did not resolve for it."""
    page = Page(json.loads((FIXTURES / name).read_text(encoding="utf-8")))
    tweet = next(t for t in page.data if tweet_id in (None, t["id"]))
    gaps = Gaps()
    return tweet_to_post(tweet, page=page, gaps=gaps).wire(), gaps


def test_a_tweet_with_three_photos_and_a_quote_in_full() -> None:
    """The recorded search page's tweet with three photos (one described) quoting another: the
    whole wire post, photo links cut from the text, nothing unresolved."""
    wire, gaps = normalise("real_search_recent_brexit.json", "1440713966649417731")
    assert wire == SUPPLIER
    assert not gaps


def test_its_repost_earlier_in_the_page_shows_the_same_card_as_a_repost() -> None:
    """The repost comes before the original in the page: it shows the page's expanded copy of
    the original (not the poorer copy in includes), flagged as a repost."""
    wire, gaps = normalise("real_search_recent_brexit.json", "1440715272805969924")
    assert wire == {**SUPPLIER, "is_repost": True}
    assert not gaps


@pytest.mark.parametrize(
    ("name", "tweet_id", "expected", "unresolved"),
    [
        pytest.param(
            "real_search_recent_brexit.json", "1440715389520932865",
            {"id": "x:1440714027773030407", "is_repost": True, "quoted_id": "x:1440637197250486275"},
            {"media": 0, "tweets": 0, "authors": 0}, id="a repost of a quote keeps the quote"),
        pytest.param(
            "real_search_recent_brexit.json", "1440716856763977732",
            {"id": "x:1440713161355583489", "is_repost": True, "media": 0},
            {"media": 1, "tweets": 0, "authors": 0},
            id="an original outside the page: its photo is counted, not silently dropped"),
        pytest.param(
            "real_search_recent_brexit.json", "1440716745577140229",
            {"media_kinds": ["gif"], "in_reply_to": "x:1440621713281093641"},
            {"media": 0, "tweets": 0, "authors": 0},
            id="a GIF without variants keeps its still"),
        pytest.param(
            "real_lookup_edited.json", None,
            {"id": "x:1576994746135764992", "text": "hey :)", "created_at": "2022-10-03T17:57:01.281000Z",
             "edited_at": "2022-10-03T17:57:11Z"},
            {"media": 0, "tweets": 0, "authors": 0},
            id="an edit: the first id, its own time as edited_at, no link to itself"),
        pytest.param(
            "real_lookup_quoted_edit.json", None,
            {"text": "@wongmjane Test", "quoted_id": "x:1576994746135764992",
             "quoted_text": "i miss y\u2019all so much haha,,,", "in_reply_to": "x:1576994789110992896"},
            {"media": 0, "tweets": 0, "authors": 0},
            id="a quote of an edited tweet: the link to it cut, the quote's self-link too"),
        pytest.param(
            "real_lookup_video.json", None,
            {"media_kinds": ["video"], "media_url": "https://video.twimg.com/ext_tw_video/1558552952549277696/pu/vid/1280x720/WiZrNZKT2lMzK5zA.mp4?tag=12",
             "text": "She's GOING with it! 🐍"},
            {"media": 0, "tweets": 0, "authors": 0}, id="a video: the best mp4 and its still"),
        pytest.param(
            "real_lookup_link_card.json", None,
            {"links": ["https://uiadrian.gumroad.com/l/web-design-guide/?offer_code=twk0uc9f7"]},
            {"media": 0, "tweets": 0, "authors": 0}, id="a link card: the t.co link expanded"),
        pytest.param(
            "real_lookup_no_author.json", None,
            {"handle": "", "name": "Unknown X account",
             "url": "https://x.com/i/web/status/1293593516040269825",
             "created_at": "2020-08-12T17:01:42.686000Z",
             "links": ["https://t.co/32VrwpGaJw", "https://t.co/KaFSbjWUA8"]},
            {"media": 0, "tweets": 0, "authors": 1},
            id="no author, no entities: a placeholder, the id's time, bare links"),
    ],
)
def test_real_tweets(name: str, tweet_id: str | None, expected: dict[str, Any],
                     unresolved: dict[str, int]) -> None:
    """Each recorded tweet gives the card its real payload supports."""
    wire, gaps = normalise(name, tweet_id)
    got = {
        **wire, "handle": wire["author"]["handle"], "name": wire["author"]["name"],
        "quoted_id": (wire["quoted"] or {}).get("id"),
        "quoted_text": (wire["quoted"] or {}).get("text"),
        "media_kinds": [m["kind"] for m in wire["media"]],
        "media_url": wire["media"][0]["url"] if wire["media"] else None,
        "links": [t["href"] for t in wire["content"] if t["type"] == "link"],
        "media": len(wire["media"]),
    }
    assert {k: got[k] for k in expected} == expected
    assert gaps.counts() == unresolved


def test_recorded_stream_lines() -> None:
    """The recorded filtered-stream lines (rule tag null) all normalise; the last, cut short in
    the recording, is not JSON and is skipped by the reader."""
    lines = (FIXTURES / "real_stream_lines.jsonl").read_text(encoding="utf-8").splitlines()
    bodies = []
    for line in lines:
        try:
            bodies.append(json.loads(line))
        except ValueError:
            continue
    assert len(bodies) == len(lines) - 1
    for body in bodies:
        assert body["matching_rules"][0]["tag"] is None
        page = Page(body)
        post = tweet_to_post(page.data[0], page=page)
        assert post.author.handle.startswith("@") and post.text
