// Pure state of the moderator console: the pending queue (order, filter, selection after a
// removal) and the words for reasons and decisions. No DOM, so it can be tested under node.

/** Return the text a filter looks in: the post's text, author, reason and warning. */
export function haystack(post, reason = "") {
  const author = post && post.author && typeof post.author === "object" ? post.author : {};
  return [post && post.text, author.name, author.handle, reason, post && post.content_warning]
    .filter((s) => typeof s === "string").join("\n").toLocaleLowerCase();
}

/** Return whether `post` (with its moderation `reason`) matches the filter text `query`. */
export function matches(post, reason, query) {
  const q = typeof query === "string" ? query.trim().toLocaleLowerCase() : "";
  if (!q) return true;
  const text = haystack(post, reason);
  return q.split(/\s+/).every((word) => text.includes(word));
}

function compareArrival(a, b) {
  const oa = (a.moderation && Number(a.moderation.order)) || 0;
  const ob = (b.moderation && Number(b.moderation.order)) || 0;
  if (oa !== ob) return oa - ob;
  const ta = Date.parse(a.created_at) || 0;
  const tb = Date.parse(b.created_at) || 0;
  if (ta !== tb) return ta - tb;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The pending posts, each with its reason and an arrival rank. Oldest first is what a queue
 * means (first in, first decided); newest first is there for a burst.
 */
export class Queue {
  constructor({ order = "oldest" } = {}) {
    this.order = order === "newest" ? "newest" : "oldest";
    this.items = new Map();   // id -> {post, reason, rank}
    this.rank = 0;
  }

  get size() {
    return this.items.size;
  }

  has(id) {
    return this.items.has(id);
  }

  get(id) {
    return this.items.get(id) || null;
  }

  /**
   * Replace everything with `posts` from the REST API (with `moderation`). Posts held back share
   * an order key, so arrival is approximated by (order key, creation time, id).
   */
  load(posts) {
    this.items = new Map();
    this.rank = 0;
    const list = Array.isArray(posts) ? posts.filter((p) => p && typeof p.id === "string") : [];
    list.sort(compareArrival);
    for (const post of list) {
      const reason = post && post.moderation ? post.moderation.reason : null;
      this.add(post, reason);
    }
  }

  /** Add a post that arrived (latest rank); return false if it was already there. */
  add(post, reason = null) {
    if (!post || typeof post.id !== "string" || this.items.has(post.id)) return false;
    this.rank += 1;
    this.items.set(post.id, { post, reason: reason || null, rank: this.rank });
    return true;
  }

  /** Remove `id`; return what `restore` needs to put it back, or null. */
  remove(id) {
    const item = this.items.get(id);
    if (!item) return null;
    this.items.delete(id);
    return { id, ...item };
  }

  /** Put back an item that `remove` returned (an action failed), at its old place. */
  restore(removed) {
    if (!removed || this.items.has(removed.id)) return;
    this.items.set(removed.id, { post: removed.post, reason: removed.reason, rank: removed.rank });
  }

  /** Return the ids in display order, keeping only those matching `query`. */
  ids(query = "") {
    const items = Array.from(this.items.entries()).filter(([, it]) => matches(it.post, it.reason, query));
    items.sort((a, b) => (this.order === "oldest" ? a[1].rank - b[1].rank : b[1].rank - a[1].rank));
    return items.map(([id]) => id);
  }
}

/**
 * Return the id to select after `removedId` leaves a list that was `before` (display order):
 * the one that took its place, else the one above it, else null.
 */
export function nextAfter(before, removedId, after) {
  const index = before.indexOf(removedId);
  if (after.length === 0) return null;
  if (index < 0) return after[0];
  const rest = before.slice(index + 1).find((id) => after.includes(id));
  if (rest !== undefined) return rest;
  const prev = before.slice(0, index).reverse().find((id) => after.includes(id));
  return prev === undefined ? after[0] : prev;
}

/** Return the id `step` places from `current` in `ids` (clamped), or the first. */
export function moveFrom(ids, current, step) {
  if (ids.length === 0) return null;
  const index = ids.indexOf(current);
  if (index < 0) return step < 0 ? ids[ids.length - 1] : ids[0];
  return ids[Math.max(0, Math.min(ids.length - 1, index + step))];
}

const PAST = Object.freeze({
  approve: "approved", hide: "hidden", unhide: "unhidden", pin: "pinned", unpin: "unpinned",
  block: "blocked", unblock: "unblocked", undo: "undone", announce: "announced",
  withdraw: "withdrawn",
});

/** Return "hidden by bob" for a decision (as the feed and the audit log carry it). */
export function describeDecision(d) {
  const verb = PAST[d && d.action] || String((d && d.action) || "changed");
  return d && d.actor ? `${verb} by ${d.actor}` : verb;
}

/** Return the separate flags of a moderation reason ("word list: 'x'; repost" -> two). */
export function reasonParts(reason) {
  if (typeof reason !== "string") return [];
  return reason.split(/;\s+/).map((s) => s.trim()).filter(Boolean);
}

/** Return "tone" of a reason for colouring: "danger" (word list, block), "warn" or "info". */
export function reasonTone(reason) {
  const r = typeof reason === "string" ? reason.toLocaleLowerCase() : "";
  if (/word|block|slur|profan|deleted/.test(r)) return "danger";
  if (/sensitive|warning|this hour|duplicate|language|cross-post/.test(r)) return "warn";
  return "info";
}

/** Return the id of the author for a block: "{source}:{author.id}", or null. */
export function authorKey(post) {
  const author = post && post.author;
  if (!author || author.id === undefined || author.id === null || author.id === "") return null;
  return `${post.source}:${author.id}`;
}
