"""P3 and the CLI accounts, against a real server process killed with SIGKILL."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import httpx
import websockets

from tests.conftest import PASSWORD, ServerProcess, make_post, write_jsonl


def cli(server: ServerProcess, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args, "--config", str(server.config)],
                          input=stdin, capture_output=True, text=True, env=server.env,
                          cwd=server.workdir, timeout=60)


def toml_for(path: Path) -> str:
    return f"""
[[walls]]
slug = "w"
hashtags = ["ASNR14"]
sources = ["replay"]
replay_file = "{path}"

[replay]
backfill = 5
loop = false
"""


async def snapshot_ids(url: str) -> list[str]:
    async with websockets.connect(url.replace("http", "ws") + "/ws/walls/w") as ws:
        async with asyncio.timeout(5):
            frame = json.loads(await ws.recv())
    assert frame["type"] == "snapshot"
    return [p["id"] for p in frame["posts"]]


async def test_hide_answered_2xx_survives_kill_9(server_factory: Callable[..., ServerProcess], tmp_path: Path) -> None:
    """A hide that got its 2xx is still in force after the server is SIGKILLed and restarted:
    not in the API, not in a snapshot, not brought back by the source replaying the post."""
    replay = write_jsonl(tmp_path / "m.jsonl", [make_post(i) for i in range(5)])
    server = server_factory(toml_for(replay))
    assert cli(server, "user", "add", "alice", "--role", "moderator", "--password-stdin",
               stdin=PASSWORD + "\n").returncode == 0
    async with httpx.AsyncClient(base_url=server.url) as http:
        assert (await http.post("/api/v1/login", json={"username": "alice", "password": PASSWORD})).status_code == 200
        assert "x:100003" in await snapshot_ids(server.url)
        r = await http.post("/api/v1/walls/w/posts/x:100003/hide", json={"reason": "test"})
        assert r.status_code == 200
    server.stop(kill=True)  # SIGKILL right after the answer: no shutdown, no flush
    # Forget the replay cursor's progress: the source sends the hidden post again on restart.
    server.start()
    async with httpx.AsyncClient(base_url=server.url) as http:
        visible = [p["id"] for p in (await http.get("/api/v1/walls/w/posts")).json()]
    assert "x:100003" not in visible and len(visible) == 4
    assert "x:100003" not in await snapshot_ids(server.url)


def test_user_add_and_token_create_from_the_command_line(server_factory: Callable[..., ServerProcess], tmp_path: Path) -> None:
    """`tweetwall user add` and `tweetwall token create` make working credentials; bad input
    fails with one line."""
    server = server_factory(toml_for(write_jsonl(tmp_path / "m.jsonl", [make_post(1)])))
    ok = cli(server, "user", "add", "root", "--role", "admin", "--password-stdin", stdin=PASSWORD)
    assert ok.returncode == 0, ok.stderr
    again = cli(server, "user", "add", "root", "--password-stdin", stdin=PASSWORD)
    assert again.returncode == 2 and "exists" in again.stderr and "Traceback" not in again.stderr
    short = cli(server, "user", "add", "bob", "--password-stdin", stdin="short")
    assert short.returncode == 2 and "10 characters" in short.stderr
    bad_role = cli(server, "user", "add", "eve", "--role", "god", "--password-stdin", stdin=PASSWORD)
    assert bad_role.returncode == 2 and "role" in bad_role.stderr
    made = cli(server, "token", "create", "ci-bot")
    assert made.returncode == 0
    token = made.stdout.strip()
    r = httpx.get(f"{server.url}/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and r.json()["username"] == "token:ci-bot"
    r = httpx.post(f"{server.url}/api/v1/login", json={"username": "root", "password": PASSWORD})
    assert r.status_code == 200 and r.json()["role"] == "admin"
