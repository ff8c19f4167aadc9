"""Account categories (app/store/categories.py), on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from app.ingest import Admission
from app.models import Post
from app.store import Store
from app.store.categories import Categories, CategoryError, split_account

MASTODON = "mastodon:https://rad.community/users/ines"


async def test_a_moderator_gives_changes_and_takes_away_a_category(
        store: Store, post_factory: Callable[..., Post]) -> None:
    """set() stores the wall's own spelling with who and when; get() reads it back; None takes
    it away; the handle is the one the account posts under on the wall."""
    await Admission(store).admit("w", post_factory(1))
    cats = Categories(store)
    assert await cats.get("w", "x:1") is None
    entry = await cats.set("w", "x:1", "  Remote   ATTENDEE ", "alice")
    assert entry is not None
    assert (entry["category"], entry["handle"], entry["updated_by"]) == (
        "remote attendee", "@user1", "alice")
    assert (await cats.set("w", "x:1", "institution", "bob") or {})["category"] == "institution"
    assert await cats.set("w", "x:1", None, "bob") is None
    assert await cats.get("w", "x:1") is None


async def test_a_category_the_wall_does_not_offer_or_a_bad_account_is_refused(
        store: Store) -> None:
    """An unknown category or an account that is not `{source}:{id}` raises CategoryError and
    writes nothing; a Mastodon account id may hold slashes."""
    cats = Categories(store)
    with pytest.raises(CategoryError, match="not a category"):
        await cats.set("w", "x:1", "keynote speaker", "alice")
    for bad in ("1", "myspace:1", "x:"):
        with pytest.raises(CategoryError):
            await cats.set("w", bad, "attendee", "alice")
    assert split_account(MASTODON) == ("mastodon", "https://rad.community/users/ines")
    assert (await cats.set("w", MASTODON, "attendee", "alice") or {})["account"] == MASTODON


async def test_a_walls_own_categories_replace_the_defaults(store: Store) -> None:
    """A wall with `categories` in its config offers those, with their plurals, and no other."""
    await store.create_wall("own", "Own", {"categories": [
        {"name": "radiologist in attendance", "plural": "radiologists in attendance"},
        {"name": "industry", "plural": None}]})
    cats = Categories(store)
    assert (await cats.set("own", "x:5", "Radiologist in attendance", "a") or {})["category"] \
        == "radiologist in attendance"
    with pytest.raises(CategoryError):
        await cats.set("own", "x:5", "attendee", "a")


async def test_bulk_apply_keeps_what_moderators_chose(store: Store) -> None:
    """apply(keep=True) gives only accounts without a category one (bundled data never
    overrides a moderator); a bad entry refuses the whole batch."""
    cats = Categories(store)
    await cats.set("w", "x:1", "institution", "alice")
    given = await cats.apply("w", {"x:1": "attendee", "x:2": "attendee"}, "import")
    assert given == 1
    assert (await cats.get("w", "x:1") or {})["category"] == "institution"
    assert (await cats.get("w", "x:2") or {})["category"] == "attendee"
    with pytest.raises(CategoryError):
        await cats.apply("w", {"x:3": "attendee", "x:4": "nobody"}, "import")
    assert await cats.get("w", "x:3") is None


async def test_accounts_lists_everyone_seen_with_posts_and_category(
        store: Store, post_factory: Callable[..., Post]) -> None:
    """accounts() lists every author on the wall (most posts first) and accounts given a
    category before posting; deleting the wall deletes its categories."""
    admission = Admission(store)
    for n in (1, 8, 2):  # authors 1, 1 and 2
        await admission.admit("w", post_factory(n))
    cats = Categories(store)
    await cats.set("w", "x:2", "attendee", "alice")
    await cats.set("w", "bluesky:did:plc:abc", "institution", "alice")
    listed = await cats.accounts("w")
    assert [(a["account"], a["posts"], a["category"]) for a in listed] == [
        ("x:1", 2, None), ("x:2", 1, "attendee"), ("bluesky:did:plc:abc", 0, "institution")]
    assert listed[0]["name"] == "User 1"
    await store.delete_wall("w")
    await store.create_wall("w", "Wall", {})
    assert await cats.get("w", "x:2") is None
