// The console's state and live logic without a browser: the moderators' feed on transport.js,
// decisions that arrive out of order, queue loads that overtake each other, undo after the rest.
import { test } from "node:test";
import assert from "node:assert/strict";
import { connectModFeed } from "../../../frontend/static/js/console-feed.js";
import { Decisions, Requests, createConsoleState } from "../../../frontend/static/js/console-state.js";
import { createLive } from "../../../frontend/static/js/console-live.js";
import { RULES } from "../../../frontend/static/js/transport.js";

class FakeTimers {
  constructor() { this.now = 0; this.next = 1; this.jobs = new Map(); }
  setTimeout(fn, ms) { const id = this.next++; this.jobs.set(id, { at: this.now + ms, fn }); return id; }
  clearTimeout(id) { this.jobs.delete(id); }
  advance(ms) {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.jobs.entries()].filter(([, j]) => j.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.jobs.delete(due[0]);
      this.now = due[1].at;
      due[1].fn();
    }
    this.now = end;
  }
}

function fakeSockets() {
  const sockets = [];
  class FakeSocket {
    constructor(url) { this.url = url; this.listeners = {}; sockets.push(this); }
    addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
    emit(type, event) { for (const fn of this.listeners[type] || []) fn(event); }
    message(frame) { this.emit("message", { data: JSON.stringify(frame) }); }
    drop(code = 1006) { this.emit("close", { code }); }
    close() {}
  }
  return { sockets, FakeSocket };
}

/** A promise with its resolve, to decide when a fake REST call answers. */
function later() {
  let resolve;
  const promise = new Promise((r) => { resolve = r; });
  return { promise, resolve };
}

const settle = () => new Promise((r) => setImmediate(r));

function startFeed() {
  const timers = new FakeTimers();
  const { sockets, FakeSocket } = fakeSockets();
  const states = [];
  const batches = [];
  const warnings = [];
  const loads = [];
  globalThis.location = { href: "http://wall.test/moderate/a", protocol: "http:" };
  const conn = connectModFeed({
    path: "/ws/moderate/a",
    load: () => { const l = later(); loads.push(l); return l.promise; },
    onItems: (items) => batches.push(items),
    onStatus: (s) => states.push(s),
    warn: (...a) => warnings.push(a.join(" ")),
    transportOptions: { WebSocketImpl: FakeSocket, timers, random: () => 0.5 },
  });
  return { timers, sockets, states, batches, warnings, loads, conn };
}

test("the feed is live only once the reload after its hello is done; items wait for it", async () => {
  const t = startFeed();
  assert.equal(t.sockets[0].url, "ws://wall.test/ws/moderate/a", "no resume point on the feed");
  t.sockets[0].message({ type: "hello", user: "alice" });
  t.sockets[0].message({ type: "mod", items: [{ type: "post", post: { id: "x:1" } }] });
  assert.deepEqual(t.states, ["connecting"]);
  assert.equal(t.batches.length, 0);
  t.loads[0].resolve();
  await settle();
  assert.deepEqual(t.states, ["connecting", "live"]);
  assert.deepEqual(t.batches, [[{ type: "post", post: { id: "x:1" } }]]);
  t.sockets[0].message({ type: "mod", items: [{ type: "decision", id: 2 }] });
  assert.equal(t.batches.length, 2);
});

test("heartbeats keep the feed alive; an unknown frame type is reported", async () => {
  const t = startFeed();
  t.sockets[0].message({ type: "hello" });
  t.loads[0].resolve();
  await settle();
  for (let i = 0; i < 5; i += 1) {
    t.timers.advance(10_000);
    t.sockets[0].message({ type: "heartbeat" });
  }
  assert.equal(t.conn.state, "live");
  assert.equal(t.sockets.length, 1);
  t.sockets[0].message({ type: "surprise" });
  assert.deepEqual(t.warnings, ["tweetwall: ignoring unknown feed frame type surprise"]);
  t.timers.advance(RULES.staleAfterMs);
  assert.equal(t.states.at(-1), "stale", "a silent feed is stale, as a silent wall is");
});

test("a dropped feed reloads after the next hello; a reload of the old socket is ignored", async () => {
  const t = startFeed();
  t.sockets[0].message({ type: "hello" });
  t.sockets[0].drop();
  assert.equal(t.states.at(-1), "connecting");
  t.timers.advance(RULES.baseDelayMs);
  t.sockets[1].message({ type: "hello" });
  t.sockets[1].message({ type: "mod", items: [{ type: "decision", id: 7 }] });
  t.loads[0].resolve();   // the first socket's reload, late
  await settle();
  assert.equal(t.batches.length, 0);
  assert.equal(t.states.at(-1), "connecting");
  t.loads[1].resolve();
  await settle();
  assert.deepEqual(t.batches, [[{ type: "decision", id: 7 }]]);
  assert.equal(t.states.at(-1), "live");
});

test("decisions: the larger audit id wins, whichever road brought it first", () => {
  const d = new Decisions();
  assert.equal(d.note({ id: 3, post_id: "x:1", action: "undo" }), true);
  assert.equal(d.isLatest({ id: 2, post_id: "x:1" }), false);
  assert.equal(d.note({ id: 2, post_id: "x:1", action: "hide" }), false);
  assert.equal(d.get("x:1").action, "undo");
  assert.equal(d.note({ id: 3, post_id: "x:1", action: "undo", actor: "alice" }), true);
  assert.equal(d.note({ id: 1, post_id: "", action: "block" }), true, "no post: nothing to order");
});

test("requests: settled() waits for everything tracked before it, not after", async () => {
  const r = new Requests();
  const a = later();
  r.track(a.promise);
  let done = false;
  r.settled().then(() => { done = true; });
  r.track(new Promise(() => {}));   // tracked later: not waited for
  await settle();
  assert.equal(done, false);
  a.resolve({ ok: true });
  await settle();
  assert.equal(done, true);
  assert.equal(r.pending.size, 1);
});

/** The live side with a fake API whose answers the test releases, and stub panels. */
function startLive() {
  const state = createConsoleState({ me: "alice" });
  const answers = [];
  const api = { posts: () => { const l = later(); answers.push(l); return l.promise; } };
  const noop = () => {};
  const lists = { render: noop, note: noop, hideOnWall: noop };
  const panels = { lists, audit: { add: noop }, blocks: { load: noop }, announcements: { load: noop }, header: { scheduleCounts: noop } };
  const live = createLive({ api, state, warn: noop }, panels);
  return { state, answers, live };
}

const pending = (n) => ({ id: `x:${n}`, text: `post ${n}`, moderation: { state: "pending", order: n } });
const answer = (...posts) => ({ ok: true, status: 200, data: posts });

test("only the latest queue load counts, and decisions during it apply to what it brings", async () => {
  const { state, answers, live } = startLive();
  const first = live.loadQueue();
  const second = live.loadQueue();
  // Bob hides x:2 while the second load is on its way; the load was read before his hide.
  live.onModItems([{ type: "decision", id: 5, post_id: "x:2", action: "hide", actor: "bob", after: { state: "hidden" } }]);
  answers[1].resolve(answer(pending(1), pending(2), pending(3)));
  await second;
  assert.deepEqual(state.queue.ids(), ["x:1", "x:3"]);
  answers[0].resolve(answer(pending(9)));   // the older load answers last: dropped
  await first;
  assert.deepEqual(state.queue.ids(), ["x:1", "x:3"]);
});

test("a decision older than one known for its post does not move it", async () => {
  const { state, answers, live } = startLive();
  const load = live.loadQueue();
  answers[0].resolve(answer(pending(1), pending(2)));
  await load;
  state.decisions.note({ id: 3, post_id: "x:2", action: "undo", actor: "alice", after: { state: "pending" } });
  // Our own hide (id 2) comes on the feed after the undo's answer (id 3): it is old news.
  live.onModItems([{ type: "decision", id: 2, post_id: "x:2", action: "hide", actor: "alice", after: { state: "hidden" } }]);
  assert.deepEqual(state.queue.ids(), ["x:1", "x:2"]);
});

test("an unknown feed item type is reported and skipped", () => {
  const warnings = [];
  const state = createConsoleState({ me: "alice" });
  const noop = () => {};
  const live = createLive({ api: {}, state, warn: (...a) => warnings.push(a.join(" ")) },
    { lists: { render: noop }, audit: {}, blocks: {}, announcements: {}, header: { scheduleCounts: noop } });
  live.onModItems([{ type: "poll" }, { type: "post", state: "pending", post: pending(4) }]);
  assert.deepEqual(warnings, ["tweetwall: ignoring unknown feed item type poll"]);
  assert.deepEqual(state.queue.ids(), ["x:4"]);
});
