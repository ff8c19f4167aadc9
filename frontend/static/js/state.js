// Pure state of one wall: what the server said, applied to an ordered, bounded map of posts.
// No DOM, no network: node --test exercises it directly (tests/browser/js/state.test.mjs).

/** Event types this client understands (docs/design.md §3: a closed set; anything else is reported). */
const EVENT_TYPES = new Set(["post", "remove", "wall", "announcement"]);

function isPost(value) {
  return value !== null && typeof value === "object" && typeof value.id === "string" && value.id !== "";
}

/**
 * The posts of a wall, newest first, at most `cap` of them, plus the resume point.
 *
 * Order: a snapshot's order is kept; a post seen for the first time goes on top; a post event for
 * an id already present replaces it in place (edits and pins never jump). Over the cap, the oldest
 * unpinned post leaves first.
 */
export class Feed {
  constructor({ cap = 40, warn = (...args) => console.warn(...args), keep = () => false } = {}) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError("cap must be a positive integer");
    this.cap = cap;
    // Posts the page must not lose yet (a hall card before its dwell is over, the viewer's
    // card under focus): over the cap they leave after every other unpinned post.
    this.keep = keep;
    this.warn = warn;
    this.epoch = null;
    this.seq = null;
    this.wall = null;
    this.announcements = new Map(); // id -> {id, text, starts_at, ends_at}, oldest first
    this.ids = [];                 // newest first
    this.byId = new Map();
  }

  /** Return the posts, newest first. */
  posts() {
    return this.ids.map((id) => this.byId.get(id));
  }

  get size() {
    return this.ids.length;
  }

  /** Return the newest announcement whose time window includes `nowMs`, or null. */
  currentAnnouncement(nowMs = Date.now()) {
    let current = null;
    for (const a of this.announcements.values()) {
      const starts = a.starts_at ? Date.parse(a.starts_at) : -Infinity;
      const ends = a.ends_at ? Date.parse(a.ends_at) : Infinity;
      if (!(starts > nowMs) && !(ends <= nowMs)) current = a;
    }
    return current;
  }

  has(id) {
    return this.byId.has(id);
  }

  /** Return `{epoch, since}` to resume from, or null before the first snapshot. */
  resumePoint() {
    if (this.epoch === null || this.seq === null) return null;
    return { epoch: this.epoch, since: this.seq };
  }

  /**
   * Apply one decoded frame. Return a change record:
   * `{reset, added: Set<id>, removed: boolean, changed: boolean, wall: boolean,
   * announcement: boolean, dropped: [id]}` (`dropped`: posts trimmed over the cap).
   * Unknown frame or event types are reported through `warn` and ignored.
   */
  applyFrame(frame) {
    const change = { reset: false, added: new Set(), removed: false, changed: false, wall: false, announcement: false, dropped: [] };
    if (frame === null || typeof frame !== "object") {
      this.warn("tweetwall: ignoring a frame that is not an object", frame);
      return change;
    }
    switch (frame.type) {
      case "snapshot":
        this.#snapshot(frame, change);
        break;
      case "events":
        if (!Array.isArray(frame.events)) {
          this.warn("tweetwall: events frame without an events list", frame);
          break;
        }
        for (const event of frame.events) this.#event(event, change);
        break;
      case "heartbeat":
        break;
      default:
        this.warn("tweetwall: ignoring unknown frame type", frame.type);
    }
    return change;
  }

  #snapshot(frame, change) {
    this.epoch = frame.epoch === undefined || frame.epoch === null ? null : String(frame.epoch);
    this.seq = Number.isFinite(frame.seq) ? frame.seq : null;
    this.wall = frame.wall && typeof frame.wall === "object" ? frame.wall : null;
    if (this.wall && Array.isArray(this.wall.announcements)) {
      // The snapshot carries the current and scheduled announcements; events change them later.
      this.announcements = new Map();
      for (const a of this.wall.announcements) if (a && typeof a === "object" && a.id != null) this.announcements.set(a.id, a);
      change.announcement = true;
    }
    this.ids = [];
    this.byId = new Map();
    for (const post of Array.isArray(frame.posts) ? frame.posts : []) {
      if (!isPost(post)) {
        this.warn("tweetwall: snapshot post without an id", post);
        continue;
      }
      if (this.byId.has(post.id) || this.ids.length >= this.cap) continue;
      this.ids.push(post.id);
      this.byId.set(post.id, post);
    }
    change.reset = true;
    change.changed = true;
    change.wall = true;
  }

  #event(event, change) {
    if (event === null || typeof event !== "object") {
      this.warn("tweetwall: ignoring an event that is not an object", event);
      return;
    }
    if (!EVENT_TYPES.has(event.type)) {
      this.warn("tweetwall: ignoring unknown event type", event.type);
      return;
    }
    if (Number.isFinite(event.seq)) {
      // Already applied (a resume that overlaps what we had): applying twice would be harmless
      // for posts but could resurrect a removed one, so skip it.
      if (this.seq !== null && event.seq <= this.seq) return;
      this.seq = event.seq;
    }
    switch (event.type) {
      case "post":
        this.#upsert(event.post, change);
        break;
      case "remove":
        this.#remove(String(event.id), change);
        break;
      case "wall":
        if (event.wall && typeof event.wall === "object") {
          this.wall = { ...(this.wall || {}), ...event.wall };
          change.wall = true;
        }
        break;
      case "announcement": {
        const a = event.announcement;
        if (a === null || typeof a !== "object") break;
        const key = a.id ?? `seq:${event.seq}`;
        this.announcements.delete(key);
        if (!a.deleted) this.announcements.set(key, a);   // {id, deleted: true}: withdrawn
        change.announcement = true;
        break;
      }
    }
  }

  #upsert(post, change) {
    if (!isPost(post)) {
      this.warn("tweetwall: post event without a post id", post);
      return;
    }
    change.changed = true;
    if (this.byId.has(post.id)) {
      this.byId.set(post.id, post);
      return;
    }
    this.ids.unshift(post.id);
    this.byId.set(post.id, post);
    change.added.add(post.id);
    this.#trim(change);
  }

  #remove(id, change) {
    if (!this.byId.has(id)) return;
    this.byId.delete(id);
    this.ids.splice(this.ids.indexOf(id), 1);
    change.added.delete(id);
    change.changed = true;
    change.removed = true;
  }

  #trim(change) {
    while (this.ids.length > this.cap) {
      let victim = -1;
      let unpinned = -1;
      for (let i = this.ids.length - 1; i >= 0; i -= 1) {
        if (this.byId.get(this.ids[i]).pinned) continue;
        if (unpinned < 0) unpinned = i;
        if (!this.keep(this.ids[i])) {
          victim = i;
          break;
        }
      }
      if (victim < 0) victim = unpinned >= 0 ? unpinned : this.ids.length - 1;
      const [id] = this.ids.splice(victim, 1);
      this.byId.delete(id);
      change.added.delete(id);
      change.dropped.push(id);
    }
  }
}
