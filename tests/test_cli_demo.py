"""`tweetwall demo` and `serve` on a port that is taken: one line naming the port and `--port`,
exit status 2, before any URL is printed or the database is touched."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture
def held_port() -> Iterator[int]:
    """A loopback port with a listener on it for the test's length."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        yield int(s.getsockname()[1])


def run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWEETWALL_")}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("command", ["demo", "serve"])
def test_a_taken_port_is_named_in_one_line_before_anything_happens(
        held_port: int, tmp_path: Path, command: str) -> None:
    """The command exits 2 with one line on stderr naming the port and --port; nothing is
    printed on stdout (no URLs, no password) and no database file is created."""
    done = run([command, "--host", "127.0.0.1", "--port", str(held_port)], tmp_path)
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert str(held_port) in lines[0] and "--port" in lines[0]
    assert done.stdout == ""
    assert list(tmp_path.iterdir()) == [], "the database was touched"
