// The spotlight layout: one large post, the next few queued beside it. It advances every
// DWELL_MS through the newest posts (and the pinned ones), and jumps to a new post when one
// arrives, though never sooner than MIN_DWELL_MS after the last change so a burst stays readable.

import { CARD } from "./hooks.js";

const DWELL_MS = 9000;
const MIN_DWELL_MS = 3500;
const QUEUE = 3;          // posts queued beside the spotlight
const ROTATION = 12;      // the spotlight walks through this many newest posts, then starts again
const SPOT = "data-spot"; // "main" | "queue" on the cards the spotlight shows

/**
 * Clamp the text of `card` (a box of fixed height) to as many lines as fit, from `max` down
 * to `min`; the clamp draws an ellipsis, so nothing is cut without a sign. Return the lines kept.
 */
export function fitLines(card, max, min = 2) {
  let lines = max;
  card.style.setProperty("--fit-lines", String(lines));
  while (lines > min && card.scrollHeight > card.clientHeight + 1) {
    lines -= 1;
    card.style.setProperty("--fit-lines", String(lines));
  }
  return lines;
}

export class SpotlightLayout {
  constructor(container, { win = globalThis, dwellMs = DWELL_MS, minDwellMs = MIN_DWELL_MS } = {}) {
    this.container = container;
    this.win = win;
    this.dwellMs = dwellMs;
    this.minDwellMs = minDwellMs;
    this.active = false;
    this.timer = null;
    this.reset();
  }

  reset() {
    this.currentId = null;
    this.shownAt = -Infinity;
    this.ids = new Set();         // ids seen at the last apply: a new one on top is a new post
    this.fitted = new WeakMap();  // card -> "role@WxH" it was fitted for
  }

  activate() {
    this.active = true;
    this.reset();
    this.container.classList.add("feed--spotlight");
  }

  deactivate() {
    this.active = false;
    this.win.clearTimeout(this.timer);
    this.timer = null;
    this.container.classList.remove("feed--spotlight");
    for (const card of this.container.children) {
      card.removeAttribute(SPOT);
      card.removeAttribute(CARD.offscreen);
      card.style.removeProperty("order");
      card.style.removeProperty("--fit-lines");
    }
  }

  #schedule(ms) {
    this.win.clearTimeout(this.timer);
    this.timer = this.win.setTimeout(() => this.#advance(), Math.max(0, ms));
  }

  /** The posts the spotlight walks through: the newest ones, then pinned ones further down. */
  #rotation(cards) {
    const out = cards.slice(0, ROTATION);
    for (const card of cards.slice(ROTATION)) if (card.hasAttribute(CARD.pinned)) out.push(card);
    return out;
  }

  #advance() {
    this.timer = null;
    if (!this.active) return;
    const rotation = this.#rotation(Array.from(this.container.children));
    if (rotation.length > 0) {
      const at = rotation.findIndex((c) => c.getAttribute(CARD.postId) === this.currentId);
      this.#show(rotation[(at + 1) % rotation.length]);
    }
    this.#place();
  }

  #showNewest() {
    this.timer = null;
    if (!this.active) return;
    const first = this.container.firstElementChild;
    if (first) this.#show(first);
    this.#place();
  }

  #show(card) {
    this.currentId = card.getAttribute(CARD.postId);
    this.shownAt = this.win.performance.now();
    this.#schedule(this.dwellMs);
  }

  /** Note new posts and place the cards (called after every render). */
  apply() {
    if (!this.active) return;
    const cards = Array.from(this.container.children);
    const fresh = cards.length > 0 && this.ids.size > 0 && !this.ids.has(cards[0].getAttribute(CARD.postId));
    this.ids = new Set(cards.map((c) => c.getAttribute(CARD.postId)));
    if (cards.length === 0) {
      this.currentId = null;
      return;
    }
    if (this.currentId === null || !this.ids.has(this.currentId)) {
      this.#show(cards[0]);
    } else if (fresh) {
      const wait = this.shownAt + this.minDwellMs - this.win.performance.now();
      if (wait <= 0) this.#show(cards[0]);
      else {
        // The newest post comes next, as soon as the current one has been up long enough.
        this.win.clearTimeout(this.timer);
        this.timer = this.win.setTimeout(() => this.#showNewest(), wait);
      }
    }
    this.#place();
  }

  #place() {
    const cards = Array.from(this.container.children);
    const rotation = this.#rotation(cards);
    let at = rotation.findIndex((c) => c.getAttribute(CARD.postId) === this.currentId);
    if (at < 0) at = 0;
    const roles = new Map();
    const main = rotation[at];
    if (main) roles.set(main, ["main", 0]);
    for (let k = 1; k <= QUEUE && k < rotation.length; k += 1) {
      roles.set(rotation[(at + k) % rotation.length], ["queue", k]);
    }
    for (const card of cards) {
      const role = roles.get(card);
      if (!role) {
        if (card.hasAttribute(SPOT)) card.removeAttribute(SPOT);
        if (!card.hasAttribute(CARD.offscreen)) card.setAttribute(CARD.offscreen, "");
        continue;
      }
      if (card.hasAttribute(CARD.offscreen)) card.removeAttribute(CARD.offscreen);
      if (card.getAttribute(SPOT) !== role[0]) card.setAttribute(SPOT, role[0]);
      const order = String(role[1]);
      if (card.style.order !== order) card.style.order = order;
    }
    // Fit each shown card's text to its box, once per role and screen size.
    const size = `${this.container.clientWidth}x${this.container.clientHeight}`;
    for (const [card, [role]] of roles) {
      const key = `${role}@${size}`;
      if (this.fitted.get(card) === key) continue;
      const media = card.querySelector(".card__media, .card__quote") !== null;
      fitLines(card, role === "main" ? (media ? 4 : 10) : 4, 1);
      this.fitted.set(card, key);
    }
  }
}
