// The hall screen's grid layout: cards absolutely placed in columns by masonry.js, gliding to
// their new places when a post arrives, and hidden when they do not fit on the screen.
// Spotlight and ticker layouts (body[data-layout]) can plug in beside it later.
//
// Cost matters: a hall screen may get a hundred posts a second in a burst, on a small PC
// without a GPU. Each card is measured once per column width (new cards only, as a rule), and
// styles are written only when they change, so a new post costs one card's layout.

import { CARD } from "./hooks.js";
import { placeCards } from "./masonry.js";

const MIN_LINES = 3;

export class GridLayout {
  constructor(container, { win = globalThis, doc = globalThis.document } = {}) {
    this.container = container;
    this.win = win;
    this.colWidth = 0;
    this.sizes = new WeakMap();     // card -> {height, lines, lineHeight}, at this.colWidth
    this.fits = new WeakMap();      // card -> lines it was cut to (absent: all its lines)
    this.stretch = new WeakMap();   // card -> px it was stretched to (absent: its own height)
    container.classList.add("feed--placed");
    // The screen or the browser window changed size: measure everything again.
    new win.ResizeObserver(() => this.apply()).observe(container);
    // A card changes height without a new post when an image fails (and is hidden) or a font
    // (say the emoji font, fetched on first use) arrives.
    container.addEventListener("error", (event) => {
      const card = event.target instanceof win.Element ? event.target.closest(".card") : null;
      if (card) this.remeasure(card);
    }, true);
    if (doc && doc.fonts) {
      doc.fonts.addEventListener("loadingdone", () => this.remeasure());
      doc.fonts.ready.then(() => this.remeasure());
    }
  }

  /** Forget the size of `card` (or of every card) and place them all again. */
  remeasure(card = null) {
    if (card) this.sizes.delete(card);
    else this.sizes = new WeakMap();
    this.apply();
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

  #setStretch(card, px) {
    if ((this.stretch.get(card) ?? null) === px) return;
    if (px === null) {
      card.style.removeProperty("min-height");
      this.stretch.delete(card);
    } else {
      card.style.minHeight = `${px}px`;
      this.stretch.set(card, px);
    }
  }

  /** Return a card's size with all its lines (its text's, if the text may be shortened). */
  #read(card) {
    const size = { height: card.offsetHeight };
    const text = card.querySelector(`[${CARD.text}]`);
    if (text && card.querySelector(".card__media, .card__quote") === null) {
      const lineHeight = parseFloat(this.win.getComputedStyle(text).lineHeight);
      if (lineHeight > 0) {
        Object.assign(size, { lines: Math.round(text.offsetHeight / lineHeight), lineHeight, minLines: MIN_LINES });
      }
    }
    return size;
  }

  /** Measure what is new and place every card; synchronous, so it runs before the next paint. */
  apply() {
    const columns = Math.round(this.#number("--columns", 3));
    const gap = parseFloat(this.win.getComputedStyle(this.container).columnGap) || 16;
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    const colWidth = Math.max(1, (width - gap * (columns - 1)) / columns);
    if (Math.abs(colWidth - this.colWidth) > 0.5) {
      this.colWidth = colWidth;
      this.sizes = new WeakMap();
      this.container.style.setProperty("--col-w", `${colWidth}px`);
    }
    // Pinned posts take the first places (top left); then the others, newest first.
    const children = Array.from(this.container.children);
    const cards = [...children.filter((c) => c.hasAttribute(CARD.pinned)),
      ...children.filter((c) => !c.hasAttribute(CARD.pinned))];
    // All writes, then all reads: one layout for however many cards are new.
    const unknown = cards.filter((card) => !this.sizes.has(card));
    for (const card of unknown) {
      this.#setFit(card, null);
      this.#setStretch(card, null);
    }
    for (const card of unknown) this.sizes.set(card, this.#read(card));
    const places = placeCards(cards.map((card) => this.sizes.get(card)), { columns, height, gap });
    // The last card of each column reaches down to the bottom edge, so the wall ends in one
    // straight line instead of ragged gaps.
    const last = new Array(columns).fill(-1);
    places.forEach((place, i) => {
      if (place !== null) last[place.column] = i;
    });
    const fresh = [];
    cards.forEach((card, i) => {
      const place = places[i];
      if (place === null) {
        if (!card.hasAttribute(CARD.offscreen)) card.setAttribute(CARD.offscreen, "");
        if (card.hasAttribute(CARD.placed)) card.removeAttribute(CARD.placed);
        this.#setFit(card, null);
        this.#setStretch(card, null);
        return;
      }
      if (card.hasAttribute(CARD.offscreen)) card.removeAttribute(CARD.offscreen);
      this.#setFit(card, place.lines);
      this.#setStretch(card, last[place.column] === i ? Math.floor(height - place.y) : null);
      const translate = `${Math.round(place.column * (colWidth + gap))}px ${Math.round(place.y)}px`;
      if (card.style.translate !== translate) card.style.translate = translate;
      if (!card.hasAttribute(CARD.placed)) fresh.push(card);
    });
    if (fresh.length > 0) {
      // New cards take their place without sliding in from the corner; later moves glide.
      void this.container.offsetHeight;
      for (const card of fresh) card.setAttribute(CARD.placed, "");
    }
  }
}
