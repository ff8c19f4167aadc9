// The belonging rule's table through frontend/static/js/programme.js: run by
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
