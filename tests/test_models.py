"""The Post model is the last gate before storage and browsers: hostile input is neutralised."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from app.models import Post, safe_url
from tests.conftest import make_post


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("https://x.com/a/status/1", True),
        ("http://example.org/x?y=1#z", True),
        ("/demo-media/a.svg", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox", False),
        ("//evil.example/x", False),
        ("https:evil", False),
        ("java\tscript:alert(1)", False),
        ("https://ok.example/\u0000", False),
        ("/\\evil.example", False),
        ("", False),
    ],
)
def test_safe_url_accepts_only_http_and_same_origin_paths(url: str, kept: bool) -> None:
    """Only absolute http(s) URLs and same-origin paths survive."""
    assert (safe_url(url) == url) is kept


def test_unsafe_link_token_becomes_plain_text() -> None:
    """A link whose href is javascript: keeps its words but loses the link."""
    post = Post.model_validate(make_post(1, content=[
        {"type": "link", "text": "click me", "href": "javascript:alert(1)"}]))
    assert post.content[0].type == "text" and post.content[0].href is None
    assert post.content[0].text == "click me"


def test_unsafe_avatar_and_profile_urls_are_dropped() -> None:
    """An avatar or profile URL with a non-http scheme is removed, not rendered."""
    post = Post.model_validate(make_post(1, author={
        "id": "1", "handle": "@a", "avatar_url": "data:image/svg+xml,<svg onload=alert(1)>",
        "profile_url": "javascript:alert(1)"}))
    assert post.author.avatar_url is None and post.author.profile_url is None


def test_media_with_unsafe_url_is_rejected() -> None:
    """A media item whose URL is not http(s) makes the post invalid rather than shown."""
    with pytest.raises(ValidationError):
        Post.model_validate(make_post(1, media=[{"url": "javascript:alert(1)"}]))


def test_direction_overrides_are_stripped_but_rtl_text_and_zwj_stay() -> None:
    """Bidi overrides vanish from names and text; Arabic text and ZWJ emoji are untouched."""
    post = Post.model_validate(make_post(1, author={
        "id": "1", "handle": "@evil\u202egnp.exe", "name": "Dr \u202eenoJ"},
        content=[{"type": "text", "text": "مرحبا \u2067بكم\u2069 👩\u200d⚕️"}]))
    assert "\u202e" not in post.author.handle + post.author.name
    assert post.text == "مرحبا بكم 👩\u200d⚕️"


def test_markup_stays_text() -> None:
    """HTML in post text is kept verbatim as text (pages render it with textContent)."""
    post = Post.model_validate(make_post(1, content=[
        {"type": "text", "text": "<script>alert(1)</script>"}]))
    assert post.text == "<script>alert(1)</script>"


def test_id_must_carry_its_source() -> None:
    """A post id is `{source}:{native_id}`; a mismatch is refused."""
    with pytest.raises(ValidationError):
        Post.model_validate(make_post(1, id="mastodon:1"))


def test_hashtags_are_derived_from_tokens() -> None:
    """The post's hashtags are its hashtag tokens, case-folded and without '#'."""
    assert Post.model_validate(make_post(1)).hashtags == ["asnr14"]


def test_edited_at_is_optional_and_kept_in_utc() -> None:
    """`edited_at` (the version a sighting shows) defaults to None and is normalised to UTC like
    `created_at`; it is on the wire only for an edited post, so the documented shape holds."""
    assert Post.model_validate(make_post(1)).edited_at is None
    assert "edited_at" not in Post.model_validate(make_post(1)).wire()
    post = Post.model_validate(make_post(1, edited_at="2014-05-15T14:00:00+02:00"))
    assert post.wire()["edited_at"] == "2014-05-15T12:00:00Z"


def test_images_are_loaded_over_https_only() -> None:
    """A plain-http avatar or photo is upgraded to https (every page's CSP loads images only
    from itself and https); a link keeps its scheme; a same-origin path stays."""
    from app.models import Post
    from tests.conftest import make_post

    post = Post.model_validate(make_post(
        1, author={"id": "1", "handle": "@a", "avatar_url": "http://a.example/avatar.png",
                   "profile_url": "http://a.example/"},
        media=[{"url": "http://a.example/p.png", "preview_url": "HTTP://a.example/s.png"},
               {"url": "/demo-media/photo.svg"}]))
    assert post.author.avatar_url == "https://a.example/avatar.png"
    assert post.author.profile_url == "http://a.example/"
    assert [m.url for m in post.media] == ["https://a.example/p.png", "/demo-media/photo.svg"]
    assert post.media[0].preview_url == "https://a.example/s.png"
