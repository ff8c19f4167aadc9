// The ticker: a band for the bottom of a stage screen, one line of posts moving right to left
// at a steady speed. Each post runs its own compositor animation (Web Animations, no style
// attribute, so the CSP holds) from the right edge to past the left edge; the next one starts
// when the last has cleared a gap. New posts wait in the shared Pacer (pace.js) and go next, in
// arrival order; otherwise the band cycles through the feed. With prefers-reduced-motion the band
// holds still and changes its posts every STILL_MS (or the wall's min_dwell_s if longer).

import { CARD } from "./hooks.js";
import { DEFAULT_MIN_DWELL_S, Pacer } from "./pace.js";

const SPEED_U = 14;       // px per second, in units of --u (151 px/s at 1080p)
const GAP_U = 4;          // space between two posts (beside the dot after each), in --u
const STILL_MS = 8000;
const RETRY_MS = 1000;

export class TickerLayout {
  constructor(container, { win = globalThis, pacer = new Pacer(), dwellMs = DEFAULT_MIN_DWELL_S * 1000 } = {}) {
    this.container = container;
    this.win = win;
    this.pacer = pacer;
    this.minDwellMs = dwellMs;
    this.active = false;
    this.flying = new Map();      // card -> Animation
    this.seen = new Set();        // ids shown in this cycle through the feed
    this.timer = null;
    this.tail = null;             // {card, x0, width, startedAt}: the last post launched
    this.started = false;         // the band has been filled once since activation
    this.reduced = win.matchMedia ? win.matchMedia("(prefers-reduced-motion: reduce)") : null;
  }

  setDwell(ms) {
    this.minDwellMs = ms;
  }

  shows(id) {
    for (const card of this.flying.keys()) if (card.getAttribute(CARD.postId) === id) return true;
    return false;
  }

  activate() {
    this.active = true;
    this.container.classList.add("feed--ticker");
    for (const card of this.container.children) card.setAttribute(CARD.offscreen, "");
    this.seen.clear();
    this.tail = null;
    this.started = false;
    // Start once the cards are in the band's shape (after this frame's style).
    this.#schedule(0);
  }

  deactivate() {
    this.active = false;
    this.win.clearTimeout(this.timer);
    this.timer = null;
    for (const animation of this.flying.values()) animation.cancel();
    this.flying.clear();
    this.container.classList.remove("feed--ticker");
    for (const card of this.container.children) {
      card.removeAttribute(CARD.offscreen);
      card.style.removeProperty("transform");
    }
  }

  /** Cards that arrive start hidden; the band picks them up in turn. */
  apply() {
    if (!this.active) return;
    for (const [card, animation] of this.flying) {
      if (!card.isConnected) {
        animation.cancel();
        this.flying.delete(card);
      }
    }
    for (const card of this.container.children) {
      if (!this.flying.has(card) && !card.hasAttribute(CARD.offscreen)) card.setAttribute(CARD.offscreen, "");
    }
    if (this.timer === null) this.#schedule(0);
  }

  #unit() {
    const w = this.win.innerWidth;
    const h = this.win.innerHeight;
    return Math.min(h / 100, (w * 0.5625) / 100);
  }

  #schedule(ms) {
    this.win.clearTimeout(this.timer);
    this.timer = this.win.setTimeout(() => {
      this.timer = null;
      if (this.active) this.#tick();
    }, Math.max(0, ms));
  }

  /** Return the next card to show: the oldest waiting post, else the newest not shown in this cycle. */
  #next() {
    const cards = Array.from(this.container.children).filter((c) => !this.flying.has(c));
    for (let id = this.pacer.next(); id !== null; id = this.pacer.next()) {
      const card = cards.find((c) => c.getAttribute(CARD.postId) === id);
      if (card) {
        this.seen.add(id);
        return card;
      }
    }
    const waiting = new Set(this.pacer.waitingIds());
    const shown = cards.filter((c) => !waiting.has(c.getAttribute(CARD.postId)));
    if (shown.length === 0) return null;
    let card = shown.find((c) => !this.seen.has(c.getAttribute(CARD.postId)));
    if (!card) {
      this.seen.clear();
      card = shown[0];
    }
    this.seen.add(card.getAttribute(CARD.postId));
    return card;
  }

  #tick() {
    if (this.reduced && this.reduced.matches) {
      this.#still();
      return;
    }
    const width = this.container.clientWidth;
    const speed = SPEED_U * this.#unit();       // px per ms below is speed / 1000
    const gap = GAP_U * this.#unit();
    // Where the last post's right edge is now (null: nothing on the band).
    let edge = null;
    if (this.tail && this.flying.has(this.tail.card)) {
      const elapsed = this.win.performance.now() - this.tail.startedAt;
      edge = this.tail.x0 + this.tail.width - (speed * elapsed) / 1000;
    }
    while (edge === null || edge + gap < width) {
      const card = this.#next();
      if (card === null) {
        this.#schedule(RETRY_MS);
        return;
      }
      // The first posts fill the band at once; later ones come in from the right edge.
      const x0 = edge !== null ? edge + gap : (this.started ? width : 0);
      this.#launch(card, x0, speed);
      this.started = true;
      edge = x0 + this.tail.width;
    }
    // Come back when the last post's tail has cleared the right edge by a gap.
    this.#schedule(((edge + gap - width) * 1000) / speed);
  }

  #launch(card, x0, speed) {
    card.removeAttribute(CARD.offscreen);
    const width = card.offsetWidth;
    const duration = ((x0 + width) * 1000) / speed;
    const animation = card.animate(
      [{ transform: `translateX(${x0}px)` }, { transform: `translateX(${-width}px)` }],
      { duration, easing: "linear", fill: "forwards" },
    );
    this.flying.set(card, animation);
    animation.onfinish = () => {
      if (this.flying.get(card) !== animation) return;
      this.flying.delete(card);
      animation.cancel();
      card.setAttribute(CARD.offscreen, "");
    };
    this.tail = { card, x0, width, startedAt: this.win.performance.now() };
  }

  /** Reduced motion: fill the band with the next posts, standing still, and change them later. */
  #still() {
    for (const [card, animation] of this.flying) {
      animation.cancel();
      card.setAttribute(CARD.offscreen, "");
    }
    this.flying.clear();
    const width = this.container.clientWidth;
    const gap = GAP_U * this.#unit();
    let x = 0;
    for (;;) {
      const card = this.#next();
      if (card === null) break;
      card.removeAttribute(CARD.offscreen);
      const w = card.offsetWidth;
      if (x > 0 && x + w > width) {
        card.setAttribute(CARD.offscreen, "");
        this.seen.delete(card.getAttribute(CARD.postId));
        break;
      }
      // A finished, paused animation holds the card in place without a style attribute.
      const hold = card.animate([{ transform: `translateX(${x}px)` }, { transform: `translateX(${x}px)` }],
        { duration: 1, fill: "forwards" });
      this.flying.set(card, hold);
      x += w + gap;
    }
    this.tail = null;
    this.#schedule(Math.max(STILL_MS, this.minDwellMs));
  }
}
