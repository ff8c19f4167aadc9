// The console's "Screens" box: every hall screen that reports its health, one row each, and the
// remote viewers as one count (from GET /api/v1/walls/{slug}/screens), the Screens count in the
// header; and, for admins, the wall's layout, theme and a remote reload of every screen.
// Rows are built with textContent only.

import { CONSOLE_ATTR, CONSOLE_CLASS, CONSOLE_ID } from "./hooks.js";
import { el } from "./card.js";

const SILENT_S = 60;   // a screen reports every 30 s: twice that without a word is a problem

/** Return one list row for a screen's health report `s`. */
export function screenRow(s) {
  const age = Number(s.age_s) || 0;
  const li = el("li", `row ${CONSOLE_CLASS.screen}`);
  li.setAttribute(CONSOLE_ATTR.kind, String(s.kind || "?"));
  if (age > SILENT_S) li.setAttribute(CONSOLE_ATTR.silent, "");
  const main = el("div", "row__main");
  const size = s.width && s.height ? `${s.width}×${s.height}` : "";
  main.append(el("span", "row__title", `${s.kind === "hall" ? "Hall screen" : "Viewer"} ${size}`.trim()));
  const facts = [`seq ${s.seq ?? "?"}`, `${s.reconnects ?? 0} reconnects`, `${s.dom_nodes ?? "?"} DOM nodes`,
    `${s.cards ?? "?"} cards`];
  if (Number.isFinite(s.heap_mb)) facts.push(`${s.heap_mb} MB heap`);
  if (Number.isFinite(s.uptime_s)) facts.push(`up ${Math.round(s.uptime_s / 60)} min`);
  main.append(el("span", "row__sub", facts.join(" · ")));
  li.append(main, el("span", "row__time", age > SILENT_S ? `silent ${Math.round(age)} s` : `${Math.round(age)} s ago`));
  li.title = `${s.peer || ""} epoch ${s.epoch || "?"}`;
  return li;
}

/** Show the hall screens in #screens, one row each, and the remote viewers as one count. */
export function renderScreens(doc, list) {
  const box = doc.getElementById(CONSOLE_ID.screens);
  if (!box || !Array.isArray(list)) return;
  const halls = list.filter((s) => s && s.kind === "hall");
  const viewers = list.length - halls.length;
  const rows = halls.map(screenRow);
  if (viewers > 0) rows.push(el("li", "row row--viewers", `${viewers} remote viewer(s) reporting`));
  if (rows.length === 0) rows.push(el("li", "rows__empty", "No screen has reported yet."));
  box.replaceChildren(...rows);
}

/**
 * The Screens panel of a console `ctx` ({doc, api, slug, say}): `show(list)` takes the answer of
 * GET …/screens. Screens that report their health (seq, DOM size, memory) are counted apart in
 * the header, with the stalest report, so a frozen projector shows.
 */
export function createScreens({ doc, api, slug, say }) {
  const $ = (id) => doc.getElementById(id);
  wireWallControls(doc, api, slug, (text, tone) => say(text, tone, 3000));
  return {
    show(list) {
      if (!Array.isArray(list)) return;
      const box = $(CONSOLE_ID.countScreensBox);
      box.hidden = list.length === 0;
      $(CONSOLE_ID.countScreens).textContent = String(list.length);
      const stalest = Math.max(0, ...list.map((x) => Number(x.age_s) || 0));
      box.classList.toggle(CONSOLE_CLASS.alert, stalest > SILENT_S);
      box.title = `${list.length} screen(s) reporting health; oldest report ${Math.round(stalest)} s ago`;
      renderScreens(doc, list);
    },
  };
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
