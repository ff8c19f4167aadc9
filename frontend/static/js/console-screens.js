// The console's "Screens" box: every named hall screen of the wall (an admin names a projector
// and opens it with its key), connected or not, with the health it last reported (from
// GET /api/v1/walls/{slug}/screens), and the Screens count in the header; and, for admins, the
// wall's layout, theme and a remote reload of every screen. Rows are built with textContent only.

import { CONSOLE_ATTR, CONSOLE_CLASS, CONSOLE_ID } from "./hooks.js";
import { el } from "./card.js";

const SILENT_S = 60;   // a screen reports every 30 s: twice that without a word is a problem

/** Return whether named screen `s` needs a look: not connected, or silent for too long. */
export function troubled(s) {
  if (s.connected === false) return true;
  return Number.isFinite(s.age_s) && s.age_s > SILENT_S;
}

/**
 * Return one list row for a named screen `s` ({name, room, connected, ...its last health
 * report}); with `rooms` (an admin's console), a select putting it in a room of the programme.
 */
export function screenRow(s, rooms = null) {
  const age = Number(s.age_s);
  const reported = Number.isFinite(age);
  const li = el("li", `row ${CONSOLE_CLASS.screen}`);
  li.setAttribute(CONSOLE_ATTR.kind, String(s.kind || "hall"));
  if (troubled(s)) li.setAttribute(CONSOLE_ATTR.silent, "");
  const main = el("div", "row__main");
  const size = s.width && s.height ? `${s.width}×${s.height}` : "";
  const title = el("span", "row__title", `${s.name || "Hall screen"} ${size}`.trim());
  title.setAttribute("dir", "auto");
  main.append(title);
  if (reported) {
    const facts = [`seq ${s.seq ?? "?"}`, `${s.reconnects ?? 0} reconnects`, `${s.dom_nodes ?? "?"} DOM nodes`,
      `${s.cards ?? "?"} cards`];
    if (Number.isFinite(s.heap_mb)) facts.push(`${s.heap_mb} MB heap`);
    if (Number.isFinite(s.uptime_s)) facts.push(`up ${Math.round(s.uptime_s / 60)} min`);
    main.append(el("span", "row__sub", facts.join(" · ")));
  } else {
    main.append(el("span", "row__sub", s.connected === false ? "not connected" : "connected, no report yet"));
  }
  let when = "";
  if (s.connected === false) when = "offline";
  else if (reported) when = age > SILENT_S ? `silent ${Math.round(age)} s` : `${Math.round(age)} s ago`;
  li.append(main, el("span", "row__time", when));
  if (s.room) main.append(el("span", "row__sub", `in ${s.room}`));
  if (rooms !== null && Number.isInteger(s.id)) {
    const pick = el("select", "row__select");
    pick.setAttribute(CONSOLE_ATTR.roomFor, String(s.id));
    pick.setAttribute("aria-label", `Room of ${s.name || "this screen"}`);
    const names = [...new Set([...rooms, ...(s.room ? [s.room] : [])])];
    pick.append(el("option", "", "Whole wall"), ...names.map((r) => el("option", "", r)));
    pick.options[0].value = "";
    for (const o of Array.from(pick.options).slice(1)) o.value = o.textContent;
    pick.value = s.room || "";
    li.append(pick);
  }
  if (s.epoch) li.title = `epoch ${s.epoch}`;
  return li;
}

/** Show the named screens in #screens, one row each (not while a room select has the focus). */
export function renderScreens(doc, list, rooms = null) {
  const box = doc.getElementById(CONSOLE_ID.screens);
  if (!box || !Array.isArray(list)) return;
  if (box.contains(doc.activeElement) && doc.activeElement !== box) return;
  const rows = list.filter((s) => s && typeof s === "object").map((s) => screenRow(s, rooms));
  if (rows.length === 0) rows.push(el("li", "rows__empty", "No named screen yet."));
  box.replaceChildren(...rows);
}

/**
 * The Screens panel of a console `ctx` ({doc, api, slug, say}): `show(list)` takes the answer of
 * GET …/screens. The named screens are counted apart in the header, red when one is offline or
 * silent, so a frozen projector shows.
 */
export function createScreens({ doc, api, slug, say }) {
  const $ = (id) => doc.getElementById(id);
  const admin = $(CONSOLE_ID.wallLook) !== null;
  let rooms = admin ? [] : null;   // the programme's rooms, for the admin's room selects
  const loadRooms = async () => {
    const r = await api.request("GET", `/api/v1/walls/${encodeURIComponent(slug)}/programme`);
    if (admin && r.ok && Array.isArray(r.data?.rooms)) rooms = r.data.rooms.map((x) => String(x.name));
  };
  if (admin) loadRooms();
  wireWallControls(doc, api, slug, (text, tone) => say(text, tone, 3000));
  wireScreenForm(doc, api, slug, (text, tone) => say(text, tone, 5000));
  wireProgramme(doc, slug, (text, tone) => say(text, tone, 6000), loadRooms);
  $(CONSOLE_ID.screens)?.addEventListener("change", async (event) => {
    const pick = event.target.closest?.(`select[${CONSOLE_ATTR.roomFor}]`);
    if (!pick) return;
    const id = pick.getAttribute(CONSOLE_ATTR.roomFor);
    const r = await api.request("PUT", `/api/v1/walls/${encodeURIComponent(slug)}/screens/${id}/room`,
      { room: pick.value || null });
    say(r.ok ? `${r.data.name}: ${r.data.room ? `in ${r.data.room}` : "the whole wall"}.` : `Could not set the room: ${r.detail}`,
      r.ok ? "ok" : "error", 4000);
    pick.blur();
  });
  return {
    show(list) {
      if (!Array.isArray(list)) return;
      const box = $(CONSOLE_ID.countScreensBox);
      const connected = list.filter((x) => x && x.connected !== false);
      const trouble = list.filter((x) => x && troubled(x));
      box.hidden = list.length === 0;
      $(CONSOLE_ID.countScreens).textContent = `${connected.length}/${list.length}`;
      box.classList.toggle(CONSOLE_CLASS.alert, trouble.length > 0);
      box.title = `${connected.length} of ${list.length} named screen(s) connected`
        + (trouble.length > 0 ? `; ${trouble.length} offline or silent for over ${SILENT_S} s` : "");
      renderScreens(doc, list, rooms);
    },
  };
}

/**
 * Wire the admin's programme upload: the file goes as it is (PUT, its own content type); the
 * answer says how many sessions came in, or the server's one line naming the entry that is wrong.
 */
export function wireProgramme(doc, slug, say, loaded = () => {}) {
  const form = doc.getElementById(CONSOLE_ID.programmeForm);
  if (!form) return;
  const input = doc.getElementById(CONSOLE_ID.programmeFile);
  const status = doc.getElementById(CONSOLE_ID.programmeStatus);
  const TYPES = { json: "application/json", ics: "text/calendar", ical: "text/calendar", csv: "text/csv" };
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const file = input.files && input.files[0];
    if (!file) return;
    const ext = file.name.toLowerCase().split(".").pop();
    let text;
    let ok = false;
    try {
      const r = await fetch(`/api/v1/walls/${encodeURIComponent(slug)}/programme?name=${encodeURIComponent(file.name)}`, {
        method: "PUT", credentials: "same-origin", body: file,
        headers: { accept: "application/json", "content-type": TYPES[ext] || "application/octet-stream" },
      });
      const data = await r.json().catch(() => null);
      ok = r.ok;
      text = r.ok
        ? `${data.sessions} sessions in ${data.rooms.length} rooms (${data.added} new, ${data.changed} changed, ${data.removed} removed).`
        : `Not imported: ${data && typeof data.detail === "string" ? data.detail : `error ${r.status}`}`;
    } catch {
      text = "Not imported: the server could not be reached.";
    }
    status.textContent = text;
    status.hidden = false;
    say(text, ok ? "ok" : "error");
    if (ok) loaded();
  });
}

/** Wire the admin's layout and theme selects and the reload button; report through `say`. */
export function wireWallControls(doc, api, slug, say) {
  const form = doc.getElementById(CONSOLE_ID.wallLook);
  if (!form) return;
  const url = `/api/v1/walls/${encodeURIComponent(slug)}`;
  for (const [name, id] of [["layout", CONSOLE_ID.wallLayout], ["theme", CONSOLE_ID.wallTheme]]) {
    const select = doc.getElementById(id);
    select.addEventListener("change", async () => {
      const r = await api.request("PATCH", url, { [name]: select.value });
      say(r.ok ? `Screens switched to ${select.value}.` : `Could not change the ${name}: ${r.detail}`, r.ok ? "ok" : "error");
    });
  }
  doc.getElementById(CONSOLE_ID.wallReload).addEventListener("click", async () => {
    const r = await api.request("POST", `${url}/reload`);
    say(r.ok ? "Every screen of this wall reloads now." : `Could not reload: ${r.detail}`, r.ok ? "ok" : "error");
  });
}

/**
 * Wire the admin's "name a hall screen" form: the new screen's URL (with its key) is shown once,
 * to open on the projector; only such a screen reports its health and takes remote reloads.
 */
export function wireScreenForm(doc, api, slug, say) {
  const form = doc.getElementById(CONSOLE_ID.screenAdd);
  if (!form) return;
  const name = doc.getElementById(CONSOLE_ID.screenName);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const r = await api.request("POST", `/api/v1/walls/${encodeURIComponent(slug)}/screens`,
      { name: name.value });
    if (!r.ok) {
      say(`Could not add the screen: ${r.detail}`, "error");
      return;
    }
    doc.getElementById(CONSOLE_ID.screenUrlValue).textContent = r.data.url;
    doc.getElementById(CONSOLE_ID.screenUrl).hidden = false;
    name.value = "";
    say(`Screen "${r.data.name}" added: open its address on the projector.`, "ok");
  });
}
