// The hall screen's layouts, chosen by <body data-layout> and switched live by `wall` events:
// the grid (layout.js), the spotlight (spotlight.js) and the ticker band (ticker.js). Each takes
// the same cards in feed order and only sets attributes and styles on them, so the view's
// keyed reconciliation never fights a layout. All three share one Pacer (pace.js): new posts
// wait there in arrival order, shown by the layout one at a time; the "+N new" counter and the
// note of skipped posts (#pace) follow it.

import { BODY, CARD, ID } from "./hooks.js";
import { GridLayout } from "./layout.js";
import { SpotlightLayout } from "./spotlight.js";
import { TickerLayout } from "./ticker.js";
import { DEFAULT_MIN_DWELL_S, Pacer } from "./pace.js";

const SKIP_NOTE_MS = 15_000;   // how long "12 skipped" stays up

/** The grid, idle while another layout has the cards. */
class SwitchableGrid extends GridLayout {
  constructor(container, opts) {
    super(container, opts);
    this.active = true;
  }

  activate() {
    this.active = true;
    this.container.classList.add("feed--placed");
    this.geometry = "";           // place everything at once, afresh
  }

  apply(initial = false) {
    if (this.active) super.apply(initial);
  }

  /** Take every placement off the cards and forget their sizes. */
  deactivate() {
    this.active = false;
    this.stop();
    this.container.classList.remove("feed--placed");
    for (const card of this.container.children) {
      card.style.removeProperty("--fit-lines");
      card.style.removeProperty("height");
      card.style.removeProperty("translate");
      card.removeAttribute(CARD.placed);
      card.removeAttribute(CARD.offscreen);
    }
    this.sizes = new WeakMap();
    this.fits = new WeakMap();
    this.heights = new WeakMap();
    this.slots = new Map();
    this.colWidth = 0;
  }
}

/** The "+N new" counter and the note of skipped posts on the hall screen. */
function paceBadge(doc, win) {
  const box = doc.getElementById(ID.pace);
  const waiting = doc.getElementById(ID.paceWaiting);
  const skipped = doc.getElementById(ID.paceSkipped);
  let shownSkips = 0;
  let timer = null;
  return (pacer) => {
    doc.body.setAttribute(BODY.waiting, String(pacer.size));
    doc.body.setAttribute(BODY.skipped, String(pacer.skipped));
    if (!box) return;
    if (waiting) {
      waiting.textContent = pacer.size > 0 ? `+${pacer.size} new` : "";
      waiting.hidden = pacer.size === 0;
    }
    if (skipped && pacer.skipped !== shownSkips) {
      const count = pacer.skipped - shownSkips;
      shownSkips = pacer.skipped;
      skipped.textContent = `${count} skipped to keep up · every post is on the live page`;
      skipped.hidden = false;
      win.clearTimeout(timer);
      timer = win.setTimeout(() => {
        skipped.hidden = true;
        box.hidden = waiting ? waiting.hidden : true;
      }, SKIP_NOTE_MS);
    }
    box.hidden = (!waiting || waiting.hidden) && (!skipped || skipped.hidden);
  };
}

export class Layouts {
  /** `priority(id)`: posts that go first (the session on in the hall's room; session.js). */
  constructor(container, { win = globalThis, doc = globalThis.document, priority = () => false } = {}) {
    this.body = doc.body;
    this.container = container;
    this.pacer = new Pacer({ onChange: paceBadge(doc, win), priority });
    const opts = { win, doc, pacer: this.pacer };
    this.byName = {
      grid: new SwitchableGrid(container, opts),
      spotlight: new SpotlightLayout(container, opts),
      ticker: new TickerLayout(container, opts),
    };
    this.byName.grid.deactivate();
    this.name = null;
    this.seen = null;             // post ids in the DOM at the last apply (null: none yet)
  }

  /** The layout in use: the one body[data-layout] names (grid when unknown). */
  get current() {
    return this.byName[this.name];
  }

  /** Set the least time a shown card stays (the wall's min_dwell_s, in ms). */
  setDwell(ms) {
    for (const layout of Object.values(this.byName)) layout.setDwell(ms);
  }

  /** Return whether the post `id` is on screen or waiting its turn: the feed keeps it. */
  keeps(id) {
    return this.pacer.has(id) || (this.name !== null && this.current.shows(id));
  }

  /** Posts the feed dropped over its cap: those that never came on screen count as skipped. */
  dropped(ids) {
    const never = ids.filter((id) => this.pacer.has(id) || (this.seen !== null && !this.seen.has(id)));
    for (const id of never) this.pacer.drop(id);
    this.pacer.skip(never);
  }

  /** Switch to the layout body[data-layout] names if it changed, then place the cards. */
  apply() {
    const ids = Array.from(this.container.children, (c) => c.getAttribute(CARD.postId));
    const initial = this.seen === null || this.seen.size === 0;
    const fresh = initial ? [] : ids.filter((id) => !this.seen.has(id)).reverse();
    this.seen = new Set(ids);
    // Removed posts (hides, blocks, deletions) leave the queue at once; new ones join it.
    this.pacer.retain((id) => this.seen.has(id));
    if (fresh.length > 0) this.pacer.add(fresh);
    const wanted = this.body.getAttribute(BODY.layout);
    const name = Object.hasOwn(this.byName, wanted) ? wanted : "grid";
    if (name !== this.name) {
      if (this.name !== null) this.current.deactivate();
      this.name = name;
      this.pacer.clear();
      this.current.activate();
    }
    this.current.apply(initial);
  }
}
