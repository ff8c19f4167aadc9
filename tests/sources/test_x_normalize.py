"""Raw X API v2 payloads -> `Post`, on the recorded-style fixture tests/fixtures/x/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.models import Post
from app.sources.x.normalize import content_tokens, post_id, tweet_to_post
from app.sources.x.query import build_query
from app.sources.x.rechecks import gone_ids

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "x"


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    """The recorded recent-search response: data, includes and meta."""
    return json.loads((FIXTURES / "search_recent.json").read_text(encoding="utf-8"))


def post(recorded: dict[str, Any], tweet_id: str) -> Post:
    tweet = next(t for t in recorded["data"] if t["id"] == tweet_id)
    return tweet_to_post(tweet, recorded["includes"])


def test_plain_post_tokens(recorded: dict[str, Any]) -> None:
    """Hashtags, mentions and t.co links become tokens; &amp; is unescaped; emoji keep offsets."""
    p = post(recorded, "1866000000000000001")
    assert [(t.type, t.text, t.href) for t in p.content] == [
        ("text", "🧠 Great session on ", None),
        ("hashtag", "#ASNR14", "https://x.com/hashtag/ASNR14"),
        ("text", " with ", None),
        ("mention", "@ucsf_imaging", "https://x.com/ucsf_imaging"),
        ("text", " & friends ", None),
        ("link", "ajnr.org/content/35/5", "https://www.ajnr.org/content/35/5"),
    ]
    assert p.text == (
        "🧠 Great session on #ASNR14 with @ucsf_imaging & friends ajnr.org/content/35/5"
    )
    assert p.id == "x:1866000000000000001"
    assert p.url == "https://x.com/neurorad_fellow/status/1866000000000000001"
    assert p.hashtags == ["asnr14"]
    assert p.metrics.likes == 12 and p.metrics.reposts == 3


def test_author_fields(recorded: dict[str, Any]) -> None:
    """The author gets handle, name, a large avatar, profile URL and followers count."""
    a = post(recorded, "1866000000000000001").author
    assert a.handle == "@neurorad_fellow" and a.name == "Neuro Fellow"
    assert a.avatar_url == "https://pbs.twimg.com/profile_images/1/fellow_400x400.jpg"
    assert a.profile_url == "https://x.com/neurorad_fellow"
    assert a.followers_count == 1200


def test_long_post_uses_note_tweet(recorded: dict[str, Any]) -> None:
    """A long post shows the full `note_tweet` text with its own entities."""
    p = post(recorded, "1866000000000000002")
    assert p.text.endswith("Thanks to everyone who came by the booth! #neurorad")
    assert "…" not in p.text.replace("day2.…", "")
    links = [t for t in p.content if t.type == "link"]
    assert [t.href for t in links] == ["https://example.org/slides/day2.pdf"]
    assert p.hashtags == ["asnr14", "neurorad"]


def test_repost_is_unwrapped(recorded: dict[str, Any]) -> None:
    """A repost shows the original's content and author on the original's card."""
    p = post(recorded, "1866000000000000003")
    assert p.is_repost is True
    assert p.id == "x:1865999999999999001"
    assert p.author.handle == "@neurorad_fellow"
    assert not p.text.startswith("RT @")
    assert p.url == "https://x.com/neurorad_fellow/status/1865999999999999001"


def test_repost_without_original_falls_back(recorded: dict[str, Any]) -> None:
    """A repost whose original is missing from includes is shown as the repost itself."""
    tweet = next(t for t in recorded["data"] if t["id"] == "1866000000000000003")
    p = tweet_to_post(tweet, {"users": recorded["includes"]["users"]})
    assert p.is_repost is True and p.id == "x:1866000000000000003"
    assert p.author.handle == "@ucsf_imaging"


def test_quote_fills_quoted_and_drops_its_link(recorded: dict[str, Any]) -> None:
    """A quote carries the quoted post from includes; the t.co link to it leaves the text."""
    p = post(recorded, "1866000000000000004")
    assert p.quoted is not None
    assert p.quoted.id == "x:1865999999999999002"
    assert p.quoted.author.handle == "@ucsf_imaging"
    assert p.quoted.text.startswith("Our new stroke protocol")
    assert p.quoted.url == "https://x.com/ucsf_imaging/status/1865999999999999002"
    assert p.text == "This is the talk of the day #ASNR14"


def test_photo_with_alt_and_media_link_dropped(recorded: dict[str, Any]) -> None:
    """A photo becomes image media with alt text; its pic link is dropped from the text."""
    p = post(recorded, "1866000000000000005")
    assert [(m.kind, m.url, m.alt, m.width) for m in p.media] == [
        (
            "image",
            "https://pbs.twimg.com/media/keynote.jpg",
            "A full lecture hall facing a slide titled Keynote",
            2048,
        )
    ]
    assert p.text == "Packed hall for the keynote #ASNR14"


def test_video_best_mp4_and_gif(recorded: dict[str, Any]) -> None:
    """A video gets its preview image and highest-bitrate mp4; a GIF becomes kind gif."""
    video, gif = post(recorded, "1866000000000000006").media
    assert video.kind == "video"
    assert video.url.endswith("/1280x720/high.mp4")
    assert video.preview_url == "https://pbs.twimg.com/ext_tw_video_thumb/6/pu/img/scanner.jpg"
    assert video.alt.startswith("Camera walking")
    assert gif.kind == "gif" and gif.url.endswith("applause.mp4")


def test_edit_keys_on_first_id(recorded: dict[str, Any]) -> None:
    """An edited post keeps the id of the first version so it updates the same card."""
    p = post(recorded, "1866000000000000007")
    assert p.id == "x:1866000000000000000"
    assert p.url == "https://x.com/asnr_org/status/1866000000000000007"
    assert post_id({"id": "5"}) == "x:5"


def test_hostile_urls_never_survive(recorded: dict[str, Any]) -> None:
    """javascript:/data: URLs never become an href, avatar or media URL; bidi is stripped."""
    p = post(recorded, "1866000000000000008")
    assert all(t.href is None or t.href.startswith("https://") for t in p.content)
    assert "cme.example.org" in p.text and "\u202e" not in p.text
    assert p.author.avatar_url is None and "\u202e" not in p.author.name
    assert [m.url for m in p.media] == ["https://video.twimg.com/ok/safe.mp4"]
    assert p.media[0].preview_url is None
    wire = json.dumps(p.wire())
    assert "javascript:" not in wire and "data:" not in wire
    assert p.sensitive is True


def test_entities_found_when_offsets_drift() -> None:
    """Entity offsets that do not match the text are re-found by their literal."""
    tokens = content_tokens(
        "a &lt;b&gt; #Tag", {"hashtags": [{"start": 99, "end": 103, "tag": "Tag"}]}
    )
    assert [(t.type, t.text) for t in tokens] == [("text", "a <b> "), ("hashtag", "#Tag")]


def test_malformed_tweet_raises() -> None:
    """A tweet without an id raises instead of producing a broken post."""
    with pytest.raises((KeyError, ValueError)):
        tweet_to_post({"text": "no id"}, {})


def test_build_query_options() -> None:
    """The query ORs the hashtags and adds repost, language and media filters."""
    assert build_query(("ASNR14",)) == "(#ASNR14)"
    assert (
        build_query(["a", "#b"], exclude_reposts=True, languages=["en", "fr"], media_only=True)
        == "(#a OR #b) (lang:en OR lang:fr) -is:retweet has:media"
    )
    assert build_query(["a"], languages=["en"]) == "(#a) lang:en"
    with pytest.raises(ValueError):
        build_query(())


def test_lookup_errors_and_absent_ids_are_gone() -> None:
    """Not-found, not-authorised and absent ids are gone; found ones stay."""
    lookup = json.loads((FIXTURES / "lookup_errors.json").read_text(encoding="utf-8"))
    asked = ["1866000000000000001", "1866000000000000002", "1866000000000000004", "42"]
    assert gone_ids(asked, lookup) == asked[1:]


def test_lookup_answers_that_prove_nothing_delete_nothing() -> None:
    """An empty answer deletes nothing, and an id in a returned edit history is present."""
    assert gone_ids(["1", "2"], {}) == []
    edited = {"data": [{"id": "9", "edit_history_tweet_ids": ["1", "9"]}]}
    assert gone_ids(["1", "2"], edited) == ["2"]
