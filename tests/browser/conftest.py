"""Browser fixtures: Debian's Chromium driven by Playwright, pages that fail on script errors,
and helpers to point a real server at a JSONL of posts written by the test."""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import DEMO_TOML, ServerProcess

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"

HALL = {"width": 1920, "height": 1080}
PHONE = {"width": 390, "height": 844}

# The DOM hooks the tests rely on; frontend/static/js/hooks.js and docs/frontend.md list them.
CARD = "[data-post-id]"
BADGE = "#connection-badge"
FEED = "#feed"


def wall_toml(replay_file: Path, *, slug: str = "t", title: str = "Test wall",
              min_gap_s: float = 0.5, max_gap_s: float = 0.5, backfill: int = 3,
              loop: bool = True, min_dwell_s: int | None = None) -> str:
    """Return a config with one replay wall on `replay_file` and fast hub batching. The wall's
    automatic rules are off, so every post in the file reaches the screen. `min_dwell_s`: the
    hall screens' pace (the wall's default, 10 s, when None)."""
    dwell = "" if min_dwell_s is None else f"min_dwell_s = {min_dwell_s}\n"
    return f"""
[[walls]]
slug = "{slug}"
title = "{title}"
hashtags = ["ASNR14"]
sources = ["replay"]
replay_file = {json.dumps(str(replay_file))}
{dwell}
[walls.rules]
wordlist = false
queue_sensitive = false
max_per_author_per_hour = 0
collapse_duplicates = false

[replay]
min_gap_s = {min_gap_s}
max_gap_s = {max_gap_s}
backfill = {backfill}
loop = {"true" if loop else "false"}
rebase_time = true

[hub]
batch_ms = 50
"""


def write_posts(path: Path, posts: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in posts), "utf-8")
    return path


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """One headless Chromium for the browser tests; skipped (failed under CI) when it is missing.

    Package scope, not session: Playwright's sync API keeps an event loop running while it is
    open, and the asyncio tests that run after this package need the thread's loop free."""
    if not CHROMIUM.exists():
        message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@dataclass
class PageWatch:
    """What a page said while a test ran: dialogs, script errors, console warnings."""

    dialogs: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    csp: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[..., tuple[Any, PageWatch]]]:
    """Open pages: `open_page(url, viewport=HALL, reduced_motion=False, before=None)` ->
    (page, watch); `before(page)` runs before navigation (to route a WebSocket, say).

    Every dialog is recorded and dismissed; a test fails at teardown on an uncaught script
    error or a Content-Security-Policy violation.
    """
    contexts: list[Any] = []
    watches: list[PageWatch] = []

    def open_(url: str, *, viewport: dict[str, int] = HALL, reduced_motion: bool = False,
              wait_live: bool = True, before: Callable[[Any], None] | None = None,
              ) -> tuple[Any, PageWatch]:
        context = browser.new_context(
            viewport=viewport, reduced_motion="reduce" if reduced_motion else "no-preference",
            locale="en-GB", timezone_id="UTC",
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        watch = PageWatch()
        watches.append(watch)

        def on_dialog(dialog: Any) -> None:
            watch.dialogs.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()

        def on_console(msg: Any) -> None:
            if "Content Security Policy" in msg.text or "Content-Security-Policy" in msg.text:
                watch.csp.append(msg.text)
            elif msg.type == "warning":
                watch.warnings.append(msg.text)

        page.on("dialog", on_dialog)
        page.on("pageerror", lambda err: watch.errors.append(str(err)))
        page.on("console", on_console)
        if before is not None:
            before(page)
        page.goto(url)
        if wait_live:
            page.wait_for_selector("body[data-connection=live]", state="attached")
        return page, watch

    yield open_
    for context in contexts:
        context.close()
    for watch in watches:
        assert not watch.errors, f"uncaught script errors: {watch.errors}"
        assert not watch.csp, f"CSP violations: {watch.csp}"


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """The git-ignored folder where screenshots are saved for people to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def card_ids(page: Any) -> list[str]:
    """Return the data-post-id of every card on the page, in DOM order."""
    return list(page.eval_on_selector_all(CARD, "els => els.map(e => e.dataset.postId)"))


def card_count(page: Any) -> int:
    return int(page.eval_on_selector_all(CARD, "els => els.length"))


@pytest.fixture(scope="module")
def demo(request: pytest.FixtureRequest,
         tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """The bundled meeting on a server of the test module, adding nothing new for a while."""
    slow = DEMO_TOML.replace("min_gap_s = 0.5", "min_gap_s = 600").replace(
        "max_gap_s = 0.5", "max_gap_s = 600")
    server = ServerProcess(tmp_path_factory.mktemp(request.module.__name__.rsplit(".", 1)[-1]),
                           slow).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def admin(demo: ServerProcess) -> Iterator[httpx.Client]:
    """An admin's HTTP session on the demo server."""
    from tests.browser.admin import admin_client

    client = admin_client(demo)
    yield client
    client.close()
