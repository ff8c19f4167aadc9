import { test } from "node:test";
import assert from "node:assert/strict";
import { highlightReel } from "../../../frontend/static/js/interlude.js";
import { joinText } from "../../../frontend/static/js/brand.js";
import { Feed } from "../../../frontend/static/js/state.js";

const post = (id) => ({ id, text: id });

test("highlights alternate between kinds and show each post once", () => {
  const reel = highlightReel({
    pinned: [post("a")],
    most_liked: [post("b"), post("a"), post("c")],
    photos: [post("d"), post("b")],
  });
  assert.deepEqual(reel.map((h) => h.post.id), ["a", "b", "d", "c"]);
  assert.match(reel[0].label, /Pinned/);
  assert.match(reel[1].label, /Most liked/);
  assert.match(reel[2].label, /Photo/);
});

test("highlights tolerate a missing or malformed answer", () => {
  assert.deepEqual(highlightReel(null), []);
  assert.deepEqual(highlightReel({ pinned: "x", photos: [null, { id: 3 }] }), []);
});

test("the join address is shown without its scheme", () => {
  assert.equal(joinText("https://asnr.example/join/"), "asnr.example/join");
  assert.equal(joinText("http://10.0.0.2:8000/walls/a/live"), "10.0.0.2:8000/walls/a/live");
});

test("a snapshot's announcements are the schedule; later events change it", () => {
  const feed = new Feed({ cap: 5, warn: () => {} });
  const wall = { announcements: [
    { id: 1, text: "now", starts_at: "2026-05-20T11:00:00Z", ends_at: "2026-05-20T13:00:00Z" },
    { id: 2, text: "later", starts_at: "2026-05-20T15:00:00Z", ends_at: null },
  ] };
  const change = feed.applyFrame({ type: "snapshot", epoch: "e", seq: 1, wall, posts: [] });
  assert.equal(change.announcement, true);
  assert.equal(feed.currentAnnouncement(Date.parse("2026-05-20T12:00:00Z")).text, "now");
  assert.equal(feed.currentAnnouncement(Date.parse("2026-05-20T16:00:00Z")).text, "later");
  feed.applyFrame({ type: "events", events: [{ seq: 2, type: "announcement", announcement: { id: 2, deleted: true } }] });
  assert.equal(feed.currentAnnouncement(Date.parse("2026-05-20T16:00:00Z")), null);
});
