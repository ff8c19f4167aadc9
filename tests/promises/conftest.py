"""Shared pieces of the promise tests (docs/design.md §3, SECURITY.md): a strict client-side
model of a wall that fails on any event applied twice or out of order, a way to read a socket
until it is drained, and a wall whose automatic rules stay out of the way."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from app.settings import Settings, WallConfig, WallRules
from tests.conftest import ServerProcess
from tests.web.conftest import Running

__all__ = ["Client", "cli", "drain", "plain_wall", "server_visible"]

RECV_S = 5.0


def cli(server: ServerProcess, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    """Run `tweetwall ARGS --config` against `server`'s configuration and database."""
    return subprocess.run([sys.executable, "-m", "app.cli", *args, "--config", str(server.config)],
                          input=stdin, capture_output=True, text=True, env=server.env,
                          cwd=server.workdir, timeout=60, check=False)


def plain_wall(slug: str = "w", **overrides: Any) -> WallConfig:
    """A post-moderated wall with no sources whose automatic rules never queue or collapse
    a test's posts (sensitive ones still go to the queue: the approve path needs them)."""
    rules = WallRules(wordlist=False, max_per_author_per_hour=0, collapse_duplicates=False)
    values: dict[str, Any] = {"slug": slug, "title": "Promises", "hashtags": ["ASNR14"],
                              "sources": [], "rules": rules, **overrides}
    return WallConfig(**values)


@pytest.fixture
def promise_settings(tmp_path: Path) -> Callable[..., Settings]:
    """Settings for an in-process server with one plain wall `w` and fast hub timings."""

    def build(**overrides: Any) -> Settings:
        hub = {"batch_ms": 10, "heartbeat_s": 0.2, **overrides.pop("hub", {})}
        values: dict[str, Any] = {
            "database_url": f"sqlite+aiosqlite:///{tmp_path / 'promises.db'}",
            "walls": [plain_wall()], "hub": hub, **overrides,
        }
        return Settings.model_validate(values)

    return build


@dataclass
class Client:
    """What one screen shows, applied exactly as the protocol says: a snapshot replaces the
    state; each event must carry a seq above the last one, else it was applied twice."""

    epoch: str = ""
    seq: int = 0
    posts: dict[str, dict[str, Any]] = field(default_factory=dict)
    frames: list[str] = field(default_factory=list)  # the type of every frame received
    applied: list[int] = field(default_factory=list)  # every event seq, in order
    twice: list[int] = field(default_factory=list)  # seqs that came again

    def apply(self, frame: dict[str, Any]) -> None:
        kind = frame["type"]
        self.frames.append(kind)
        if kind == "snapshot":
            self.epoch, self.seq = frame["epoch"], frame["seq"]
            self.posts = {p["id"]: p for p in frame["posts"]}
        elif kind == "events":
            for ev in frame["events"]:
                if ev["seq"] <= self.seq:
                    self.twice.append(ev["seq"])
                    continue
                self.seq = ev["seq"]
                self.applied.append(ev["seq"])
                if ev["type"] == "post":
                    self.posts[ev["post"]["id"]] = ev["post"]
                elif ev["type"] == "remove":
                    self.posts.pop(ev["id"], None)

    def query(self) -> str:
        """The resume query a page sends: `?epoch=E&since=S`."""
        return f"?epoch={self.epoch}&since={self.seq}"

    @property
    def visible(self) -> set[str]:
        return set(self.posts)


async def drain(ws: Any, client: Client, head: Callable[[], int],
                timeout: float = RECV_S) -> None:
    """Read frames into `client` until it has applied everything up to `head()` (the server's
    last seq) and a heartbeat says nothing more is on its way. Raises TimeoutError."""
    async with asyncio.timeout(timeout):
        while True:
            frame = json.loads(await ws.recv())
            client.apply(frame)
            if frame["type"] == "heartbeat" and frame["seq"] >= head() and client.seq >= head():
                return


async def server_visible(srv: Running, slug: str = "w") -> dict[str, dict[str, Any]]:
    """The wall's visible posts as the store has them (what a fresh screen must show)."""
    return {p["id"]: p for p in await srv.store.wall_posts(slug, "visible", 500)}
