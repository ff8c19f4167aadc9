import { test } from "node:test";
import assert from "node:assert/strict";
import { RULES, backoffDelay, connect, socketUrl } from "../../../frontend/static/js/transport.js";

test("backoff doubles from 0.5 s to a 5 s ceiling with full jitter", () => {
  assert.equal(backoffDelay(0, () => 0.999), 499);
  assert.equal(backoffDelay(3, () => 0.999), 3996);
  assert.equal(backoffDelay(20, () => 0.999), 4995);
  assert.equal(backoffDelay(5, () => 0), 0);
});

test("the socket URL follows the page's scheme and carries the resume point", () => {
  const loc = { href: "https://wall.example/walls/a", protocol: "https:" };
  assert.equal(socketUrl("/ws/walls/a", null, loc), "wss://wall.example/ws/walls/a");
  assert.equal(socketUrl("/ws/walls/a", { epoch: "e 1", since: 7 }, loc),
    "wss://wall.example/ws/walls/a?epoch=e+1&since=7");
  assert.equal(socketUrl("/ws/walls/a", null, { href: "http://h:8/x", protocol: "http:" }), "ws://h:8/ws/walls/a");
  assert.equal(socketUrl("/ws/walls/a", { epoch: "e", since: 3 }, loc, { screen: "k/1", none: null }),
    "wss://wall.example/ws/walls/a?screen=k%2F1&epoch=e&since=3");
});

// A fake WebSocket and fake timers, so the state machine runs without a network or a clock.
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
    constructor(url) { this.url = url; this.listeners = {}; this.closed = null; sockets.push(this); }
    addEventListener(type, fn) { (this.listeners[type] ||= []).push(fn); }
    emit(type, event) { for (const fn of this.listeners[type] || []) fn(event); }
    message(frame) { this.emit("message", { data: JSON.stringify(frame) }); }
    drop(code = 1006) { this.emit("close", { code }); }
    close(code) { this.closed = code; }
  }
  return { sockets, FakeSocket };
}

function start(resume = () => null) {
  const timers = new FakeTimers();
  const { sockets, FakeSocket } = fakeSockets();
  const states = [];
  const frames = [];
  globalThis.location = { href: "http://wall.test/walls/a", protocol: "http:" };
  const conn = connect({
    path: "/ws/walls/a", onFrame: (f) => frames.push(f), onStatus: (s) => states.push(s),
    resume, WebSocketImpl: FakeSocket, timers, random: () => 0.5, warn: () => {},
  });
  return { timers, sockets, states, frames, conn };
}

test("connecting, live on the first frame, reconnecting after a drop, stale when a retry fails", () => {
  const t = start();
  assert.deepEqual(t.states, ["connecting"]);
  t.sockets[0].message({ type: "snapshot", epoch: "e", seq: 1, posts: [] });
  assert.deepEqual(t.states, ["connecting", "live"]);
  t.sockets[0].drop();
  assert.equal(t.conn.state, "connecting");
  t.timers.advance(RULES.baseDelayMs);
  assert.equal(t.sockets.length, 2);
  t.sockets[1].drop();
  assert.equal(t.conn.state, "stale");
  t.timers.advance(RULES.baseDelayMs * 2);
  t.sockets[2].message({ type: "heartbeat", seq: 1 });
  assert.equal(t.conn.state, "live");
});

test("silence for 35 s makes the screen stale and dials again", () => {
  const t = start();
  t.sockets[0].message({ type: "heartbeat", seq: 1 });
  t.timers.advance(RULES.staleAfterMs - 1);
  assert.equal(t.conn.state, "live");
  t.timers.advance(1);
  assert.equal(t.conn.state, "stale");
  assert.equal(t.sockets[0].closed, 4000);
  t.timers.advance(RULES.maxDelayMs);
  assert.ok(t.sockets.length >= 2);
});

test("a refusal backs off for a minute; a slow-client close comes back within a second", () => {
  const t = start();
  t.sockets[0].drop(4403);
  assert.equal(t.conn.state, "stale");
  t.timers.advance(RULES.refusedDelayMs - 1);
  assert.equal(t.sockets.length, 1);
  t.timers.advance(RULES.refusedDelayMs / 2 + 1);   // the jitter adds up to half of it
  assert.equal(t.sockets.length, 2);
  t.sockets[1].message({ type: "heartbeat", seq: 1 });
  t.sockets[1].drop(1013);
  t.timers.advance(RULES.slowClientDelayMs);
  assert.equal(t.sockets.length, 3);
});

test("each dial asks to resume from the latest point; frames that are not JSON are ignored", () => {
  let point = null;
  const t = start(() => point);
  assert.equal(t.sockets[0].url, "ws://wall.test/ws/walls/a");
  t.sockets[0].emit("message", { data: "{not json" });
  assert.equal(t.frames.length, 0);
  point = { epoch: "e9", since: 41 };
  t.sockets[0].drop();
  t.timers.advance(RULES.baseDelayMs);
  assert.equal(t.sockets[1].url, "ws://wall.test/ws/walls/a?epoch=e9&since=41");
  t.conn.stop();
  t.sockets[1].drop();
  t.timers.advance(RULES.maxDelayMs);
  assert.equal(t.sockets.length, 2, "no dial after stop()");
});

test("params go with every dial, before the resume point", () => {
  const timers = new FakeTimers();
  const { sockets, FakeSocket } = fakeSockets();
  globalThis.location = { href: "http://wall.test/walls/a?screen=k1", protocol: "http:" };
  let point = null;
  connect({
    path: "/ws/walls/a", onFrame: () => {}, resume: () => point, params: { screen: "k1" },
    WebSocketImpl: FakeSocket, timers, random: () => 0.5, warn: () => {},
  });
  assert.equal(sockets[0].url, "ws://wall.test/ws/walls/a?screen=k1");
  point = { epoch: "e", since: 4 };
  sockets[0].drop();
  timers.advance(RULES.baseDelayMs);
  assert.equal(sockets[1].url, "ws://wall.test/ws/walls/a?screen=k1&epoch=e&since=4");
});
