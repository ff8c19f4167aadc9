// The live connection: one WebSocket at a time, jittered exponential backoff, resume by
// (epoch, since), and a watchdog that calls the screen stale when the server goes quiet.
// Collaborators are passed in with real defaults, so a test can drive it with fakes.

import { CONNECTION } from "./hooks.js";

export const RULES = Object.freeze({
  baseDelayMs: 500,        // first retry waits up to this (full jitter)
  // Doubling stops here: a screen whose server was away for a moment is back within a few
  // seconds of it, and full jitter still spreads thousands of phones over that window.
  maxDelayMs: 5_000,
  staleAfterMs: 35_000,    // no frame (heartbeats come every <= 15 s) for this long: stale
  slowClientDelayMs: 1_000, // close 1013 (dropped as a slow client): come back soon
  refusedDelayMs: 60_000,   // close 1008/4403 (refused, e.g. bad origin): back off long
});

const REFUSED = new Set([1008, 4403]);
const SLOW_CLIENT = 1013;

/** Return the delay before retry number `attempt` (0-based): full jitter over a doubling cap. */
export function backoffDelay(attempt, random = Math.random, rules = RULES) {
  const ceiling = Math.min(rules.maxDelayMs, rules.baseDelayMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}

/**
 * Return the WebSocket URL for `path` on the page's origin, with `params` (e.g. a named hall
 * screen's `{screen: key}`) and the resume point if any.
 */
export function socketUrl(path, resume, loc = globalThis.location, params = null) {
  const url = new URL(path, loc.href);
  url.protocol = loc.protocol === "https:" ? "wss:" : "ws:";
  url.search = "";
  for (const [name, value] of Object.entries(params || {})) {
    if (value !== null && value !== undefined && value !== "") url.searchParams.set(name, String(value));
  }
  if (resume) {
    url.searchParams.set("epoch", resume.epoch);
    url.searchParams.set("since", String(resume.since));
  }
  return url.href;
}

/**
 * Keep a connection to `path` open until `stop()` is called.
 *
 * `onFrame(frame)` gets each decoded frame, synchronously in the socket's message handler so that
 * all events of a frame are applied before the browser paints. `onStatus(state)` gets
 * "connecting" | "live" | "stale" on every change. `resume()` returns `{epoch, since}` or null
 * (the moderators' feed has no resume point: it is always null there). `params` are more query
 * parameters for every dial. Return `{stop, nudge, send, state}`.
 */
export function connect({
  path,
  onFrame,
  onStatus = () => {},
  resume = () => null,
  params = null,
  WebSocketImpl = globalThis.WebSocket,
  timers = globalThis,
  random = Math.random,
  rules = RULES,
  warn = (...args) => console.warn(...args),
}) {
  let socket = null;
  let state = null;
  let attempt = 0;           // failed attempts since the last frame
  let retryTimer = null;
  let watchdog = null;
  let stopped = false;

  function setState(next) {
    if (next === state) return;
    state = next;
    onStatus(next);
  }

  function armWatchdog() {
    timers.clearTimeout(watchdog);
    watchdog = timers.setTimeout(giveUp, rules.staleAfterMs);
  }

  function giveUp() {
    // No frame for too long. Say so; and if a socket is open but silent (a half-open TCP
    // connection may never close by itself), drop it without waiting for a close handshake
    // and dial again. A retry already waiting keeps its time (a refusal's long back-off).
    setState(CONNECTION.stale);
    const ws = socket;
    if (ws !== null || retryTimer === null) {
      socket = null;
      if (ws) ws.close(4000, "no heartbeat");
      attempt = Math.max(attempt, 1);
      schedule(backoffDelay(attempt, random, rules));
      attempt += 1;
    }
    armWatchdog();
  }

  function open() {
    retryTimer = null;
    if (stopped) return;
    let ws;
    try {
      ws = new WebSocketImpl(socketUrl(path, resume(), globalThis.location, params));
    } catch (err) {
      warn("tweetwall: cannot open the live connection", err);
      failed(null);
      return;
    }
    socket = ws;
    ws.addEventListener("message", (msg) => {
      if (ws !== socket) return;
      let frame;
      try {
        frame = JSON.parse(msg.data);
      } catch {
        warn("tweetwall: ignoring a frame that is not JSON");
        return;
      }
      attempt = 0;
      armWatchdog();
      setState(CONNECTION.live);
      onFrame(frame);
    });
    ws.addEventListener("close", (event) => {
      if (ws !== socket) return;
      socket = null;
      failed(event.code);
    });
  }

  function failed(code) {
    if (stopped) return;
    let delay;
    if (code !== null && REFUSED.has(code)) {
      const spread = rules.refusedDelayMs / 2;
      delay = rules.refusedDelayMs + backoffDelay(0, random, { ...rules, baseDelayMs: spread, maxDelayMs: spread });
      setState(CONNECTION.stale);
    } else if (code === SLOW_CLIENT) {
      delay = Math.floor(random() * rules.slowClientDelayMs);
      setState(CONNECTION.connecting);
    } else {
      delay = backoffDelay(attempt, random, rules);
      // The first drop of a live socket (or a first dial that fails) is "reconnecting";
      // once a retry has failed as well, the screen says it is offline.
      setState(attempt === 0 ? CONNECTION.connecting : CONNECTION.stale);
    }
    attempt += 1;
    schedule(delay);
  }

  function schedule(delay) {
    timers.clearTimeout(retryTimer);
    retryTimer = timers.setTimeout(open, delay);
  }

  /** Retry at once (e.g. the browser says it is online again) if a retry is pending. */
  function nudge() {
    if (!stopped && socket === null && retryTimer !== null) schedule(0);
  }

  setState(CONNECTION.connecting);
  armWatchdog();
  open();

  return {
    stop() {
      stopped = true;
      timers.clearTimeout(retryTimer);
      timers.clearTimeout(watchdog);
      if (socket) socket.close(1000, "page closed");
      socket = null;
    },
    nudge,
    /** Send `text` on the open socket (a screen's health report); return whether it went. */
    send(text) {
      if (socket === null || socket.readyState !== 1) return false;
      socket.send(text);
      return true;
    },
    get state() {
      return state;
    },
  };
}
