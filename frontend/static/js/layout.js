// The hall screen's grid layout: cards absolutely placed in columns, and then left where they
// are. The first placement (and a resize) fills the screen at once by masonry.js's
// `placeCards`; after that a new post waits its turn in the Pacer (pace.js) and takes a free
// stretch of a column or the place of the card shown longest, once that one has been up for
// the wall's `min_dwell_s`: one card changes at a time and no other card moves. A hidden post
// leaves at once and its hole goes to the next post.
//
// Cost matters: a hall screen may get a hundred posts a second in a burst, on a small PC
// without a GPU. A card is measured once per column width, when it is about to be shown, and
// styles are written only when they change.

import { CARD } from "./hooks.js";
import { chooseSlot, placeCards } from "./masonry.js";
import { DEFAULT_MIN_DWELL_S, Pacer, changeGapMs } from "./pace.js";

const MIN_LINES = 3;          // a card cut to fit keeps at least this many lines of text...
const FIT_MIN_LINES = 2;      // ...or, taking a place another card left, this many
const MEDIA_KEEP = 0.3;       // a photo may be cropped to this share of its height to fit
const MIN_FREE_U = 20;        // a free stretch under this many --u cannot take a card
export const ENTER_MS = 1300; // the longest entrance animation in cards.css, plus a little

/** Mark `card` as just shown, for its entrance animation. */
export function markEntering(card, win = globalThis) {
  card.setAttribute(CARD.entering, "");
  win.setTimeout(() => card.removeAttribute(CARD.entering), ENTER_MS);
}

export class GridLayout {
  constructor(container, { win = globalThis, doc = globalThis.document, pacer = new Pacer(),
    dwellMs = DEFAULT_MIN_DWELL_S * 1000 } = {}) {
    this.container = container;
    this.win = win;
    this.pacer = pacer;
    this.dwellMs = dwellMs;
    this.geometry = "";
    this.colWidth = 0;
    this.sizes = new WeakMap();     // card -> {height, lines, lineHeight, media}, at this.colWidth
    this.fits = new WeakMap();      // card -> lines it was cut to (absent: all its lines)
    this.heights = new WeakMap();   // card -> the px height of its place
    this.slots = new Map();         // post id -> {id, column, y, height, since, pinned, el}
    this.timer = null;
    this.lastChange = -Infinity;
    this.g = { columns: 3, gap: 16, height: 0, unit: 10 };
    container.classList.add("feed--placed");
    // The screen or the browser window changed size: measure and place everything again.
    new win.ResizeObserver(() => this.apply()).observe(container);
    // A card changes height without a new post when an image fails (and is hidden) or a font
    // (say the emoji font, fetched on first use) arrives: measured again when next placed.
    container.addEventListener("error", (event) => {
      const card = event.target instanceof win.Element ? event.target.closest(".card") : null;
      if (card) this.sizes.delete(card);
    }, true);
    if (doc && doc.fonts) {
      doc.fonts.addEventListener("loadingdone", () => this.remeasure());
      // The page's fonts arriving after the first placement: place everything again, once.
      doc.fonts.ready.then(() => {
        this.remeasure();
        this.geometry = "";
        this.apply();
      });
    }
  }

  /** Forget every size; the next full placement (a resize, a layout switch) measures again. */
  remeasure() {
    this.sizes = new WeakMap();
  }

  setDwell(ms) {
    this.dwellMs = ms;
  }

  /** Return whether the card of `id` is on screen (the feed keeps it while it is). */
  shows(id) {
    return this.slots.has(id);
  }

  #number(prop, fallback) {
    const value = parseFloat(this.win.getComputedStyle(this.container).getPropertyValue(prop));
    return Number.isFinite(value) && value > 0 ? value : fallback;
  }

  #setFit(card, lines) {
    if ((this.fits.get(card) ?? null) === lines) return;
    if (lines === null) {
      card.style.removeProperty("--fit-lines");
      this.fits.delete(card);
    } else {
      card.style.setProperty("--fit-lines", String(lines));
      this.fits.set(card, lines);
    }
  }

  #setHeight(card, px) {
    if ((this.heights.get(card) ?? null) === px) return;
    if (px === null) {
      card.style.removeProperty("height");
      this.heights.delete(card);
    } else {
      card.style.height = `${px}px`;
      this.heights.set(card, px);
    }
  }

  #hide(card) {
    if (!card.hasAttribute(CARD.offscreen)) card.setAttribute(CARD.offscreen, "");
    if (card.hasAttribute(CARD.placed)) card.removeAttribute(CARD.placed);
  }

  /** Return a card's size with all its lines, measured once per column width. */
  #size(card) {
    let size = this.sizes.get(card);
    if (size) return size;
    this.#setFit(card, null);
    this.#setHeight(card, null);
    size = { height: card.offsetHeight, lines: 0, lineHeight: 0, media: 0, minLines: MIN_LINES };
    const text = card.querySelector(`[${CARD.text}]`);
    if (text) {
      const lineHeight = parseFloat(this.win.getComputedStyle(text).lineHeight);
      if (lineHeight > 0) Object.assign(size, { lines: Math.round(text.offsetHeight / lineHeight), lineHeight });
    }
    const media = card.querySelector(".card__media, .card__quote");
    if (media) size.media = media.offsetHeight;
    this.sizes.set(card, size);
    return size;
  }

  /** Return the least height `size` can be cut to: two lines of text, a cropped photo. */
  #minHeight(size) {
    const lines = size.lines > FIT_MIN_LINES ? (size.lines - FIT_MIN_LINES) * size.lineHeight : 0;
    return size.height - lines - size.media * (1 - MEDIA_KEEP);
  }

  /** Put `card` at `place` ({column, y, height}), cut to the place's height when it is shorter. */
  #put(card, place, size) {
    let lines = null;
    const cut = size.height - place.height;
    if (cut > 0.5) {
      const rest = cut - Math.min(cut, size.media * (1 - MEDIA_KEEP));
      if (rest > 0.5 && size.lines > 0) lines = Math.max(1, size.lines - Math.ceil(rest / size.lineHeight));
    }
    this.#setFit(card, lines);
    this.#setHeight(card, Math.floor(place.height));
    const translate = `${Math.round(place.column * (this.colWidth + this.g.gap))}px ${Math.round(place.y)}px`;
    if (card.style.translate !== translate) card.style.translate = translate;
    if (card.hasAttribute(CARD.offscreen)) card.removeAttribute(CARD.offscreen);
    if (!card.hasAttribute(CARD.placed)) card.setAttribute(CARD.placed, "");
  }

  /**
   * Place the cards (after every render). New posts already wait in the pacer, except with
   * `initial` (the page's first posts), when every card is placed at once.
   */
  apply(initial = false) {
    const columns = Math.round(this.#number("--columns", 3));
    const gap = parseFloat(this.win.getComputedStyle(this.container).columnGap) || 16;
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    const colWidth = Math.max(1, (width - gap * (columns - 1)) / columns);
    const unit = Math.min(this.win.innerHeight / 100, (this.win.innerWidth * 0.5625) / 100);
    this.g = { columns, gap, height, unit };
    const geometry = `${columns}|${Math.round(colWidth)}|${Math.round(height)}`;
    if (Math.abs(colWidth - this.colWidth) > 0.5) {
      this.colWidth = colWidth;
      this.sizes = new WeakMap();
      this.container.style.setProperty("--col-w", `${colWidth}px`);
    }
    const cards = Array.from(this.container.children);
    if (geometry !== this.geometry || initial) {
      this.geometry = geometry;
      this.#placeAll(cards);
    } else {
      this.#update(cards);
    }
    this.#schedule();
  }

  /**
   * Fill the screen at once: pinned posts first (top left), then the posts of the session on in
   * the hall's room (the pacer's priority), then the others, newest first.
   */
  #placeAll(cards) {
    const { columns, gap, height } = this.g;
    const waiting = new Set(this.pacer.waitingIds());
    const rest = cards.filter((c) => !c.hasAttribute(CARD.pinned) && !waiting.has(c.getAttribute(CARD.postId)));
    const first = (c) => this.pacer.priority(c.getAttribute(CARD.postId));
    const order = [...cards.filter((c) => c.hasAttribute(CARD.pinned)),
      ...rest.filter(first), ...rest.filter((c) => !first(c))];
    for (const card of cards) if (waiting.has(card.getAttribute(CARD.postId))) this.#hide(card);
    // All writes, then all reads: one layout for however many cards are new.
    const unknown = order.filter((card) => !this.sizes.has(card));
    for (const card of unknown) {
      this.#setFit(card, null);
      this.#setHeight(card, null);
    }
    const sizes = order.map((card) => this.#size(card));
    const places = placeCards(sizes, { columns, height, gap });
    const last = new Array(columns).fill(-1);
    places.forEach((place, i) => {
      if (place !== null) last[place.column] = i;
    });
    const now = this.win.performance.now();
    this.slots = new Map();
    order.forEach((card, i) => {
      const place = places[i];
      if (place === null) {
        this.#hide(card);
        return;
      }
      // The last card of each column reaches down to the bottom edge.
      const h = last[place.column] === i ? height - place.y : place.height;
      const id = card.getAttribute(CARD.postId);
      this.#put(card, { column: place.column, y: place.y, height: h }, sizes[i]);
      this.slots.set(id, { id, column: place.column, y: place.y, height: h, since: now,
        pinned: card.hasAttribute(CARD.pinned), el: card });
    });
    this.lastChange = -Infinity;
  }

  /** Follow a render: removed cards leave their holes, edited cards keep their places. */
  #update(cards) {
    const byId = new Map(cards.map((c) => [c.getAttribute(CARD.postId), c]));
    let freed = false;
    for (const [id, slot] of this.slots) {
      const card = byId.get(id);
      if (!card) {
        this.slots.delete(id);    // hidden or deleted: gone at once, its place is free
        freed = true;
        continue;
      }
      slot.pinned = card.hasAttribute(CARD.pinned);
      if (card !== slot.el) {     // an edit: the new card takes the same place
        slot.el = card;
        this.#put(card, slot, this.#size(card));
      }
    }
    // A post pinned while off screen comes on next; everything else not placed stays hidden.
    const pinned = cards.filter((c) => c.hasAttribute(CARD.pinned) && !this.slots.has(c.getAttribute(CARD.postId))
      && !this.pacer.has(c.getAttribute(CARD.postId))).map((c) => c.getAttribute(CARD.postId));
    if (pinned.length > 0) this.pacer.add(pinned);
    // A quiet wall does not keep a hole: the newest post not on screen takes it, in its turn.
    if (freed && this.pacer.size === 0) {
      const free = (c) => !this.slots.has(c.getAttribute(CARD.postId));
      const spare = cards.find((c) => free(c) && this.pacer.priority(c.getAttribute(CARD.postId))) || cards.find(free);
      if (spare) this.pacer.add([spare.getAttribute(CARD.postId)]);
    }
    for (const card of cards) if (!this.slots.has(card.getAttribute(CARD.postId))) this.#hide(card);
  }

  #schedule() {
    this.win.clearTimeout(this.timer);
    this.timer = null;
    if (this.pacer.size === 0) return;
    const gapMs = changeGapMs(this.dwellMs, this.slots.size);
    const wait = this.lastChange + gapMs - this.win.performance.now();
    this.timer = this.win.setTimeout(() => this.#tick(), Math.max(0, wait));
  }

  /** Show the next waiting post, if a place is free or may be taken; else come back. */
  #tick() {
    this.timer = null;
    const id = this.pacer.peek();
    if (id === null || this.geometry === "") return;
    const card = Array.from(this.container.children).find((c) => c.getAttribute(CARD.postId) === id);
    if (!card) {
      this.pacer.drop(id);
      this.#schedule();
      return;
    }
    const size = this.#size(card);
    const now = this.win.performance.now();
    const { columns, gap, height, unit } = this.g;
    const choice = chooseSlot([...this.slots.values()], { height: size.height, minHeight: this.#minHeight(size) },
      { columns, height, gap, now, dwellMs: this.dwellMs, minFree: MIN_FREE_U * unit });
    if (choice === null) return;
    if (choice.wait !== undefined) {
      this.timer = this.win.setTimeout(() => this.#tick(), choice.wait + 20);
      return;
    }
    this.pacer.next();
    if (choice.replaces !== null) {
      const old = this.slots.get(choice.replaces);
      this.slots.delete(choice.replaces);
      if (old) this.#hide(old.el);
    }
    this.#put(card, choice, size);
    markEntering(card, this.win);
    this.slots.set(id, { id, column: choice.column, y: choice.y, height: choice.height, since: now,
      pinned: card.hasAttribute(CARD.pinned), el: card });
    this.lastChange = now;
    this.#schedule();
  }

  /** Stop the clock (another layout takes the cards). */
  stop() {
    this.win.clearTimeout(this.timer);
    this.timer = null;
  }
}
