// The hall screen's grid layout: cards absolutely placed in columns by masonry.js, gliding to
// their new places when a post arrives, and hidden when they do not fit on the screen.
// Spotlight and ticker layouts (body[data-layout]) can plug in beside it later.

import { CARD } from "./hooks.js";
import { placeCards } from "./masonry.js";

const OFFSCREEN = CARD.offscreen;
const PLACED = CARD.placed;

export class GridLayout {
  constructor(container, { win = globalThis } = {}) {
    this.container = container;
    this.win = win;
    this.observer = new win.ResizeObserver(() => this.apply());
    this.observer.observe(container);
    this.observed = new WeakSet();
    container.classList.add("feed--placed");
  }

  /** Return the number of columns from the CSS (--columns on the container's style). */
  #columns() {
    const value = parseInt(this.win.getComputedStyle(this.container).getPropertyValue("--columns"), 10);
    return Number.isFinite(value) && value > 0 ? value : 3;
  }

  #gap() {
    const value = parseFloat(this.win.getComputedStyle(this.container).columnGap);
    return Number.isFinite(value) ? value : 16;
  }

  /** Return a card's height and, when its text may be shortened, its lines and line height. */
  #measure(card) {
    const height = card.offsetHeight;
    const text = card.querySelector(`[${CARD.text}]`);
    if (!text || card.querySelector(".card__media, .card__quote") !== null) return { height };
    const lineHeight = parseFloat(this.win.getComputedStyle(text).lineHeight);
    if (!(lineHeight > 0)) return { height };
    return { height, lines: Math.round(text.offsetHeight / lineHeight), lineHeight, minLines: 3 };
  }

  /** Measure and place every card; synchronous, so it runs before the next paint. */
  apply() {
    const cards = Array.from(this.container.children);
    for (const card of cards) {
      if (!this.observed.has(card)) {
        this.observer.observe(card);   // an image that fails or a font that loads resizes it
        this.observed.add(card);
      }
    }
    const columns = this.#columns();
    const gap = this.#gap();
    const width = this.container.clientWidth;
    const height = this.container.clientHeight;
    const colWidth = Math.max(1, (width - gap * (columns - 1)) / columns);
    this.container.style.setProperty("--col-w", `${colWidth}px`);
    // Measure every card with its normal clamp, then place them; a card at the bottom of a
    // column may be given fewer lines (--fit-lines) to fill it.
    for (const card of cards) card.style.removeProperty("--fit-lines");
    const items = cards.map((card) => this.#measure(card));
    const places = placeCards(items, { columns, height, gap });
    const fresh = [];
    cards.forEach((card, i) => {
      const place = places[i];
      if (place === null) {
        card.setAttribute(OFFSCREEN, "");
        card.removeAttribute(PLACED);
        return;
      }
      card.removeAttribute(OFFSCREEN);
      if (place.lines !== null) card.style.setProperty("--fit-lines", String(place.lines));
      card.style.translate = `${Math.round(place.column * (colWidth + gap))}px ${Math.round(place.y)}px`;
      if (!card.hasAttribute(PLACED)) fresh.push(card);
    });
    if (fresh.length > 0) {
      // Let new cards take their place without sliding in from the corner, then animate moves.
      void this.container.offsetHeight;
      for (const card of fresh) card.setAttribute(PLACED, "");
    }
  }
}
