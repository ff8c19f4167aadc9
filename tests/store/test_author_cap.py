"""The hourly cap per author: an author past it waits for a moderator, on a wall of any size,
and posts stored before the author index existed (migration 0008) still count."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, insert
from sqlalchemy.ext.asyncio import create_async_engine

from app.clock import utcnow
from app.ingest.admission import Admission
from app.models import Post
from app.store import Store
from app.store.schema import posts, wall_posts, walls

CAPPED = {"hashtags": ["ASNR14"], "moderation": "post",
          "rules": {"max_per_author_per_hour": 2, "collapse_duplicates": False}}


def _post(post_factory: Callable[..., Post], n: int, author_id: str) -> Post:
    return post_factory(n, author={"id": author_id, "handle": f"@a{n}", "name": "Author"},
                        text=f"post {n}", content=[{"type": "text", "text": f"post {n}"}])


async def test_an_author_past_the_cap_waits_and_others_do_not(
        store: Store, post_factory: Callable[..., Post]) -> None:
    await store.create_wall("capped", "Capped", CAPPED)
    admission = Admission(store)
    long_id = "i" * 1000   # author ids have no length limit; the key is a digest
    for n in range(1, 4):
        await admission.admit("capped", _post(post_factory, n, long_id))
    await admission.admit("capped", _post(post_factory, 4, "someone-else"))
    shown = {p["id"] for p in await store.wall_posts("capped")}
    waiting = await store.wall_posts("capped", "pending", reasons=True)
    assert shown == {"x:100001", "x:100002", "x:100004"}
    assert [p["id"] for p in waiting] == ["x:100003"]
    assert "more than 2 posts this hour" in waiting[0]["moderation"]["reason"]


def _alembic(conn: Connection, revision: str) -> None:
    cfg = Config(str(Path(__file__).parents[2] / "app" / "store" / "alembic.ini"))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, revision)


async def test_posts_stored_before_the_author_index_still_count(
        db_url: str, post_factory: Callable[..., Post]) -> None:
    """A database at 0007 holding two of an author's posts from this hour: after the upgrade
    the author's next post is held, so an upgrade mid-meeting does not reset the cap."""
    engine = create_async_engine(db_url)
    async with engine.begin() as conn:
        await conn.run_sync(_alembic, "0007")
        wall_id = (await conn.execute(insert(walls).values(
            slug="capped", title="Capped", config=CAPPED, epoch="e0", last_seq=0,
            created_at=utcnow()).returning(walls.c.id))).scalar_one()
        for n in (1, 2):
            post = _post(post_factory, n, "early-bird")
            data: dict[str, Any] = post.wire()
            await conn.execute(insert(posts).values(
                id=post.id, source=post.source, author_id=post.author.id,
                author_handle=post.author.handle, created_at=post.created_at,
                ingested_at=utcnow(), text=post.text, data=data))
            await conn.execute(insert(wall_posts).values(
                wall_id=wall_id, post_id=post.id, state="visible", pinned=False, order_seq=n,
                updated_at=utcnow()))
    await engine.dispose()

    store = Store(db_url)
    await store.open()   # migrates to head
    try:
        await Admission(store).admit("capped", _post(post_factory, 3, "early-bird"))
        waiting = await store.wall_posts("capped", "pending")
        assert [p["id"] for p in waiting] == ["x:100003"]
    finally:
        await store.close()
