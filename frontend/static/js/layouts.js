// The hall screen's layouts, chosen by <body data-layout> and switched live by `wall` events:
// the grid (layout.js), the spotlight (spotlight.js) and the ticker band (ticker.js). Each takes
// the same cards in feed order and only sets attributes and styles on them, so the view's
// keyed reconciliation never fights a layout.

import { BODY, CARD } from "./hooks.js";
import { GridLayout } from "./layout.js";
import { SpotlightLayout } from "./spotlight.js";
import { TickerLayout } from "./ticker.js";

/** The grid, idle while another layout has the cards. */
class SwitchableGrid extends GridLayout {
  constructor(container, opts) {
    super(container, opts);
    this.active = true;
  }

  activate() {
    this.active = true;
    this.container.classList.add("feed--placed");
  }

  apply() {
    if (this.active) super.apply();
  }

  /** Take every placement off the cards and forget their sizes. */
  deactivate() {
    this.active = false;
    this.container.classList.remove("feed--placed");
    for (const card of this.container.children) {
      card.style.removeProperty("--fit-lines");
      card.style.removeProperty("min-height");
      card.style.removeProperty("translate");
      card.removeAttribute(CARD.placed);
      card.removeAttribute(CARD.offscreen);
    }
    this.sizes = new WeakMap();
    this.fits = new WeakMap();
    this.stretch = new WeakMap();
    this.colWidth = 0;
  }
}

export class Layouts {
  constructor(container, { win = globalThis, doc = globalThis.document } = {}) {
    this.body = doc.body;
    this.byName = {
      grid: new SwitchableGrid(container, { win, doc }),
      spotlight: new SpotlightLayout(container, { win }),
      ticker: new TickerLayout(container, { win }),
    };
    this.byName.grid.deactivate();
    this.name = null;
  }

  /** The layout in use: the one body[data-layout] names (grid when unknown). */
  get current() {
    return this.byName[this.name];
  }

  /** Switch to the layout body[data-layout] names if it changed, then place the cards. */
  apply() {
    const wanted = this.body.getAttribute(BODY.layout);
    const name = Object.hasOwn(this.byName, wanted) ? wanted : "grid";
    if (name !== this.name) {
      if (this.name !== null) this.current.deactivate();
      this.name = name;
      this.current.activate();
    }
    this.current.apply();
  }
}
