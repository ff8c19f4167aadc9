// The belonging rule's table through frontend/static/js/programme.js, and the pacer's priority
// (pace.js) for a hall screen in a room: run by
// tests/programme/test_belongs.py, which writes each row's post, the match the server computed
// and the expected answer to the file named by BELONGS_ROWS.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Programme, belongsTo, postKeys, span } from "../../frontend/static/js/programme.js";

const rows = JSON.parse(readFileSync(process.env.BELONGS_ROWS, "utf8"));

for (const row of rows) {
  test(`belongs: ${row.name}`, () => {
    assert.equal(belongsTo(postKeys(row.post), row.match), row.belongs);
  });
}

test("current and next session of a room, with the server's clock", () => {
  const at = (iso) => Date.parse(iso);
  const p = new Programme({
    now: "2014-05-17T12:30:00Z",
    sessions: [
      { id: "a", room: "Hall 210", start: "2014-05-17T12:00:00Z", end: "2014-05-17T16:00:00Z" },
      { id: "b", room: "Hall 210", start: "2014-05-17T18:00:00Z", end: "2014-05-17T21:00:00Z" },
      { id: "c", room: "Room 517", start: "2014-05-17T12:00:00Z", end: "2014-05-17T13:00:00Z" },
    ],
  }, { clock: () => at("2014-05-17T12:30:00Z") - 3_600_000 });
  assert.equal(p.skewMs, 3_600_000);
  assert.equal(p.current("Hall 210").id, "a");
  assert.equal(p.next("Hall 210").id, "b");
  assert.equal(p.current("Hall 210", at("2014-05-17T17:00:00Z")), null);
  assert.deepEqual(p.rooms(), ["Hall 210", "Room 517"]);
  assert.equal(span(42 * 60_000), "42 min");
  assert.equal(span(65 * 60_000), "1 h 05");
});

test("the pacer lets the session's posts go first and skips the others first", async () => {
  const { Pacer } = await import("../../frontend/static/js/pace.js");
  const first = new Set(["s1", "s2", "s3"]);
  const p = new Pacer({ maxWaiting: 5, keep: 3, priority: (id) => first.has(id) });
  p.add(["a", "b", "s1", "c", "s2"]);
  assert.deepEqual(p.waitingIds(), ["s1", "s2", "a", "b", "c"]);
  const skipped = p.add(["d", "s3"]);
  // Seven waiting, three kept: the four oldest others go, every session post stays.
  assert.deepEqual(skipped, ["a", "b", "c", "d"]);
  assert.deepEqual(p.waitingIds(), ["s1", "s2", "s3"]);
  first.clear();
  first.add("x");
  p.add(["x"]);
  p.reorder();
  assert.deepEqual(p.waitingIds(), ["x", "s1", "s2", "s3"]);
  const plain = new Pacer({ maxWaiting: 3, keep: 2 });
  assert.deepEqual(plain.add(["a", "b", "c", "d"]), ["a", "b"]);
});
