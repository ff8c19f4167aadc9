// The console's live side: the moderators' feed (new pending posts, every moderator's
// decisions), the public stream's frames for the wall column, and queue reloads by REST.
//
// Two roads bring news: the feed socket and the answers to REST calls, and they do not keep each
// other's order. So a decision older than one already known for its post changes nothing, only
// the latest queue load counts, and decisions that arrive while a load is on its way are applied
// again to what it brings.

import { QUEUE_LIMIT } from "./console-state.js";
import { describeDecision } from "./console-queue.js";

const RELOAD_MS = 150;   // decisions come in bursts: one reload for a burst

/** The live side of a console `ctx` ({api, state}), updating the panels given. */
export function createLive({ api, state, warn = (...a) => console.warn(...a) }, { lists, audit, blocks, announcements, header }) {
  const { queue, inFlight, decisions } = state;
  let generation = 0;   // one per queue load: an older answer is dropped
  let during = null;    // decisions applied while the latest load is on its way
  let timer = null;

  async function loadQueue() {
    const mine = ++generation;
    during = [];
    const r = await api.posts("pending", QUEUE_LIMIT);
    if (mine !== generation) return;
    const again = during;
    during = null;
    if (!r.ok || !Array.isArray(r.data)) return;
    for (const post of r.data) state.remember(post);
    queue.load(r.data);
    for (const id of inFlight) queue.remove(id);   // our own decision is on its way
    for (const d of again) if (decisions.isLatest(d)) moveInQueue(d, false);
    lists.render("queue");
  }

  function reloadQueue(ms = RELOAD_MS) {
    clearTimeout(timer);
    timer = setTimeout(loadQueue, ms);
  }

  /** Apply a post's decision to the queue (not rendered). */
  function moveInQueue(d, byOther) {
    const id = d.post_id;
    if ((d.after || {}).state === "pending") {
      if (!queue.has(id) && !inFlight.has(id)) reloadQueue();
    } else if (queue.has(id)) {
      if (byOther) lists.note("queue", id, describeDecision(d));
      queue.remove(id);
    }
  }

  function applyDecision(d) {
    const latest = decisions.note(d);
    audit.add(d);
    if (!latest) return;   // an older decision than one we know for this post: it changes nothing
    const byOther = d.actor !== state.me;
    if (d.post_id) {
      moveInQueue(d, byOther);
      if (during !== null) during.push(d);
      if ((d.after || {}).state === "visible") state.hiddenLocally.delete(d.post_id);
      else if (byOther && state.wall.has(d.post_id)) lists.note("wall", d.post_id, describeDecision(d));
    } else if (["block", "unblock", "undo"].includes(d.action)) {
      const states = (d.before && d.before.states) || {};
      for (const id of Object.keys(states)) queue.remove(id);
      reloadQueue();
      blocks.load();
    } else if (d.action === "announce" || d.action === "withdraw") {
      announcements.load();
    }
  }

  return {
    loadQueue,
    reloadQueue,

    /** The items of a `mod` frame (or of several, after a reload), in order. */
    onModItems(items) {
      for (const item of items) {
        switch (item && item.type) {
          case "post":
            state.remember(item.post);
            if (item.state === "pending") queue.add(item.post, item.reason);
            break;
          case "decision":
            applyDecision(item);
            break;
          default:
            warn("tweetwall: ignoring unknown feed item type", item && item.type);
        }
      }
      lists.render("queue");
      header.scheduleCounts();
    },

    /** A frame of the public stream: the wall column shows what the public sees. */
    onWallFrame(frame) {
      if (frame && frame.type === "heartbeat") return;
      const change = state.wall.applyFrame(frame);
      for (const id of state.hiddenLocally) if (!state.wall.has(id)) state.hiddenLocally.delete(id);
      for (const id of change.added) state.remember(state.wall.byId.get(id));
      lists.render("wall");
    },
  };
}
