// The spotlight layout: one large post, the next few queued beside it. New posts wait in the
// shared Pacer (pace.js) and take the large place in arrival order, each once the post before
// it has been up for the wall's `min_dwell_s`; with nothing new it walks through the newest
// posts (and the pinned ones) every DWELL_MS (or min_dwell_s if longer).

import { CARD } from "./hooks.js";
import { DEFAULT_MIN_DWELL_S, Pacer } from "./pace.js";

const DWELL_MS = 9000;
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
  constructor(container, { win = globalThis, pacer = new Pacer(), dwellMs = DEFAULT_MIN_DWELL_S * 1000 } = {}) {
    this.container = container;
    this.win = win;
    this.pacer = pacer;
    this.minDwellMs = dwellMs;
    this.active = false;
    this.timer = null;
    this.reset();
  }

  get dwellMs() {
    return Math.max(DWELL_MS, this.minDwellMs);
  }

  setDwell(ms) {
    this.minDwellMs = ms;
  }

  shows(id) {
    return this.active && id === this.currentId;
  }

  reset() {
    this.currentId = null;
    this.shownAt = -Infinity;
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

  #card(id) {
    return Array.from(this.container.children).find((c) => c.getAttribute(CARD.postId) === id) || null;
  }

  /** Come back when the current post has been up long enough for the next one. */
  #schedule() {
    this.win.clearTimeout(this.timer);
    const due = this.shownAt + (this.pacer.size > 0 ? this.minDwellMs : this.dwellMs);
    this.timer = this.win.setTimeout(() => this.#advance(), Math.max(0, due - this.win.performance.now()));
  }

  /** The posts the spotlight walks through: the newest shown ones, then pinned ones further down. */
  #rotation(cards) {
    const waiting = new Set(this.pacer.waitingIds());
    const shown = cards.filter((c) => !waiting.has(c.getAttribute(CARD.postId)));
    const out = shown.slice(0, ROTATION);
    for (const card of shown.slice(ROTATION)) if (card.hasAttribute(CARD.pinned)) out.push(card);
    return out;
  }

  #advance() {
    this.timer = null;
    if (!this.active) return;
    const waiting = this.pacer.next();
    const next = waiting !== null ? this.#card(waiting) : null;
    if (next) {
      this.#show(next);
    } else {
      const rotation = this.#rotation(Array.from(this.container.children));
      if (rotation.length > 0) {
        const at = rotation.findIndex((c) => c.getAttribute(CARD.postId) === this.currentId);
        this.#show(rotation[(at + 1) % rotation.length]);
      }
    }
    this.#place();
  }

  #show(card) {
    this.currentId = card.getAttribute(CARD.postId);
    this.shownAt = this.win.performance.now();
    this.#schedule();
  }

  /** Place the cards (after every render); new posts already wait in the pacer. */
  apply() {
    if (!this.active) return;
    const cards = Array.from(this.container.children);
    if (cards.length === 0) {
      this.currentId = null;
      return;
    }
    if (this.currentId === null || !this.#card(this.currentId)) {
      // The first post, or the one shown was hidden: the next one at once.
      const waiting = this.pacer.next();
      this.#show((waiting !== null && this.#card(waiting)) || this.#rotation(cards)[0] || cards[0]);
    } else {
      this.#schedule();
    }
    this.#place();
  }

  #place() {
    const cards = Array.from(this.container.children);
    const rotation = this.#rotation(cards);
    const main = this.#card(this.currentId);
    const roles = new Map();
    if (main) roles.set(main, ["main", 0]);
    // Beside it: the posts waiting their turn, then the rotation after the current post.
    const next = this.pacer.waitingIds().map((id) => this.#card(id)).filter(Boolean);
    const at = rotation.indexOf(main);
    for (let k = 1; k < rotation.length; k += 1) next.push(rotation[(Math.max(at, 0) + k) % rotation.length]);
    for (const card of next) {
      if (roles.size > QUEUE) break;
      if (!roles.has(card)) roles.set(card, ["queue", roles.size]);
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
