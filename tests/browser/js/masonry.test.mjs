import { test } from "node:test";
import assert from "node:assert/strict";
import { placeCards } from "../../../frontend/static/js/masonry.js";

test("newest cards go along the top, then into the shortest column", () => {
  const places = placeCards([100, 200, 150, 50], { columns: 3, height: 1000, gap: 10 });
  assert.deepEqual(places.map((p) => [p.column, p.y]), [[0, 0], [1, 0], [2, 0], [0, 110]]);
});

test("a card that fits nowhere is left out and older cards fill the gap", () => {
  const places = placeCards([300, 300, 500, 100], { columns: 1, height: 700, gap: 0 });
  assert.deepEqual(places.map((p) => p && p.y), [0, 300, null, 600]);
});

test("a long card at a column's bottom keeps fewer lines, never under the minimum", () => {
  const item = { height: 500, lines: 8, lineHeight: 50, minLines: 3 };
  const [first, second] = placeCards([{ height: 300 }, item], { columns: 1, height: 700, gap: 0 });
  assert.deepEqual(first, { column: 0, y: 0, height: 300, lines: null });
  assert.deepEqual(second, { column: 0, y: 300, height: 400, lines: 6 });
  assert.equal(placeCards([{ height: 600 }, item], { columns: 1, height: 700, gap: 0 })[1], null);
});
