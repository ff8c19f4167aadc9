// Unit tests of the pure state module: node --test tests/browser/js/
import { test } from "node:test";
import assert from "node:assert/strict";
import { Feed } from "../../../frontend/static/js/state.js";

const post = (n, extra = {}) => ({ id: `x:${n}`, source: "x", text: `post ${n}`, ...extra });
const snapshot = (posts, seq = 10, epoch = "e1") => ({ type: "snapshot", epoch, seq, wall: { slug: "w" }, posts });
const events = (...evs) => ({ type: "events", events: evs });
const ids = (feed) => feed.posts().map((p) => p.id);
const quiet = () => {};

test("a snapshot replaces everything and sets the resume point", () => {
  const feed = new Feed({ cap: 5, warn: quiet });
  feed.applyFrame(snapshot([post(1)]));
  const change = feed.applyFrame(snapshot([post(3), post(2)], 20, "e2"));
  assert.equal(change.reset, true);
  assert.deepEqual(ids(feed), ["x:3", "x:2"]);
  assert.deepEqual(feed.resumePoint(), { epoch: "e2", since: 20 });
});

test("a new post goes on top; a known id is replaced in place", () => {
  const feed = new Feed({ cap: 5, warn: quiet });
  feed.applyFrame(snapshot([post(2), post(1)]));
  const change = feed.applyFrame(events(
    { seq: 11, type: "post", post: post(3) },
    { seq: 12, type: "post", post: post(1, { text: "edited" }) },
  ));
  assert.deepEqual(ids(feed), ["x:3", "x:2", "x:1"]);
  assert.equal(feed.byId.get("x:1").text, "edited");
  assert.deepEqual([...change.added], ["x:3"]);
  assert.equal(feed.seq, 12);
});

test("a post and its removal in one frame leave no trace", () => {
  const feed = new Feed({ cap: 5, warn: quiet });
  feed.applyFrame(snapshot([post(1)]));
  const change = feed.applyFrame(events(
    { seq: 11, type: "post", post: post(2) },
    { seq: 12, type: "remove", id: "x:2" },
  ));
  assert.deepEqual(ids(feed), ["x:1"]);
  assert.equal(change.added.size, 0);
});

test("events at or below the current seq are skipped (overlapping resume)", () => {
  const feed = new Feed({ cap: 5, warn: quiet });
  feed.applyFrame(snapshot([post(1)], 10));
  feed.applyFrame(events({ seq: 11, type: "remove", id: "x:1" }));
  feed.applyFrame(events({ seq: 11, type: "post", post: post(1) }));
  assert.deepEqual(ids(feed), []);
});

test("the cap holds however many posts arrive, oldest unpinned leaves first", () => {
  const feed = new Feed({ cap: 3, warn: quiet });
  feed.applyFrame(snapshot([post(2), post(1, { pinned: true })]));
  for (let n = 3; n < 1000; n += 1) {
    feed.applyFrame(events({ seq: 10 + n, type: "post", post: post(n) }));
    assert.ok(feed.size <= 3);
  }
  assert.deepEqual(ids(feed), ["x:999", "x:998", "x:1"]);
  assert.equal(feed.byId.size, 3);
});

test("a snapshot larger than the cap keeps the newest", () => {
  const feed = new Feed({ cap: 2, warn: quiet });
  feed.applyFrame(snapshot([post(3), post(2), post(1), post(3)]));
  assert.deepEqual(ids(feed), ["x:3", "x:2"]);
});

test("unknown frames and events are reported and ignored", () => {
  const warnings = [];
  const feed = new Feed({ cap: 3, warn: (...a) => warnings.push(a.join(" ")) });
  feed.applyFrame(snapshot([post(1)]));
  feed.applyFrame({ type: "surprise" });
  feed.applyFrame(events({ seq: 11, type: "mystery" }, { seq: 12, type: "post", post: { nope: 1 } }));
  feed.applyFrame(null);
  assert.deepEqual(ids(feed), ["x:1"]);
  assert.equal(warnings.length, 4);
  assert.match(warnings[0], /surprise/);
  assert.match(warnings[1], /mystery/);
});

test("heartbeats change nothing; wall and announcement events are kept", () => {
  const feed = new Feed({ cap: 3, warn: quiet });
  feed.applyFrame(snapshot([post(1)]));
  assert.equal(feed.applyFrame({ type: "heartbeat", seq: 99 }).changed, false);
  assert.equal(feed.seq, 10);
  const change = feed.applyFrame(events(
    { seq: 11, type: "wall", wall: { theme: "light" } },
    { seq: 12, type: "announcement", announcement: { id: 1, text: "Lunch" } },
    { seq: 13, type: "announcement", announcement: { id: 2, text: "Later", starts_at: "2999-01-01T00:00:00Z" } },
  ));
  assert.equal(change.wall, true);
  assert.deepEqual(feed.wall, { slug: "w", theme: "light" });
  assert.equal(feed.currentAnnouncement().text, "Lunch");
  assert.equal(feed.currentAnnouncement(Date.parse("2999-06-01T00:00:00Z")).text, "Later");
  feed.applyFrame(events({ seq: 14, type: "announcement", announcement: { id: 1, deleted: true } }));
  assert.equal(feed.currentAnnouncement(), null);
});
