// The meeting's programme on a page (docs/programme.md): which session is on in a room, which
// comes next, and whether a post belongs to a session. The server sends each session with its
// belonging rule's sets (`match`: a time window, hashtags, `network:handle` accounts, folded
// words; app/programme/belongs.py); this module only compares a post with those sets, the way
// the Python rule does (tests/programme/test_belongs.py runs the same table through both).
// No DOM: node --test exercises it.

const X_HOSTS = new Set(["x.com", "twitter.com", "www.x.com", "www.twitter.com", "mobile.twitter.com"]);
const X_NAME = /^[a-z0-9_]{1,50}$/;
const HOST = /^(?=.{1,253}$)([a-z0-9-]{1,63}\.)+[a-z0-9-]{1,63}$/;
const USER = /^[a-z0-9_.-]{1,64}$/;

/** Return `text` in lower case without accents, as the server folds words and hashtags. */
export function fold(text) {
  return String(text).normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase();
}

/** Return the folded words of `text`: letters and digits, split at anything else. */
export function words(text) {
  return new Set(fold(text).match(/[\p{L}\p{N}]+/gu) || []);
}

/** Return a handle normalised for `network`, or null when it cannot be one there. */
export function handle(network, value) {
  const h = String(value || "").trim().replace(/^@/, "").toLowerCase();
  if (network === "x") return X_NAME.test(h) ? h : null;
  if (network === "bluesky") return HOST.test(h) ? h : null;
  if (network === "mastodon") {
    const at = h.indexOf("@");
    if (at < 0) return null;
    const user = h.slice(0, at);
    const host = h.slice(at + 1);
    return USER.test(user) && HOST.test(host) ? `${user}@${host}` : null;
  }
  return null;
}

function mentionKey(token, source) {
  const text = String(token.text || "").trim().replace(/^@/, "").toLowerCase();
  const href = typeof token.href === "string" ? token.href : "";
  if (/^https?:\/\//.test(href)) {
    let url = null;
    try {
      url = new URL(href);
    } catch {
      url = null;
    }
    if (url) {
      const host = url.hostname.toLowerCase();
      const path = decodeURIComponent(url.pathname).replace(/^\/+|\/+$/g, "");
      let found = null;
      let network = "mastodon";
      if (X_HOSTS.has(host) && path && !path.includes("/")) [network, found] = ["x", handle("x", path)];
      else if (host === "bsky.app" && path.startsWith("profile/")) [network, found] = ["bluesky", handle("bluesky", path.slice(8))];
      else if (path.startsWith("@") && !path.includes("/")) found = handle("mastodon", `${path.slice(1)}@${host}`);
      if (found !== null) return `${network}:${found}`;
    }
  }
  if (text.includes("@")) {
    const found = handle("mastodon", text);
    return found === null ? null : `mastodon:${found}`;
  }
  if (source === "x" || source === "bluesky") {
    const found = handle(source, text);
    return found === null ? null : `${source}:${found}`;
  }
  return null;
}

/** Return what the rule reads of a wire post: {at (ms), hashtags, accounts, words}, or null. */
export function postKeys(post) {
  const at = Date.parse(post && post.created_at);
  if (!Number.isFinite(at)) return null;
  const tokens = Array.isArray(post.content) ? post.content.filter((t) => t && typeof t === "object") : [];
  const hashtags = new Set();
  for (const t of tokens) if (t.type === "hashtag") hashtags.add(fold(String(t.text || "").trim().replace(/^#/, "")));
  if (Array.isArray(post.hashtags)) for (const t of post.hashtags) hashtags.add(fold(String(t).trim().replace(/^#/, "")));
  hashtags.delete("");
  const accounts = new Set();
  const source = String(post.source || "");
  if (post.author && ["x", "mastodon", "bluesky"].includes(source)) {
    const h = handle(source, post.author.handle);
    if (h !== null) accounts.add(`${source}:${h}`);
  }
  for (const t of tokens) {
    if (t.type !== "mention") continue;
    const key = mentionKey(t, source);
    if (key !== null) accounts.add(key);
  }
  return { at, hashtags, accounts, words: words(post.text || "") };
}

function anyIn(set, list) {
  return Array.isArray(list) && list.some((item) => set.has(item));
}

/** Return whether a post's keys (postKeys) fall under a session's match. */
export function belongsTo(keys, match) {
  if (!keys || !match) return false;
  const from = Date.parse(match.from);
  const until = Date.parse(match.until);
  if (!(keys.at >= from && keys.at < until)) return false;
  return anyIn(keys.hashtags, match.hashtags) || anyIn(keys.accounts, match.handles) || anyIn(keys.words, match.words);
}

/**
 * A programme as the API gives it, with the server's clock: `now()` is the page's clock moved
 * by the skew measured when the programme came (a projector's clock may be minutes off).
 */
export class Programme {
  constructor(data = null, { clock = () => Date.now() } = {}) {
    this.clock = clock;
    this.sessions = [];
    this.skewMs = 0;
    this.timezone = null;
    if (data) this.update(data);
  }

  update(data) {
    const sessions = Array.isArray(data && data.sessions) ? data.sessions : [];
    this.sessions = sessions
      .filter((s) => s && typeof s.room === "string" && Number.isFinite(Date.parse(s.start)) && Number.isFinite(Date.parse(s.end)))
      .map((s) => ({ ...s, startMs: Date.parse(s.start), endMs: Date.parse(s.end) }))
      .sort((a, b) => a.startMs - b.startMs);
    this.timezone = typeof data?.timezone === "string" && data.timezone ? data.timezone : null;
    const server = Date.parse(data && data.now);
    // Trust the server's clock only for a sizeable difference: a few seconds are the network.
    const skew = Number.isFinite(server) ? server - this.clock() : 0;
    this.skewMs = Math.abs(skew) > 30_000 ? skew : 0;
  }

  now() {
    return this.clock() + this.skewMs;
  }

  /** Return the rooms, in the order their first session comes. */
  rooms() {
    return [...new Set(this.sessions.map((s) => s.room))];
  }

  /** Return the session on now in `room` (the latest to start, if two overlap), or null. */
  current(room, at = this.now()) {
    let found = null;
    for (const s of this.sessions) if (s.room === room && s.startMs <= at && at < s.endMs) found = s;
    return found;
  }

  /** Return the next session to start in `room`, or null. */
  next(room, at = this.now()) {
    return this.sessions.find((s) => s.room === room && s.startMs > at) || null;
  }

  byId(id) {
    return this.sessions.find((s) => s.id === id) || null;
  }

  /** Return the sessions `post` belongs to (among `sessions`, default all). */
  sessionsOf(post, sessions = this.sessions) {
    const keys = postKeys(post);
    return keys === null ? [] : sessions.filter((s) => belongsTo(keys, s.match));
  }
}

/** Return "42 min", "1 h 05", "35 s": how long until `ms` from `now`. */
export function span(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, "0")}`;
}

/**
 * Follow a `wall` event for `owner` (which keeps `rev`): return whether the programme must be
 * fetched again. What counts is what changes which session a post belongs to (a new
 * programme_rev after an import or a room assigned, the margin, the title rule). The first
 * settings come with the snapshot, just after the owner's start() fetched the programme.
 */
export function programmeChanged(owner, wall) {
  const rev = `${wall?.programme_rev ?? ""}|${wall?.session_margin_min ?? ""}|${wall?.title_match ?? ""}`;
  if (rev === owner.rev) return false;
  const first = owner.rev === undefined;
  owner.rev = rev;
  return !first;
}
