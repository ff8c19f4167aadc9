// The moderator's decisions: approve, hide and pin from either list, block an author, undo.
// Optimistic (the item leaves at once and the selection moves on), put back when the server says
// no; a 409 means another moderator was first and is shown as such, naming them.

import { CONSOLE_ID } from "./hooks.js";
import { authorKey, describeDecision } from "./console-queue.js";

function sentence(detail) {
  return `${detail.charAt(0).toUpperCase()}${detail.slice(1)}`;
}

/**
 * The decisions of a console `ctx` ({doc, api, state, say}), acting through `lists`;
 * `reloadQueue(ms)` reloads the queue by REST, `blocks.load()` the Blocks box.
 */
export function createDecisions({ doc, api, state, say }, { lists, blocks, reloadQueue }) {
  const $ = (id) => doc.getElementById(id);
  const { inFlight, requests, decisions } = state;

  /** Send one action on a post; our own answer is a decision like any other. */
  async function send(id, action) {
    const r = await api.act(id, action);
    if (r.ok) decisions.note(r.data);
    return r;
  }

  /** Say that the post changed under us, naming who decided it (from the audit if need be). */
  async function conflict(postId, detail) {
    const known = decisions.get(postId);
    if (!known || known.actor === state.me) {
      // Our feed may lag behind the other moderator's decision: ask the audit log.
      const r = await api.audit(50);
      const latest = r.ok && Array.isArray(r.data) ? r.data.find((d) => d.post_id === postId) : null;
      if (latest) decisions.note(latest);
    }
    const d = decisions.get(postId);
    say(`${sentence(detail)}${d ? ` (${describeDecision(d)})` : ""} — nothing was changed.`, "warn", 6000);
  }

  async function inQueue(id, action) {
    const removed = lists.dropFromQueue(id);
    if (!removed) return;
    inFlight.add(id);
    const steps = action === "pin" ? ["approve", "pin"] : [action];
    for (const step of steps) {
      const r = await send(id, step);
      if (r.ok) continue;
      inFlight.delete(id);
      if (r.status === 409) {
        conflict(id, r.detail);
        reloadQueue();
      } else if (r.status === 404) {
        say("That post is no longer on this wall.", "warn");
      } else if (step === steps[0]) {
        lists.restoreToQueue(removed);
        say(`Could not ${step}: ${r.detail}. The post is back in the queue.`, "error", 6000);
      } else {
        say(`Approved, but could not pin: ${r.detail}.`, "error", 6000);
      }
      return;
    }
    inFlight.delete(id);
  }

  async function onWall(id, action) {
    const post = state.wall.byId.get(id);
    if (!post) return;
    if (action === "approve") {
      say("This post is already on the wall.", "info", 2500);
      return;
    }
    if (action === "hide") {
      inFlight.add(id);
      lists.hideOnWall(id);
      const r = await send(id, "hide");
      inFlight.delete(id);
      if (!r.ok) {
        lists.hideOnWall(id, false);
        if (r.status === 409) conflict(id, r.detail);
        else say(`Could not hide: ${r.detail}.`, "error", 6000);
      }
      return;
    }
    const step = post.pinned ? "unpin" : "pin";
    inFlight.add(id);
    lists.busy("wall", id, true);
    const r = await send(id, step);
    inFlight.delete(id);
    lists.busy("wall", id, false);
    if (!r.ok) {
      if (r.status === 409) conflict(id, r.detail);
      else say(`Could not ${step}: ${r.detail}.`, "error", 6000);
    }
  }

  function confirmDialog(title, text, okLabel) {
    const dialog = $(CONSOLE_ID.confirm);
    const ok = $(CONSOLE_ID.confirmOk);
    $(CONSOLE_ID.confirmTitle).textContent = title;
    $(CONSOLE_ID.confirmText).textContent = text;
    ok.firstChild.textContent = `${okLabel} `;
    dialog.returnValue = "";
    return new Promise((resolve) => {
      dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
      dialog.showModal();
      ok.focus();
    });
  }

  async function blockAuthor(id) {
    const post = lists.post(state.active, id);
    const key = authorKey(post);
    if (!key) {
      say("This post has no author id to block.", "warn");
      return;
    }
    const author = post.author;
    const name = author.name && author.handle ? `${author.name} (${author.handle})` : author.name || author.handle || key;
    const ok = await confirmDialog("Block this author?",
      `${name} on ${post.source}: every post of theirs leaves the wall and the queue now, and new ones never show.`,
      "Block");
    lists.focus();
    if (!ok) return;
    const r = await requests.track(api.addBlock("author", key));
    if (!r.ok) {
      if (r.status === 409) conflict(id, r.detail);
      else say(`Could not block: ${r.detail}.`, "error", 6000);
      return;
    }
    lists.hideAll(r.data.hidden || []);
    say(`Blocked ${author.handle || key}: ${(r.data.hidden || []).length} post(s) hidden. Press u to undo.`, "ok");
    blocks.load();
  }

  async function undoLatest(earlier) {
    // The server undoes our latest decision *it has seen*: a decision still on its way (`h`,
    // then `u` at once) would be skipped, and the one before it undone instead.
    await earlier;
    const r = await api.undo();
    if (r.ok) {
      decisions.note(r.data);
      const postId = r.data.post_id;
      const after = r.data.after || {};
      if (postId && after.state === "pending") {
        lists.selectInQueue(postId);
        reloadQueue(0);
      }
      if (postId && after.state === "visible") lists.hideOnWall(postId, false);
      if (!postId) {
        reloadQueue(0);
        blocks.load();
      }
      say(`Undone: ${(r.data.reason || "").replace(/^undo /, "")}`, "ok", 2500);
    } else if (r.status === 404) {
      say("Nothing of yours to undo.", "info", 2500);
    } else {
      say(`Could not undo: ${r.detail}.`, r.status === 409 ? "warn" : "error", 6000);
    }
  }

  return {
    /** Act on post `id` (the selected one by default) of the active list. */
    act(action, id = lists.selected()) {
      if (action === "block") {
        blockAuthor(id);
        return;
      }
      if (id === null || inFlight.has(id)) return;
      lists.manual(state.active);
      requests.track(state.active === "queue" ? inQueue(id, action) : onWall(id, action));
    },
    /** Undo our latest decision, once every request sent before has been answered. */
    undo() {
      return requests.track(undoLatest(requests.settled()));
    },
  };
}
