"""A wall's lifecycle, in one owner: open, change, close, and the cache of its rules.

`Walls` is the only place that starts or stops a wall's sources, loads a wall into the hub,
changes a wall's settings or deletes it; routes and the composition root call it. The rules of
each wall (config plus block list) are cached here and dropped by the commit that changes them:
the store tells its listeners which walls' rules a transaction changed.
"""

from __future__ import annotations

import asyncio
import ipaddress
import logging
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlsplit

import orjson
from pydantic import ValidationError

from app.events import WallEvent
from app.hub import Hub
from app.ingest import Ingest, SourceFactory, build_source, stored_rules
from app.ingest.leader import Leases
from app.moderation import Block, RuleSet
from app.settings import Settings, WallConfig
from app.store import Commit, Store, Tx, WallInfo
from app.store.announcements import Announcements
from app.store.decisions import block_rules

__all__ = ["InvalidWall", "WallExists", "Walls", "public", "public_host"]

log = logging.getLogger(__name__)

# The settings a screen may see; never secrets or source credentials.
_PUBLIC_KEYS = ("hashtags", "sources", "layout", "theme", "moderation", "colours", "join_url",
                "slide_interval_s", "idle_after_s", "min_dwell_s", "reload",
                "session_margin_min", "title_match", "programme_rev")


class WallExists(ValueError):
    """A wall with this slug exists already."""


class InvalidWall(ValueError):
    """A change would make the wall's settings invalid; the message names the field."""


def public(info: WallInfo) -> dict[str, Any]:
    """Return the wall's public settings, with the URLs of its logo, slides and QR code."""
    c = info.config
    return {
        "slug": info.slug, "title": info.title, **{k: c.get(k) for k in _PUBLIC_KEYS},
        "logo_url": f"/walls/{info.slug}/assets/{c['logo']}" if c.get("logo") else None,
        "slides": [f"/walls/{info.slug}/assets/{i}" for i in c.get("slides") or []],
        "qr_url": f"/walls/{info.slug}/qr.svg",
    }


_PRIVATE_SUFFIXES = (".local", ".localhost", ".internal", ".lan", ".home.arpa", ".localdomain")


def public_host(url: str) -> bool:
    """Return whether `url` is https on a host on the public internet: not an IP address
    outside global unicast, not localhost, not a single label or a private-use name."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".").lower()
    if parts.scheme != "https" or not host or parts.username or parts.password:
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        pass
    return "." in host and host != "localhost" and not host.endswith(_PRIVATE_SUFFIXES)


def _checked(cfg: WallConfig, settings: Settings, keys: Iterable[str]) -> WallConfig:
    """Return an admin's wall settings with the replay file resolved in the replay folder.
    Raises InvalidWall when the `keys` an admin set would reach files outside that folder or
    hosts off the public internet. The config file is the operator's and is trusted; the
    admin API is not."""
    keys = set(keys)
    if "replay_file" in keys and cfg.replay_file is not None:
        folder = settings.replay_dir
        if folder is None:
            raise InvalidWall("replay_file: set TWEETWALL_REPLAY_DIR to allow replay files "
                              "from the API")
        path = (folder / cfg.replay_file).resolve()
        if not path.is_relative_to(folder.resolve()) or not path.is_file():
            raise InvalidWall(f"replay_file: not a file in the replay folder: "
                              f"{str(cfg.replay_file)!r}")
        cfg = cfg.model_copy(update={"replay_file": path})
    if "mastodon_instances" in keys and not settings.allow_private_instances:
        for url in cfg.mastodon_instances or ():
            if not public_host(url):
                raise InvalidWall(f"mastodon_instances: not an https public host: {url!r}")
    return cfg


def _stored(cfg: WallConfig) -> dict[str, Any]:
    return cfg.model_dump(mode="json", exclude={"slug", "title"})


class Walls:
    """With `leases` that are not local, other processes share the walls (docs/scale.md):
    rules are read in every admission's transaction, not cached across commits, and walls
    created, changed or deleted elsewhere arrive through `sync`."""

    def __init__(self, store: Store, hub: Hub, settings: Settings,
                 factory: SourceFactory = build_source, *, leases: Leases | None = None) -> None:
        self.store = store
        self.hub = hub
        self.settings = settings
        self.announcements = Announcements(store)
        self.ingest = Ingest(store, settings, factory, rules=self.rules, leases=leases)
        self.shared = leases is not None and not leases.local
        self._rules: dict[str, RuleSet] = {}
        # Shared: the compiled rules of each wall by what they were compiled from.
        self._compiled: dict[str, tuple[tuple[str, tuple[Block, ...]], RuleSet]] = {}
        self._scheduler: asyncio.Task[None] | None = None
        store.listen(self._committed)

    async def start(self) -> None:
        """Declare the configured walls (config changes apply), load every stored wall into
        the hub and start the configured walls' sources."""
        for cfg in self.settings.walls:
            title = cfg.title or f"#{' #'.join(cfg.hashtags)}"
            info = await self.store.create_wall(cfg.slug, title, _stored(cfg))
            await self._save(info, title, _stored(cfg))
        for info in self.store.walls():
            await self._load(info)
        self.ingest.start(self.settings.walls)
        if self.shared:
            # Walls created over the API by any process: every process stands for their
            # ingest too, so one survives whichever process created them.
            configured = {cfg.slug for cfg in self.settings.walls}
            self._campaign([w for w in self.store.walls() if w.slug not in configured])
        self._scheduler = asyncio.create_task(self._announce_when_due(), name="announcements")

    async def stop(self) -> None:
        if self._scheduler is not None:
            self._scheduler.cancel()
            await asyncio.gather(self._scheduler, return_exceptions=True)
        await self.ingest.stop()

    async def _announce_when_due(self, every_s: float = 1.0) -> None:
        """Publish scheduled announcements at their start (within `every_s`): screens learn
        of an announcement only when it begins."""
        while True:
            try:
                await self.announcements.publish_due()
            except Exception:  # a failed round must not end the schedule; the next retries
                log.exception("publishing scheduled announcements failed")
            await asyncio.sleep(every_s)

    async def open(self, cfg: WallConfig, *, trusted: bool = False) -> WallInfo:
        """Create a wall, load it into the hub and start its sources. Unless `trusted` (the
        operator's config), replay files must lie in the replay folder and Mastodon instances
        be public https hosts. Raises WallExists, InvalidWall."""
        if cfg.slug in {w.slug for w in self.store.walls()}:
            raise WallExists(f"wall {cfg.slug!r} exists")
        if not trusted:
            cfg = _checked(cfg, self.settings, ("replay_file", "mastodon_instances"))
        info = await self.store.create_wall(cfg.slug, cfg.title or cfg.slug, _stored(cfg))
        await self._load(info)
        self.ingest.start([cfg])
        return info

    async def change(self, slug: str, changes: Mapping[str, Any]) -> WallInfo:
        """Apply an admin's `changes` (title, hashtags, layout, theme, moderation, rules,
        look...) to the wall; screens follow at once, sources are not restarted. Raises
        InvalidWall (also for a replay file or instance `open` would refuse), and WallNotFound
        for an unknown slug."""
        info = self.store.wall(slug)
        if "slug" in changes:
            raise InvalidWall("a wall's slug cannot change")
        merged = {**info.config, "title": info.title, **changes, "slug": slug}
        try:
            cfg = WallConfig.model_validate(merged)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InvalidWall(f"{where}: {first['msg']}") from None
        # Only what this change sets is checked: the config file's own values stay trusted.
        cfg = _checked(cfg, self.settings, changes)
        return await self._save(info, cfg.title or info.title, _stored(cfg))

    async def _save(self, info: WallInfo, title: str, config: dict[str, Any]) -> WallInfo:
        """Store a new title and config; screens get a `wall` event when they changed."""
        async def run(tx: Tx) -> None:
            new = await self.store.update_wall(tx, info.slug, title, config)
            if new is not None:
                await tx.emit(new, WallEvent, public(new))

        await self.store.write(run)
        return self.store.wall(info.slug)

    async def close(self, slug: str) -> None:
        """Delete a wall: its sources stop, its screens are disconnected, its data is removed.
        Raises WallNotFound."""
        self.store.wall(slug)
        await self.ingest.stop(slug)
        self.hub.remove_wall(slug)
        await self.store.delete_wall(slug)

    async def rules(self, tx: Tx, wall: WallInfo) -> RuleSet:
        """Return the wall's rules, from the cache or read in `tx` (the writer's transaction,
        so a block committed before it is always seen)."""
        if self.shared:
            return await self._shared_rules(tx, wall)
        cached = self._rules.get(wall.slug)
        if cached is None:
            cached = self._rules[wall.slug] = await stored_rules(tx, wall)
        return cached

    async def _shared_rules(self, tx: Tx, wall: WallInfo) -> RuleSet:
        """Return the wall's rules as stored now: another process may have committed a block
        a moment ago, and its message may not be here yet (P4 across processes). The wall's
        row is locked (writers of rules lock it too) and read with its block list, and only
        the compiling is cached, by what was read."""
        stored = await self.store.lock_wall(tx, wall.slug)
        blocks = tuple(await block_rules(tx.conn, stored))
        key = (orjson.dumps(stored.config, option=orjson.OPT_SORT_KEYS).decode(), blocks)
        found = self._compiled.get(wall.slug)
        if found is not None and found[0] == key:
            return found[1]
        rules = RuleSet.from_config(stored.config, blocks)
        self._compiled[wall.slug] = (key, rules)
        return rules

    async def sync(self, changed: set[str], gone: set[str]) -> None:
        """Follow walls created, changed or deleted by other processes: serve (and campaign
        to ingest) the new ones, stop serving the deleted ones. A changed wall's screens got
        its `wall` event through the log already."""
        for slug in sorted(gone):
            await self.ingest.stop(slug)
            self.hub.remove_wall(slug)
            self._rules.pop(slug, None)
            self._compiled.pop(slug, None)
        new = [info for info in self.store.walls() if info.slug not in self.hub.walls()]
        for info in new:
            await self._load(info)
        self._campaign(new)

    def _campaign(self, walls: list[WallInfo]) -> None:
        """Stand for the ingest of stored walls (their settings as stored)."""
        for info in walls:
            try:
                cfg = WallConfig.model_validate({**info.config, "slug": info.slug,
                                                 "title": info.title})
            except ValidationError:
                log.exception("wall %s: stored settings are invalid; not ingesting it", info.slug)
                continue
            self.ingest.start([cfg])

    async def reload(self, slug: str) -> None:
        """Load the wall into the hub afresh from the store (its log no longer holds what
        this process missed). Raises WallNotFound."""
        await self.store.reload_walls()
        await self._load(self.store.wall(slug))

    def _committed(self, commit: Commit) -> None:
        for slug in commit.rules_changed:
            self._rules.pop(slug, None)

    async def _load(self, info: WallInfo) -> None:
        """Serve the wall from the hub: its current state and recent log from the store."""
        resume = self.hub.resume_log
        self.hub.load_wall(
            info.slug, epoch=info.epoch, seq=info.last_seq,
            wall={**public(info), "announcements": await self.announcements.current(info.slug)},
            posts=await self.store.wall_posts(info.slug, "visible", self.hub.snapshot_size),
            pinned=await self.store.pinned_posts(info.slug),
            log=[e for e in await self.store.events_after(
                info.slug, max(info.last_seq - resume, 0), resume) if e.seq <= info.last_seq],
        )
