"""Mastodon and Bluesky normalisation on real recorded data (tests/fixtures/README.md names the
origin of each file): quotes said once, boosts, polls, warnings, media descriptions, edits, and
link cards or GIFs that never leave a card empty."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from app.merge import merge_posts
from app.models import Post
from app.sources.bluesky.normalize import record_to_post
from app.sources.mastodon.normalize import status_to_post

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
HOST = "localhost:3000"  # the Mastodon 4.6 test server the cassettes were recorded on
LENNON = {"id": "http://localhost:3000/ap/users/117020565966271181", "handle": "@mastodonpy_test@localhost:3000",
          "name": "John Lennon", "avatar_url": "https://localhost:3000/system/accounts/avatars/117/020/565/966/271/181/original/5784df1febb9890a.jpg",
          "profile_url": "http://localhost:3000/@mastodonpy_test", "followers_count": 0}
ADMIN = {"id": "http://localhost:3000/ap/users/117020565693913441", "handle": "@admin@localhost:3000",
         "name": "admin", "avatar_url": "https://localhost:3000/avatars/original/missing.png",
         "profile_url": "http://localhost:3000/@admin", "followers_count": 0}
DID = "did:plc:vhwscbpufmtoekc5hyz73vpa"  # the records' author is a test input


def mastodon(name: str) -> Post | None:
    """Return the post of one recorded Mastodon status."""
    status = json.loads((FIXTURES / "mastodon" / f"{name}.json").read_text(encoding="utf-8"))
    return status_to_post(status, HOST)


def bluesky(index: int) -> Post:
    """Return the post of recorded record number `index`, as if `DID` had posted it."""
    records = json.loads((FIXTURES / "bluesky" / "real_records_vrhose.json")
                         .read_text(encoding="utf-8"))["records"]
    post = record_to_post(DID, f"3lrec{index}", records[index])
    assert post is not None
    return post


def tokens(post: Post) -> list[tuple[str, str, str | None]]:
    """Return a post's tokens as (type, text, href)."""
    return [(t.type, t.text, t.href) for t in post.content]


def test_mastodon_quote_shown_once() -> None:
    """An accepted quote: the card shows it, and the text loses its "RE: …" fallback."""
    post = mastodon("real_quote_accepted")
    assert post is not None
    assert post.wire() | {"metrics": None} == {
        "id": "mastodon:http://localhost:3000/ap/users/117020565693913441/statuses/117020583080889590",
        "source": "mastodon", "url": "http://localhost:3000/@admin/117020583080889590",
        "created_at": post.wire()["created_at"], "author": ADMIN,
        "content": [{"type": "text", "text": "check this mother fucker out", "href": None}],
        "text": "check this mother fucker out", "media": [], "lang": "en", "is_repost": False,
        "quoted": {
            "id": "mastodon:http://localhost:3000/ap/users/117020565966271181/statuses/117020583073249915",
            "url": "http://localhost:3000/@mastodonpy_test/117020583073249915", "author": LENNON,
            "content": [{"type": "link", "text": "youtube.com/watch?v=FAEKjYroiME",
                         "href": "https://www.youtube.com/watch?v=FAEKjYroiME"}],
            "text": "youtube.com/watch?v=FAEKjYroiME", "created_at": post.wire()["quoted"]["created_at"]},
        "sensitive": False, "content_warning": None, "pinned": False, "in_reply_to": None,
        "metrics": None, "hashtags": [], "also_on": [],
    }


@pytest.mark.parametrize(
    ("name", "check"),
    [
        pytest.param("real_quote_revoked", lambda p: p.quoted is None and p.text.startswith(
            "RE: localhost:3000/@mastodonpy_tes…\n\ncheck this"), id="a revoked quote keeps RE:"),
        pytest.param("real_boost", lambda p: p.is_repost and p.text == "Toot, finally!"
                     and p.author.handle == "@mastodonpy_test_2@localhost:3000", id="boost"),
        pytest.param("real_poll", lambda p: p.text == "nice\n\n▢ four twenty\n▢ sixty-nine",
                     id="a poll's options listed"),
        pytest.param("real_content_warning", lambda p: p.content_warning == "Content warning"
                     and p.text == "Toot!", id="content warning kept"),
        pytest.param("real_media_edited", lambda p: p.edited_at is not None
                     and [(m.kind, m.alt) for m in p.media] == [("video", "Updated description")],
                     id="an edit with its media description"),
        pytest.param("real_card_unlisted", lambda p: p is None, id="unlisted stays off the wall"),
    ],
)
def test_mastodon_real_statuses(name: str, check: Any) -> None:
    """Each recorded status becomes the card the API describes."""
    assert check(mastodon(name))


def test_mastodon_edit_merges_with_the_version_before() -> None:
    """The status before and after its media description was edited: one attachment, the new
    description, the new words."""
    before, after = mastodon("real_media_before_edit"), mastodon("real_media_edited")
    assert before is not None and after is not None and before.id == after.id
    for merged in (merge_posts(before, after), merge_posts(after, before)):
        assert [m.alt for m in merged.media] == ["Updated description"]
        assert merged.text.startswith("I have altered the media attachment")


@pytest.mark.parametrize(
    ("index", "text", "links", "media", "quoted"),
    [
        (0, "Convinced me", [], [], True),
        (1, "Clip of Donald Trump Mocking a Disabled Person Resurfaces",
         ["https://youtube.com/shorts/jeRqbT6KU0w?si=EnjiH1_pnYhA1p72"], [], False),
        (2, "", [], [("image", "")] * 4, True),
        (3, "Xeno", ["https://open.spotify.com/album/5hzSssDOGvtV8LtqHDdoDS?si=IyOLfdTGQlW6Pre2fcGLxg"],
         [], True),
        (4, "Lonely Island The Creep GIF",
         ["https://media.tenor.com/WB_3sRiDCiAAAAAC/lonely-island-the-creep.gif?hh=280&ww=498"],
         [("gif", "Lonely Island The Creep GIF")], True),
        (5, "", [], [("video", "")], True),
        (6, "", [], [("image", "")], True),
    ],
)
def test_bluesky_real_records(index: int, text: str, links: list[str],
                              media: list[tuple[str, str]], quoted: bool) -> None:
    """Records with no text and only an embed are never empty cards: a link card becomes a
    titled link, a GIF from the picker a `gif` with its ALT text, a quote its reference."""
    post = bluesky(index)
    assert post.text == text
    assert [t.href for t in post.content if t.type == "link"] == links
    assert [(m.kind, m.alt) for m in post.media] == media
    assert (post.quoted is not None) is quoted
    assert post.text or post.media or post.quoted  # never an empty card
