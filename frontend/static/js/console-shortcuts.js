// The console's keyboard on the page: the strip of keys at the bottom, the help overlay, and
// keydown dispatched to commands (the table and the key rules are in console-keys.js).

import { CONSOLE_ID, CONSOLE_SEL } from "./hooks.js";
import { el } from "./card.js";
import { SHORTCUTS, commandFor } from "./console-keys.js";

/**
 * Draw the keys and send each command to `commands[command](event)` ("help" is handled here;
 * "category" reads the digit from the event).
 */
export function wireShortcuts(doc, commands) {
  const $ = (id) => doc.getElementById(id);
  const all = { help: () => $(CONSOLE_ID.help).showModal(), ...commands };
  const strip = $(CONSOLE_ID.keys);
  const help = $(CONSOLE_ID.helpKeys);
  for (const s of SHORTCUTS) {
    const item = el("span", "keys__item");
    item.append(el("kbd", "", s.show), el("span", "", s.short));
    strip.append(item);
    help.append(el("dt", "", s.show), el("dd", "", s.label));
  }
  doc.addEventListener("keydown", (event) => {
    if (doc.querySelector(CONSOLE_SEL.openDialog)) return;   // the dialog has the keys
    const command = commandFor(event);
    if (command === null || !all[command]) return;
    event.preventDefault();
    all[command](event);
  });
}
