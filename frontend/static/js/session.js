// A hall screen in a room of the programme (docs/programme.md): the strip with the session on
// now (title, speakers, time left) or the next one (with a countdown), the session's posts
// marked and given precedence over the rest of the wall (the Pacer's priority; pace.js keeps
// the pace). The room comes from `?room=NAME`, or from the named screen's key
// (`GET …/screens/mine`); the programme from `GET …/programme?room=`, fetched again every
// REFRESH_MS and whenever a `wall` event brings a new `programme_rev`.

import { BODY, CARD, ID, STRIP } from "./hooks.js";
import { Programme, belongsTo, postKeys, programmeChanged, span } from "./programme.js";
import { cleanText } from "./format.js";

const TICK_MS = 1000;
const REFRESH_MS = 5 * 60_000;

function clock(ms, timeZone) {
  // As the header's clock writes the time (page.js): the locale says 12 or 24 hours.
  const opts = { hour: "numeric", minute: "2-digit" };
  try {
    return new Intl.DateTimeFormat(undefined, { ...opts, timeZone: timeZone || undefined }).format(ms);
  } catch {
    return new Intl.DateTimeFormat(undefined, opts).format(ms);
  }
}

function speakers(session) {
  const names = Array.isArray(session.speakers) ? session.speakers.map((s) => cleanText(String(s.name || ""))).filter(Boolean) : [];
  return names.join(" · ");
}

export class RoomSession {
  /**
   * `room` (a name, or null until the screen's key tells it), `screenKey` (a named screen's
   * key, or null), `feed` (state.js Feed: the posts by id), `fetchJson(url, headers)`.
   */
  constructor({ doc, slug, room = null, screenKey = null, feed, fetchJson, win = globalThis }) {
    this.doc = doc;
    this.slug = slug;
    this.room = room;
    this.screenKey = screenKey;
    this.feed = feed;
    this.fetchJson = fetchJson;
    this.win = win;
    this.programme = new Programme();
    this.current = null;            // the session on now in the room, or null
    this.verdicts = new Map();      // post id -> belongs to `current`
    this.rev = undefined;           // the wall's programme_rev the programme was fetched for
    this.pacer = null;              // set by the page once the layouts exist
    this.strip = doc.getElementById(ID.sessionStrip);
    this.shown = "";
  }

  /** Return whether the post `id` belongs to the session on now in the room (cached). */
  priority(id) {
    if (this.current === null) return false;
    let verdict = this.verdicts.get(id);
    if (verdict === undefined) {
      const post = this.feed.byId.get(id);
      verdict = post ? belongsTo(postKeys(post), this.current.match) : false;
      if (post) this.verdicts.set(id, verdict);
    }
    return verdict;
  }

  /** Follow a `wall` event: a new programme_rev (an import, a room assigned) fetches again. */
  wall(wall) {
    if (programmeChanged(this, wall)) this.refresh();
  }

  start() {
    this.refresh();
    this.win.setInterval(() => this.tick(), TICK_MS);
    this.win.setInterval(() => this.refresh(), REFRESH_MS);
  }

  async refresh() {
    if (this.screenKey) {
      const mine = await this.fetchJson(`/api/v1/walls/${encodeURIComponent(this.slug)}/screens/mine`,
        { "X-Screen-Key": this.screenKey });
      if (mine) this.room = typeof mine.room === "string" && mine.room ? mine.room : null;
    }
    if (this.room === null) {
      this.programme.update({ sessions: [] });
    } else {
      const data = await this.fetchJson(`/api/v1/walls/${encodeURIComponent(this.slug)}/programme?room=${encodeURIComponent(this.room)}`);
      if (data) this.programme.update(data);
    }
    this.tick(true);
  }

  /** Show the session on now or the next one; when it changes, mark the cards again. */
  tick(force = false) {
    const body = this.doc.body;
    if (this.room === null) body.removeAttribute(BODY.room);
    else body.setAttribute(BODY.room, this.room);
    const now = this.programme.now();
    const current = this.room === null ? null : this.programme.current(this.room, now);
    if (force || (current?.id ?? null) !== (this.current?.id ?? null)) {
      this.current = current;
      this.verdicts.clear();
      if (current) body.setAttribute(BODY.session, current.id);
      else body.removeAttribute(BODY.session);
      this.mark();
      if (this.pacer) this.pacer.reorder();
    }
    this.#draw(now);
  }

  /** Mark each card of the session on now (`data-in-session`), unmark the others. */
  mark(container = this.doc.getElementById(ID.feed)) {
    if (!container) return;
    for (const card of container.children) {
      const yes = this.priority(card.getAttribute(CARD.postId));
      if (yes !== card.hasAttribute(CARD.inSession)) card.toggleAttribute(CARD.inSession, yes);
    }
  }

  #draw(now) {
    const strip = this.strip;
    if (!strip) return;
    const next = this.current ? null : this.room === null ? null : this.programme.next(this.room, now);
    const session = this.current || next;
    if (!session) {
      strip.hidden = true;
      return;
    }
    const tz = this.programme.timezone;
    const room = cleanText(this.room);
    const parts = this.current
      ? { label: `${room} · now`, title: cleanText(String(session.title || "")), speakers: speakers(session),
        time: `${span(session.endMs - now)} left · until ${clock(session.endMs, tz)}` }
      : { label: `${room} · next`, title: cleanText(String(session.title || "")), speakers: speakers(session),
        time: `in ${span(session.startMs - now)} · ${clock(session.startMs, tz)}` };
    const key = JSON.stringify(parts);
    if (key === this.shown && !strip.hidden) return;
    this.shown = key;
    strip.setAttribute(STRIP.state, this.current ? "now" : "next");
    for (const [name, text] of Object.entries(parts)) {
      const el = strip.querySelector(`[${STRIP.part}="${name}"]`);
      if (el && el.textContent !== text) el.textContent = text;
      if (el) el.hidden = text === "";
    }
    strip.hidden = false;
  }
}

/** Return the JSON of a GET to `url` (same origin), or null on any failure. */
export async function fetchJson(url, headers = {}) {
  try {
    const r = await fetch(url, { headers: { Accept: "application/json", ...headers }, credentials: "same-origin" });
    return r.ok ? await r.json() : null;
  } catch {
    return null;
  }
}
