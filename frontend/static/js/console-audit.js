// The console's Activity box: every moderator's decisions, newest first, in words ("alice hid
// @bob: “…”"), from the audit log at each (re)connect and from the live feed after.

import { CONSOLE_ID } from "./hooks.js";
import { activityRow } from "./console-view.js";

const ACTIVITY_MAX = 80;
const SNIPPET_CHARS = 70;

/** Return "@handle: “text…”" for a post (or its id when it was never seen). */
export function snippet(post, postId) {
  if (!post) return postId;
  const text = (post.text || "").replace(/\s+/g, " ").trim();
  const who = post.author && post.author.handle ? `${post.author.handle}: ` : "";
  return `${who}“${text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS)}…` : text}”`;
}

/** Return the words for decision `d`; `postOf(id)` finds a post seen by this console. */
export function activityWords(d, postOf = () => null) {
  const after = d.after || {};
  const about = () => snippet(postOf(d.post_id), d.post_id);
  switch (d.action) {
    case "approve": return `approved ${about()}`;
    case "hide": return `hid ${about()}`;
    case "unhide": return `unhid ${about()}`;
    case "pin": return `pinned ${about()}`;
    case "unpin": return `unpinned ${about()}`;
    case "block": return `blocked ${after.kind || ""} ${after.value || ""}`.trim();
    case "unblock": return `removed the block on ${d.before?.kind || ""} ${d.before?.value || ""}`.trim();
    case "undo": return d.post_id ? `undid a decision on ${about()}` : "undid a block";
    case "announce": return `announced “${after.text || ""}”`;
    case "withdraw": return "withdrew an announcement";
    default: return `${d.action} ${d.post_id ? about() : ""}`.trim();
  }
}

/** The Activity box of a console `ctx` ({doc, api, state}). */
export function createAudit({ doc, api, state }) {
  const log = doc.getElementById(CONSOLE_ID.activity);
  let shown = [];   // the decision ids of the rows, in DOM order (newest first)

  /** Add decision `d` once, in id order (the feed and the audit log may overlap). */
  function add(d) {
    const id = Number.isFinite(d.id) ? d.id : null;
    if (id !== null && shown.includes(id)) return;
    const row = activityRow(d, activityWords(d, (postId) => state.post(postId)));
    const at = id === null ? 0 : shown.findIndex((other) => other !== null && other < id);
    if (at < 0) {
      log.append(row);
      shown.push(id);
    } else {
      log.insertBefore(row, log.children[at] || null);
      shown.splice(at, 0, id);
    }
    while (shown.length > ACTIVITY_MAX) {
      log.lastElementChild.remove();
      shown.pop();
    }
  }

  return {
    add,
    async load() {
      const r = await api.audit(40);
      if (!r.ok || !Array.isArray(r.data)) return;
      log.replaceChildren();
      shown = [];
      for (const d of r.data.slice().reverse()) {
        state.decisions.note(d);
        add(d);
      }
    },
  };
}
