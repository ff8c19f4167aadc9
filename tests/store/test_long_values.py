"""Remote data of any length never stalls a source or fails a moderator (SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable

from app.ingest import Admission
from app.models import Post
from app.store import Store
from app.store.decisions import Decisions


async def test_a_post_with_a_4kb_id_is_skipped_and_the_next_one_shows(
    store: Store, post_factory: Callable[..., Post]
) -> None:
    """A status whose URI is 4 KB is skipped with no error; the source's next post still shows."""
    uri = "https://evil.example/" + "a" * 4000
    long = post_factory(1, id=f"mastodon:{uri}", source="mastodon", url=None)
    admission = Admission(store)
    assert await admission.admit("w", long) == []
    assert await admission.remove(long.id) == []
    assert len(await admission.admit("w", post_factory(2))) == 1
    assert [p["id"] for p in await store.wall_posts("w")] == ["x:100002"]


async def test_long_remote_names_are_stored(
    store: Store, post_factory: Callable[..., Post]
) -> None:
    """An author id and handle longer than any column used to allow are kept whole."""
    author = {"id": "i" * 1000, "handle": "@" + "h" * 199, "name": "Long"}
    events = await Admission(store).admit("w", post_factory(1, author=author))
    assert len(events) == 1
    assert (await store.wall_posts("w"))[0]["author"]["id"] == "i" * 1000


async def test_a_300_character_keyword_block_hides_its_post(
    store: Store, post_factory: Callable[..., Post]
) -> None:
    """The longest keyword a moderator may block works, and the hidden post keeps its reason."""
    word = "w" * 300
    await Admission(store).admit("w", post_factory(1, content=[{"type": "text", "text": word}]))
    entry = await Decisions(store).add_block("w", "keyword", word, "alice")
    assert list(entry["before"]["states"]) == ["x:100001"]
    hidden = await store.wall_posts("w", "hidden", reasons=True)
    assert hidden[0]["moderation"]["reason"] == f"blocked keyword {word}"
