// The console's header: the counts (pending, on the wall, hidden, connected, screens), the
// sources and their state, the connection badge (live when both sockets are) and logging out.

import { BODY, CONNECTION, CONSOLE_ATTR, CONSOLE_ID } from "./hooks.js";
import { QUEUE_LIMIT } from "./console-state.js";
import { el } from "./card.js";

const COUNTS_DEBOUNCE_MS = 400;
const BADGE = Object.freeze({ live: "Live", connecting: "Connecting…", stale: "Offline — retrying" });

/** Return the list item for a source's status `s` ({source, state, posts, last_success, last_error}). */
export function sourceItem(s) {
  const li = el("li", "source");
  li.setAttribute(CONSOLE_ATTR.state, s.state);
  li.append(el("span", "source__dot"), el("span", "source__name", s.source), el("span", "source__state", s.state));
  const tip = [`${s.source}: ${s.state}`, `${s.posts ?? 0} posts`];
  if (s.last_success) tip.push(`last success ${new Date(s.last_success).toLocaleTimeString()}`);
  if (s.last_error) {
    tip.push(`last error: ${s.last_error}`);
    li.append(el("span", "source__error", s.last_error));
  }
  li.setAttribute("title", tip.join("\n"));
  return li;
}

/** Return the state of the whole page from its sockets' states: stale if one is, live if all are. */
export function overall(states) {
  if (states.includes(CONNECTION.stale)) return CONNECTION.stale;
  return states.every((s) => s === CONNECTION.live) ? CONNECTION.live : CONNECTION.connecting;
}

/**
 * The header of a console `ctx` ({doc, api}); `screens.show(list)` gets each GET …/screens
 * answer, `onLogout()` runs once the session is closed.
 */
export function createHeader({ doc, api }, { screens, onLogout }) {
  const $ = (id) => doc.getElementById(id);
  const sockets = { wall: CONNECTION.connecting, mod: CONNECTION.connecting };
  let timer = null;

  async function refresh() {
    const [q, s] = await Promise.all([api.counts(), api.screens()]);
    if (q.ok && q.data) {
      $(CONSOLE_ID.countPending).textContent = String(q.data.pending);
      $(CONSOLE_ID.countVisible).textContent = String(q.data.visible);
      $(CONSOLE_ID.countHidden).textContent = String(q.data.hidden);
      $(CONSOLE_ID.countViewers).textContent = String(q.data.viewers);
      $(CONSOLE_ID.countViewersBox).title =
        `${q.data.viewers} live connections to the wall: hall screens, remote viewers and consoles`;
      $(CONSOLE_ID.sources).replaceChildren(...(q.data.sources || []).map(sourceItem));
    }
    if (s.ok) screens.show(s.data);
  }

  $(CONSOLE_ID.logout).addEventListener("click", async () => {
    await api.logout();
    onLogout();
  });

  return {
    refresh,
    /** Refresh the counts soon (decisions come in bursts: one refresh for a burst). */
    scheduleCounts() {
      if (timer !== null) return;
      timer = setTimeout(() => {
        timer = null;
        refresh();
      }, COUNTS_DEBOUNCE_MS);
    },
    /**
     * The queue's own size: between the server's counts it is fresher (optimistic decisions),
     * unless the queue was loaded only in part.
     */
    pending(size) {
      if (size < QUEUE_LIMIT) $(CONSOLE_ID.countPending).textContent = String(size);
    },
    /** Socket `which` ("wall" | "mod") is in `state`. */
    status(which, state) {
      sockets[which] = state;
      const all = overall(Object.values(sockets));
      doc.body.setAttribute(BODY.connection, all);
      const badge = $(CONSOLE_ID.conn);
      badge.setAttribute(CONSOLE_ATTR.state, all);
      badge.textContent = BADGE[all];
    },
  };
}
