// Unattended screens look after themselves: a named hall screen (opened with its key) reports
// its health over its socket (the console lists it) and reloads itself when an admin asks (the
// wall's `reload` nonce changes); every hall screen reloads when it has been stale for too
// long, once the server answers again.

import { BODY, CONNECTION } from "./hooks.js";

export const HEALTH = Object.freeze({
  firstMs: 2_000,            // the first report, soon after the screen is live
  everyMs: 30_000,
  staleReloadMs: 5 * 60_000, // stale this long: reload (the page may have wedged)
  checkMs: 5_000,
});

/** Return a number from the page URL's query (`?health_s=2`) in ms, or `fallback`. */
function fromQuery(loc, name, fallback) {
  const value = Number(new URLSearchParams(loc.search).get(name));
  return Number.isFinite(value) && value > 0 ? value * 1000 : fallback;
}

export class ScreenHealth {
  /**
   * `kind` is "hall" or "viewer"; `named` says the screen was opened with its key; `conn` is
   * the transport (with `send`); `feed` the state.
   */
  constructor({ kind, named = false, feed, conn, doc = document, win = globalThis }) {
    this.kind = kind;
    // Hall screens reload themselves when stale; a remote viewer (someone reading on a phone)
    // is not pulled away from where they are. Only a named screen reports and takes remote
    // reloads: the server ignores anyone else's reports, and a reload is an admin's to give.
    this.autoReload = kind === "hall";
    this.named = named && kind === "hall";
    this.feed = feed;
    this.conn = conn;
    this.doc = doc;
    this.win = win;
    this.everyMs = fromQuery(win.location, "health_s", HEALTH.everyMs);
    this.staleReloadMs = fromQuery(win.location, "stale_reload_s", HEALTH.staleReloadMs);
    this.startedAt = win.performance.now();
    this.reconnects = 0;
    this.wasLive = false;
    this.state = null;
    this.staleSince = null;
    this.loadedReload = undefined;
    this.timer = null;
    this.reloading = false;
    win.setInterval(() => this.#check(), Math.min(HEALTH.checkMs, this.staleReloadMs / 2));
  }

  /** After every frame: reload when the wall's reload nonce is not the one this page loaded. */
  frame(change) {
    if (!this.named || !change.wall || !this.feed.wall) return;
    const nonce = this.feed.wall.reload ?? null;
    if (this.loadedReload === undefined) this.loadedReload = nonce;
    else if (nonce !== this.loadedReload) this.reload();
  }

  status(state) {
    if (state === CONNECTION.live && this.state !== CONNECTION.live) {
      if (this.wasLive) this.reconnects += 1;
      else if (this.named) this.#plan(HEALTH.firstMs);
      this.wasLive = true;
    }
    this.staleSince = state === CONNECTION.stale ? (this.staleSince ?? this.win.performance.now()) : null;
    this.state = state;
  }

  reload() {
    if (this.reloading) return;
    this.reloading = true;
    this.win.location.reload();
  }

  #plan(ms) {
    this.win.clearTimeout(this.timer);
    this.timer = this.win.setTimeout(() => {
      this.send();
      this.#plan(this.everyMs);
    }, ms);
  }

  /** Return this screen's health report. */
  report() {
    const mem = this.win.performance.memory;
    return {
      type: "health",
      kind: this.kind,
      seq: this.feed.seq ?? 0,
      epoch: this.feed.epoch ?? "",
      reconnects: this.reconnects,
      dom_nodes: this.doc.getElementsByTagName("*").length,
      cards: Number(this.doc.body.getAttribute(BODY.posts)) || 0,
      ...(mem ? { heap_mb: Math.round(mem.usedJSHeapSize / 104857.6) / 10 } : {}),
      uptime_s: Math.round((this.win.performance.now() - this.startedAt) / 1000),
      width: this.win.innerWidth,
      height: this.win.innerHeight,
    };
  }

  send() {
    return this.conn.send ? this.conn.send(JSON.stringify(this.report())) : false;
  }

  async #check() {
    if (!this.autoReload || this.staleSince === null || this.reloading) return;
    if (this.win.performance.now() - this.staleSince < this.staleReloadMs) return;
    // Reload only when the server answers: a reload while it is down would leave the
    // browser's error page on the screen, with no script left to recover.
    try {
      const res = await this.win.fetch(this.win.location.href, { cache: "no-store" });
      if (res.ok) this.reload();
    } catch {
      // still down: try again at the next check
    }
  }
}
