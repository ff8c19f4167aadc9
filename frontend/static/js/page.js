// Wire a page together: Feed (state) <- transport (frames) -> FeedView (DOM), plus timers.

import { BODY, ID } from "./hooks.js";
import { Feed } from "./state.js";
import { connect } from "./transport.js";
import { FeedView } from "./view.js";
import { refreshTimes } from "./card.js";
import { Layouts } from "./layouts.js";
import { applyBrand } from "./brand.js";
import { ScreenHealth } from "./health.js";
import { Interlude } from "./interlude.js";
import { minDwellMs } from "./pace.js";
import { RoomSession, fetchJson } from "./session.js";

const TIME_REFRESH_MS = 30_000;

function tickClock(doc) {
  const clock = doc.getElementById(ID.clock);
  if (!clock) return;
  const now = new Date();
  clock.textContent = new Intl.DateTimeFormat(undefined, { hour: "numeric", minute: "2-digit" }).format(now);
  clock.setAttribute("datetime", now.toISOString());
}

/**
 * Start the live page described by <body data-ws-path>; return a handle for debugging.
 * `keep(id)` names posts the feed must not drop over its cap yet (the viewer's focused post);
 * `onWall(wall)` hears every change of the wall's settings (the viewer's programme follows).
 */
export function startPage({ hall, cap, announce = false, minIntervalMs = 0, doc = document, keep = null,
  onWall = null }) {
  const path = doc.body.getAttribute(BODY.wsPath);
  const query = new URLSearchParams(doc.defaultView?.location.search ?? "");
  // A named hall screen is opened with its key (`?screen=KEY`, from the admin's console); only
  // such a screen reports its health and takes remote reloads, and it stands in the room an
  // admin gave it. `?room=NAME` puts any hall screen in a room without pairing.
  const screen = hall ? query.get("screen") : null;
  const room = hall ? query.get("room") : null;
  let layout = null;
  let session = null;
  const first = (id) => session !== null && session.priority(id);
  // The hall keeps its shown and waiting posts until their turn is over (docs/frontend.md,
  // Pace), and the posts of the session on in its room over the others.
  const feed = new Feed({ cap, keep: keep || ((id) => (layout !== null && layout.keeps(id)) || first(id)) });
  session = hall && (room || screen) ? new RoomSession({ doc, slug: doc.body.getAttribute(BODY.slug),
    room: room || null, screenKey: screen, feed, fetchJson }) : null;
  layout = hall ? new Layouts(doc.getElementById(ID.feed), { doc, priority: first }) : null;
  if (session) session.pacer = layout.pacer;
  const view = new FeedView(doc, { hall, announce, layout, minIntervalMs,
    afterRender: () => session && session.mark() });
  // Screen care beside the view: branding, health reports and reloads, idle highlights, slides.
  const brand = { frame: (change) => change.wall && feed.wall && applyBrand(doc, feed.wall), status() {} };
  const extras = [brand];
  if (session) extras.push({ frame: (change) => change.wall && feed.wall && session.wall(feed.wall), status() {} });
  if (onWall) extras.push({ frame: (change) => change.wall && feed.wall && onWall(feed.wall), status() {} });
  const conn = connect({
    path,
    params: screen ? { screen } : null,
    resume: () => feed.resumePoint(),
    onFrame: (frame) => {
      const change = feed.applyFrame(frame);
      if (layout) {
        if (change.wall && feed.wall) layout.setDwell(minDwellMs(feed.wall));
        if (change.dropped.length > 0) layout.dropped(change.dropped);
      }
      view.update(feed, change);
      for (const extra of extras) extra.frame(change);
    },
    onStatus: (state) => {
      view.setConnection(state);
      for (const extra of extras) extra.status(state);
    },
  });
  const health = new ScreenHealth({ kind: hall ? "hall" : "viewer", named: Boolean(screen), feed, conn, doc });
  extras.push(health);
  const interlude = hall ? new Interlude({ feed, doc }) : null;
  if (interlude) extras.push(interlude);
  tickClock(doc);
  setInterval(() => {
    refreshTimes(doc.getElementById(ID.feed));
    tickClock(doc);
    view.showAnnouncement();
  }, TIME_REFRESH_MS);
  globalThis.addEventListener("online", () => conn.nudge());
  if (session) session.start();
  return Object.freeze({ feed, view, connection: conn, layout, health, interlude, session,
    pace: layout ? layout.pacer : null });
}
