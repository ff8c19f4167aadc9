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
 * `keep(id)` names posts the feed must not drop over its cap yet (the viewer's focused post).
 */
export function startPage({ hall, cap, announce = false, minIntervalMs = 0, doc = document, keep = null }) {
  const path = doc.body.getAttribute(BODY.wsPath);
  let layout = null;
  // The hall keeps its shown and waiting posts until their turn is over (docs/frontend.md, Pace).
  const feed = new Feed({ cap, keep: keep || ((id) => layout !== null && layout.keeps(id)) });
  layout = hall ? new Layouts(doc.getElementById(ID.feed), { doc }) : null;
  const view = new FeedView(doc, { hall, announce, layout, minIntervalMs });
  // Screen care beside the view: branding, health reports and reloads, idle highlights, slides.
  const brand = { frame: (change) => change.wall && feed.wall && applyBrand(doc, feed.wall), status() {} };
  const extras = [brand];
  // A named hall screen is opened with its key (`?screen=KEY`, from the admin's console); only
  // such a screen reports its health and takes remote reloads.
  const screen = hall ? new URLSearchParams(doc.defaultView?.location.search ?? "").get("screen") : null;
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
  return Object.freeze({ feed, view, connection: conn, layout, health, interlude,
    pace: layout ? layout.pacer : null });
}
