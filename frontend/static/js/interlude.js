// Never a dead screen: when no new post has arrived for the wall's `idle_after_s`, the hall
// screen rotates through highlights (pinned, most liked, photos from
// GET /api/v1/walls/{slug}/highlights), each clearly marked; the first new post ends it.
// Slides (the wall's `slides`) rotate in every `slide_interval_s` for a few seconds.
// Both show in #interlude over the feed; the ticker, which never stands still, has neither.

import { BODY, ID } from "./hooks.js";
import { buildCard, el } from "./card.js";
import { fitLines } from "./spotlight.js";
import { compactCount } from "./format.js";

const HIGHLIGHT_MS = 10_000;
const SLIDE_SHOW_MS = 10_000;
const CHECK_MS = 1_000;
const KINDS = [["pinned", "📌 Pinned"], ["most_liked", "♥\uFE0E Most liked"], ["photos", "📷 Photo"]];

/** Return the highlights as [{post, label}], each post once, alternating between kinds. */
export function highlightReel(data) {
  const lists = KINDS.map(([key, label]) => (Array.isArray(data && data[key]) ? data[key] : [])
    .filter((p) => p && typeof p.id === "string").map((post) => ({ post, label })));
  const out = [];
  const seen = new Set();
  for (let i = 0; lists.some((l) => i < l.length); i += 1) {
    for (const list of lists) {
      const item = list[i];
      if (item && !seen.has(item.post.id)) {
        seen.add(item.post.id);
        out.push(item);
      }
    }
  }
  return out;
}

export class Interlude {
  constructor({ feed, doc = document, win = globalThis }) {
    this.feed = feed;
    this.doc = doc;
    this.win = win;
    this.box = doc.getElementById(ID.interlude);
    this.lastPostAt = win.performance.now();
    this.mode = null;               // null | "highlights" | "slide"
    this.reel = [];
    this.at = 0;
    this.nextChange = 0;
    this.nextSlideAt = null;
    this.slideAt = 0;
    this.fetching = false;
    if (this.box) win.setInterval(() => this.#tick(), CHECK_MS);
  }

  get wall() {
    return this.feed.wall || {};
  }

  /** After every frame: a new post ends the highlights and restarts the quiet clock. */
  frame(change) {
    if (change.added.size > 0 || change.reset) {
      this.lastPostAt = this.win.performance.now();
      if (this.mode === "highlights") this.#end();
    }
    if (change.wall) this.#tick();
  }

  status() {}

  #ticker() {
    return this.doc.body.getAttribute(BODY.layout) === "ticker";
  }

  #tick() {
    const now = this.win.performance.now();
    const wall = this.wall;
    const slides = Array.isArray(wall.slides) ? wall.slides.filter((s) => typeof s === "string") : [];
    const every = Number(wall.slide_interval_s) * 1000;
    if (this.#ticker()) {
      if (this.mode !== null) this.#end();
      return;
    }
    if (this.mode === "slide") {
      if (now >= this.nextChange) this.#end();
      return;
    }
    if (slides.length > 0 && every > 0) {
      if (this.nextSlideAt === null) this.nextSlideAt = now + every;
      if (now >= this.nextSlideAt) {
        this.nextSlideAt = now + every;
        this.#slide(slides[this.slideAt % slides.length], this.slideAt % slides.length, slides.length);
        this.slideAt += 1;
        return;
      }
    } else {
      this.nextSlideAt = null;
    }
    const idleMs = Number(wall.idle_after_s) * 1000;
    if (!(idleMs > 0)) return;
    if (this.mode === "highlights") {
      if (now >= this.nextChange) this.#showHighlight();
    } else if (now - this.lastPostAt >= idleMs && !this.fetching) {
      this.#startHighlights();
    }
  }

  async #startHighlights() {
    const slug = this.doc.body.getAttribute(BODY.slug);
    this.fetching = true;
    let reel = [];
    try {
      const res = await this.win.fetch(`/api/v1/walls/${encodeURIComponent(slug)}/highlights`, { cache: "no-store" });
      if (res.ok) reel = highlightReel(await res.json());
    } catch {
      // the wall carries on with what it shows
    }
    this.fetching = false;
    if (reel.length === 0) {
      // Nothing liked, pinned or photographed yet: the recent posts, one at a time, still move.
      reel = this.feed.posts().filter((p) => !p.content_warning).slice(0, 8)
        .map((post) => ({ post, label: "Recent" }));
    }
    if (reel.length === 0) {
      // Nothing to highlight yet: look again after another quiet spell.
      this.lastPostAt = this.win.performance.now();
      return;
    }
    if (this.mode !== null || this.win.performance.now() - this.lastPostAt < Number(this.wall.idle_after_s) * 1000) return;
    this.reel = reel;
    this.at = 0;
    this.mode = "highlights";
    this.#showHighlight();
  }

  #showHighlight() {
    const { post, label } = this.reel[this.at % this.reel.length];
    this.at += 1;
    this.nextChange = this.win.performance.now() + HIGHLIGHT_MS;
    let card;
    try {
      card = buildCard(post, { hall: true });
    } catch {
      return;
    }
    // Not one of the feed's cards: the contract's one card per data-post-id stays true.
    card.removeAttribute("data-post-id");
    card.setAttribute("data-highlight-id", post.id);
    const head = el("p", "interlude__label");
    const likes = post.metrics && Number(post.metrics.likes);
    const kind = likes > 0 && label === KINDS[1][1] ? `${label} · ${compactCount(likes)}` : label;
    head.append(el("span", "interlude__star", "★"), el("span", "", " Highlights while it is quiet"), el("span", "interlude__kind", kind));
    const count = el("span", "interlude__count", `${((this.at - 1) % this.reel.length) + 1} / ${this.reel.length}`);
    head.append(count);
    this.#open("highlights", [head, card]);
    fitLines(card, card.querySelector(".card__media, .card__quote") ? 4 : 9, 1);
  }

  #slide(url, index, total) {
    const img = el("img", "interlude__slide");
    img.setAttribute("alt", `Slide ${index + 1} of ${total}`);
    img.setAttribute("decoding", "async");
    img.addEventListener("error", () => this.#end(), { once: true });
    img.setAttribute("src", url);
    this.nextChange = this.win.performance.now() + Math.min(SLIDE_SHOW_MS, Number(this.wall.slide_interval_s) * 500);
    this.#open("slide", [img]);
  }

  #open(mode, nodes) {
    this.mode = mode;
    this.box.replaceChildren(...nodes);
    this.box.setAttribute("data-mode", mode);
    this.box.hidden = false;
    this.doc.body.setAttribute(BODY.interlude, mode);
  }

  #end() {
    this.mode = null;
    this.box.hidden = true;
    this.box.replaceChildren();
    this.box.removeAttribute("data-mode");
    this.doc.body.removeAttribute(BODY.interlude);
    // The quiet clock restarts: highlights come back after another quiet spell.
    this.lastPostAt = Math.max(this.lastPostAt, this.win.performance.now() - Number(this.wall.idle_after_s) * 1000 + HIGHLIGHT_MS);
  }
}
