// Remote viewer entry: a single column, links to the originals, new posts announced politely.
import { startPage } from "./page.js";
import { ID } from "./hooks.js";

export const VIEWER_CAP = 200;

globalThis.tweetwall = startPage({ hall: false, cap: VIEWER_CAP, announce: true });

// j / k move between posts, as on most feed readers; Tab still walks every link.
document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  if (event.key !== "j" && event.key !== "k") return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
  const cards = Array.from(document.getElementById(ID.feed).children);
  if (cards.length === 0) return;
  const current = cards.indexOf(document.activeElement && document.activeElement.closest(".card"));
  const next = event.key === "j" ? Math.min(cards.length - 1, current + 1) : Math.max(0, current - 1);
  cards[next].focus();
  event.preventDefault();
});
