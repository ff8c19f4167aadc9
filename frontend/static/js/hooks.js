// The DOM hooks that templates, scripts, tests and operators rely on, in one place: ids,
// data-* attributes, the class names a script toggles or looks for, and every selector string
// a script uses. docs/frontend.md (hall screen, viewer) and docs/console.md (moderator console)
// list the same names; change them together.

/** Attributes on <body>, set by the templates and kept current by the scripts. */
export const BODY = Object.freeze({
  slug: "data-wall-slug",          // wall slug (template)
  wsPath: "data-ws-path",          // WebSocket path, e.g. /ws/walls/asnr14 (template)
  page: "data-page",               // "wall" | "live" | "index" | "moderate" | "login" (template)
  connection: "data-connection",   // "connecting" | "live" | "stale" (script, contract)
  layout: "data-layout",           // "grid" | "spotlight" | "ticker" (template, wall events)
  theme: "data-theme",             // "dark" | "light" | "contrast" (template, wall events)
  posts: "data-post-count",        // number of cards currently in the DOM (script)
  interlude: "data-interlude",     // hall screen: "highlights" | "slide" while one covers the feed
  waiting: "data-waiting",         // hall screen: posts waiting their turn (the "+N new" counter)
  skipped: "data-skipped",         // hall screen: posts skipped to keep up since the page opened
  modWsPath: "data-mod-ws-path",   // console: the moderators' feed, e.g. /ws/moderate/asnr14 (template)
  user: "data-user",               // console: the signed-in moderator's name (template)
  role: "data-role",               // console: "moderator" | "admin" (template)
  moderation: "data-moderation",   // console: "pre" | "post" (template)
  room: "data-room",               // hall screen / viewer: the programme's room it follows (script)
  session: "data-session",         // hall screen / viewer: the id of the session followed now (script)
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
  inSession: "data-in-session",    // present when the post belongs to the session followed now
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
  pace: "pace",                    // hall screen: the "+N new" counter and the skipped note
  paceWaiting: "pace-waiting",
  paceSkipped: "pace-skipped",
  join: "join-in",                 // viewer: "post to #TAG" on each network the wall follows
  mastodonForm: "mastodon-server", // viewer: the form asking for the reader's Mastodon server
  announcerToggle: "announcer-toggle", // viewer: pause / resume the spoken announcements
  sessionStrip: "session-strip",   // hall screen: the session on in its room, or the next one
  watch: "watch",                  // viewer: the form choosing a room or a session to follow
  watchSelect: "watch-select",     // viewer: its <select> (value "", "room:NAME" or "session:ID")
  nowIn: "now-in",                 // viewer: "Now in Hall 210: ..." beside the stream
});

/** Parts of the hall screen's session strip (#session-strip), by data-part. */
export const STRIP = Object.freeze({
  part: "data-part",               // "label" | "title" | "speakers" | "time"
  state: "data-state",             // on the strip: "now" | "next"
});

/** Values of body[data-connection]. */
export const CONNECTION = Object.freeze({
  connecting: "connecting",
  live: "live",
  stale: "stale",
});

/** The moderator console (moderate.html): element ids. */
export const CONSOLE_ID = Object.freeze({
  queuePanel: "queue-panel",       // the queue's column (.is-active when the keys act on it)
  queue: "queue",                  // the pending posts (role=listbox)
  queueEmpty: "queue-empty",
  queueCount: "queue-count",
  wallPanel: "wall-panel",         // the wall's column
  wall: "wall",                    // the posts on the wall (role=listbox)
  wallEmpty: "wall-empty",
  wallCount: "wall-count",
  filter: "filter",                // filters both lists
  sortToggle: "sort-toggle",       // the queue's order, [data-order]
  countPending: "count-pending",
  countVisible: "count-visible",
  countHidden: "count-hidden",
  countViewers: "count-viewers",
  countViewersBox: "count-viewers-box",
  countScreens: "count-screens",
  countScreensBox: "count-screens-box", // "connected/named"; hidden without named screens; .count--alert when one is offline or silent
  sources: "sources",              // one li per source, [data-state]
  conn: "console-conn",            // the connection badge, [data-state]
  logout: "logout",
  announceForm: "announce-form",
  announceText: "announce-text",
  announceStart: "announce-start",
  announceEnd: "announce-end",
  announcements: "announcements",  // rows with a withdraw button [data-withdraw]
  blockForm: "block-form",
  blockValue: "block-value",
  blocks: "blocks",                // rows with a remove button [data-kind][data-value]
  screens: "screens",              // the Screens box: one row per named hall screen
  wallLook: "wall-look",           // admins only: layout, theme, reload
  wallLayout: "wall-layout",
  wallTheme: "wall-theme",
  wallReload: "wall-reload",
  screenAdd: "screen-add",         // admins only: name a hall screen
  screenName: "screen-name",
  screenUrl: "screen-url",         // the new screen's URL, shown once
  screenUrlValue: "screen-url-value",
  activity: "activity",            // every moderator's decisions, newest first, [data-decision-id]
  categoryForm: "category-form",   // the Categories box: the selected post's author and a select
  categoryWho: "category-who",     // whose category the select shows
  categorySelect: "category-select", // "" (none) or a category of the wall
  categoryError: "category-error", // the server's words when it refuses a category (422)
  uncategorised: "uncategorised",  // uncategorised accounts, most posts first, each with a select
  programmeForm: "programme-form", // admins only: upload the programme (schedule.json, .ics, .csv)
  programmeFile: "programme-file",
  programmeStatus: "programme-status",
  keys: "keys",                    // the strip of shortcuts at the bottom
  toasts: "toasts",                // .toast.toast--ok|info|warn|error [data-tone]
  help: "help",                    // <dialog> of every shortcut
  helpKeys: "help-keys",
  confirm: "confirm",              // <dialog> asking before a block
  confirmTitle: "confirm-title",
  confirmText: "confirm-text",
  confirmOk: "confirm-ok",
});

/** The moderator console: data-* attributes. */
export const CONSOLE_ATTR = Object.freeze({
  list: "data-list",               // on each list's column: "queue" | "wall"
  itemId: "data-item-id",          // on each list item (li): the post id, one item per id and list
  decided: "data-decided",         // an item another moderator just decided, greyed for 2.5 s
  busy: "data-busy",               // a request for this item is in flight
  pinned: "data-pinned",           // an item whose post is pinned
  action: "data-action",           // an item's buttons: "approve" | "hide" | "pin" | "block"
  withdraw: "data-withdraw",       // an announcement's withdraw button: its id
  kind: "data-kind",               // a block's remove button: "author" | "keyword"; a screen row: "hall" | "viewer"
  value: "data-value",             // a block's remove button: the blocked author or keyword
  decisionId: "data-decision-id",  // an activity row: the audit entry's id
  order: "data-order",             // #sort-toggle: "oldest" | "newest"
  state: "data-state",             // #console-conn: "connecting" | "live" | "stale"; a source: its state
  tone: "data-tone",               // a toast: "ok" | "info" | "warn" | "error"
  silent: "data-silent",           // a screen row: not connected, or no report for over a minute
  author: "data-author",           // on each list item: its post's author, `{source}:{author id}`
  category: "data-category",       // on an item's category flag: the author's category
  account: "data-account",         // on a select of #uncategorised: the account it sets
  roomFor: "data-room-for",        // admins: a screen row's room select, the screen's id
});

/** The moderator console: class names that scripts toggle or tests look for. */
export const CONSOLE_CLASS = Object.freeze({
  active: "is-active",             // the list column the keys act on
  note: "item__note",              // the "hidden by bob" line of a decided item
  alert: "count--alert",           // #count-screens-box when a screen has been silent
  toast: "toast",                  // every toast; with toast--{tone}
  screen: "row--screen",           // a hall screen's row in #screens
  categoryFlag: "flag--category",  // an item's flag naming its author's category
});

/** Every selector string the console's scripts use, built from the hooks above. */
export const CONSOLE_SEL = Object.freeze({
  item: `li[${CONSOLE_ATTR.itemId}]`,
  actionButton: `button[${CONSOLE_ATTR.action}]`,
  withdrawButton: `button[${CONSOLE_ATTR.withdraw}]`,
  blockButton: `button[${CONSOLE_ATTR.kind}]`,
  list: `[${CONSOLE_ATTR.list}]`,
  buttons: "button",
  original: "a.card__original",    // card.js's link to the original post (viewer cards)
  openDialog: "dialog[open]",
  keepsFocus: "a, button, summary", // a click on these keeps its own focus
  typing: "input, textarea, select, [contenteditable=''], [contenteditable=true]",
});
