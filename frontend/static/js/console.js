// The moderator console (/moderate/{slug}): the pending queue and the live wall side by side,
// driven from the keyboard. `startConsole` makes the state and wires the panels to it and to
// the two sockets, as page.js does for the hall screen:
//
//   state      console-state.js     queue, wall, requests in flight, latest decision per post
//   lists      console-lists.js     queue and wall columns, selection, filter, order
//   decisions  console-decide.js    approve / hide / pin / block / undo, optimistic, 409s named
//   live       console-live.js      the moderators' feed and the public stream, queue reloads
//   audit      console-audit.js     the Activity box
//   blocks     console-blocks.js    the Blocks box
//   announce   console-announce.js  the Announcements box
//   screens    console-screens.js   the Screens box, the admin's layout / theme / reload, the
//                                   programme's upload and each screen's room
//   categories console-categories.js the Categories box, keys 1-9, each item's category flag
//   header     console-header.js    counts, sources, connection badge, logout
//   keys       console-shortcuts.js the key strip, the help overlay, keydown -> command

import { BODY, CONSOLE_ID } from "./hooks.js";
import { connect } from "./transport.js";
import { refreshTimes } from "./card.js";
import { Api } from "./console-api.js";
import { connectModFeed } from "./console-feed.js";
import { createConsoleState } from "./console-state.js";
import { createLists, readOrder } from "./console-lists.js";
import { createDecisions } from "./console-decide.js";
import { createLive } from "./console-live.js";
import { createAudit } from "./console-audit.js";
import { createBlocks } from "./console-blocks.js";
import { createAnnouncements } from "./console-announce.js";
import { createScreens } from "./console-screens.js";
import { createCategories } from "./console-categories.js";
import { createHeader } from "./console-header.js";
import { wireShortcuts } from "./console-shortcuts.js";
import { toast } from "./console-view.js";

const COUNTS_EVERY_MS = 5000;
const TIME_REFRESH_MS = 30_000;

/** Start the console described by `doc`'s <body data-*>; return a handle for debugging. */
export function startConsole(doc = document, { win = globalThis } = {}) {
  const body = doc.body;
  const slug = body.getAttribute(BODY.slug);
  const state = createConsoleState({
    me: body.getAttribute(BODY.user),
    preMode: body.getAttribute(BODY.moderation) === "pre",
    order: readOrder(win),
  });
  let leaving = false;
  const leave = () => {
    // The session ended (logout here or elsewhere, timeout): the page itself shows the login form.
    if (leaving) return;
    leaving = true;
    win.location.reload();
  };
  const api = new Api(slug, { onUnauthorized: leave });
  const toasts = doc.getElementById(CONSOLE_ID.toasts);
  const say = (text, tone = "info", ms = 4000) => toast(toasts, text, tone, ms);
  const ctx = Object.freeze({ doc, slug, api, state, say });

  const screens = createScreens(ctx);
  const header = createHeader(ctx, { screens, onLogout: leave });
  const audit = createAudit(ctx);
  const announcements = createAnnouncements(ctx);
  let decisions = null;
  let categories = null;
  const lists = createLists(ctx, {
    onAction: (action, id) => decisions.act(action, id),
    onQueueSize: (size) => header.pending(size),
    onSelect: () => categories && categories.follow(),
    afterRender: () => categories && categories.paint(),
    win,
  });
  categories = createCategories(ctx, { selectedPost: () => lists.post(lists.active, lists.selected()) });
  const blocks = createBlocks(ctx, { onHidden: (ids) => lists.hideAll(ids) });
  const live = createLive(ctx, { lists, audit, blocks, announcements, header });
  decisions = createDecisions(ctx, { lists, blocks, reloadQueue: live.reloadQueue });

  wireShortcuts(doc, {
    next: () => lists.move(1),
    prev: () => lists.move(-1),
    approve: () => decisions.act("approve"),
    hide: () => decisions.act("hide"),
    pin: () => decisions.act("pin"),
    block: () => decisions.act("block"),
    undo: () => decisions.undo(),
    switch: () => lists.switchList(),
    filter: () => lists.focusFilter(),
    open: () => lists.openOriginal(),
    category: (event) => categories.key(event),
    leave: () => lists.leaveField(),
  });

  const wall = connect({
    path: body.getAttribute(BODY.wsPath),
    resume: () => state.wall.resumePoint(),
    onFrame: live.onWallFrame,
    onStatus: (s) => header.status("wall", s),
  });
  const mod = connectModFeed({
    path: body.getAttribute(BODY.modWsPath),
    load: () => Promise.all([live.loadQueue(), audit.load(), blocks.load(), announcements.load(), header.refresh(),
      categories.load()]),
    onItems: live.onModItems,
    onStatus: (s) => header.status("mod", s),
  });
  win.addEventListener("online", () => {
    wall.nudge();
    mod.nudge();
  });
  win.setInterval(() => header.refresh(), COUNTS_EVERY_MS);
  win.setInterval(() => refreshTimes(body), TIME_REFRESH_MS);
  return Object.freeze({ state, lists, decisions, live, connections: Object.freeze({ wall, mod }) });
}

if (globalThis.document?.body?.getAttribute(BODY.page) === "moderate") {
  globalThis.tweetwall = startConsole(globalThis.document);
}
