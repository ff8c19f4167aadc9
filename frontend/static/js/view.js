// Keep the page in step with a Feed: one card per post id, in feed order, plus the connection
// badge, the wall's title/theme/layout, the announcement and the screen-reader announcer.

import { BODY, CARD, CONNECTION, ID } from "./hooks.js";
import { buildCard } from "./card.js";
import { cleanText } from "./format.js";

const LAYOUTS = new Set(["grid", "spotlight", "ticker"]);
const THEMES = new Set(["dark", "light", "contrast"]);
const ENTER_MS = 1300;            // the longest entrance animation in cards.css, plus a little
const ANNOUNCE_EVERY_MS = 8000;  // screen readers: at most one message this often
const SAY_AT_ONCE = 3;            // posts read out in one message (the newest)

/** Return whether `post` has the same JSON as the card's post (remembered on `entry`). */
function sameJson(entry, post) {
  if (entry.json === undefined) entry.json = JSON.stringify(entry.post);
  const json = JSON.stringify(post);
  if (json !== entry.json) return false;
  entry.json = json;
  return true;
}

export class FeedView {
  /**
   * `root` is the document; `hall` selects the hall-screen rendering; `announce` fills the ARIA
   * live region; `layout` places the cards (or null for normal flow); `minIntervalMs` spaces
   * renders out (a burst of a hundred posts a second becomes a few renders); `warn` reports
   * posts that cannot be rendered.
   */
  constructor(root, { hall = false, announce = false, layout = null, minIntervalMs = 0,
    warn = (...a) => console.warn(...a), win = globalThis, afterRender = () => {} } = {}) {
    this.doc = root;
    this.body = root.body;
    this.container = root.getElementById(ID.feed);
    this.hall = hall;
    this.announce = announce;
    this.layout = layout;          // {apply()} that places the cards, or null for normal flow
    this.minIntervalMs = minIntervalMs;
    this.win = win;
    this.pending = null;           // changes not rendered yet, merged
    this.spacer = null;            // timer holding the next render back (render spacing)
    this.frameRequested = false;
    this.lastRender = -Infinity;
    this.feed = null;
    this.unsaid = { count: 0, posts: [] };    // new posts not announced yet (newest first)
    this.paused = false;
    this.sayTimer = null;
    this.lastSaid = -Infinity;
    this.warn = warn;
    this.cards = new Map();        // id -> {post, el}
    this.everLive = false;
    this.filter = null;            // viewer following a room or a session: which posts to show
    this.afterRender = afterRender; // e.g. mark the cards of the session on now (session.js)
  }

  /** Show only the posts for which `filter(post)` is true (null: all), from the next frame. */
  setFilter(filter) {
    this.filter = filter;
    if (this.feed) this.update(this.feed, { reset: true, added: new Set(), removed: false, changed: true, wall: false, announcement: false });
  }

  /**
   * Take a change record from Feed.applyFrame and render it before the next paint. Changes are
   * merged until then, and the DOM always shows the feed's state after whole frames: a post
   * and its removal in one frame never reach the screen.
   */
  update(feed, change) {
    this.feed = feed;
    if (!change.changed && !change.wall && !change.announcement) return;
    const first = this.pending === null;
    // The viewer's feed is busy until the change is drawn (ARIA feed pattern).
    if (!this.hall && this.container && change.changed) this.container.setAttribute("aria-busy", "true");
    if (first) this.pending = { reset: false, added: new Set(), changed: false, wall: false, announcement: false };
    const p = this.pending;
    if (change.reset) {
      p.reset = true;
      p.added.clear();
    }
    for (const id of change.added) p.added.add(id);
    p.changed ||= change.changed;
    p.wall ||= change.wall;
    p.announcement ||= change.announcement;
    // A removal (a moderator's hide) or a fresh snapshot never waits for the render spacing:
    // it goes in the next animation frame, taking whatever else is pending with it.
    const urgent = change.removed || change.reset;
    if (urgent && this.spacer !== null) {
      this.win.clearTimeout(this.spacer);
      this.spacer = null;
      this.#nextFrame();
      return;
    }
    if (!first) return;
    const wait = this.lastRender + this.minIntervalMs - this.win.performance.now();
    if (wait > 0 && !urgent) {
      this.spacer = this.win.setTimeout(() => {
        this.spacer = null;
        this.#nextFrame();
      }, wait);
    } else {
      this.#nextFrame();
    }
  }

  #nextFrame() {
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.win.requestAnimationFrame(() => {
      this.frameRequested = false;
      this.flush();
    });
  }

  /** Render what changed since the last render, now. */
  flush() {
    const change = this.pending;
    if (change === null) return;
    this.pending = null;
    this.lastRender = this.win.performance.now();
    const feed = this.feed;
    if (change.changed) {
      const posts = feed.posts();
      this.#render(this.filter ? posts.filter(this.filter) : posts, change);
      this.afterRender();
    }
    if (!this.hall && this.container) this.container.setAttribute("aria-busy", "false");
    if (change.wall && feed.wall) this.#wall(feed.wall);
    if (change.announcement) this.showAnnouncement();
    if (this.layout && (change.changed || change.wall)) this.layout.apply();
  }

  #render(posts, change) {
    const wanted = [];
    const next = new Map();
    for (const post of posts) {
      const known = this.cards.get(post.id);
      // The same post again (a resume's snapshot, an event that changed nothing we show):
      // keep its card, its loaded images and its measured size.
      if (known && (known.post === post || sameJson(known, post))) {
        known.post = post;
        wanted.push(known.el);
        next.set(post.id, known);
        continue;
      }
      let el;
      try {
        el = buildCard(post, { hall: this.hall });
      } catch (err) {
        this.warn("tweetwall: cannot render post", post.id, err);
        continue;
      }
      // On the hall screen the layout shows a new card when its turn comes, and animates it then.
      if (!known && !change.reset && change.added.has(post.id) && !this.layout) this.#enter(el);
      wanted.push(el);
      next.set(post.id, { post, el });
    }
    const keep = new Set(wanted);
    for (const child of Array.from(this.container.children)) {
      if (!keep.has(child)) child.remove();
    }
    wanted.forEach((el, i) => {
      const at = this.container.children[i];
      if (at !== el) this.container.insertBefore(el, at || null);
    });
    if (!this.hall) this.#feedPositions(wanted);
    this.cards = next;
    this.body.setAttribute(BODY.posts, String(wanted.length));
    const empty = this.doc.getElementById(ID.empty);
    if (empty) empty.hidden = wanted.length > 0;
    if (this.announce && !change.reset) this.#say(posts.filter((p) => change.added.has(p.id)));
  }

  #enter(el) {
    el.setAttribute(CARD.entering, "");
    setTimeout(() => el.removeAttribute(CARD.entering), ENTER_MS);
  }

  /**
   * Tell screen-reader users about new posts, politely and not too often: at most one message
   * every ANNOUNCE_EVERY_MS, saying who posted and what for up to SAY_AT_ONCE posts (the
   * newest) and how many came in all. Paused, it only counts; resumed, it says how many came.
   */
  #say(added) {
    if (added.length === 0) return;
    this.unsaid.count += added.length;
    this.unsaid.posts = [...added, ...this.unsaid.posts].slice(0, SAY_AT_ONCE);
    if (this.sayTimer !== null || this.paused) return;
    const wait = this.lastSaid + ANNOUNCE_EVERY_MS - this.win.performance.now();
    this.sayTimer = this.win.setTimeout(() => this.#sayNow(), Math.max(0, wait));
  }

  /** Pause (false) or resume (true) the announcements of new posts. */
  setAnnouncing(on) {
    if (this.paused === !on) return;
    this.paused = !on;
    const region = this.doc.getElementById(ID.announcer);
    if (this.paused) {
      this.win.clearTimeout(this.sayTimer);
      this.sayTimer = null;
      if (region) region.textContent = "New posts will not be announced.";
      return;
    }
    const count = this.unsaid.count;
    this.unsaid = { count: 0, posts: [] };
    this.lastSaid = this.win.performance.now();
    if (region) region.textContent = `New posts will be announced.${count > 0 ? ` ${count} new ${count === 1 ? "post" : "posts"} came meanwhile, at the top.` : ""}`;
  }

  #sayNow() {
    this.sayTimer = null;
    const region = this.doc.getElementById(ID.announcer);
    const { count, posts } = this.unsaid;
    this.unsaid = { count: 0, posts: [] };
    if (!region || count === 0 || this.paused) return;
    this.lastSaid = this.win.performance.now();
    const lines = posts.map((post) => {
      const who = cleanText((post.author && (post.author.name || post.author.handle)) || "someone");
      const text = cleanText(post.content_warning ? `content warning: ${post.content_warning}` : post.text || "");
      return `${who}: ${text.length > 140 ? `${text.slice(0, 140)}…` : text}`;
    });
    if (count === 1) region.textContent = `New post by ${lines[0]}`;
    else if (count <= posts.length) region.textContent = `${count} new posts. ${lines.join(" — ")}`;
    else region.textContent = `${count} new posts; the newest ${posts.length}: ${lines.join(" — ")}`;
  }

  /** The viewer's feed (ARIA feed pattern): each article's place in it and their number. */
  #feedPositions(cards) {
    const size = String(cards.length);
    cards.forEach((card, i) => {
      const at = String(i + 1);
      if (card.getAttribute("aria-posinset") !== at) card.setAttribute("aria-posinset", at);
      if (card.getAttribute("aria-setsize") !== size) card.setAttribute("aria-setsize", size);
    });
  }

  #wall(wall) {
    const title = this.doc.getElementById(ID.title);
    if (title && typeof wall.title === "string" && wall.title) title.textContent = cleanText(wall.title);
    const tags = this.doc.getElementById(ID.hashtags);
    if (tags && Array.isArray(wall.hashtags)) {
      tags.textContent = wall.hashtags.map((t) => `#${cleanText(String(t)).replace(/^#/, "")}`).join("  ");
    }
    if (LAYOUTS.has(wall.layout)) this.body.setAttribute(BODY.layout, wall.layout);
    if (THEMES.has(wall.theme)) this.body.setAttribute(BODY.theme, wall.theme);
  }

  /** Show the feed's current announcement (they have time windows: call it now and then). */
  showAnnouncement(nowMs = Date.now()) {
    const box = this.doc.getElementById(ID.announcement);
    if (!box || !this.feed) return;
    const current = this.feed.currentAnnouncement(nowMs);
    const text = current && typeof current.text === "string" ? cleanText(current.text) : "";
    if (box.textContent !== text) box.textContent = text;
    box.hidden = text === "";
  }

  /** Show `state` on <body data-connection> and in the badge. */
  setConnection(state) {
    this.body.setAttribute(BODY.connection, state);
    if (state === CONNECTION.live) this.everLive = true;
    const badge = this.doc.getElementById(ID.badge);
    if (!badge) return;
    badge.hidden = state === CONNECTION.live;
    badge.setAttribute("data-state", state);
    if (state === CONNECTION.stale) badge.textContent = "Offline — showing last posts";
    else if (state === CONNECTION.connecting) badge.textContent = this.everLive ? "Reconnecting…" : "Connecting…";
  }
}
