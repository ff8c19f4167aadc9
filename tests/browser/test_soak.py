"""Soak: many posts through a hall screen, sampling DOM nodes and JS heap with the DevTools
protocol (after a forced GC). DOM nodes stay under a fixed cap and the heap comes back to its
plateau. The default run (1,000 posts) is short enough for CI; `-m soak` runs 20,000."""

from __future__ import annotations

import json
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import HALL, ROOT, wall_toml, write_posts
from tests.browser.posts import demo_photo
from tests.conftest import make_post

pytestmark = pytest.mark.browser

ELEMENT_CAP = 1000    # elements in the document: 40 cards of ~14 elements, plus the page
NODE_CAP = 5000       # DevTools' node count: text nodes too, and removed ones not yet collected
LEAD_S = 6            # the first post, then this quiet spell (the page opens), then the flood
SOAK_JSON = ROOT / "test-artifacts" / "soak.json"


def flood(path: Path, count: int) -> Path:
    """Write `count` posts: the first one, LEAD_S seconds of quiet, then all the others at
    once (a replay with min_gap_s = 0 sends them as fast as it can). Every tenth has a photo."""
    start = datetime(2014, 5, 17, 9, 0, tzinfo=UTC)
    photo = demo_photo()
    posts = []
    for n in range(count):
        at = start if n == 0 else start + timedelta(seconds=LEAD_S)
        words = " ".join(["late-window thrombectomy"] * (1 + n % 9))
        post = make_post(n, created_at=at.isoformat().replace("+00:00", "Z"),
                         content=[{"type": "text", "text": f"Soak post {n}: {words} "},
                                  {"type": "hashtag", "text": "#ASNR14",
                                   "href": "https://x.com/hashtag/ASNR14"}])
        if photo and n % 10 == 0:
            post["media"] = [{"kind": "image", "url": photo, "alt": f"photo {n}"}]
        posts.append(post)
    return write_posts(path, posts)


def sample(page: Any, cdp: Any, started: float) -> dict[str, float]:
    """Force a GC, then return DOM nodes (live, including detached), attached elements, cards,
    JS heap (MB) and the last seq the page applied."""
    cdp.send("HeapProfiler.collectGarbage")
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    heap = cdp.send("Runtime.getHeapUsage")
    page_side = page.evaluate("""() => ({seq: tweetwall.feed.seq || 0,
        elements: document.getElementsByTagName('*').length,
        cards: document.querySelectorAll('[data-post-id]').length})""")
    return {"t_s": round(time.monotonic() - started, 1), "seq": page_side["seq"],
            "dom_nodes": int(metrics["Nodes"]), "elements": page_side["elements"],
            "cards": page_side["cards"], "heap_mb": round(heap["usedSize"] / 2**20, 2)}


def run_soak(count: int, server_factory: Any, open_page: Any, tmp_path: Path) -> dict[str, Any]:
    posts = flood(tmp_path / "flood.jsonl", count)
    toml = wall_toml(posts, backfill=0, min_gap_s=0, max_gap_s=LEAD_S, loop=False)
    server = server_factory(toml.replace("[replay]\n", "[replay]\nspeed = 1\n"))
    page, _ = open_page(f"{server.url}/walls/t", viewport=HALL)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Performance.enable")
    started = time.monotonic()
    page.wait_for_selector("[data-post-id]")
    samples = [sample(page, cdp, started)]
    last_id = f"x:{100000 + count - 1}"
    step = max(count // 12, 50)
    next_at = samples[0]["seq"] + step
    deadline = time.monotonic() + 60 + count / 20
    while not page.evaluate("id => tweetwall.feed.has(id)", last_id):
        assert time.monotonic() < deadline, f"the flood did not finish: {samples[-1]}"
        if page.evaluate("tweetwall.feed.seq || 0") >= next_at:
            samples.append(sample(page, cdp, started))
            next_at = samples[-1]["seq"] + step
        time.sleep(0.5)
    page.wait_for_timeout(3000)   # the last render, entrance animations, image loads
    end = sample(page, cdp, started)
    flood_samples = samples[1:] or [end]
    plateau = flood_samples[len(flood_samples) // 2:]
    result = {
        "posts": count,
        "seconds": end["t_s"],
        "start": samples[0],
        "plateau": {"dom_nodes": int(statistics.median(s["dom_nodes"] for s in plateau)),
                    "heap_mb": round(statistics.median(s["heap_mb"] for s in plateau), 2),
                    "heap_mb_max": max(s["heap_mb"] for s in plateau)},
        "end": end,
        "samples": samples,
    }
    report = json.loads(SOAK_JSON.read_text("utf-8")) if SOAK_JSON.exists() else {}
    report[str(count)] = result
    SOAK_JSON.parent.mkdir(parents=True, exist_ok=True)
    SOAK_JSON.write_text(json.dumps(report, indent=2) + "\n", "utf-8")
    assert max(s["elements"] for s in [*samples, end]) < ELEMENT_CAP, result
    assert max(s["dom_nodes"] for s in [*samples, end]) < NODE_CAP, result
    assert end["cards"] <= 40
    # Back to the plateau: no growth with the number of posts seen.
    assert end["heap_mb"] <= result["plateau"]["heap_mb_max"] * 1.25 + 1, result
    return result


def test_short_soak_keeps_dom_and_heap_flat(server_factory: Any, open_page: Any,
                                            tmp_path: Path) -> None:
    """1,000 posts as fast as the replay sends them: DOM nodes under the cap, heap back to its
    plateau (the CI version of the soak)."""
    run_soak(1000, server_factory, open_page, tmp_path)


@pytest.mark.soak
def test_soak_20000_posts(server_factory: Any, open_page: Any, tmp_path: Path) -> None:
    """20,000 posts: DOM nodes stay under the cap and the heap returns to its plateau."""
    run_soak(20_000, server_factory, open_page, tmp_path)
