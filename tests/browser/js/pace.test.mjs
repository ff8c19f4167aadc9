import { test } from "node:test";
import assert from "node:assert/strict";
import { Pacer, changeGapMs, minDwellMs } from "../../../frontend/static/js/pace.js";
import { chooseSlot } from "../../../frontend/static/js/masonry.js";

test("posts wait in arrival order and leave one at a time", () => {
  const pacer = new Pacer();
  pacer.add(["a", "b"]);
  pacer.add(["b", "c"]);
  assert.deepEqual(pacer.waitingIds(), ["a", "b", "c"]);
  assert.equal(pacer.next(), "a");
  assert.equal(pacer.peek(), "b");
  assert.equal(pacer.size, 2);
});

test("a hidden post leaves the queue at once, uncounted", () => {
  const pacer = new Pacer();
  pacer.add(["a", "b", "c"]);
  assert.equal(pacer.drop("b"), true);
  pacer.retain((id) => id !== "c");
  assert.deepEqual(pacer.waitingIds(), ["a"]);
  assert.equal(pacer.skipped, 0);
});

test("past the bound the queue skips ahead to the newest and counts what it skipped", () => {
  const changes = [];
  const pacer = new Pacer({ maxWaiting: 5, keep: 2, onChange: (p) => changes.push(p.size) });
  const ids = Array.from({ length: 50 }, (_, i) => `p${i}`);
  const skipped = pacer.add(ids);
  assert.equal(skipped.length, 48);
  assert.deepEqual(pacer.waitingIds(), ["p48", "p49"]);
  assert.equal(pacer.skipped, 48);
  assert.equal(pacer.skippedIds.has("p0"), true);
  pacer.skip(["gone"]);
  assert.equal(pacer.skipped, 49);
  assert.ok(changes.length >= 2);
});

test("the wall's min_dwell_s, and the gap between two changes", () => {
  assert.equal(minDwellMs({ min_dwell_s: 4 }), 4000);
  assert.equal(minDwellMs({}), 10_000);
  assert.equal(minDwellMs(null), 10_000);
  assert.equal(changeGapMs(10_000, 10), 2000);
  assert.equal(changeGapMs(0, 10), 1000);
  assert.equal(changeGapMs(60_000, 4), 3000);
});

const G = { columns: 2, height: 1000, gap: 10, dwellMs: 10_000, minFree: 150 };

test("a new card takes a free stretch first, without moving anyone", () => {
  const slots = [{ id: "a", column: 0, y: 0, height: 990, since: 0 },
    { id: "b", column: 1, y: 0, height: 400, since: 0 }];
  const place = chooseSlot(slots, { height: 300, minHeight: 200 }, { ...G, now: 1 });
  assert.deepEqual(place, { column: 1, y: 410, height: 300, replaces: null });
});

test("a hole a hidden post left is filled, stretched when what is left is too small to use", () => {
  const slots = [{ id: "a", column: 0, y: 0, height: 300, since: 0 },
    { id: "c", column: 0, y: 700, height: 300, since: 0 },
    { id: "d", column: 1, y: 0, height: 1000, since: 0 }];
  const place = chooseSlot(slots, { height: 300, minHeight: 200 }, { ...G, now: 1 });
  assert.deepEqual(place, { column: 0, y: 310, height: 380, replaces: null });
});

test("on a full screen the card shown longest gives way once it has been up long enough", () => {
  const slots = [{ id: "old", column: 0, y: 0, height: 500, since: 1000 },
    { id: "older", column: 0, y: 510, height: 490, since: 0 },
    { id: "new", column: 1, y: 0, height: 1000, since: 9000 }];
  assert.deepEqual(chooseSlot(slots, { height: 400, minHeight: 200 }, { ...G, now: 5000 }), { wait: 5000 });
  const place = chooseSlot(slots, { height: 400, minHeight: 200 }, { ...G, now: 10_500 });
  assert.equal(place.replaces, "older");
  assert.equal(place.y, 510);
  assert.equal(place.height, 490);
});

test("a pinned card never gives way; a better fit wins among cards up about as long", () => {
  const slots = [{ id: "pin", column: 0, y: 0, height: 1000, since: 0, pinned: true },
    { id: "short", column: 1, y: 0, height: 250, since: 0 },
    { id: "tall", column: 1, y: 260, height: 740, since: 500 }];
  const place = chooseSlot(slots, { height: 600, minHeight: 250 }, { ...G, now: 60_000 });
  assert.equal(place.replaces, "tall");
  assert.equal(chooseSlot([slots[0]], { height: 600, minHeight: 250 }, { ...G, columns: 1, now: 60_000 }), null);
});
