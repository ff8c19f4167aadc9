"""Mastodon status JSON -> Post, on recorded-style payloads in tests/fixtures/mastodon/."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from app.sources.mastodon.normalize import instance_base, status_to_post

FIXTURES = Path(__file__).parent.parent / "fixtures" / "mastodon"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text(encoding="utf-8"))
    return data


def test_public_status_becomes_a_post_keyed_by_uri() -> None:
    """The id is mastodon:<uri>, the url the status page, the author @user@host."""
    post = status_to_post(load("status_public.json"), "neuro.social")
    assert post is not None
    assert post.id == "mastodon:https://neuro.social/users/fellow/statuses/113500000000000001"
    assert post.url == "https://neuro.social/@fellow/113500000000000001"
    assert post.author.handle == "@fellow@neuro.social"
    assert post.author.id == "https://neuro.social/users/fellow"
    assert post.author.avatar_url == "https://files.neuro.social/accounts/avatars/fellow.png"
    assert post.author.followers_count == 321
    assert post.hashtags == ["asnr14"]
    assert post.metrics.likes == 11 and post.metrics.reposts == 5
    assert post.lang == "en" and not post.is_repost


def test_content_tokens_and_custom_emoji_as_text() -> None:
    """Hashtag, mention and shortened link tokens; custom emoji stay as :shortcode: text."""
    post = status_to_post(load("status_public.json"), "neuro.social")
    assert post is not None
    types = [(t.type, t.text) for t in post.content]
    assert ("hashtag", "#ASNR14") in types
    assert ("mention", "@ucsf_imaging") in types
    assert ("link", "ajnr.org/content/35/5/long-art…") in types
    assert ":brain:" in post.text
    assert "Slides: " in post.text and "\nsee you at the poster" in post.text
    assert post.author.name == "Neuro Fellow :verified:"


def test_boost_is_unwrapped_to_the_original() -> None:
    """A reblog yields its original: original uri, author, CW, sensitive flag; is_repost set."""
    post = status_to_post(load("status_boost.json"), "other.example")
    assert post is not None
    assert post.id == "mastodon:https://society.example/users/asnr/statuses/777"
    assert post.is_repost
    assert post.author.handle == "@asnr@society.example"
    assert post.sensitive and post.content_warning == "Surgical images"


def test_media_kinds_alt_and_unsafe_urls() -> None:
    """image/gifv/video kept with preview, alt and size; audio and non-http(s) media dropped."""
    post = status_to_post(load("status_boost.json"), "other.example")
    assert post is not None
    assert [(m.kind, m.url) for m in post.media] == [
        ("image", "https://files.society.example/media/1.jpg"),
        ("gif", "https://files.society.example/media/2.mp4"),
        ("video", "https://files.society.example/media/3.mp4"),
    ]
    first = post.media[0]
    assert first.alt == "Axial FLAIR showing a lesion"
    assert (first.width, first.height) == (1200, 800)
    assert first.preview_url == "https://files.society.example/media/1_small.jpg"


def test_hostile_status_leaves_only_text_and_https_links() -> None:
    """Scripts, javascript:/data: links, markup in names and bidi overrides become inert."""
    post = status_to_post(load("status_hostile.json"), "evil.example")
    assert post is not None
    for token in post.content:
        assert token.href is None or token.href.startswith("https://")
    assert [t.href for t in post.content if t.href] == ["https://ok.example/"]
    assert "alert('x')" not in post.text and "framed" not in post.text
    assert "body{" not in post.text and "hidden" not in post.text
    assert "<script>" in post.text  # the escaped text stays visible as text
    assert "\u202e" not in post.text and "\u202e" not in post.author.name
    assert post.author.name.startswith("<img")  # plain text, rendered with textContent
    assert post.author.profile_url is None and post.author.avatar_url is None
    assert post.content_warning == "<b>cw</b>"


def test_unlisted_private_and_malformed_are_dropped() -> None:
    """Only public statuses are wall posts; broken payloads give None, never an exception."""
    assert status_to_post(load("status_unlisted.json"), "neuro.social") is None
    direct = load("status_public.json") | {"visibility": "direct"}
    assert status_to_post(direct, "neuro.social") is None
    assert status_to_post({"visibility": "public"}, "neuro.social") is None
    assert status_to_post(load("status_public.json") | {"account": None}, "x") is None


def test_same_status_from_two_instances_is_one_id() -> None:
    """Two instances' copies (different local ids, accounts seen remote) share one post id."""
    local = load("status_public.json")
    remote = local | {
        "id": "999",
        "account": local["account"] | {"acct": "fellow@neuro.social", "id": "5"},
    }
    a = status_to_post(local, "neuro.social")
    b = status_to_post(remote, "mastodon.example")
    assert a is not None and b is not None
    assert a.id == b.id and a.author.handle == b.author.handle == "@fellow@neuro.social"


def test_quote_of_mastodon_4_4_is_kept() -> None:
    """An accepted quote becomes the quoted card; a pending or private one is ignored."""
    inner = load("status_public.json")
    quoting = load("status_unlisted.json") | {
        "visibility": "public",
        "quote": {"state": "accepted", "quoted_status": inner},
    }
    post = status_to_post(quoting, "neuro.social")
    assert post is not None and post.quoted is not None
    assert post.quoted.id == "mastodon:" + inner["uri"]
    assert "Great session" in post.quoted.text
    pending = quoting | {"quote": {"state": "pending", "quoted_status": inner}}
    post = status_to_post(pending, "neuro.social")
    assert post is not None and post.quoted is None


def test_instance_base_accepts_hosts_and_urls() -> None:
    """Instances may be given as bare hosts or URLs."""
    assert instance_base("mastodon.social") == "https://mastodon.social"
    assert instance_base("https://mastodon.social/") == "https://mastodon.social"
    assert instance_base("http://127.0.0.1:8080/api") == "http://127.0.0.1:8080"
