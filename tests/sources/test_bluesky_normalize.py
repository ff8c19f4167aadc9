"""Bluesky records -> Post, on Jetstream-shaped payloads in tests/fixtures/bluesky/."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from app.sources.bluesky.normalize import facet_tokens, matches, profile_to_author, record_to_post

FIXTURES = Path(__file__).parent.parent / "fixtures" / "bluesky"
NOW = datetime(2026, 11, 28, 10, 0, tzinfo=UTC)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def post_of(name: str, **kwargs: Any) -> Any:
    msg = load(name)
    commit = msg["commit"]
    return record_to_post(msg["did"], commit["rkey"], commit["record"], now=NOW, **kwargs)


def test_ids_urls_and_utf8_facets() -> None:
    """Facet byte offsets count UTF-8 bytes: emoji and umlauts before a facet do not shift it."""
    post = post_of("commit_post_facets.json")
    did = "did:plc:abcdefghijklmnopqrstuvwx"
    assert post.id == f"bluesky:at://{did}/app.bsky.feed.post/3lbqz2xyz2k2a"
    assert post.url == f"https://bsky.app/profile/{did}/post/3lbqz2xyz2k2a"
    assert [(t.type, t.text, t.href) for t in post.content if t.type != "text"] == [
        ("hashtag", "#ASNR14", "https://bsky.app/hashtag/ASNR14"),
        (
            "mention",
            "@alice.bsky.social",
            "https://bsky.app/profile/did:plc:alice000000000000000000",
        ),
        ("link", "ajnr.org/content/35…", "https://www.ajnr.org/content/35/5/long-article-path"),
    ]
    assert "".join(t.text for t in post.content) == post.text
    assert post.lang == "de" and post.hashtags == ["asnr14"]
    assert post.author.handle == did  # not hydrated yet: the DID stands in
    assert post.created_at == datetime(2026, 11, 28, 9, 15, 2, 123000, tzinfo=UTC)


def test_image_embed_becomes_cdn_urls_with_alt() -> None:
    """Image blobs become feed_fullsize / feed_thumbnail CDN URLs with alt text and size."""
    (media,) = post_of("commit_post_facets.json").media
    did, cid = (
        "did:plc:abcdefghijklmnopqrstuvwx",
        "bafkreibjfgx2gprinfvicegelk5kosd6y2frmqpqzwqkg7usac74l3t2v4",
    )
    assert media.url == f"https://cdn.bsky.app/img/feed_fullsize/plain/{did}/{cid}@jpeg"
    assert media.preview_url == f"https://cdn.bsky.app/img/feed_thumbnail/plain/{did}/{cid}@jpeg"
    assert media.alt == "Slide with perfusion maps"
    assert (media.width, media.height) == (1600, 900)


def test_hostile_facets_and_future_dates() -> None:
    """javascript:/data: link facets and bad mention DIDs become text; a future date is clamped."""
    post = post_of("commit_hostile.json")
    assert all(t.href is None and t.type == "text" for t in post.content)
    assert "<b>bold</b>" in post.text  # plain text, drawn with textContent
    assert "\u202e" not in post.text
    assert post.media == []  # a blob ref that is not a CID never becomes a URL
    assert post.created_at == NOW


def test_quote_reply_labels_and_video() -> None:
    """recordWithMedia: video media plus a quote reference; reply parent and self-labels kept."""
    post = post_of("commit_quote_video.json")
    assert post.quoted is not None
    assert (
        post.quoted.id == "bluesky:at://did:plc:quoted00000000000000000/app.bsky.feed.post/3quoted"
    )
    assert (
        post.quoted.url == "https://bsky.app/profile/did:plc:quoted00000000000000000/post/3quoted"
    )
    (video,) = post.media
    assert video.kind == "video" and video.url.endswith("/playlist.m3u8")
    assert video.alt == "Clip of the keynote"
    assert post.in_reply_to == "bluesky:at://did:plc:parent/app.bsky.feed.post/3parent"
    assert post.sensitive
    assert set(post.hashtags) == {"asnr14", "conference"}


@pytest.mark.parametrize(
    ("record", "wanted"),
    [
        ({"text": "hello #ASNR14!"}, True),
        ({"text": "hello #asnr14"}, True),
        ({"text": "hello \uff03Asnr14 wide hash"}, True),
        ({"text": "hello ASNR14"}, False),
        ({"text": "mail me a#asnr14"}, False),
        ({"text": "#ASNR140"}, False),
        ({"text": "no tag", "tags": ["Asnr14"]}, True),
        (
            {
                "text": "facet only",
                "facets": [
                    {
                        "index": {"byteStart": 0, "byteEnd": 5},
                        "features": [{"$type": "app.bsky.richtext.facet#tag", "tag": "asnR14"}],
                    }
                ],
            },
            True,
        ),
        ({"text": "broken", "facets": [None, {"features": "x"}], "tags": [3]}, False),
    ],
)
def test_hashtag_matching(record: dict[str, Any], wanted: bool) -> None:
    """A post matches by tag facet, `tags` or #tag in the text, case-insensitively."""
    assert matches(record, ["ASNR14"]) is wanted


def test_facets_ignore_bad_offsets() -> None:
    """Out-of-range, reversed or overlapping facets leave the text intact."""
    facets = [
        {"index": {"byteStart": 4, "byteEnd": 2}, "features": [{"$type": "x"}]},
        {"index": {"byteStart": 0, "byteEnd": 99}, "features": [{"$type": "x"}]},
        {"index": {"byteStart": "a", "byteEnd": 2}, "features": []},
    ]
    tokens = facet_tokens("héllo", facets)
    assert [(t.type, t.text) for t in tokens] == [("text", "héllo")]


def test_profile_to_author() -> None:
    """A profile view gives handle, name, avatar, followers and a bsky.app profile URL."""
    author = profile_to_author(load("get_profiles.json")["profiles"][0])
    assert author.handle == "@fellow.bsky.social"
    assert author.name == "Neuro Fellow 🧠" and author.followers_count == 321
    assert author.profile_url == "https://bsky.app/profile/did:plc:abcdefghijklmnopqrstuvwx"
    hostile = profile_to_author(
        {
            "did": "did:plc:x",
            "handle": "x.test",
            "displayName": "<script>\u202e",
            "avatar": "javascript:1",
        }
    )
    assert hostile.name == "<script>" and hostile.avatar_url is None


def test_malformed_records_give_none() -> None:
    """Bad DIDs, rkeys or records give None rather than raising."""
    assert record_to_post("not-a-did", "3abc", {"text": "x"}) is None
    assert record_to_post("did:plc:x", "../../x", {"text": "x"}) is None
    assert record_to_post("did:plc:x", "3abc", {"text": "x", "embed": "nope"}) is not None
    assert record_to_post("did:plc:x", "3abc", {"text": 5, "facets": 7}) is not None
