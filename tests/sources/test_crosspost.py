"""One post shown once: cross-post keys and the CrosspostIndex, as tables."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from app.models import Author, Post, Token
from app.sources.crosspost import CrosspostIndex, crosspost_key

T0 = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)


def make(
    source: str,
    n: int,
    text: str | list[Token],
    *,
    handle: str,
    name: str = "",
    minutes: float = 0,
) -> Post:
    content: Any = text if isinstance(text, list) else [Token(type="text", text=text)]
    native = {
        "x": f"{n}",
        "mastodon": f"https://m.example/s/{n}",
        "bluesky": f"at://did:plc:x/app.bsky.feed.post/{n}",
    }[source]
    return Post(
        id=f"{source}:{native}",
        source=source,  # type: ignore[arg-type]
        created_at=T0 + timedelta(minutes=minutes),
        author=Author(id=handle, handle=handle, name=name),
        content=content,
    )


@pytest.mark.parametrize(
    ("content", "key"),
    [
        ("Great talk!  On   PERFUSION.", "great talk on perfusion"),
        ("Slides: https://ajnr.org/x/y?z=1 now", "slides now"),
        ("Fin du congrès… 🎉", "fin du congrès"),
        (
            "Same words [bridged from https://m.example/@a/1 on the fediverse by https://fed.brid.gy/ ]",
            "same words",
        ),
        ("Keynote was great (via @crossposter)", "keynote was great"),
        ("Keynote was great — via Buffer", "keynote was great"),
        (
            [
                Token(type="text", text="Hi "),
                Token(type="mention", text="@bob@m.example", href="https://m.example/@bob"),
                Token(type="text", text=" see "),
                Token(type="link", text="ajnr.org/…", href="https://ajnr.org/a"),
                Token(type="text", text=" "),
                Token(type="hashtag", text="#ASNR14", href="https://m.example/tags/asnr14"),
            ],
            "hi see asnr14",
        ),
        ("\uff26\uff35\uff2c\uff2c text", "full text"),
    ],
)
def test_crosspost_key(content: str | list[Token], key: str) -> None:
    """Links, mentions, bridge footers, punctuation, emoji and case do not count."""
    assert crosspost_key(make("mastodon", 1, content, handle="@a@m.example")) == key


TEXT = "Packed hall for the perfusion keynote #ASNR14"

CASES = [
    # (first, second, duplicate?) -- each a (source, handle, name, minutes, text)
    (
        ("mastodon", "@ana@neuro.social", "Ana Rad", 0, TEXT),
        ("bluesky", "@ana.bsky.social", "Ana Rad 🧠", 2, TEXT + " https://neuro.social/@ana/1"),
        True,
    ),
    (
        ("mastodon", "@ana@neuro.social", "Ana Rad", 0, TEXT),
        ("bluesky", "@ana.bsky.social", "Ana Rad", 30, TEXT),
        False,
    ),  # outside the window
    (
        ("mastodon", "@ana@neuro.social", "Ana Rad", 0, TEXT),
        ("bluesky", "@bob.bsky.social", "Bob", 1, TEXT),
        False,
    ),  # someone else quoting it
    (
        ("mastodon", "@ana@neuro.social", "Ana Rad", 0, TEXT),
        ("mastodon", "@ana@other.social", "Ana Rad", 1, TEXT),
        False,
    ),  # same network: two posts
    (
        ("bluesky", "@ana.bsky.social", "", 0, TEXT),
        ("mastodon", "@ana.bsky.social@bsky.brid.gy", "", 1, TEXT),
        True,
    ),  # Bridgy Fed copy
    (
        ("mastodon", "@ana@neuro.social", "", 0, TEXT),
        ("bluesky", "@ana.neuro.social.ap.brid.gy", "", 1, TEXT),
        True,
    ),  # Bridgy Fed copy
    (
        ("mastodon", "@ana@neuro.social", "", 0, TEXT + " and a much longer tail cut by a bridge"),
        ("bluesky", "@ana.neuro.social.ap.brid.gy", "", 1, TEXT + " and a much lon…"),
        True,
    ),
    (
        ("mastodon", "@ana@neuro.social", "Ana", 0, "Nice!"),
        ("bluesky", "@ana.bsky.social", "Ana", 1, "Nice!"),
        False,
    ),  # too short to judge
    (
        ("mastodon", "@ana@neuro.social", "Ana Rad", 0, TEXT),
        ("bluesky", "@ana.bsky.social", "Ana Rad", 1, "A different post entirely #ASNR14"),
        False,
    ),
    (
        ("x", "@ana", "Ana Rad", 0, TEXT),
        ("mastodon", "@ana@neuro.social", "ana rad", -3, TEXT),
        True,
    ),  # arrives later, older
]


@pytest.mark.parametrize(("first", "second", "duplicate"), CASES)
def test_index_finds_cross_posts(
    first: tuple[str, str, str, float, str],
    second: tuple[str, str, str, float, str],
    duplicate: bool,
) -> None:
    """Same words, same person, another network, within the window -> the first post's id."""
    index = CrosspostIndex(timedelta(minutes=10))
    a = make(first[0], 1, first[4], handle=first[1], name=first[2], minutes=first[3])
    b = make(second[0], 2, second[4], handle=second[1], name=second[2], minutes=second[3])
    assert index.check(a) is None
    assert index.check(b) == (a.id if duplicate else None)


def test_linked_handles_are_one_person() -> None:
    """Operator-declared handle pairs match even with different display names."""
    index = CrosspostIndex()
    index.link("@ana@neuro.social", "@ana-rad.bsky.social")
    a = make("mastodon", 1, TEXT, handle="@ana@neuro.social", name="Dr Ana")
    b = make("bluesky", 2, TEXT, handle="@ana-rad.bsky.social", name="Ana R.")
    assert index.check(a) is None
    assert index.check(b) == a.id


def test_rechecking_a_post_and_capacity() -> None:
    """A post checked twice is not its own duplicate; old entries fall out at capacity."""
    index = CrosspostIndex(capacity=2)
    a = make("mastodon", 1, TEXT, handle="@ana@neuro.social", name="Ana Rad")
    assert index.check(a) is None and index.check(a) is None
    index.check(make("mastodon", 2, "filler one here please", handle="@x@y", name="X"))
    index.check(make("mastodon", 3, "filler two here please", handle="@x@y", name="X"))
    b = make("bluesky", 4, TEXT, handle="@ana.bsky.social", name="Ana Rad")
    assert index.check(b) is None  # `a` was forgotten
