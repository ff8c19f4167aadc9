"""Shared fixtures: settings and posts factories, and a real server in a subprocess."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.models import Post

ROOT = Path(__file__).resolve().parent.parent
# The password of every account the tests create (long enough for the accounts' rule).
PASSWORD = "correct horse battery staple"

DEMO_TOML = """
[[walls]]
slug = "asnr14"
title = "ASNR 2014 Annual Meeting"
hashtags = ["ASNR14"]
sources = ["replay"]

[walls.rules]
max_per_author_per_hour = 0
collapse_duplicates = false

[replay]
min_gap_s = 0.5
max_gap_s = 0.5
backfill = 12

[hub]
batch_ms = 50
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_post(n: int, **overrides: Any) -> dict[str, Any]:
    """Return a valid wire post number `n` (x source, #ASNR14), with `overrides` applied."""
    at = datetime(2014, 5, 15, 12, 0, tzinfo=UTC) + timedelta(minutes=5 * n)
    post: dict[str, Any] = {
        "id": f"x:{100000 + n}",
        "source": "x",
        "url": f"https://x.com/user{n % 7}/status/{100000 + n}",
        "created_at": at.isoformat().replace("+00:00", "Z"),
        "author": {"id": str(n % 7), "handle": f"@user{n % 7}", "name": f"User {n % 7}"},
        "content": [
            {"type": "text", "text": f"Post number {n} from the meeting "},
            {"type": "hashtag", "text": "#ASNR14", "href": "https://x.com/hashtag/ASNR14"},
        ],
        "lang": "en",
    }
    post.update(overrides)
    return post


@pytest.fixture
def post_factory() -> Callable[..., Post]:
    """Build validated `Post` objects: `post_factory(n, **overrides)`."""
    return lambda n, **kw: Post.model_validate(make_post(n, **kw))


def write_jsonl(path: Path, posts: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(p) + "\n" for p in posts), encoding="utf-8")
    return path


def _die_with_parent() -> None:
    """Have the kernel kill the server if the test process dies (no orphaned servers)."""
    import ctypes

    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class ServerProcess:
    """`tweetwall serve` in a subprocess on a fixed loopback port and database."""

    def __init__(self, workdir: Path, toml: str, env: dict[str, str] | None = None) -> None:
        self.workdir = workdir
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.config = workdir / "tweetwall.toml"
        self.config.write_text(toml, encoding="utf-8")
        self.log = workdir / "server.log"
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("TWEETWALL_")},
            "TWEETWALL_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'wall.db'}",
            **(env or {}),
        }
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60.0) -> ServerProcess:
        """Start the server and wait until `/readyz` answers 200. Raises on timeout."""
        with self.log.open("ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "app.cli", "serve", "--config", str(self.config),
                 "--host", "127.0.0.1", "--port", str(self.port)],
                cwd=self.workdir, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent if sys.platform == "linux" else None,
            )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise TimeoutError(f"server not ready:\n{self.log.read_text()[-3000:]}")

    def stop(self, kill: bool = True) -> None:
        """Stop the server: SIGKILL by default (a crash), SIGTERM for a clean shutdown."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGKILL if kill else signal.SIGTERM)
        self.proc.wait(timeout=10)


@pytest.fixture
def server_factory(tmp_path: Path) -> Iterator[Callable[..., ServerProcess]]:
    """Start real servers: `server_factory(toml=DEMO_TOML, env=None)`; all stopped at teardown."""
    servers: list[ServerProcess] = []

    def start(toml: str = DEMO_TOML, *, env: dict[str, str] | None = None) -> ServerProcess:
        workdir = tmp_path / f"server{len(servers)}"
        workdir.mkdir()
        server = ServerProcess(workdir, toml, env)
        servers.append(server)
        return server.start()

    yield start
    for server in servers:
        server.stop()
