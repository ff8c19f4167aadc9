// The console's Announcements box: send a line to every screen of the wall, now or in a time
// window, and withdraw it. The screens get it on their stream; this box lists what is in force.

import { CONSOLE_ATTR, CONSOLE_ID, CONSOLE_SEL } from "./hooks.js";
import { el } from "./card.js";
import { removableRow } from "./console-view.js";

/** Return when announcement `a` shows, in words ("showing now, until Thu 10:00"). */
export function when(a, nowMs = Date.now()) {
  const fmt = (iso) => new Date(iso).toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
  if (a.starts_at && Date.parse(a.starts_at) > nowMs) return `from ${fmt(a.starts_at)}${a.ends_at ? ` to ${fmt(a.ends_at)}` : ""}`;
  if (a.ends_at && Date.parse(a.ends_at) <= nowMs) return `ended ${fmt(a.ends_at)}`;
  return a.ends_at ? `showing now, until ${fmt(a.ends_at)}` : "showing now";
}

/** The Announcements box of a console `ctx` ({doc, api, say}). */
export function createAnnouncements({ doc, api, say }) {
  const $ = (id) => doc.getElementById(id);
  const list = $(CONSOLE_ID.announcements);

  async function load() {
    const r = await api.announcements();
    if (!r.ok || !Array.isArray(r.data)) return;
    const rows = r.data.map((a) => removableRow(a.text, `${when(a)}${a.created_by ? ` · ${a.created_by}` : ""}`,
      "Withdraw", { [CONSOLE_ATTR.withdraw]: a.id }));
    list.replaceChildren(...rows);
    if (rows.length === 0) list.append(el("li", "rows__empty", "No announcements."));
  }

  $(CONSOLE_ID.announceForm).addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = $(CONSOLE_ID.announceText).value.trim();
    if (!text) return;
    const iso = (input) => (input.value ? new Date(input.value).toISOString() : null);
    const starts = iso($(CONSOLE_ID.announceStart));
    const ends = iso($(CONSOLE_ID.announceEnd));
    if (starts && ends && Date.parse(ends) <= Date.parse(starts)) {
      say("The end must be after the start.", "warn");
      return;
    }
    const form = event.target;
    const r = await api.announce(text, starts, ends);
    if (!r.ok) {
      say(`Could not announce: ${r.detail}.`, "error", 6000);
      return;
    }
    form.reset();
    say("Announcement sent to the screens.", "ok", 2500);
    load();
  });

  list.addEventListener("click", async (event) => {
    const button = event.target.closest(CONSOLE_SEL.withdrawButton);
    if (!button) return;
    button.disabled = true;
    const r = await api.withdraw(button.getAttribute(CONSOLE_ATTR.withdraw));
    if (!r.ok && r.status !== 404) say(`Could not withdraw: ${r.detail}.`, "error");
    load();
  });

  return { load };
}
