"""The store merges sightings (app/merge.py): a poorer copy never reaches a screen or the row."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from app.events import PostEvent
from app.ingest import Admission
from app.models import Media, Post, QuotedPost
from app.store import Store

PHOTOS = [{"kind": "image", "url": f"https://pbs.twimg.com/media/{n}.jpg", "alt": f"photo {n}"}
          for n in "abc"]


async def test_a_poorer_repost_copy_changes_nothing(store: Store, post_factory: Callable[..., Post]) -> None:
    """The original with three photos and a quote, then a repost's copy without them: no
    event, and the stored card keeps its photos, its quote and is not flagged as a repost."""
    quote = QuotedPost.model_validate({"id": "x:9", "author": {"id": "9", "handle": "@q"},
                                       "text": "quoted"})
    rich = post_factory(1, media=PHOTOS, quoted=quote.model_dump())
    await Admission(store).admit("w", rich)
    assert await Admission(store).admit("w", post_factory(1, is_repost=True)) == []
    [card] = await store.wall_posts("w")
    assert [m["url"] for m in card["media"]] == [m["url"] for m in PHOTOS]
    assert card["quoted"]["id"] == "x:9" and card["is_repost"] is False


async def test_a_richer_sighting_republishes_the_merged_card(store: Store, post_factory: Callable[..., Post]) -> None:
    """A repost's copy first, the full original later: the card gains the media on the socket."""
    await Admission(store).admit("w", post_factory(1, is_repost=True))
    events = await Admission(store).admit("w", post_factory(1, media=PHOTOS))
    assert isinstance(events[0], PostEvent)
    assert len(events[0].post["media"]) == 3 and events[0].post["is_repost"] is False


async def test_an_edit_of_a_collapsed_crosspost_keeps_also_on(store: Store, post_factory: Callable[..., Post]) -> None:
    """Original, its Bluesky copy collapsed onto it, then an edit of the original: `also_on`
    stays on the socket and in the database."""
    original = post_factory(1)
    await Admission(store).admit("w", original)
    copy = Post.model_validate({**post_factory(2).model_dump(), "source": "bluesky",
                                "id": "bluesky:at://did:plc:a/app.bsky.feed.post/1",
                                "url": "https://bsky.app/profile/did:plc:a/post/1"})
    await Admission(store).admit("w", copy, crosspost_of=original.id)
    edit = Post.model_validate({
        **original.model_dump(), "text": "edited words", "content": [],
        "edited_at": original.created_at + timedelta(minutes=2),
        "media": [Media(url="https://pbs.twimg.com/media/new.jpg").model_dump()]})
    events = await Admission(store).admit("w", edit)
    assert [a["id"] for a in events[0].post["also_on"]] == [copy.id]  # type: ignore[attr-defined]
    [card] = [p for p in await store.wall_posts("w") if p["id"] == original.id]
    assert card["text"] == "edited words" and [a["id"] for a in card["also_on"]] == [copy.id]
