"""Admission: one source event into the store, with the policy deciding a new post's state.

For a post, one transaction of the store's writer: a post deleted at its source stays gone;
the post's row is inserted or updated (a later sighting of a known post may change its card);
a post new to the wall gets the facts the policy needs (its author's posts this hour, an earlier
copy of its text, the original of a cross-post), the policy's decision, and its place on the
wall. The rules are read inside the same transaction, so a block committed a moment earlier
always applies (P4).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import timedelta

from app.clock import utcnow
from app.events import Event
from app.models import Post
from app.moderation import PostContext, RuleSet, decide, text_key
from app.store import Store, Tx, WallInfo
from app.store import posts as rows
from app.store.decisions import block_rules

__all__ = ["MAX_ID_CHARS", "Admission", "RulesLookup", "stored_rules"]

log = logging.getLogger(__name__)

RulesLookup = Callable[[Tx, WallInfo], Awaitable[RuleSet]]
# A post's id is a key (VARCHAR(600), and PostgreSQL indexes at most ~2.7 KB a key): a longer
# one, which only a hostile or broken server sends, is skipped with a log line, so the source
# moves past it instead of retrying the same item forever.
MAX_ID_CHARS = 600


async def stored_rules(tx: Tx, wall: WallInfo) -> RuleSet:
    """Return the wall's rules as stored: its config and its block list (no cache)."""
    return RuleSet.from_config(wall.config, await block_rules(tx.conn, wall))


class Admission:
    def __init__(self, store: Store, rules: RulesLookup = stored_rules) -> None:
        self.store = store
        self.rules = rules

    async def admit(self, slug: str, post: Post, *, crosspost_of: str | None = None
                    ) -> list[Event]:
        """Store `post` on the wall; returns the events it caused (none for a duplicate).
        With `crosspost_of`, the post may be the same post seen first on another network.
        Raises WallNotFound."""
        wall = self.store.wall(slug)
        if len(post.id) > MAX_ID_CHARS:
            log.warning("skipped a %s post with a %d-character id on wall %s: %.80s...",
                        post.source, len(post.id), slug, post.id)
            return []
        data = post.wire()
        data.pop("pinned", None)
        key = text_key(post)

        async def run(tx: Tx) -> list[Event]:
            if await rows.tombstoned(tx, post.id):
                return []
            changed = await rows.upsert(tx, post, data, key)
            placed = await rows.placement(tx, wall, post.id)
            if placed is None:
                rules = await self.rules(tx, wall)
                ctx = await self._context(tx, wall, post, rules, key, crosspost_of)
                decision = decide(post, rules, ctx)
                await rows.place(tx, wall, data, decision.state, decision.reason)
            elif placed.state == "visible" and changed:
                await rows.republish(tx, wall, data, placed.pinned)
            return tx.events_of(slug)

        return list(await self.store.write(run))

    async def _context(self, tx: Tx, wall: WallInfo, post: Post, rules: RuleSet,
                       key: str | None, crosspost_of: str | None) -> PostContext:
        if crosspost_of and await rows.note_crosspost(tx, wall, crosspost_of, post):
            return PostContext(crosspost_of=crosspost_of)
        recent = 0
        if rules.max_per_author_per_hour:
            recent = await rows.author_posts_since(tx, wall, post, utcnow() - timedelta(hours=1))
        duplicate = None
        if rules.collapse_duplicates and key is not None:
            duplicate = await rows.find_duplicate(tx, wall, key, post.id)
        return PostContext(author_posts_last_hour=recent, duplicate_of=duplicate)

    async def remove(self, post_id: str) -> list[Event]:
        """Take a post deleted at its source off every wall, for good; returns the events."""
        if len(post_id) > MAX_ID_CHARS:
            return []  # never stored, so nothing to take off

        async def run(tx: Tx) -> list[Event]:
            await rows.tombstone(tx, post_id, self.store.wall)
            return [e for evs in tx.out.values() for e in evs]

        return list(await self.store.write(run))
