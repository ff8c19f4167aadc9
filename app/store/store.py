"""Persistence: SQLAlchemy 2 async on SQLite (default, WAL) or PostgreSQL, chosen by URL.

Every write runs under one writer lock in one transaction that also allocates the wall's next
`seq` values and appends the resulting events to the log. Right after the commit, still under the
lock, the events are handed to `on_events` (the hub): so what screens see is exactly what was
committed, in `seq` order, and an action answered 2xx has already reached the disk (P3).
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, and_, delete, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from app.events import Event, PostEvent, RemoveEvent, WallEvent, event_from_dict
from app.models import Post
from app.moderation import State
from app.rules import Block, Decision, PostContext, RuleSet, decide, text_key
from app.store.schema import (
    announcements,
    assets,
    blocks,
    cursors,
    decisions,
    events,
    posts,
    tombstones,
    wall_posts,
    walls,
)

__all__ = ["Store", "Tx", "WallCursors", "WallInfo", "WallNotFound", "now"]

OnEvents = Callable[[str, list[Event]], None]
OnModeration = Callable[[str, list[dict[str, Any]]], None]
_DISPLAY_EXCLUDES = ("metrics",)


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

    def public(self) -> dict[str, Any]:
        """Return the settings a screen may see (never secrets or source credentials)."""
        keys = ("hashtags", "layout", "theme", "moderation", "colours", "join_url",
                "slide_interval_s", "idle_after_s", "reload")
        c = self.config
        return {
            "slug": self.slug, "title": self.title, **{k: c.get(k) for k in keys},
            "logo_url": f"/walls/{self.slug}/assets/{c['logo']}" if c.get("logo") else None,
            "slides": [f"/walls/{self.slug}/assets/{i}" for i in c.get("slides") or []],
            "qr_url": f"/walls/{self.slug}/qr.svg",
        }


def now() -> datetime:
    return datetime.now(UTC)


_now = now


def _display(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k not in _DISPLAY_EXCLUDES}


@dataclass
class Tx:
    """One write transaction: its connection, the wall events it produced (by wall slug) and
    the messages for moderators' consoles."""

    conn: AsyncConnection
    out: dict[str, list[Event]] = field(default_factory=dict)
    mod: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def notify(self, slug: str, message: dict[str, Any]) -> None:
        self.mod.setdefault(slug, []).append(message)


class Store:
    def __init__(
        self, url: str, on_events: OnEvents | None = None, on_mod: OnModeration | None = None
    ) -> None:
        self.url = url
        self.on_events = on_events
        self.on_mod = on_mod
        self._rules: dict[str, RuleSet] = {}
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
            # WAL lets readers run beside the one writer; NORMAL sync still survives kill -9
            # (the OS holds committed pages), only a power cut may lose the last commits.
            @event.listens_for(self._engine.sync_engine, "connect")
            def _pragmas(dbapi_conn: Any, _record: Any) -> None:
                cur = dbapi_conn.cursor()
                for pragma in ("journal_mode=WAL", "synchronous=NORMAL", "foreign_keys=ON",
                               "busy_timeout=5000"):
                    cur.execute(f"PRAGMA {pragma}")
                cur.close()

        async with self._engine.begin() as conn:
            await conn.run_sync(_migrate)
        await self._load_walls()

    async def close(self) -> None:
        if self._engine is not None:
            await self._engine.dispose()
            self._engine = None

    async def _load_walls(self) -> None:
        async with self.engine.connect() as conn:
            rows = (await conn.execute(select(walls))).mappings().all()
        self._walls = {r["slug"]: _wall_info(r) for r in rows}

    # -- walls -----------------------------------------------------------------------------

    def walls(self) -> list[WallInfo]:
        return sorted(self._walls.values(), key=lambda w: w.slug)

    def wall(self, slug: str) -> WallInfo:
        try:
            return self._walls[slug]
        except KeyError:
            raise WallNotFound(slug) from None

    async def ensure_wall(self, slug: str, title: str, config: dict[str, Any]) -> WallInfo:
        """Create the wall, or update its title and config; returns it. Emits a `wall` event
        when an existing wall's public settings change."""
        async def run(tx: Tx) -> None:
            row = (
                await tx.conn.execute(select(walls).where(walls.c.slug == slug))
            ).mappings().first()
            if row is None:
                await tx.conn.execute(insert(walls).values(
                    slug=slug, title=title, config=config, epoch=secrets.token_hex(8),
                    last_seq=0, created_at=_now()))
                return
            if row["title"] == title and row["config"] == config:
                return
            await tx.conn.execute(
                update(walls).where(walls.c.id == row["id"]).values(title=title, config=config))
            info = _wall_info({**row, "title": title, "config": config})
            seq = await self.next_seq(tx.conn, info.id)
            await self.emit(tx, info, WallEvent(seq, info.public()))

        await self.write(run)
        await self._load_walls()
        return self.wall(slug)

    async def delete_wall(self, slug: str) -> None:
        """Delete the wall and everything that is only its own (posts stay: they are global)."""
        wall = self.wall(slug)

        async def run(tx: Tx) -> None:
            for table in (wall_posts, events, cursors, blocks, decisions, announcements, assets):
                await tx.conn.execute(delete(table).where(table.c.wall_id == wall.id))
            await tx.conn.execute(delete(walls).where(walls.c.id == wall.id))

        await self.write(run)
        self._walls.pop(slug, None)
        self.forget_rules(slug)

    # -- writes ----------------------------------------------------------------------------

    async def write(self, fn: Callable[[Tx], Awaitable[Any]]) -> Any:
        async with self._lock:
            async with self.engine.begin() as conn:
                tx = Tx(conn)
                result = await fn(tx)
            for slug, evs in tx.out.items():
                info = self._walls.get(slug)
                if info is not None:
                    info.last_seq = max(info.last_seq, evs[-1].seq)
                if self.on_events is not None:
                    self.on_events(slug, evs)
            for slug, messages in tx.mod.items():
                if self.on_mod is not None:
                    self.on_mod(slug, messages)
            self._writes += 1
            if self._writes % 500 == 0:
                await self._prune()
            return result

    async def next_seq(self, conn: AsyncConnection, wall_id: int) -> int:
        stmt = (update(walls).where(walls.c.id == wall_id)
                .values(last_seq=walls.c.last_seq + 1).returning(walls.c.last_seq))
        return int((await conn.execute(stmt)).scalar_one())

    async def emit(self, tx: Tx, wall: WallInfo, ev: Event) -> None:
        await tx.conn.execute(insert(events).values(
            wall_id=wall.id, seq=ev.seq, type=ev.type, payload=ev.wire(), at=_now()))
        tx.out.setdefault(wall.slug, []).append(ev)

    async def ingest(
        self, slug: str, post: Post, *, crosspost_of: str | None = None
    ) -> list[Event]:
        """Upsert `post` into the wall; returns the events it caused (none for a duplicate).

        A post deleted at its source, or hidden on this wall, stays so whatever arrives later.
        With `crosspost_of`, a new post is the same post on another network: it is kept hidden
        and the original's card notes it (`also_on`).
        """
        wall = self.wall(slug)
        data = post.wire()
        data.pop("pinned", None)

        async def run(tx: Tx) -> list[Event]:
            c = tx.conn
            if (await c.execute(select(tombstones.c.post_id)
                                .where(tombstones.c.post_id == post.id))).first():
                return []
            old = (await c.execute(select(posts.c.data).where(posts.c.id == post.id))).first()
            key = text_key(post)
            values = dict(source=post.source, author_id=post.author.id,
                          author_handle=post.author.handle, created_at=post.created_at,
                          text=post.text, data=data, text_key=key)
            if old is None:
                await c.execute(insert(posts).values(id=post.id, ingested_at=_now(), **values))
            elif old.data != data:
                await c.execute(update(posts).where(posts.c.id == post.id).values(**values))
            changed = old is not None and _display(old.data) != _display(data)
            wp = (await c.execute(select(wall_posts).where(
                wall_posts.c.wall_id == wall.id, wall_posts.c.post_id == post.id))).first()
            if wp is None:
                if crosspost_of and await self._note_crosspost(tx, wall, crosspost_of, post):
                    decision = Decision("hidden", f"cross-post of {crosspost_of}")
                else:
                    rules = await self.rules(c, wall)
                    context = await self._context(c, wall, post, rules, key)
                    decision = decide(post, rules, context)
                seq = await self.next_seq(c, wall.id) if decision.state == "visible" else None
                await c.execute(insert(wall_posts).values(
                    wall_id=wall.id, post_id=post.id, state=decision.state, pinned=False,
                    reason=decision.reason, updated_at=_now(),
                    order_seq=seq if seq is not None else wall.last_seq))
                if seq is not None:
                    await self.emit(tx, wall, PostEvent(seq, {**data, "pinned": False}))
                tx.notify(slug, {"type": "post", "state": decision.state,
                                 "reason": decision.reason, "post": {**data, "pinned": False}})
            elif wp.state == "visible" and changed:
                seq = await self.next_seq(c, wall.id)
                await self.emit(tx, wall, PostEvent(seq, {**data, "pinned": wp.pinned}))
            return tx.out.get(slug, [])

        return list(await self.write(run))

    async def _note_crosspost(self, tx: Tx, wall: WallInfo, original: str, copy: Post) -> bool:
        """Add `copy` to the original's `also_on`; returns False if the original is not on
        this wall (then the copy is treated as a post of its own)."""
        row = (await tx.conn.execute(
            select(posts.c.data, wall_posts.c.state, wall_posts.c.pinned)
            .join(wall_posts, wall_posts.c.post_id == posts.c.id)
            .where(posts.c.id == original, wall_posts.c.wall_id == wall.id))).first()
        if row is None:
            return False
        also = [a for a in row.data.get("also_on", []) if a.get("id") != copy.id]
        data = {**row.data, "also_on": [*also, {"source": copy.source, "id": copy.id,
                                                "url": copy.url}]}
        await tx.conn.execute(update(posts).where(posts.c.id == original).values(data=data))
        if row.state == "visible":
            seq = await self.next_seq(tx.conn, wall.id)
            await self.emit(tx, wall, PostEvent(seq, {**data, "pinned": row.pinned}))
        return True

    async def rules(self, conn: AsyncConnection, wall: WallInfo) -> RuleSet:
        """Return the wall's rules: its config plus the persisted blocks (cached)."""
        cached = self._rules.get(wall.slug)
        if cached is not None:
            return cached
        rows = (await conn.execute(select(blocks.c.kind, blocks.c.value)
                                   .where(blocks.c.wall_id == wall.id))).all()
        cfg = wall.config.get("rules") or {}
        rules = RuleSet(
            mode=wall.config.get("moderation", "post"),
            blocks=tuple(Block(r.kind, r.value) for r in rows),
            wordlist=cfg.get("wordlist", True),
            extra_words=tuple(cfg.get("extra_words", ())),
            queue_reposts=cfg.get("queue_reposts", False),
            queue_replies=cfg.get("queue_replies", False),
            queue_sensitive=cfg.get("queue_sensitive", True),
            languages=tuple(cfg.get("languages", ())),
            max_per_author_per_hour=cfg.get("max_per_author_per_hour", 30),
            collapse_duplicates=cfg.get("collapse_duplicates", True),
        )
        self._rules[wall.slug] = rules
        return rules

    def forget_rules(self, slug: str) -> None:
        self._rules.pop(slug, None)

    async def _context(
        self, c: AsyncConnection, wall: WallInfo, post: Post, rules: RuleSet, key: str | None
    ) -> PostContext:
        recent = 0
        if rules.max_per_author_per_hour is not None:
            recent = int((await c.execute(
                select(func.count()).select_from(wall_posts)
                .join(posts, posts.c.id == wall_posts.c.post_id)
                .where(wall_posts.c.wall_id == wall.id, posts.c.source == post.source,
                       posts.c.author_id == post.author.id,
                       posts.c.ingested_at > _now() - timedelta(hours=1)))).scalar_one())
        duplicate = None
        if rules.collapse_duplicates and key is not None:
            duplicate = (await c.execute(
                select(posts.c.id).join(wall_posts, wall_posts.c.post_id == posts.c.id)
                .where(wall_posts.c.wall_id == wall.id, posts.c.text_key == key,
                       posts.c.id != post.id, wall_posts.c.state != "hidden")
                .limit(1))).scalar_one_or_none()
        return PostContext(author_posts_last_hour=recent, duplicate_of=duplicate)

    async def delete_post(self, post_id: str) -> list[Event]:
        """Tombstone `post_id` (deleted at its source) and take it off every wall."""
        async def run(tx: Tx) -> list[Event]:
            c = tx.conn
            if (await c.execute(select(tombstones.c.post_id)
                                .where(tombstones.c.post_id == post_id))).first():
                return []
            await c.execute(insert(tombstones).values(post_id=post_id, at=_now()))
            await c.execute(update(posts).where(posts.c.id == post_id).values(deleted_at=_now()))
            rows = (await c.execute(select(wall_posts, walls.c.slug)
                                    .join(walls, walls.c.id == wall_posts.c.wall_id)
                                    .where(wall_posts.c.post_id == post_id))).all()
            for row in rows:
                await c.execute(update(wall_posts).where(
                    wall_posts.c.wall_id == row.wall_id, wall_posts.c.post_id == post_id,
                ).values(state="hidden", pinned=False, reason="deleted at source",
                         updated_at=_now()))
                if row.state == "visible":
                    wall = self.wall(row.slug)
                    seq = await self.next_seq(c, wall.id)
                    await self.emit(tx, wall, RemoveEvent(seq, post_id))
            return [e for evs in tx.out.values() for e in evs]

        return list(await self.write(run))

    async def _prune(self) -> None:
        async with self.engine.begin() as conn:
            for wall in self._walls.values():
                await conn.execute(delete(events).where(
                    events.c.wall_id == wall.id, events.c.seq <= wall.last_seq - self.keep_events))

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
        wall = self.wall(slug)
        stmt = (select(posts.c.data).join(posts, posts.c.id == wall_posts.c.post_id)
                .where(wall_posts.c.wall_id == wall.id, wall_posts.c.state == "visible",
                       wall_posts.c.pinned.is_(True))
                .order_by(wall_posts.c.order_seq.desc()))
        async with self.engine.connect() as conn:
            return [{**r.data, "pinned": True} for r in (await conn.execute(stmt)).all()]

    async def visible_ids(self, slug: str, source: str) -> list[str]:
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

    async def stats(self, slug: str) -> dict[str, Any]:
        """Return counts for the wall: posts by state, accounts, first and last post time."""
        wall = self.wall(slug)
        async with self.engine.connect() as conn:
            counted = await conn.execute(
                select(wall_posts.c.state, func.count()).where(wall_posts.c.wall_id == wall.id)
                .group_by(wall_posts.c.state))
            by_state: dict[str, int] = {row[0]: int(row[1]) for row in counted}
            row = (await conn.execute(
                select(func.count(func.distinct(posts.c.author_id)), func.min(posts.c.created_at),
                       func.max(posts.c.created_at))
                .join(wall_posts, wall_posts.c.post_id == posts.c.id)
                .where(wall_posts.c.wall_id == wall.id, wall_posts.c.state == "visible"))).one()
        def iso(d: datetime | None) -> str | None:
            if d is None:
                return None
            d = d.replace(tzinfo=UTC) if d.tzinfo is None else d
            return d.isoformat().replace("+00:00", "Z")

        return {"posts": by_state.get("visible", 0), "pending": by_state.get("pending", 0),
                "hidden": by_state.get("hidden", 0), "accounts": row[0],
                "first_post_at": iso(row[1]), "last_post_at": iso(row[2])}

    def cursors(self, slug: str, source: str) -> WallCursors:
        return WallCursors(self, self.wall(slug).id, source)

    async def get_cursor(self, wall_id: int, source: str, key: str) -> str | None:
        async with self.engine.connect() as conn:
            return (await conn.execute(select(cursors.c.value).where(
                cursors.c.wall_id == wall_id, cursors.c.source == source,
                cursors.c.key == key))).scalar_one_or_none()

    async def set_cursor(self, wall_id: int, source: str, key: str, value: str) -> None:
        async def run(tx: Tx) -> None:
            where = and_(cursors.c.wall_id == wall_id, cursors.c.source == source,
                         cursors.c.key == key)
            res = await tx.conn.execute(update(cursors).where(where)
                                        .values(value=value, updated_at=_now()))
            if res.rowcount == 0:
                await tx.conn.execute(insert(cursors).values(
                    wall_id=wall_id, source=source, key=key, value=value, updated_at=_now()))

        await self.write(run)


class WallCursors:
    """The `CursorStore` of one (wall, source), backed by the store."""

    def __init__(self, store: Store, wall_id: int, source: str) -> None:
        self._store, self._wall_id, self._source = store, wall_id, source

    async def get(self, key: str) -> str | None:
        return await self._store.get_cursor(self._wall_id, self._source, key)

    async def set(self, key: str, value: str) -> None:
        await self._store.set_cursor(self._wall_id, self._source, key, value)


def _wall_info(row: Any) -> WallInfo:
    return WallInfo(id=row["id"], slug=row["slug"], title=row["title"], config=dict(row["config"]),
                    epoch=row["epoch"], last_seq=int(row["last_seq"]))


def _ensure_folder(database: str) -> None:
    Path(database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _migrate(conn: Connection) -> None:
    cfg = Config(str(Path(__file__).with_name("alembic.ini")))
    cfg.attributes["connection"] = conn
    command.upgrade(cfg, "head")
