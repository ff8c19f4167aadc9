// The viewer follows one room or one session ("watch Hall 210"): the stream shows only the
// posts that belong to that room's sessions (or to that session), and "Now in Hall 210: …"
// says what is on beside it. The choice is in the address (`?room=NAME` or `?session=ID`), so
// it can be shared; the programme comes from `GET …/programme` and again on a new
// `programme_rev`.

import { BODY, ID } from "./hooks.js";
import { Programme, belongsTo, postKeys, programmeChanged, span } from "./programme.js";
import { cleanText } from "./format.js";

const TICK_MS = 30_000;

function when(ms, timeZone) {
  const opts = { weekday: "short", hour: "numeric", minute: "2-digit" };
  try {
    return new Intl.DateTimeFormat(undefined, { ...opts, timeZone: timeZone || undefined }).format(ms);
  } catch {
    return new Intl.DateTimeFormat(undefined, opts).format(ms);
  }
}

function option(doc, value, label) {
  const el = doc.createElement("option");
  el.value = value;
  el.textContent = label;
  return el;
}

export class Watch {
  constructor({ doc, slug, view, fetchJson, win = globalThis }) {
    this.doc = doc;
    this.slug = slug;
    this.view = view;
    this.fetchJson = fetchJson;
    this.win = win;
    this.programme = new Programme();
    this.form = doc.getElementById(ID.watch);
    this.select = doc.getElementById(ID.watchSelect);
    this.note = doc.getElementById(ID.nowIn);
    const query = new URLSearchParams(win.location?.search ?? "");
    this.choice = query.get("session") ? `session:${query.get("session")}` : query.get("room") ? `room:${query.get("room")}` : "";
    this.rev = undefined;
  }

  start() {
    if (!this.select) return;
    this.select.addEventListener("change", () => this.choose(this.select.value, true));
    this.refresh();
    this.win.setInterval(() => this.#say(), TICK_MS);
  }

  /** Follow a `wall` event: a new programme_rev (an import, a room assigned) fetches again. */
  wall(wall) {
    if (programmeChanged(this, wall)) this.refresh();
  }

  async refresh() {
    const data = await this.fetchJson(`/api/v1/walls/${encodeURIComponent(this.slug)}/programme`);
    if (!data) return;
    this.programme.update(data);
    this.#options();
    this.choose(this.choice, false);
  }

  #options() {
    const doc = this.doc;
    const keep = this.choice;
    this.select.replaceChildren(option(doc, "", "Everything on the wall"));
    const rooms = this.programme.rooms();
    if (rooms.length > 0) {
      const group = doc.createElement("optgroup");
      group.label = "A room";
      for (const room of rooms) group.append(option(doc, `room:${room}`, cleanText(room)));
      this.select.append(group);
      const sessions = doc.createElement("optgroup");
      sessions.label = "A session";
      for (const s of this.programme.sessions) {
        sessions.append(option(doc, `session:${s.id}`,
          `${when(s.startMs, this.programme.timezone)} · ${cleanText(s.room)} · ${cleanText(String(s.title || ""))}`));
      }
      this.select.append(sessions);
    }
    if (this.form) this.form.hidden = rooms.length === 0;
    this.select.value = keep;
  }

  /** Follow `value` ("", "room:NAME", "session:ID"); `remember` puts it in the address. */
  choose(value, remember) {
    const [kind, ...rest] = String(value || "").split(":");
    const name = rest.join(":");
    const session = kind === "session" ? this.programme.byId(name) : null;
    const room = kind === "room" && this.programme.rooms().includes(name) ? name : session ? session.room : null;
    this.choice = session ? `session:${session.id}` : room ? `room:${room}` : "";
    if (this.select && this.select.value !== this.choice) this.select.value = this.choice;
    const body = this.doc.body;
    if (room) body.setAttribute(BODY.room, room);
    else body.removeAttribute(BODY.room);
    if (session) body.setAttribute(BODY.session, session.id);
    else body.removeAttribute(BODY.session);
    const mine = session ? [session] : room ? this.programme.sessions.filter((s) => s.room === room) : null;
    this.view.setFilter(mine === null ? null : (post) => {
      const keys = postKeys(post);
      return keys !== null && mine.some((s) => belongsTo(keys, s.match));
    });
    if (remember && this.win.history) {
      const url = new URL(this.win.location.href);
      url.searchParams.delete("room");
      url.searchParams.delete("session");
      if (session) url.searchParams.set("session", session.id);
      else if (room) url.searchParams.set("room", room);
      this.win.history.replaceState(null, "", url);
    }
    this.#say();
  }

  /** "Now in Hall 210: Title · speakers · 42 min left", or what comes next. */
  #say() {
    if (!this.note) return;
    const [kind, ...rest] = this.choice.split(":");
    const name = rest.join(":");
    const now = this.programme.now();
    const tz = this.programme.timezone;
    let text = "";
    if (kind === "room") {
      const on = this.programme.current(name, now);
      const next = this.programme.next(name, now);
      const room = cleanText(name);
      if (on) text = `Now in ${room}: ${cleanText(on.title)} · ${span(on.endMs - now)} left`;
      else if (next) text = `Next in ${room}: ${cleanText(next.title)} · ${when(next.startMs, tz)}, in ${span(next.startMs - now)}`;
      else text = `Nothing more in ${room}.`;
      const names = (on || next)?.speakers?.map((s) => cleanText(String(s.name || ""))).filter(Boolean) ?? [];
      if (names.length) text += ` · ${names.join(", ")}`;
    } else if (kind === "session") {
      const s = this.programme.byId(name);
      if (s) {
        const state = now < s.startMs ? `starts in ${span(s.startMs - now)}` : now < s.endMs ? `on now, ${span(s.endMs - now)} left` : "ended";
        text = `${cleanText(s.title)} · ${cleanText(s.room)} · ${when(s.startMs, tz)} · ${state}`;
      }
    }
    if (this.note.textContent !== text) this.note.textContent = text;
    this.note.hidden = text === "";
  }
}
