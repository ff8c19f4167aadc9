"""Time from `tweetwall demo` to the first card on a hall screen in Chromium, and how many cards
the hall screen holds after replaying an hour's worth of posts at high speed.

    .venv/bin/python bench/first_card.py [--posts 1500]

Runs everything on 127.0.0.1 in a temporary folder; prints a table.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], cwd: Path, port: int) -> tuple[subprocess.Popen[bytes], float]:
    env = {**os.environ, "TWEETWALL_PORT": str(port)}
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    deadline = t0 + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=1).status_code == 200:
                return proc, t0
        except httpx.HTTPError:
            pass
        time.sleep(0.02)
    proc.kill()
    raise TimeoutError("server not ready in 120 s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--posts", type=int, default=1500,
                        help="posts to replay for the 'hour at high speed' row (default 1500)")
    opts = parser.parse_args()
    rows: list[tuple[str, str]] = []
    tweetwall = str(Path(sys.executable).with_name("tweetwall"))
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        # 1. The demo as the README runs it.
        port = free_port()
        proc, t0 = start([tweetwall, "demo"], Path(tmp), port)
        ready = time.monotonic() - t0
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"http://127.0.0.1:{port}/walls/asnr14")
        page.wait_for_selector("[data-post-id]", timeout=30_000)
        first = time.monotonic() - t0
        rows += [("`tweetwall demo` -> /readyz 200", f"{ready:.2f} s"),
                 ("`tweetwall demo` -> first card in Chromium", f"{first:.2f} s")]
        page.close()
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        # 2. An hour of replay, fast: the same meeting at 50 posts a second.
        config = Path(tmp) / "fast.toml"
        config.write_text("""
[[walls]]
slug = "fast"
hashtags = ["ASNR14"]
sources = ["replay"]
[walls.rules]
max_per_author_per_hour = 0
collapse_duplicates = false
[replay]
min_gap_s = 0.02
max_gap_s = 0.02
backfill = 0
""")
        port = free_port()
        db = Path(tmp) / "fast.db"
        os.environ["TWEETWALL_DATABASE_URL"] = f"sqlite+aiosqlite:///{db}"
        proc, _ = start([tweetwall, "serve", "--config", str(config)], Path(tmp), port)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"http://127.0.0.1:{port}/walls/fast")
        page.wait_for_selector("[data-post-id]", timeout=30_000)
        samples = []
        t_start = time.monotonic()
        while True:
            stats = httpx.get(f"http://127.0.0.1:{port}/api/v1/walls/fast/stats").json()
            cards = page.evaluate("document.querySelectorAll('[data-post-id]').length")
            nodes = page.evaluate("document.getElementsByTagName('*').length")
            samples.append((stats["posts"], cards, nodes))
            if stats["posts"] >= opts.posts or time.monotonic() - t_start > 600:
                break
            time.sleep(2)
        heap = page.evaluate("performance.memory ? performance.memory.usedJSHeapSize : 0")
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        browser.close()
    posts, cards, nodes = samples[-1]
    rows += [("posts replayed (an hour of the demo's pace, at 50/s)", str(posts)),
             ("cards in the hall screen's DOM at the end", str(cards)),
             ("max cards seen while replaying", str(max(s[1] for s in samples))),
             ("DOM elements at the end", str(nodes)),
             ("JS heap at the end", f"{heap / 2**20:.1f} MiB")]
    print("| measure | value |\n| --- | --- |")
    for name, value in rows:
        print(f"| {name} | {value} |")
    print(json.dumps({"samples": samples[-5:]}))


if __name__ == "__main__":
    main()
