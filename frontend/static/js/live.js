// Remote viewer entry: a single column (an ARIA feed), links to the originals, new posts
// announced politely (pausable), "post to #TAG" links, and keys to move post to post.
import { startPage } from "./page.js";
import { BODY, ID } from "./hooks.js";
import { wireJoin } from "./join.js";
import { Watch } from "./watch.js";
import { fetchJson } from "./session.js";

export const VIEWER_CAP = 200;
const ANNOUNCE_KEY = "tweetwall:announce";

const feedBox = document.getElementById(ID.feed);

// The posts a reader is on are never dropped over the cap: the focused one, and those on screen.
const onScreen = new Set();
const watcher = new IntersectionObserver((entries) => {
  for (const e of entries) {
    const id = e.target.getAttribute("data-post-id");
    if (e.isIntersecting) onScreen.add(id);
    else onScreen.delete(id);
  }
});
new MutationObserver((records) => {
  for (const r of records) {
    for (const n of r.addedNodes) if (n.nodeType === 1) watcher.observe(n);
    for (const n of r.removedNodes) if (n.nodeType === 1) {
      watcher.unobserve(n);
      onScreen.delete(n.getAttribute("data-post-id"));
    }
  }
}).observe(feedBox, { childList: true });
const focusedId = () => document.activeElement?.closest?.("[data-post-id]")?.getAttribute("data-post-id") ?? null;

// Follow a room or a session of the programme ("watch Hall 210"); its posts stay too.
let watch = null;
const page = startPage({ hall: false, cap: VIEWER_CAP, announce: true,
  keep: (id) => onScreen.has(id) || focusedId() === id,
  onWall: (wall) => watch && watch.wall(wall) });
watch = new Watch({ doc: document, slug: document.body.getAttribute(BODY.slug), view: page.view, fetchJson });
globalThis.tweetwall = page;

// Announcements on or off, remembered.
const toggle = document.getElementById(ID.announcerToggle);
if (toggle) {
  let on = true;
  try {
    on = localStorage.getItem(ANNOUNCE_KEY) !== "off";
  } catch { /* storage off: announce */ }
  toggle.checked = on;
  page.view.setAnnouncing(on);
  toggle.addEventListener("change", () => {
    page.view.setAnnouncing(toggle.checked);
    try {
      localStorage.setItem(ANNOUNCE_KEY, toggle.checked ? "on" : "off");
    } catch { /* for this page only */ }
  });
}

wireJoin(document, () => page.feed.wall);

watch.start();

// j / k and Page Down / Page Up (the ARIA feed pattern) move between posts; Tab still walks
// every link.
const NEXT = new Set(["j", "PageDown"]);
const PREV = new Set(["k", "PageUp"]);
document.addEventListener("keydown", (event) => {
  if (event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
  const forward = NEXT.has(event.key);
  if (!forward && !PREV.has(event.key)) return;
  const target = event.target;
  if (target instanceof HTMLElement && target.closest("input, textarea, select, [contenteditable]")) return;
  const current = document.activeElement && document.activeElement.closest("[data-post-id]");
  // Page keys belong to the page unless the reader is in the feed.
  if (event.key.startsWith("Page") && !current) return;
  const cards = Array.from(feedBox.children);
  if (cards.length === 0) return;
  const at = cards.indexOf(current);
  const next = forward ? Math.min(cards.length - 1, at + 1) : Math.max(0, at - 1);
  cards[next].focus();
  event.preventDefault();
});
