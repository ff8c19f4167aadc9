// The hall screen's pace (docs/frontend.md, "Pace"): new posts wait their turn in arrival
// order and come on screen one at a time, each shown card stays put for at least the wall's
// `min_dwell_s`, and in a burst the page skips ahead to the newest, counting what it skipped.
// Hides and blocks are never paced: a removed post leaves the queue (and the screen) at once.
// No DOM: node --test exercises it (tests/browser/js/pace.test.mjs).

export const DEFAULT_MIN_DWELL_S = 10;
export const MAX_WAITING = 20;        // past this many waiting posts the page skips ahead...
export const KEEP_AFTER_SKIP = 8;     // ...to the newest this many
const SKIPPED_IDS_KEPT = 2000;        // the ids remembered as skipped (a bounded record)

/** Return the wall's least time (ms) a card keeps its place, from its public settings. */
export function minDwellMs(wall) {
  const s = wall && Number.isFinite(wall.min_dwell_s) ? wall.min_dwell_s : DEFAULT_MIN_DWELL_S;
  return Math.max(0, Math.min(600, s)) * 1000;
}

/**
 * Return the least time (ms) between two changes on the grid: a new card every few seconds
 * at most, so the eye can follow each one, and fast enough that `slots` cards each shown for
 * `dwellMs` keep the queue moving.
 */
export function changeGapMs(dwellMs, slots = 9) {
  return Math.max(1000, Math.min(3000, dwellMs / Math.max(1, slots / 2)));
}

/**
 * Posts waiting for their turn on a hall screen, oldest first, and the count of those skipped.
 * `priority(id)` names posts that go before the others (the session on in the hall's room,
 * programme.js): they wait in their own arrival order ahead of the rest, and a burst skips the
 * others first. Without it every post is equal, as before.
 */
export class Pacer {
  constructor({ maxWaiting = MAX_WAITING, keep = KEEP_AFTER_SKIP, onChange = () => {}, priority = () => false } = {}) {
    this.maxWaiting = maxWaiting;
    this.keep = keep;
    this.onChange = onChange;
    this.priority = priority;
    this.queue = [];              // ids, oldest first
    this.skipped = 0;             // posts skipped since the page opened
    this.skippedIds = new Set();  // the latest of them
    this.lastSkip = 0;            // how many the latest skip jumped over
  }

  get size() {
    return this.queue.length;
  }

  has(id) {
    return this.queue.includes(id);
  }

  waitingIds() {
    return [...this.queue];
  }

  /**
   * Queue `ids` (oldest first), a priority post after the priority posts already waiting;
   * past the bound, skip ahead to the newest, the others before any priority post. Return
   * the skipped ids.
   */
  add(ids) {
    let added = false;
    for (const id of ids) {
      if (this.queue.includes(id)) continue;
      if (this.priority(id)) {
        const at = this.queue.findIndex((q) => !this.priority(q));
        this.queue.splice(at < 0 ? this.queue.length : at, 0, id);
      } else {
        this.queue.push(id);
      }
      added = true;
    }
    const skipped = this.queue.length > this.maxWaiting ? this.#skipAhead(this.queue.length - this.keep) : [];
    if (skipped.length > 0) this.#count(skipped);
    if (added || skipped.length > 0) this.onChange(this);
    return skipped;
  }

  /** Take `count` ids off the queue to skip: the oldest others, then the oldest priority posts. */
  #skipAhead(count) {
    const others = this.queue.filter((id) => !this.priority(id));
    const gone = new Set(others.slice(0, count));
    for (const id of this.queue) {
      if (gone.size >= count) break;
      gone.add(id);
    }
    const skipped = this.queue.filter((id) => gone.has(id));
    this.queue = this.queue.filter((id) => !gone.has(id));
    return skipped;
  }

  /** Put priority posts first again (the session on in the room changed), each group in order. */
  reorder() {
    const first = this.queue.filter((id) => this.priority(id));
    const next = [...first, ...this.queue.filter((id) => !this.priority(id))];
    if (next.some((id, i) => id !== this.queue[i])) {
      this.queue = next;
      this.onChange(this);
    }
  }

  /** Count `ids` as skipped without queueing them (posts dropped before they could wait). */
  skip(ids) {
    if (ids.length === 0) return;
    this.#count(ids);
    this.onChange(this);
  }

  #count(ids) {
    this.skipped += ids.length;
    this.lastSkip = ids.length;
    for (const id of ids) {
      this.skippedIds.delete(id);
      this.skippedIds.add(id);
    }
    while (this.skippedIds.size > SKIPPED_IDS_KEPT) this.skippedIds.delete(this.skippedIds.values().next().value);
  }

  /** Forget `id` (hidden, deleted, or gone from the feed): it leaves without a turn. */
  drop(id) {
    const at = this.queue.indexOf(id);
    if (at < 0) return false;
    this.queue.splice(at, 1);
    this.onChange(this);
    return true;
  }

  /** Keep only the waiting ids for which `keep(id)` is true. */
  retain(keep) {
    const before = this.queue.length;
    this.queue = this.queue.filter(keep);
    if (this.queue.length !== before) this.onChange(this);
  }

  /** Return the next id to show (the oldest waiting) without taking it, or null. */
  peek() {
    return this.queue.length > 0 ? this.queue[0] : null;
  }

  /** Take the next id to show, or null. */
  next() {
    const id = this.queue.shift() ?? null;
    if (id !== null) this.onChange(this);
    return id;
  }

  /** Forget every waiting post (a layout switch starts over from the feed as it is). */
  clear() {
    if (this.queue.length === 0) return;
    this.queue = [];
    this.onChange(this);
  }
}
