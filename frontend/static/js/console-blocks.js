// The console's Blocks box: block a keyword or phrase (every post it matches leaves the wall and
// the queue at once), and the blocks in force, each with a remove button. Authors are blocked
// from a post (`b`, console-decide.js).

import { CONSOLE_ATTR, CONSOLE_ID, CONSOLE_SEL } from "./hooks.js";
import { el } from "./card.js";
import { removableRow } from "./console-view.js";

/** The Blocks box of a console `ctx` ({doc, api, state, say}); `onHidden(ids)` gets what a block hid. */
export function createBlocks({ doc, api, state, say }, { onHidden }) {
  const $ = (id) => doc.getElementById(id);
  const list = $(CONSOLE_ID.blocks);

  async function load() {
    const r = await api.blocks();
    if (!r.ok || !Array.isArray(r.data)) return;
    const rows = r.data.map((b) => removableRow(b.kind === "author" ? `Author ${b.value}` : `“${b.value}”`,
      `${b.kind}${b.created_by ? ` · by ${b.created_by}` : ""}`, "Remove",
      { [CONSOLE_ATTR.kind]: b.kind, [CONSOLE_ATTR.value]: b.value }));
    list.replaceChildren(...rows);
    if (rows.length === 0) list.append(el("li", "rows__empty", "No blocks."));
  }

  $(CONSOLE_ID.blockForm).addEventListener("submit", async (event) => {
    event.preventDefault();
    const value = $(CONSOLE_ID.blockValue).value.trim();
    if (!value) return;
    const form = event.target;
    const r = await state.requests.track(api.addBlock("keyword", value));
    if (!r.ok) {
      say(`Could not block: ${r.detail}.`, r.status === 409 ? "warn" : "error", 6000);
      return;
    }
    form.reset();
    onHidden(r.data.hidden || []);
    say(`Blocked “${value}”: ${(r.data.hidden || []).length} post(s) hidden.`, "ok");
    load();
  });

  list.addEventListener("click", async (event) => {
    const button = event.target.closest(CONSOLE_SEL.blockButton);
    if (!button) return;
    button.disabled = true;
    const r = await state.requests.track(
      api.removeBlock(button.getAttribute(CONSOLE_ATTR.kind), button.getAttribute(CONSOLE_ATTR.value)));
    if (!r.ok && r.status !== 404) say(`Could not remove the block: ${r.detail}.`, "error");
    else say("Block removed. Posts hidden by it stay hidden; unhide them one by one.", "info");
    load();
  });

  return { load };
}
