"""Admission: one source event into the store, with the policy deciding a new post's state.

For a post, one transaction of the store's writer: a post deleted at its source stays gone;
the post's row is inserted or updated (a later sighting of a known post may change its card);
a post new to the wall gets the facts the policy needs (its author's posts this hour, an earlier
copy of its text, the original of a cross-post), the policy's decision, and its place on the
wall. The rules are read inside the same transaction, so a block committed a moment earlier
always applies (P4).

Group commit: admissions and deletions that arrive while the writer is busy wait for it and then
go in together, in arrival order, as one transaction: one sync to disk for all of them (SQLite
syncs every commit, for P3, ~0-1.5 ms each) instead of one each. Each keeps its own `Tx`, so it
returns only the events it caused, and seqs follow arrival order. If one of them raises, that
transaction is rolled back and each runs alone, so a bad post costs only itself. A lone
admission waits for nobody: it is written at once, as before.
"""

from __future__ import annotations

import asyncio
import functools
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
Change = Callable[[Tx], Awaitable[list[Event]]]
# A post's id is a key (VARCHAR(600), and PostgreSQL indexes at most ~2.7 KB a key): a longer
# one, which only a hostile or broken server sends, is skipped with a log line, so the source
# moves past it instead of retrying the same item forever.
MAX_ID_CHARS = 600


async def stored_rules(tx: Tx, wall: WallInfo) -> RuleSet:
    """Return the wall's rules as stored: its config and its block list (no cache)."""
    return RuleSet.from_config(wall.config, await block_rules(tx.conn, wall))


async def _together(changes: list[Change], tx: Tx) -> list[list[Event]]:
    """Run `changes` in order in `tx`, each with a `Tx` of its own on the same connection so
    it returns only its own events; `tx` then announces them all. Returns their events."""
    results = []
    for change in changes:
        own = Tx(tx.conn, walls=tx.walls)
        results.append(await change(own))
        for slug, evs in own.out.items():
            tx.out.setdefault(slug, []).extend(evs)
        for slug, messages in own.console.items():
            tx.console.setdefault(slug, []).extend(messages)
        tx.rules |= own.rules
    return results


class _GroupCommit:
    """The queue of changes waiting for the store's writer, drained by one task at a time."""

    def __init__(self, store: Store, max_batch: int) -> None:
        self.store, self.max_batch = store, max_batch
        self._pending: list[tuple[Change, asyncio.Future[list[Event]]]] = []
        self._writer: asyncio.Task[None] | None = None

    async def run(self, change: Change) -> list[Event]:
        """Commit `change` with whatever else is waiting; returns its events, or raises what
        it raised."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[list[Event]] = loop.create_future()
        self._pending.append((change, done))
        if self._writer is None:
            self._writer = loop.create_task(self._drain())
        return await done

    async def _drain(self) -> None:
        batch: list[tuple[Change, asyncio.Future[list[Event]]]] = []
        try:
            while self._pending:
                # A caller cancelled before its turn is skipped; one cancelled after is
                # written all the same (a source re-reads it on restart; the upsert is a no-op).
                batch = [p for p in self._pending[:self.max_batch] if not p[1].done()]
                del self._pending[:self.max_batch]
                outcomes = await self._write([change for change, _ in batch])
                for (_, done), outcome in zip(batch, outcomes, strict=True):
                    if done.done():
                        continue
                    if isinstance(outcome, Exception):
                        done.set_exception(outcome)
                    else:
                        done.set_result(outcome)
                batch = []
        except BaseException as err:  # the store failed, or the loop is going down
            for _, done in batch + self._pending:
                if done.done():
                    continue
                if isinstance(err, Exception):
                    done.set_exception(err)
                else:
                    done.cancel()
            self._pending.clear()
            raise
        finally:
            self._writer = None

    async def _write(self, changes: list[Change]) -> list[list[Event] | Exception]:
        """Commit `changes` together, or one by one if that fails; returns each one's events
        or exception."""
        if len(changes) > 1:
            try:
                together: list[list[Event]] = await self.store.write(
                    functools.partial(_together, changes))
                return list(together)
            except Exception:  # noqa: S110 - each runs alone below and keeps its own error
                pass
        outcomes: list[list[Event] | Exception] = []
        for change in changes:
            try:
                outcomes.append(await self.store.write(change))
            except Exception as err:
                outcomes.append(err)
        return outcomes


class Admission:
    def __init__(self, store: Store, rules: RulesLookup = stored_rules, *,
                 max_batch: int = 64) -> None:
        self.store = store
        self.rules = rules
        # A batch holds the writer lock, so it is bounded: a moderator's action waits at most
        # for one batch to commit.
        self._commits = _GroupCommit(store, max_batch)

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

        return await self._commits.run(run)

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

        return await self._commits.run(run)
