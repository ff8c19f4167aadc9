"""Persistence: SQLAlchemy 2 async on SQLite (default, WAL) or PostgreSQL, chosen by URL.

Every write runs under one writer lock in one transaction (`Tx`). `Tx.emit` allocates the wall's
next `seq` and appends the event to the log in that same transaction. Right after the commit,
still under the lock, the listeners (the hub, the moderators' feed, the walls' rules cache) get
what the transaction committed: so what screens see is exactly what was committed, in `seq`
order, and an action answered 2xx has already reached the disk (P3).

Several processes may share one PostgreSQL database (docs/scale.md): `Tx.emit`'s UPDATE row-locks
the wall to the commit, so seqs are allocated and committed in order across them all, and the key
(wall_id, seq) forbids a double allocation. The walls cached here are only a cache
(`reload_walls`); what must be exact is read in the transaction (`update_wall`, `lock_wall`).

The store decides nothing: which state a new post takes is the policy's (app/moderation), looked
up by the ingest layer inside the transaction it runs here.
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, and_, delete, event, insert, select, text, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from app.clock import utcnow
from app.events import Event, event_from_dict
from app.moderation import State
from app.store.schema import (
    announcements,
    assets,
    blocks,
    cursors,
    decisions,
    events,
    posts,
    wall_posts,
    walls,
)

__all__ = ["Commit", "Listener", "Store", "Tx", "WallInfo", "WallNotFound"]

E = TypeVar("E", bound=Event)
_MIGRATE_LOCK = 0x7477_6D69_6772_6174  # "twmigrat": the advisory lock held while migrating
Listener = Callable[["Commit"], None]


class WallNotFound(LookupError):
    pass


@dataclass
class WallInfo:
    id: int
    slug: str
    title: str
    config: dict[str, Any]
    epoch: str
    last_seq: int


@dataclass(frozen=True)
class Commit:
    """What one committed transaction changed, for the listeners."""

    events: dict[str, list[Event]]  # by wall slug, seq ascending
    console: dict[str, list[dict[str, Any]]]  # messages for the moderators' consoles, by slug
    rules_changed: frozenset[str]  # walls whose moderation rules changed
    walls: frozenset[str] = frozenset()  # walls created or whose title or config changed
    deleted: frozenset[str] = frozenset()  # walls deleted


@dataclass
class Tx:
    """One write transaction: its connection and what it will announce once committed."""

    conn: AsyncConnection
    out: dict[str, list[Event]] = field(default_factory=dict)
    console: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    rules: set[str] = field(default_factory=set)
    walls: dict[str, WallInfo] = field(default_factory=dict)
    deleted: set[str] = field(default_factory=set)

    async def emit(self, wall: WallInfo, kind: Callable[..., E], *fields: Any) -> E:
        """Allocate the wall's next seq, log `kind(seq, *fields)` and return it."""
        seq = int((await self.conn.execute(
            update(walls).where(walls.c.id == wall.id)
            .values(last_seq=walls.c.last_seq + 1).returning(walls.c.last_seq))).scalar_one())
        ev = kind(seq, *fields)
        await self.conn.execute(insert(events).values(
            wall_id=wall.id, seq=seq, type=ev.type, payload=ev.wire(), at=utcnow()))
        self.out.setdefault(wall.slug, []).append(ev)
        return ev

    def notify(self, slug: str, message: dict[str, Any]) -> None:
        """Queue `message` for the wall's moderators' consoles (sent after the commit)."""
        self.console.setdefault(slug, []).append(message)

    def rules_changed(self, slug: str) -> None:
        """Note that the wall's moderation rules change in this transaction."""
        self.rules.add(slug)

    def events_of(self, slug: str) -> list[Event]:
        return list(self.out.get(slug, []))


class Store:
    def __init__(self, url: str) -> None:
        self.url = url
        self._listeners: list[Listener] = []
        self._engine: AsyncEngine | None = None
        self._lock = asyncio.Lock()
        self._walls: dict[str, WallInfo] = {}
        self._writes = 0
        self.keep_events = 5000

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def engine(self) -> AsyncEngine:
        if self._engine is None:
            raise RuntimeError("store is not open")
        return self._engine

    async def open(self) -> None:
        """Connect, migrate to the newest schema and load the walls. Raises on a bad URL."""
        url = make_url(self.url)
        is_sqlite = url.get_backend_name() == "sqlite"
        if is_sqlite and url.database and url.database != ":memory:":
            await asyncio.to_thread(_ensure_folder, url.database)
        self._engine = create_async_engine(url, pool_pre_ping=not is_sqlite)
        if is_sqlite:
            # WAL lets readers run beside the one writer. FULL syncs the WAL at every commit,
            # so a 2xx moderation decision survives a power cut too, not only kill -9 (P3);
            # measured cost ~0-1.5 ms a commit here (docs/benchmarks.md).
            @event.listens_for(self._engine.sync_engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                cur = dbapi_conn.cursor()
                for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                               "busy_timeout=5000"):
                    cur.execute(f"PRAGMA {pragma}")
                cur.close()

        async with self._engine.begin() as conn:
            if not is_sqlite:  # processes starting together migrate one after the other
                await conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _MIGRATE_LOCK})
            await conn.run_sync(_migrate)
        async with self._engine.connect() as conn:
            rows = (await conn.execute(select(walls))).mappings().all()
        self._walls = {r["slug"]: _wall_info(r) for r in rows}

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    def listen(self, listener: Listener) -> None:
        """Call `listener` after every commit, in commit order, under the writer lock."""
        self._listeners.append(listener)

    # -- walls -----------------------------------------------------------------------------

    def walls(self) -> list[WallInfo]:
        return sorted(self._walls.values(), key=lambda w: w.slug)

    def wall(self, slug: str) -> WallInfo:
        """Return the wall. Raises WallNotFound."""
        try:
            return self._walls[slug]
        except KeyError:
            raise WallNotFound(slug) from None

    async def create_wall(self, slug: str, title: str, config: dict[str, Any]) -> WallInfo:
        """Create the wall with a fresh epoch, or return it unchanged if it exists."""
        async def run(tx: Tx) -> None:
            found = (await tx.conn.execute(select(walls.c.id).where(walls.c.slug == slug))).first()
            if found is None:
                await tx.conn.execute(insert(walls).values(
                    slug=slug, title=title, config=config, epoch=secrets.token_hex(8),
                    last_seq=0, created_at=utcnow()))
                row = (await tx.conn.execute(select(walls).where(walls.c.slug == slug))
                       ).mappings().one()
                tx.walls[slug] = _wall_info(row)

        try:
            await self.write(run)
        except IntegrityError:  # another process created it meanwhile: take theirs
            await self.reload_walls()
        if slug not in self._walls:  # another process created it before: not cached yet
            await self.reload_walls()
        return self.wall(slug)

    async def update_wall(
        self, tx: Tx, slug: str, title: str, config: dict[str, Any]
    ) -> WallInfo | None:
        """Change the wall's title and config in `tx`; returns the new info, or None when
        nothing changed. Compared with the stored row, locked (another process may have
        changed it since this one cached it). The cached info follows once `tx` commits."""
        old = await self.lock_wall(tx, slug)
        if old.title == title and old.config == config:
            return None
        await tx.conn.execute(
            update(walls).where(walls.c.id == old.id).values(title=title, config=config))
        info = WallInfo(old.id, slug, title, dict(config), old.epoch, old.last_seq)
        tx.walls[slug] = info
        tx.rules_changed(slug)
        return info

    async def lock_wall(self, tx: Tx, slug: str) -> WallInfo:
        """Return the wall as stored, its row locked to the end of `tx` (PostgreSQL; SQLite's
        writer holds the whole file): another process's change of its rules is seen here or
        waits for `tx`. Raises WallNotFound."""
        stmt = select(walls).where(walls.c.slug == slug)
        if tx.conn.dialect.name == "postgresql":
            stmt = stmt.with_for_update()
        row = (await tx.conn.execute(stmt)).mappings().first()
        if row is None:
            raise WallNotFound(slug)
        return _wall_info(row)

    async def delete_wall(self, slug: str) -> None:
        """Delete the wall and everything that is only its own (posts stay: they are global)."""
        wall = self.wall(slug)

        async def run(tx: Tx) -> None:
            for table in (wall_posts, events, cursors, blocks, decisions, announcements, assets):
                await tx.conn.execute(delete(table).where(table.c.wall_id == wall.id))
            await tx.conn.execute(delete(walls).where(walls.c.id == wall.id))
            tx.rules_changed(slug)
            tx.deleted.add(slug)

        await self.write(run)
        self._walls.pop(slug, None)

    # -- writes ----------------------------------------------------------------------------

    async def write(self, fn: Callable[[Tx], Awaitable[Any]]) -> Any:
        """Run `fn` in one transaction under the writer lock; returns what it returns. After
        the commit the listeners learn what it changed; if `fn` raises, nothing is written."""
        async with self._lock:
            async with self.engine.begin() as conn:
                tx = Tx(conn)
                result = await fn(tx)
                if tx.rules and conn.dialect.name == "postgresql":
                    # Admissions on other processes read a wall's rules under this row lock
                    # (lock_wall): holding it to the commit orders them before or after this.
                    await conn.execute(select(walls.c.id).where(walls.c.slug.in_(tx.rules))
                                       .with_for_update())
            self._walls.update(tx.walls)
            for slug in tx.deleted:
                self._walls.pop(slug, None)
            for slug, evs in tx.out.items():
                info = self._walls.get(slug)
                if info is not None:
                    info.last_seq = max(info.last_seq, evs[-1].seq)
            if tx.out or tx.console or tx.rules or tx.walls or tx.deleted:
                commit = Commit(tx.out, tx.console, frozenset(tx.rules), frozenset(tx.walls),
                                frozenset(tx.deleted))
                for listener in self._listeners:
                    listener(commit)
            self._writes += 1
            if self._writes % 500 == 0:
                await self._prune()
            return result

    async def _prune(self) -> None:
        """Drop each wall's events older than its last `keep_events` (as stored)."""
        async with self.engine.begin() as conn:
            for wall_id, last in (await conn.execute(select(walls.c.id, walls.c.last_seq))).all():
                await conn.execute(delete(events).where(
                    events.c.wall_id == wall_id, events.c.seq <= last - self.keep_events))

    async def reload_walls(self) -> tuple[set[str], set[str]]:
        """Re-read the walls (other processes create, change and delete them); returns the
        slugs created or changed, and those deleted, since the cache last had them. Under the
        writer lock: a wall this process creates meanwhile must not look deleted."""
        async with self._lock:
            async with self.engine.connect() as conn:
                found = {r["slug"]: _wall_info(r)
                         for r in (await conn.execute(select(walls))).mappings().all()}
            old, self._walls = self._walls, found
        return ({s for s, w in found.items() if s not in old or (old[s].id, old[s].title,
                 old[s].config) != (w.id, w.title, w.config)}, set(old) - set(found))

    # -- reads -----------------------------------------------------------------------------

    async def wall_posts(
        self, slug: str, state: State = "visible", limit: int = 100, before: int | None = None,
        *, reasons: bool = False,
    ) -> list[dict[str, Any]]:
        """Return the wall's posts in `state`, newest first, as wire dicts with `pinned` (and,
        for moderators, `moderation`: the state's reason and the `order` key for paging)."""
        wall = self.wall(slug)
        cond = [wall_posts.c.wall_id == wall.id, wall_posts.c.state == state]
        if before is not None:
            cond.append(wall_posts.c.order_seq < before)
        stmt = (select(posts.c.data, wall_posts.c.pinned, wall_posts.c.order_seq,
                       wall_posts.c.reason)
                .join(posts, posts.c.id == wall_posts.c.post_id).where(and_(*cond))
                .order_by(wall_posts.c.order_seq.desc(), posts.c.id).limit(limit))
        async with self.engine.connect() as conn:
            rows = (await conn.execute(stmt)).all()
        if reasons:
            return [{**r.data, "pinned": r.pinned, "moderation": {
                "state": state, "reason": r.reason, "order": r.order_seq}} for r in rows]
        return [{**r.data, "pinned": r.pinned} for r in rows]

    async def pinned_posts(self, slug: str) -> list[dict[str, Any]]:
        """Return the wall's visible pinned posts, newest first."""
        wall = self.wall(slug)
        stmt = (select(posts.c.data).join(posts, posts.c.id == wall_posts.c.post_id)
                .where(wall_posts.c.wall_id == wall.id, wall_posts.c.state == "visible",
                       wall_posts.c.pinned.is_(True))
                .order_by(wall_posts.c.order_seq.desc()))
        async with self.engine.connect() as conn:
            return [{**r.data, "pinned": True} for r in (await conn.execute(stmt)).all()]

    async def visible_ids(self, slug: str, source: str) -> list[str]:
        """Return the ids of the source's posts visible on the wall (for deletion re-checks)."""
        wall = self.wall(slug)
        stmt = (select(wall_posts.c.post_id).join(posts, posts.c.id == wall_posts.c.post_id)
                .where(wall_posts.c.wall_id == wall.id, wall_posts.c.state == "visible",
                       posts.c.source == source))
        async with self.engine.connect() as conn:
            return [r.post_id for r in (await conn.execute(stmt)).all()]

    async def events_after(self, slug: str, since: int, limit: int) -> list[Event]:
        """Return the logged events with seq > since, oldest first, at most `limit`."""
        wall = self.wall(slug)
        stmt = (select(events.c.payload).where(events.c.wall_id == wall.id, events.c.seq > since)
                .order_by(events.c.seq).limit(limit))
        async with self.engine.connect() as conn:
            return [event_from_dict(r.payload) for r in (await conn.execute(stmt)).all()]


def _wall_info(row: Any) -> WallInfo:
    return WallInfo(id=row["id"], slug=row["slug"], title=row["title"], config=dict(row["config"]),
                    epoch=row["epoch"], last_seq=int(row["last_seq"]))


def _ensure_folder(database: str) -> None:
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _migrate(conn: Connection) -> None:
    cfg = Config(str(Path(__file__).with_name("alembic.ini")))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
