// The DOM hooks that templates, scripts, tests and operators rely on, in one place.
// docs/frontend.md lists the same names; change both together.

/** Attributes on <body>, set by the templates and kept current by the scripts. */
export const BODY = Object.freeze({
  slug: "data-wall-slug",          // wall slug (template)
  wsPath: "data-ws-path",          // WebSocket path, e.g. /ws/walls/asnr14 (template)
  page: "data-page",               // "wall" | "live" | "index" (template)
  connection: "data-connection",   // "connecting" | "live" | "stale" (script, contract)
  layout: "data-layout",           // "grid" | "spotlight" | "ticker" (template, wall events)
  theme: "data-theme",             // "dark" | "light" | "contrast" (template, wall events)
  posts: "data-post-count",        // number of cards currently in the DOM (script)
  interlude: "data-interlude",     // hall screen: "highlights" | "slide" while one covers the feed
});

/** Attributes on each post card. */
export const CARD = Object.freeze({
  postId: "data-post-id",          // the post's global id, one card per id (contract)
  source: "data-source",           // "x" | "mastodon" | "bluesky"
  pinned: "data-pinned",           // present when the post is pinned
  entering: "data-entering",       // present while the card's entrance animation runs
  offscreen: "data-offscreen",     // hall screen: in the DOM but not on the screen
  placed: "data-placed",           // hall screen: has a place, so moves are animated
  time: "data-time",               // on <time>: ISO instant, re-rendered every 30 s
  text: "data-post-text",          // the element holding the post's text tokens
});

/** Element ids. */
export const ID = Object.freeze({
  feed: "feed",                    // container of the cards
  badge: "connection-badge",       // the not-live badge
  empty: "empty-state",            // shown while there is no post
  announcer: "announcer",          // ARIA live region (viewer)
  title: "wall-title",
  hashtags: "wall-hashtags",
  announcement: "announcement",    // latest organiser announcement
  clock: "clock",
  interlude: "interlude",          // hall screen: highlights and slides over the feed
});

/** Values of body[data-connection]. */
export const CONNECTION = Object.freeze({
  connecting: "connecting",
  live: "live",
  stale: "stale",
});
