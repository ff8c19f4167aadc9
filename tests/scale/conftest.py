"""Two real `tweetwall serve` processes on one PostgreSQL database and one Redis (issue 11,
docs/scale.md): the pieces the scale tests share.

Each test gets a fresh PostgreSQL database (dropped after) and so its own Redis key prefix
(app/main.py `cluster_prefix`): tests never hear each other on the shared Redis. The Redis
restart test starts a `redis-server` of its own on a free port; the shared one is never touched.

Every wait here waits for a condition (`until`), never for a fixed time.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import shutil
import subprocess
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
import websockets

from tests.conftest import ServerProcess, free_port, make_post, write_jsonl
from tests.helpers import fresh_postgres
from tests.promises.conftest import Client, cli

# `.ci/run` sets TWEETWALL_TEST_POSTGRES; the issue names TWEETWALL_TEST_DATABASE_URL: either,
# as a plain libpq URL (a SQLAlchemy `+asyncpg` one is accepted too).
PG_ADMIN = (os.environ.get("TWEETWALL_TEST_POSTGRES")
            or os.environ.get("TWEETWALL_TEST_DATABASE_URL") or "").replace(
                "postgresql+asyncpg://", "postgresql://") or None
REDIS_URL = os.environ.get("TWEETWALL_TEST_REDIS_URL")


def toml_for(*, gap_s: float = 0.1, backfill: int = 0) -> str:
    """A configured wall `home` with no sources, and the replay's pace (a post every
    `gap_s`) for the wall `w` a test creates over the API (`open_wall`)."""
    return f"""
[[walls]]
slug = "home"
title = "Home"
hashtags = ["Home"]
sources = []

[replay]
min_gap_s = {gap_s}
max_gap_s = {gap_s}
backfill = {backfill}
loop = false

[hub]
batch_ms = 10
heartbeat_s = 0.5
sweep_s = 1.0
"""


async def open_wall(server: ServerProcess, token: str, n: int) -> list[str]:
    """Create wall `w` on `server` over the admin API, replaying `n` distinct posts once
    (post-moderated, no automatic rules); returns the posts' ids in order. Creating it only
    once every process runs lets each test see the stream from its start, whatever the
    processes' start-up times, and shows a wall created on one process served by all."""
    posts = [make_post(i) for i in range(n)]
    write_jsonl(server.workdir.parent / "replays" / "replay.jsonl", posts)
    body = {"slug": "w", "title": "Scale", "hashtags": ["ASNR14"], "sources": ["replay"],
            "replay_file": "replay.jsonl", "moderation": "post",
            "rules": {"wordlist": False, "max_per_author_per_hour": 0,
                      "collapse_duplicates": False}}
    async with httpx.AsyncClient(timeout=10, headers=bearer(token)) as http:
        res = await http.post(f"{server.url}/api/v1/walls", json=body)
    assert res.status_code == 201, res.text
    return [p["id"] for p in posts]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def until(cond: Callable[[], Awaitable[bool] | bool], timeout: float, what: str) -> float:
    """Wait until `cond()` holds, polling every 20 ms; returns how long it took. Raises
    AssertionError naming `what` after `timeout` seconds."""
    start = time.monotonic()
    while True:
        got = cond()
        if not isinstance(got, bool):
            got = await got
        if got:
            return time.monotonic() - start
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        await asyncio.sleep(0.02)


async def ready(server: ServerProcess) -> dict[str, Any]:
    """The server's `/readyz` body ({} when it does not answer)."""
    try:
        async with httpx.AsyncClient(timeout=2) as http:
            return dict((await http.get(f"{server.url}/readyz")).json())
    except (httpx.HTTPError, ValueError):
        return {}


async def leader_of(servers: list[ServerProcess], slug: str = "w") -> list[ServerProcess]:
    """The servers that say they run the wall's sources."""
    return [s for s in servers if (await ready(s)).get("ingest", {}).get(slug) == "leader"]


async def leader_and_standby(a: ServerProcess, b: ServerProcess
                             ) -> tuple[ServerProcess, ServerProcess]:
    """Return (the one leader of wall w, the other); fails unless exactly one leads."""
    leaders = await leader_of([a, b])
    assert len(leaders) == 1, [s.port for s in leaders]
    return (a, b) if leaders[0] is a else (b, a)


@dataclass
class Screen:
    """A viewer on one process: applies every frame to a strict `Client` (an event applied
    twice or out of order is recorded), and remembers how its socket ended."""

    url: str
    client: Client = field(default_factory=Client)
    starts: list[str] = field(default_factory=list)  # the first frame's type, per connection
    closed: int | None = None  # the close code of the last connection
    task: asyncio.Task[None] | None = None

    def open(self, server: ServerProcess, *, resume: bool = False) -> Screen:
        """Connect to `server` (resuming by (epoch, since) if asked) and read in the
        background."""
        self.url = server.url.replace("http", "ws") + "/ws/walls/w"
        self.closed = None
        query = self.client.query() if resume else ""
        self.task = asyncio.get_running_loop().create_task(self._read(self.url + query))
        return self

    async def _read(self, url: str) -> None:
        try:
            async with websockets.connect(url, open_timeout=5, max_size=None) as ws:
                first = True
                try:
                    async for raw in ws:
                        frame = json.loads(raw)
                        if first:
                            self.starts.append(frame["type"])
                            first = False
                        self.client.apply(frame)
                finally:
                    self.closed = ws.close_code
        except (OSError, websockets.exceptions.WebSocketException):
            self.closed = self.closed or -1

    async def close(self) -> None:
        if self.task is not None:
            self.task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self.task

    @property
    def visible(self) -> set[str]:
        return self.client.visible

    def contiguous(self) -> bool:
        """Every seq from the first applied to the last, once each, in order."""
        seqs = self.client.applied
        return not self.client.twice and seqs == list(range(seqs[0], seqs[0] + len(seqs))) \
            if seqs else not self.client.twice


@dataclass
class Cluster:
    """The processes of one test and the database they share."""

    tmp: Path
    database_url: str
    redis_url: str
    servers: list[ServerProcess] = field(default_factory=list)

    def start(self, toml: str, *, redis_url: str | None = None,
              database_url: str | None = None) -> ServerProcess:
        """Start one more `tweetwall serve` on the shared database (or `database_url`);
        waits for `/readyz`."""
        workdir = self.tmp / f"node{len(self.servers)}"
        workdir.mkdir()
        (self.tmp / "replays").mkdir(exist_ok=True)
        server = ServerProcess(workdir, toml, {
            "TWEETWALL_DATABASE_URL": database_url or self.database_url,
            "TWEETWALL_REPLAY_DIR": str(self.tmp / "replays"),
            "TWEETWALL_REDIS_URL": redis_url or self.redis_url,
            "TWEETWALL_LOG_FORMAT": "json",
        })
        self.servers.append(server)
        return server.start()

    async def psql(self, sql: str) -> list[Any]:
        import asyncpg

        conn = await asyncpg.connect(self.database_url.replace("+asyncpg", ""), timeout=5)
        try:
            return list(await conn.fetch(sql))
        finally:
            await conn.close()

    def admin_token(self) -> str:
        """An admin API token (made with the CLI against the shared database)."""
        made = cli(self.servers[0], "token", "create", "scale-admin", "--role", "admin")
        assert made.returncode == 0, made.stderr
        return made.stdout.strip()

    async def wall_post_ids(self) -> list[str]:
        """Every post placed on wall `w`, as stored (a post placed twice would repeat)."""
        rows = await self.psql("SELECT post_id FROM wall_posts JOIN walls ON walls.id = "
                               "wall_posts.wall_id WHERE walls.slug = 'w'")
        return [r["post_id"] for r in rows]


def _skip_reason() -> str | None:
    if not PG_ADMIN or not REDIS_URL:
        return ("two-process scale tests need PostgreSQL and Redis: set TWEETWALL_TEST_POSTGRES "
                "(or TWEETWALL_TEST_DATABASE_URL) and TWEETWALL_TEST_REDIS_URL (.ci/run does)")
    return None


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    """A fresh PostgreSQL database and the shared Redis; servers started by the test are
    killed and the database dropped at teardown."""
    reason = _skip_reason()
    if reason:
        pytest.skip(reason)
    assert PG_ADMIN is not None and REDIS_URL is not None
    with fresh_postgres(PG_ADMIN, "tw_scale") as url:
        found = Cluster(tmp_path, url, REDIS_URL)
        try:
            yield found
        finally:
            for server in found.servers:
                server.stop()


class OwnRedis:
    """A `redis-server` of the test's own on a free port, which it may kill and restart."""

    def __init__(self, workdir: Path) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.workdir = workdir
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], cwd=self.workdir, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                import socket

                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                time.sleep(0.05)
        raise TimeoutError("redis-server did not start")

    def kill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(5)


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (Debian's redis-server package)")
    server = OwnRedis(tmp_path)
    server.start()
    try:
        yield server
    finally:
        server.kill()
