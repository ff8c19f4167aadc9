"""app/merge.py: two sightings of one post make a card at least as rich as either.

A table of the sightings the real payloads produce (a repost's poorer copy of its original, an
edit, a Mastodon status seen on two instances, a cross-post noted on the original), then a
property test: any order of any sightings gives the same card, holding everything any of them
knew.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from functools import reduce
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.merge import author_rank, merge_posts
from app.models import AlsoOn, Author, Media, Post, QuotedPost, Token

T0 = datetime(2021, 9, 22, 16, 0, tzinfo=UTC)
AUTHOR = Author(id="1", handle="@JoeOTooIe", name="Joe", avatar_url="https://pbs.twimg.com/a.jpg",
                profile_url="https://x.com/JoeOTooIe")
PLACEHOLDER = Author(id="1", handle="", name="Unknown X account")
PHOTOS = [Media(url=f"https://pbs.twimg.com/media/{n}.jpg", alt=f"photo {n}") for n in "abc"]
QUOTE = QuotedPost(id="x:2", url="https://x.com/b/status/2", author=AUTHOR, text="the quoted words")


def post(**kw: Any) -> Post:
    """Return a sighting of post x:1 with `kw` changed."""
    base: dict[str, Any] = {"id": "x:1", "source": "x", "url": "https://x.com/JoeOTooIe/status/1",
                            "created_at": T0, "author": AUTHOR, "text": "This is my supplier!"}
    return Post(**(base | kw))


def hrefs(p: Post) -> set[str | None]:
    """Return the link targets of a post's tokens."""
    return {t.href for t in p.content if t.type == "link"}


@pytest.mark.parametrize(
    ("first", "second", "check"),
    [
        pytest.param(
            post(media=PHOTOS, quoted=QUOTE), post(is_repost=True),
            lambda m: m.media == PHOTOS and m.quoted == QUOTE and not m.is_repost,
            id="a repost's copy without media or quote keeps the original's"),
        pytest.param(
            post(is_repost=True), post(is_repost=True, media=PHOTOS),
            lambda m: m.media == PHOTOS and m.is_repost, id="seen only through reposts: a repost"),
        pytest.param(
            post(author=PLACEHOLDER, url="https://x.com/i/web/status/1"), post(),
            lambda m: m.author == AUTHOR and m.url == "https://x.com/JoeOTooIe/status/1",
            id="a resolved author replaces a placeholder, never the reverse"),
        pytest.param(
            post(media=[PHOTOS[0].model_copy(update={"alt": "Original description"})]),
            post(text="edited", edited_at=T0 + timedelta(minutes=1),
                 media=[PHOTOS[0].model_copy(update={"alt": "Updated description"})]),
            lambda m: m.text == "edited" and m.media[0].alt == "Updated description",
            id="an edit's words and alt text win"),
        pytest.param(
            post(media=[PHOTOS[0]]),
            post(text="edited", edited_at=T0 + timedelta(minutes=1), media=[]),
            lambda m: m.text == "edited" and m.media == [PHOTOS[0]],
            id="an edit never removes media"),
        pytest.param(
            post(content=[Token(type="text", text="see "),
                          Token(type="link", text="ajnr.org", href="https://ajnr.org/x")]),
            post(text="see above", edited_at=T0 + timedelta(minutes=1)),
            lambda m: m.text.startswith("see above") and hrefs(m) == {"https://ajnr.org/x"},
            id="an edit never removes a link"),
        pytest.param(
            post(also_on=[AlsoOn(source="bluesky", id="bluesky:at://d/p/1")]),
            post(text="edited", edited_at=T0 + timedelta(minutes=1)),
            lambda m: [a.id for a in m.also_on] == ["bluesky:at://d/p/1"],
            id="an edit of a collapsed cross-post keeps also_on"),
        pytest.param(
            post(media=[Media(url="https://a.example/1.jpg", alt="", width=640)]),
            post(media=[Media(url="https://a.example/1.jpg", alt="a scan")]),
            lambda m: len(m.media) == 1 and m.media[0].alt == "a scan" and m.media[0].width == 640,
            id="one attachment seen twice: merged, not doubled"),
        pytest.param(
            post(quoted=QuotedPost(id="x:2", author=Author(id="d", handle="did:plc:d"))),
            post(quoted=QUOTE), lambda m: m.quoted == QUOTE, id="a fetched quote beats a bare one"),
        pytest.param(
            post(content_warning="spoilers", sensitive=True), post(),
            lambda m: m.content_warning == "spoilers" and m.sensitive, id="a warning sticks"),
    ],
)
def test_merge_table(first: Post, second: Post, check: Any) -> None:
    """Each pair of real-world sightings merges to the richer card, in either order."""
    assert check(merge_posts(first, second))
    assert merge_posts(first, second) == merge_posts(second, first)


def test_merge_refuses_two_different_posts() -> None:
    """Sightings of two posts are never merged."""
    with pytest.raises(ValueError):
        merge_posts(post(), post(id="x:2"))


def test_author_rank_puts_placeholders_last() -> None:
    """A DID-only or empty handle ranks below a resolved account."""
    assert author_rank(PLACEHOLDER) < author_rank(AUTHOR)
    assert author_rank(Author(id="d", handle="did:plc:d")) < author_rank(AUTHOR)


EXTRA_MEDIA = Media(kind="gif", url="https://video.twimg.com/tweet_video/g.mp4", alt="a gif")


@st.composite
def sightings(draw: st.DrawFn) -> list[Post]:
    """Return 1-6 sightings of x:1, each missing some of what the full post has."""
    out = []
    for _ in range(draw(st.integers(1, 6))):
        version = draw(st.sampled_from([None, T0 + timedelta(minutes=1)]))
        media = [m for m in PHOTOS if draw(st.booleans())]
        media = [m.model_copy(update={"alt": ""}) if draw(st.booleans()) else m for m in media]
        if draw(st.booleans()):
            media.append(EXTRA_MEDIA)
        # One version has one text: an edit may change the link, a re-sighting does not.
        link = Token(type="link", text="site", href=f"https://site.example/{version is None}")
        out.append(post(
            edited_at=version,
            text="", content=[Token(type="text", text=f"v{version is not None} "), link],
            media=media,
            quoted=QUOTE if draw(st.booleans()) else None,
            author=AUTHOR if draw(st.booleans()) else PLACEHOLDER,
            is_repost=draw(st.booleans()),
            also_on=[AlsoOn(source="bluesky", id=f"bluesky:{n}") for n in
                     draw(st.sets(st.integers(0, 3), max_size=2))],
            metrics={"likes": draw(st.integers(0, 9))},
        ))
    return out


@settings(max_examples=200, deadline=None)
@given(sightings(), st.randoms(use_true_random=False))
def test_no_sighting_order_makes_a_card_poorer(seen: list[Post], rnd: Any) -> None:
    """Folding any shuffle of the sightings gives one card, holding every attachment (with its alt
    text), the quote, every link, every also_on entry and the best author any sighting had."""
    cards = set()
    orders = list(itertools.permutations(seen)) if len(seen) <= 4 else [
        rnd.sample(seen, len(seen)) for _ in range(24)]
    for order in orders:
        card = reduce(merge_posts, order)
        urls = {m.url for m in card.media}
        for s in seen:
            assert {m.url for m in s.media} <= urls
            for m in s.media:
                if m.alt:
                    assert any(c.url == m.url and c.alt for c in card.media)
            assert hrefs(s) <= hrefs(card)
            assert {a.id for a in s.also_on} <= {a.id for a in card.also_on}
            assert author_rank(card.author) >= author_rank(s.author)
            assert card.metrics.likes >= s.metrics.likes
        assert (card.quoted is not None) == any(s.quoted for s in seen)
        assert card.is_repost == all(s.is_repost for s in seen)
        # The same card whatever the order (up to the order of attachments only one saw).
        cards.add(card.model_copy(update={"media": sorted(card.media, key=lambda m: m.url)})
                  .model_dump_json())
    assert len(cards) == 1
