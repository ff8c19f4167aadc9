// "Post to #TAG" on each network the wall follows (docs/frontend.md, "Join in"): X's and
// Bluesky's compose intents with the hashtag filled in, and Mastodon through the reader's own
// server, asked once and remembered in localStorage. The pure helpers run under node
// (tests/browser/js/join.test.mjs); `wireJoin` runs on the viewer.

import { ID } from "./hooks.js";

const SERVER_KEY = "tweetwall:mastodon-server";
// A host name: dot-separated labels of letters, digits and inner hyphens, a letter-ish top
// label; no scheme, port, path, user or IP address literal.
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Return the networks to offer for a wall's `sources` (a replay stands in for all three). */
export function joinNetworks(sources) {
  const list = Array.isArray(sources) ? sources : [];
  const all = ["x", "bluesky", "mastodon"];
  return list.includes("replay") ? all : all.filter((n) => list.includes(n));
}

/** Return the text a new post starts with: the wall's hashtags, "#ASNR14 ". */
export function composeText(hashtags) {
  const tags = (Array.isArray(hashtags) ? hashtags : []).map((t) => `#${String(t).replace(/^#/, "")}`);
  return tags.length > 0 ? `${tags.join(" ")} ` : "";
}

/**
 * Return the Mastodon server named by what a reader typed — "mastodon.social",
 * "https://mastodon.social/", "@me@mastodon.social" — as a lowercase host, or null.
 */
export function mastodonHost(typed) {
  if (typeof typed !== "string") return null;
  let host = typed.trim().toLowerCase();
  if (host.includes("@")) host = host.slice(host.lastIndexOf("@") + 1);
  host = host.replace(/^https?:\/\//, "").replace(/\/+$/, "");
  if (host.length === 0 || host.length > 253 || !host.includes(".")) return null;
  const labels = host.split(".");
  if (!labels.every((l) => LABEL.test(l))) return null;
  if (/^[0-9]+$/.test(labels[labels.length - 1])) return null;   // no IPv4 literal
  if (host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) return null;
  return host;
}

/** Return the compose URL on `network` for `text` ("mastodon" needs the reader's `server`). */
export function composeUrl(network, text, server = null) {
  const q = encodeURIComponent(text);
  if (network === "x") return `https://x.com/intent/post?text=${q}`;
  if (network === "bluesky") return `https://bsky.app/intent/compose?text=${q}`;
  if (network === "mastodon") {
    const host = mastodonHost(server);
    return host === null ? null : `https://${host}/share?text=${q}`;
  }
  return null;
}

function readServer(win) {
  try {
    return mastodonHost(win.localStorage.getItem(SERVER_KEY));
  } catch {
    return null;
  }
}

function saveServer(win, host) {
  try {
    if (host === null) win.localStorage.removeItem(SERVER_KEY);
    else win.localStorage.setItem(SERVER_KEY, host);
  } catch { /* private mode: remembered for this page only */ }
}

/**
 * Wire the viewer's Mastodon link (#join-in): without a known server the link opens the form
 * asking for it; with one it is a plain link to that server's share page. `wall()` returns
 * the wall's current public settings (the hashtags may change live).
 */
export function wireJoin(doc, wall, win = globalThis) {
  const box = doc.getElementById(ID.join);
  const form = doc.getElementById(ID.mastodonForm);
  if (!box || !form) return;
  const link = box.querySelector("a[data-network='mastodon']");
  const change = box.querySelector("button[data-change-server]");
  const input = form.querySelector("input");
  const error = form.querySelector("[role=alert]");
  let server = readServer(win);
  const text = () => composeText((wall() || {}).hashtags || box.dataset.hashtags?.split(" ") || []);
  const show = () => {
    const url = composeUrl("mastodon", text(), server);
    if (url) link.setAttribute("href", url);
    else link.setAttribute("href", "#mastodon-server");
    link.querySelector("[data-server]").textContent = server ? ` (${server})` : "";
    if (change) change.hidden = server === null;
  };
  show();
  link.addEventListener("click", (event) => {
    if (server !== null) {
      link.setAttribute("href", composeUrl("mastodon", text(), server));
      return;   // the link opens the share page in a new tab
    }
    event.preventDefault();
    form.hidden = false;
    input.focus();
  });
  change?.addEventListener("click", () => {
    form.hidden = false;
    input.value = server || "";
    input.focus();
    input.select();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const host = mastodonHost(input.value);
    if (host === null) {
      error.textContent = "That is not a server name. Type the part after the second @ of your address, e.g. mastodon.social";
      error.hidden = false;
      input.setAttribute("aria-invalid", "true");
      input.focus();
      return;
    }
    error.hidden = true;
    input.removeAttribute("aria-invalid");
    server = host;
    saveServer(win, host);
    show();
    form.hidden = true;
    win.open(composeUrl("mastodon", text(), server), "_blank", "noopener,noreferrer");
    link.focus();
  });
  form.addEventListener("reset", () => {
    form.hidden = true;
    error.hidden = true;
    link.focus();
  });
}
