// Pure state of one moderator console: the queue, the wall as the public sees it, what is in
// flight, the latest decision known for each post and the posts seen. No DOM, no network:
// `startConsole` makes one per page and hands it to the panels (node tests use it directly).

import { Feed } from "./state.js";
import { Queue } from "./console-queue.js";

export const QUEUE_LIMIT = 500;   // the API's largest page
export const WALL_CAP = 200;
const KNOWN_MAX = 2000;

/**
 * The latest decision known for each post, from the feed, the audit log and our own requests'
 * answers. They reach the page by two roads (the feed socket and REST answers) that do not keep
 * each other's order, so a decision older than one already known for its post must not move
 * the post again: audit ids grow, and the larger id wins.
 */
export class Decisions {
  constructor() {
    this.byPost = new Map();   // post id -> decision
  }

  /** Record `d` (an audit entry); return whether it is now the latest known for its post. */
  note(d) {
    if (!d || !d.post_id) return true;
    if (!this.isLatest(d)) return false;
    this.byPost.set(d.post_id, d);
    return true;
  }

  /** Return whether no decision newer than `d` is known for its post. */
  isLatest(d) {
    const known = d && d.post_id ? this.byPost.get(d.post_id) : null;
    return !(known && Number.isFinite(known.id) && Number.isFinite(d.id) && d.id < known.id);
  }

  get(postId) {
    return this.byPost.get(postId) || null;
  }
}

/**
 * Requests of ours that change the wall (decisions, blocks, undos). An undo must reach the
 * server after everything the moderator did before pressing `u`, or it undoes the wrong thing.
 */
export class Requests {
  constructor() {
    this.pending = new Set();
  }

  /** Track `promise` until it settles; return it. */
  track(promise) {
    this.pending.add(promise);
    const done = () => this.pending.delete(promise);
    promise.then(done, done);
    return promise;
  }

  /** Return a promise that settles when every request tracked so far has. */
  settled() {
    return Promise.allSettled(Array.from(this.pending));
  }
}

/** Return the state of a console for moderator `me`; `order` is the queue's saved order. */
export function createConsoleState({ me, preMode = false, order = "oldest" } = {}) {
  const known = new Map();   // post id -> post, for the activity log's words (bounded)
  return {
    me,
    preMode,
    queue: new Queue({ order }),
    wall: new Feed({ cap: WALL_CAP }),
    hiddenLocally: new Set(),   // wall posts hidden optimistically until the stream removes them
    inFlight: new Set(),        // post ids with a request in flight: never two at once
    requests: new Requests(),
    decisions: new Decisions(),
    filter: "",
    active: "queue",            // the list the keys act on: "queue" | "wall"
    remember(post) {
      if (!post || typeof post.id !== "string") return;
      known.set(post.id, post);
      if (known.size > KNOWN_MAX) known.delete(known.keys().next().value);
    },
    /** Return the post with `id` from anything this console has seen, or null. */
    post(id) {
      return known.get(id) || this.queue.get(id)?.post || this.wall.byId.get(id) || null;
    },
  };
}
