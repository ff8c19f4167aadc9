// The console's keyboard: one table of shortcuts, used to dispatch keys and to draw the help
// overlay and the strip of keys at the bottom. No DOM beyond reading a KeyboardEvent.

import { CONSOLE_SEL } from "./hooks.js";

/**
 * Every shortcut: the keys (KeyboardEvent.key values), the command, a short word for the strip
 * at the bottom and a longer one for the help overlay.
 */
export const SHORTCUTS = Object.freeze([
  { keys: ["j", "ArrowDown"], command: "next", short: "next", label: "Next post", show: "j ↓" },
  { keys: ["k", "ArrowUp"], command: "prev", short: "previous", label: "Previous post", show: "k ↑" },
  { keys: ["a"], command: "approve", short: "approve", label: "Approve (queue)", show: "a" },
  { keys: ["h"], command: "hide", short: "hide", label: "Hide", show: "h" },
  { keys: ["p"], command: "pin", short: "pin", label: "Pin / unpin (queue: approve and pin)", show: "p" },
  { keys: ["b"], command: "block", short: "block author", label: "Block the author (asks first)", show: "b" },
  { keys: ["u"], command: "undo", short: "undo", label: "Undo your last decision", show: "u" },
  { keys: ["Tab"], command: "switch", short: "queue ⇄ wall", label: "Switch between queue and wall", show: "Tab" },
  { keys: ["/"], command: "filter", short: "filter", label: "Filter the queue", show: "/" },
  { keys: ["o"], command: "open", short: "open original", label: "Open the original post", show: "o" },
  { keys: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"], command: "category", short: "category",
    label: "Give the selected post's author a category (the numbers below); 0 takes it away", show: "1–9" },
  { keys: ["?"], command: "help", short: "all shortcuts", label: "Show these shortcuts", show: "?" },
]);

const BY_KEY = new Map(SHORTCUTS.flatMap((s) => s.keys.map((k) => [k, s.command])));

/** Return whether the event's target takes typing (then only Escape is ours). */
export function isTyping(target) {
  if (!target || typeof target.closest !== "function") return false;
  return target.closest(CONSOLE_SEL.typing) !== null;
}

/**
 * Return the command for a keydown `event`, or null when it is not ours: keys with Ctrl, Alt
 * or Meta, keys typed into a field, and Tab while focus is in the side panels stay the browser's.
 */
export function commandFor(event) {
  if (event.ctrlKey || event.metaKey || event.altKey) return null;
  if (event.key === "Escape") return isTyping(event.target) ? "leave" : null;
  if (isTyping(event.target)) return null;
  if (event.key === "Tab") {
    const t = event.target;
    const inLists = !t || t === t.ownerDocument?.body || (typeof t.closest === "function" && t.closest(CONSOLE_SEL.list) !== null);
    return inLists ? "switch" : null;
  }
  const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
  return BY_KEY.get(key) || null;
}
