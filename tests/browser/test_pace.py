"""The hall screen's pace, measured as a person would see it: at one post a second for a
minute on a 1920x1080 grid, how long a card stays in one place, whether settled cards overlap,
and whether every post was shown, counted as skipped, or still waits in the "+N new" counter.
The page samples itself every 100 ms; the figures go to test-artifacts/pace.json."""

from __future__ import annotations

import itertools
import json
import statistics
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import HALL, ROOT, wall_toml, write_posts

pytestmark = pytest.mark.browser

PACE_JSON = ROOT / "test-artifacts" / "pace.json"
MEETING = ROOT / "app" / "data" / "meeting" / "meeting.jsonl"
MIN_DWELL_S = 10   # the wall's default min_dwell_s
FLOW_S = 60

# Every 100 ms: where each shown card is, which cards are settled (no animation or transition
# running on them), and which settled cards overlap. A "stay" is a run of samples with a card
# at one place (within 2 px), from the sample it first shows (fading in where it stands counts);
# it ends when the card moves (or glides: a CSS transition) or leaves the screen.
SAMPLER = """() => {
    const feed = document.getElementById('feed');
    const s = window.__pace = {samples: 0, overlapSamples: 0, overlapAnySamples: 0, pairs: [],
        stays: [], open: new Map(), shown: new Set(), arrived: new Set(), moving: 0,
        history: Array.from(feed.children, (c) => c.dataset.postId), started: performance.now()};
    const note = () => { for (const c of feed.children) if (c.dataset.postId) s.arrived.add(c.dataset.postId); };
    new MutationObserver(note).observe(feed, {childList: true});
    note();
    const box = feed.getBoundingClientRect();
    const tick = () => {
        const now = performance.now();
        s.samples += 1;
        const seen = new Set();
        const settled = [], all = [];
        for (const card of feed.children) {
            const id = card.dataset.postId;
            if (!id || card.hasAttribute('data-offscreen')) continue;
            const style = getComputedStyle(card);
            if (style.visibility === 'hidden' || style.display === 'none') continue;
            const r = card.getBoundingClientRect();
            if (r.width < 2 || r.bottom <= box.top || r.top >= box.bottom) continue;
            const anims = card.getAnimations();
            const moving = anims.some((a) => a.transitionProperty !== undefined);
            all.push(r);
            if (moving) { s.moving += 1; continue; }
            s.shown.add(id);
            seen.add(id);
            const at = s.open.get(id);
            if (anims.length > 0) {   // fading in where it stands: at its place, not settled yet
                if (!at) s.open.set(id, {x: null, y: null, start: now, last: now, pre: s.samples === 1});
                else at.last = now;
                continue;
            }
            settled.push([id, r]);
            if (at && at.x === null) { Object.assign(at, {x: r.x, y: r.y, last: now}); continue; }
            if (at && Math.abs(at.x - r.x) <= 2 && Math.abs(at.y - r.y) <= 2) { at.last = now; continue; }
            if (at) s.stays.push({id, ms: at.last - at.start, done: true, pre: at.pre});
            s.open.set(id, {x: r.x, y: r.y, start: now, last: now, pre: s.samples === 1});
        }
        for (const [id, at] of s.open) if (!seen.has(id)) {
            s.stays.push({id, ms: at.last - at.start, done: true, pre: at.pre});
            s.open.delete(id);
        }
        const cross = (a, b) => Math.min(a.right, b.right) - Math.max(a.left, b.left) > 2
            && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 2;
        let hit = false, any = false;
        for (let i = 0; i < settled.length; i += 1) for (let j = i + 1; j < settled.length; j += 1) {
            if (cross(settled[i][1], settled[j][1])) { hit = true; if (s.pairs.length < 20) s.pairs.push([settled[i][0], settled[j][0]]); }
        }
        for (let i = 0; i < all.length && !any; i += 1) for (let j = i + 1; j < all.length; j += 1) {
            if (cross(all[i], all[j])) { any = true; break; }
        }
        if (hit) s.overlapSamples += 1;
        if (any) s.overlapAnySamples += 1;
    };
    s.timer = setInterval(tick, 100);
}"""

RESULT = """() => {
    const s = window.__pace;
    clearInterval(s.timer);
    const now = performance.now();
    const open = Array.from(s.open.values(), (at) => ({ms: at.last - at.start, done: false}));
    const pace = window.tweetwall && window.tweetwall.pace;
    return {samples: s.samples, overlapSamples: s.overlapSamples, overlapAnySamples: s.overlapAnySamples,
        pairs: s.pairs, stays: [...s.stays, ...open], shown: [...s.shown], arrived: [...s.arrived],
        history: s.history,
        skipped: pace ? [...pace.skippedIds] : [], waiting: pace ? pace.waitingIds() : [],
        seconds: (now - s.started) / 1000};
}"""


def meeting_posts(count: int) -> list[dict[str, Any]]:
    """The bundled meeting's first `count` posts (photos, long and short posts, many scripts)."""
    lines = MEETING.read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines[:count]]


def measure(page: Any, seconds: float) -> dict[str, Any]:
    page.evaluate(SAMPLER)
    time.sleep(seconds)
    raw: dict[str, Any] = page.evaluate(RESULT)
    stays = [s["ms"] / 1000 for s in raw["stays"]]
    # Stays that began and ended while sampled (those on screen at the start began before).
    ended = [s["ms"] / 1000 for s in raw["stays"] if s["done"] and not s.get("pre")]
    accounted = set(raw["shown"]) | set(raw["skipped"]) | set(raw["waiting"])
    return {
        "seconds": round(raw["seconds"], 1),
        "samples": raw["samples"],
        "stays": len(stays),
        "median_stay_s": round(statistics.median(stays), 2) if stays else 0,
        "shortest_ended_stay_s": round(min(ended), 2) if ended else None,
        "ended_stays_under_dwell": sum(1 for s in ended if s < MIN_DWELL_S - 0.5),
        "overlap_settled_fraction": round(raw["overlapSamples"] / max(1, raw["samples"]), 3),
        "overlap_any_fraction": round(raw["overlapAnySamples"] / max(1, raw["samples"]), 3),
        "overlapping_pairs": raw["pairs"][:5],
        "history": len(raw["history"]),
        "arrived": len(set(raw["arrived"]) - set(raw["history"])),
        "shown": len(raw["shown"]),
        "skipped": len(raw["skipped"]),
        "waiting": len(raw["waiting"]),
        # Posts that came after the page opened and were neither shown, nor counted as skipped,
        # nor are waiting in the "+N new" counter (the snapshot's older posts are history).
        "unaccounted": sorted(set(raw["arrived"]) - set(raw["history"]) - accounted),
    }


def save(name: str, result: dict[str, Any]) -> None:
    report = json.loads(PACE_JSON.read_text("utf-8")) if PACE_JSON.exists() else {}
    report[name] = result
    PACE_JSON.parent.mkdir(parents=True, exist_ok=True)
    PACE_JSON.write_text(json.dumps(report, indent=2) + "\n", "utf-8")


def test_one_post_a_second_for_a_minute_keeps_cards_still(server_factory: Any, open_page: Any,
                                                          tmp_path: Path,
                                                          screenshots: Path) -> None:
    """At 1 post/s for 60 s at 1920x1080 on the grid: the median stay of a card in one place is
    at least min_dwell_s and no card that has stopped moving lies over another; every post that
    reached the page was shown, skipped with a count, or still waits in the "+N new" counter."""
    posts = write_posts(tmp_path / "meeting.jsonl", meeting_posts(12 + FLOW_S + 5))
    server = server_factory(wall_toml(posts, backfill=12, min_gap_s=1, max_gap_s=1, loop=False))
    page, _ = open_page(f"{server.url}/walls/t", viewport=HALL)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id]').length >= 12")
    result = measure(page, FLOW_S)
    page.screenshot(path=screenshots / "pace-1920x1080.png")
    save("grid-1-post-per-second", result)
    assert result["arrived"] >= FLOW_S * 0.8, result
    assert result["shown"] >= 15, result
    assert result["median_stay_s"] >= MIN_DWELL_S, result
    assert result["ended_stays_under_dwell"] == 0, result
    assert result["overlap_settled_fraction"] == 0, result
    assert result["unaccounted"] == [], result


def burst_posts(start: int, count: int) -> list[dict[str, Any]]:
    """`count` of the bundled meeting's posts from `start`, newest first (a snapshot's order)."""
    return list(reversed(meeting_posts(start + count)[start:]))


def test_a_burst_of_fifty_waits_its_turn_and_skips_ahead(demo: Any, open_page: Any,
                                                         screenshots: Path) -> None:
    """Fifty posts in one frame: no card moves, one card changes at a time, the page shows
    "+N new" and skips ahead to the newest, saying how many it skipped; every post of the
    burst is shown, waiting or counted as skipped; a hide leaves at once, unpaced."""
    from tests.browser.admin import PlayedSocket, events, snapshot

    history = burst_posts(0, 12)
    played = PlayedSocket(lambda ws, _: ws.send(snapshot(history, min_dwell_s=2)))
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, before=played.install)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id][data-placed]').length >= 6")
    page.wait_for_timeout(2500)   # the first cards have been up for min_dwell_s
    places = "() => Array.from(document.querySelectorAll('[data-post-id][data-placed]'))" \
             ".map(c => [c.dataset.postId, c.style.translate])"
    before = dict(page.evaluate(places))
    page.evaluate("""() => { window.__placed = new Set(); window.__placedAt = [];
        new MutationObserver((records) => { for (const r of records)
            if (r.target.hasAttribute('data-placed')) {
                window.__placed.add(r.target.dataset.postId);
                window.__placedAt.push(performance.now());
            }
        }).observe(document.getElementById('feed'),
                   {attributes: true, subtree: true, attributeFilter: ['data-placed']}); }""")
    burst = burst_posts(12, 50)
    played.routes[-1].send(events(*[{"seq": 11 + i, "type": "post", "post": p}
                                    for i, p in enumerate(reversed(burst))]))
    page.wait_for_selector("body[data-waiting]:not([data-waiting='0'])", state="attached")
    newest_waiting = page.evaluate("tweetwall.pace.waitingIds().at(-1)")   # its turn comes last
    page.locator("#pace-waiting").wait_for()
    page.locator("#pace-skipped").wait_for()
    page.wait_for_timeout(1500)
    page.screenshot(path=screenshots / "burst-1920x1080.png")
    last = dict(page.evaluate(places))
    assert [i for i in last if i in before and last[i] != before[i]] == [], "cards moved"
    for _ in range(10):   # a card never moves once placed
        page.wait_for_timeout(400)
        now = dict(page.evaluate(places))
        moved = [i for i in now if i in last and now[i] != last[i]]
        assert moved == [], f"cards moved: {moved}"
        last = now
    # One card changes at a time: the page's own clock between two cards coming on screen.
    at = page.evaluate("window.__placedAt")
    gaps = [b - a for a, b in itertools.pairwise(at)]
    assert len(at) >= 3, at
    assert min(gaps) >= 900, gaps
    waiting = page.evaluate("tweetwall.pace.waitingIds()")
    skipped = page.evaluate("[...tweetwall.pace.skippedIds]")
    shown = set(page.evaluate("[...window.__placed]"))
    ids = {p["id"] for p in burst}
    assert len(waiting) <= 20
    assert len(skipped) >= 25
    assert "skipped" in page.locator("#pace-skipped").inner_text()
    assert ids <= shown | set(waiting) | set(skipped) | set(before)
    # A hide is not paced: the card leaves at once (here: a shown one and the newest of the
    # burst, which was waiting its turn).
    gone = next(iter(last))
    played.routes[-1].send(events({"seq": 100, "type": "remove", "id": gone},
                                  {"seq": 101, "type": "remove", "id": newest_waiting}))
    page.wait_for_selector(f'[data-post-id="{gone}"]', state="detached", timeout=2000)
    page.wait_for_selector(f'[data-post-id="{newest_waiting}"]', state="detached", timeout=2000)
    assert newest_waiting not in page.evaluate("tweetwall.pace.waitingIds()")


def test_nothing_glides_with_reduced_motion(demo: Any, open_page: Any) -> None:
    """With prefers-reduced-motion the paced grid changes cards without any animation or
    transition: a card is simply there, and no card ever glides."""
    from tests.browser.admin import PlayedSocket, events, snapshot

    played = PlayedSocket(lambda ws, _: ws.send(snapshot(burst_posts(0, 12), min_dwell_s=1)))
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, reduced_motion=True,
                        before=played.install)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id][data-placed]').length >= 6")
    page.evaluate("""() => { window.__anims = 0; window.__samples = 0;
        setInterval(() => { window.__samples += 1;
            for (const c of document.querySelectorAll('[data-post-id]'))
                window.__anims += c.getAnimations().length; }, 50); }""")
    shown = set(page.evaluate("() => Array.from(document.querySelectorAll("
                              "'[data-placed]'), c => c.dataset.postId)"))
    for i, post in enumerate(reversed(burst_posts(12, 8))):
        played.routes[-1].send(events({"seq": 11 + i, "type": "post", "post": post}))
        page.wait_for_timeout(600)
    page.wait_for_timeout(1500)
    now = set(page.evaluate("() => Array.from(document.querySelectorAll("
                            "'[data-placed]'), c => c.dataset.postId)"))
    assert now - shown, "new posts came on screen"
    assert page.evaluate("window.__samples") > 50
    assert page.evaluate("window.__anims") == 0


def test_a_hidden_card_leaves_at_once_and_a_quiet_wall_fills_its_place(demo: Any,
                                                                      open_page: Any) -> None:
    """On a quiet wall a moderator's hide takes the card off at once; its place then goes to
    the newest post not on screen, and no other card moves."""
    from tests.browser.admin import PlayedSocket, events, snapshot

    played = PlayedSocket(lambda ws, _: ws.send(snapshot(burst_posts(0, 30), min_dwell_s=2)))
    page, _ = open_page(f"{demo.url}/walls/asnr14", viewport=HALL, before=played.install)
    page.wait_for_function("() => document.querySelectorAll('[data-post-id][data-placed]').length >= 6")
    page.wait_for_timeout(500)
    places = "() => Object.fromEntries(Array.from(document.querySelectorAll(" \
             "'[data-post-id][data-placed]'), c => [c.dataset.postId, c.style.translate]))"
    before = page.evaluate(places)
    gone = next(iter(before))
    played.routes[-1].send(events({"seq": 11, "type": "remove", "id": gone}))
    page.wait_for_selector(f'[data-post-id="{gone}"]', state="detached", timeout=1000)
    page.wait_for_function("n => document.querySelectorAll('[data-post-id][data-placed]').length"
                           " === n", arg=len(before), timeout=5000)
    after = page.evaluate(places)
    new = set(after) - set(before)
    assert len(new) == 1
    assert after[new.pop()] == before[gone], "the newcomer took the hidden card's place"
    assert all(after[i] == before[i] for i in before if i != gone), "no other card moved"
