// The moderator console (/moderate/{slug}): the pending queue and the live wall side by side,
// driven from the keyboard. Decisions are optimistic (the selection moves on at once) and put
// back when the server says no; a 409 means another moderator was first and is shown as such.

import { BODY, CONNECTION } from "./hooks.js";
import { Feed } from "./state.js";
import { connect } from "./transport.js";
import { el, refreshTimes } from "./card.js";
import { Api } from "./console-api.js";
import { connectModFeed } from "./console-feed.js";
import { Queue, authorKey, describeDecision, matches, moveFrom, nextAfter } from "./console-queue.js";
import { SHORTCUTS, commandFor } from "./console-keys.js";
import { ListView, activityRow, buildItem, removableRow, toast } from "./console-view.js";
import { renderScreens, wireWallControls } from "./console-screens.js";

const $ = (id) => document.getElementById(id);
const body = document.body;
const slug = body.getAttribute(BODY.slug);
const me = body.dataset.user;
const preMode = body.dataset.moderation === "pre";
const ORDER_KEY = "tweetwall:console-order";
const ACTIVITY_MAX = 80;
const QUEUE_LIMIT = 500;   // the API's largest page

let reloading = false;
const api = new Api(slug, {
  onUnauthorized: () => {
    // The session ended (logout elsewhere, timeout): the page itself shows the login form.
    if (!reloading) {
      reloading = true;
      globalThis.location.reload();
    }
  },
});

const queue = new Queue({ order: readOrder() });
const wallFeed = new Feed({ cap: 200 });
const hiddenLocally = new Set();   // wall posts hidden optimistically until the stream removes them
const inFlight = new Set();        // post ids with a request in flight: never two at once
const lastDecision = new Map();    // post id -> latest decision seen (who was first, for a 409)
const knownPosts = new Map();      // post id -> post, for the activity log's words
let filter = "";
let active = "queue";
let selectAfterLoad = null;

function readOrder() {
  try {
    return globalThis.localStorage.getItem(ORDER_KEY) || "oldest";
  } catch {
    return "oldest";
  }
}

function remember(post) {
  if (post && typeof post.id === "string") knownPosts.set(post.id, post);
  if (knownPosts.size > 2000) knownPosts.delete(knownPosts.keys().next().value);
}

// -- the two lists ------------------------------------------------------------------------

const lists = {
  queue: {
    panel: $("queue-panel"),
    box: $("queue"),
    view: new ListView($("queue"), {
      idPrefix: "q",
      build: (id) => {
        const item = queue.get(id);
        return buildItem(item.post, { kind: "queue", reason: item.reason, pendingMode: preMode });
      },
    }),
    ids: () => queue.ids(filter),
    version: (id) => queue.get(id),
    post: (id) => (queue.get(id) ? queue.get(id).post : null),
    empty: $("queue-empty"),
    count: $("queue-count"),
    total: () => queue.size,
    last: [],
    auto: true,   // the selection follows the top until the moderator moves it
  },
  wall: {
    panel: $("wall-panel"),
    box: $("wall"),
    view: new ListView($("wall"), {
      idPrefix: "w",
      build: (id) => buildItem(wallFeed.byId.get(id), { kind: "wall" }),
    }),
    ids: () => wallFeed.ids.filter((id) => !hiddenLocally.has(id) && matches(wallFeed.byId.get(id), "", filter)),
    version: (id) => wallFeed.byId.get(id),
    post: (id) => wallFeed.byId.get(id) || null,
    empty: $("wall-empty"),
    count: $("wall-count"),
    total: () => wallFeed.ids.length - hiddenLocally.size,
    last: [],
    auto: true,
  },
};

function render(name) {
  const list = lists[name];
  const ids = list.ids();
  list.view.render(ids, list.version);
  const selected = list.view.selected;
  if (selectAfterLoad && name === "queue" && ids.includes(selectAfterLoad)) {
    list.view.select(selectAfterLoad, { scroll: name === active });
    selectAfterLoad = null;
  } else if (list.auto && ids.length > 0 && selected !== ids[0]) {
    list.view.select(ids[0], { scroll: false });
  } else if (selected === null || !ids.includes(selected)) {
    const next = selected === null ? (ids[0] ?? null) : nextAfter(list.last, selected, ids);
    list.view.select(next, { scroll: name === active });
  }
  list.last = ids;
  list.empty.hidden = ids.length > 0;
  list.count.textContent = String(Math.max(0, list.total()));
  // The header counts come from the server every few seconds; between polls the queue's own
  // size is fresher (optimistic decisions), unless the queue was loaded only in part.
  if (name === "queue" && queue.size < QUEUE_LIMIT) $("count-pending").textContent = String(queue.size);
}

function setActive(name, { focus = true } = {}) {
  active = name;
  for (const [key, list] of Object.entries(lists)) list.panel.classList.toggle("is-active", key === name);
  const list = lists[name];
  if (list.view.selected === null && list.last.length > 0) list.view.select(list.last[0]);
  if (focus) list.box.focus({ preventScroll: true });
}

function move(step) {
  const list = lists[active];
  list.auto = false;
  list.view.select(moveFrom(list.last, list.view.selected, step));
}

// -- decisions ----------------------------------------------------------------------------

function who(postId) {
  const d = lastDecision.get(postId);
  return d ? ` (${describeDecision(d)})` : "";
}

/** Say that the post changed under us, naming who decided it (from the audit if need be). */
async function conflict(postId, detail) {
  const mine = lastDecision.get(postId);
  if (!mine || mine.actor === me) {
    // Our feed may lag behind the other moderator's decision: ask the audit log.
    const r = await api.audit(50);
    const latest = r.ok && Array.isArray(r.data) ? r.data.find((d) => d.post_id === postId) : null;
    if (latest) lastDecision.set(postId, latest);
  }
  const message = `${detail.charAt(0).toUpperCase()}${detail.slice(1)}${who(postId)} — nothing was changed.`;
  toast($("toasts"), message, "warn", 6000);
}

async function queueAction(id, action) {
  const before = lists.queue.last;
  const removed = queue.remove(id);
  if (!removed) return;
  inFlight.add(id);
  render("queue");
  if (lists.queue.view.selected === null) lists.queue.view.select(nextAfter(before, id, lists.queue.last));
  const steps = action === "pin" ? ["approve", "pin"] : [action];
  for (const step of steps) {
    const r = await api.act(id, step);
    if (r.ok) continue;
    inFlight.delete(id);
    if (r.status === 409) {
      conflict(id, r.detail);
      scheduleQueueReload();
    } else if (r.status === 404) {
      toast($("toasts"), "That post is no longer on this wall.", "warn");
    } else if (step === steps[0]) {
      queue.restore(removed);
      render("queue");
      toast($("toasts"), `Could not ${step}: ${r.detail}. The post is back in the queue.`, "error", 6000);
    } else {
      toast($("toasts"), `Approved, but could not pin: ${r.detail}.`, "error", 6000);
    }
    return;
  }
  inFlight.delete(id);
}

async function wallAction(id, action) {
  const post = wallFeed.byId.get(id);
  if (!post) return;
  if (action === "approve") {
    toast($("toasts"), "This post is already on the wall.", "info", 2500);
    return;
  }
  if (action === "hide") {
    hiddenLocally.add(id);
    inFlight.add(id);
    render("wall");
    const r = await api.act(id, "hide");
    inFlight.delete(id);
    if (!r.ok) {
      hiddenLocally.delete(id);
      render("wall");
      if (r.status === 409) conflict(id, r.detail);
      else toast($("toasts"), `Could not hide: ${r.detail}.`, "error", 6000);
    }
    return;
  }
  const step = post.pinned ? "unpin" : "pin";
  inFlight.add(id);
  lists.wall.view.busy(id, true);
  const r = await api.act(id, step);
  inFlight.delete(id);
  lists.wall.view.busy(id, false);
  if (!r.ok) {
    if (r.status === 409) conflict(id, r.detail);
    else toast($("toasts"), `Could not ${step}: ${r.detail}.`, "error", 6000);
  }
}

function decide(action, id = lists[active].view.selected) {
  if (id === null || inFlight.has(id)) return;
  lists[active].auto = false;
  if (active === "queue") queueAction(id, action);
  else wallAction(id, action);
}

function confirmDialog(title, text, okLabel) {
  const dialog = $("confirm");
  $("confirm-title").textContent = title;
  $("confirm-text").textContent = text;
  $("confirm-ok").firstChild.textContent = `${okLabel} `;
  dialog.returnValue = "";
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "ok"), { once: true });
    dialog.showModal();
    $("confirm-ok").focus();
  });
}

async function blockAuthor(id = lists[active].view.selected) {
  const listName = active;
  const post = id === null ? null : lists[listName].post(id);
  const key = authorKey(post);
  if (!key) {
    toast($("toasts"), "This post has no author id to block.", "warn");
    return;
  }
  const author = post.author;
  const name = author.name && author.handle ? `${author.name} (${author.handle})` : author.name || author.handle || key;
  const ok = await confirmDialog("Block this author?",
    `${name} on ${post.source}: every post of theirs leaves the wall and the queue now, and new ones never show.`,
    "Block");
  lists[listName].box.focus({ preventScroll: true });
  if (!ok) return;
  const r = await api.addBlock("author", key);
  if (!r.ok) {
    if (r.status === 409) conflict(id, r.detail);
    else toast($("toasts"), `Could not block: ${r.detail}.`, "error", 6000);
    return;
  }
  hideAll(r.data.hidden || []);
  toast($("toasts"), `Blocked ${author.handle || key}: ${(r.data.hidden || []).length} post(s) hidden. Press u to undo.`, "ok");
  loadBlocks();
}

function hideAll(ids) {
  for (const id of ids) {
    queue.remove(id);
    if (wallFeed.has(id)) hiddenLocally.add(id);
  }
  render("queue");
  render("wall");
}

async function undo() {
  const r = await api.undo();
  if (r.ok) {
    const after = r.data.after || {};
    if (r.data.post_id && after.state === "pending") {
      selectAfterLoad = r.data.post_id;
      setActive("queue");
      scheduleQueueReload(0);
    }
    if (r.data.post_id && after.state === "visible") hiddenLocally.delete(r.data.post_id);
    if (!r.data.post_id) {
      scheduleQueueReload(0);
      loadBlocks();
    }
    toast($("toasts"), `Undone: ${(r.data.reason || "").replace(/^undo /, "")}`, "ok", 2500);
  } else if (r.status === 404) {
    toast($("toasts"), "Nothing of yours to undo.", "info", 2500);
  } else {
    toast($("toasts"), `Could not undo: ${r.detail}.`, r.status === 409 ? "warn" : "error", 6000);
  }
}

function openOriginal() {
  const post = lists[active].post(lists[active].view.selected);
  const link = post && post.url ? lists[active].view.nodes.get(post.id)?.li.querySelector("a.card__original") : null;
  if (link) link.click();
}

// -- live feeds ---------------------------------------------------------------------------

function applyDecision(d) {
  lastDecision.set(d.post_id, d);
  addActivity(d);
  const byOther = d.actor !== me;
  const after = d.after || {};
  if (d.post_id) {
    if (after.state === "pending") {
      if (!queue.has(d.post_id) && !inFlight.has(d.post_id)) scheduleQueueReload();
    } else if (queue.has(d.post_id)) {
      if (byOther) lists.queue.view.note(d.post_id, describeDecision(d));
      queue.remove(d.post_id);
    }
    if (after.state === "visible") hiddenLocally.delete(d.post_id);
    else if (byOther && wallFeed.has(d.post_id)) lists.wall.view.note(d.post_id, describeDecision(d));
  } else if (["block", "unblock", "undo"].includes(d.action)) {
    const states = (d.before && d.before.states) || {};
    for (const id of Object.keys(states)) queue.remove(id);
    scheduleQueueReload();
    loadBlocks();
  } else if (d.action === "announce" || d.action === "withdraw") {
    loadAnnouncements();
  }
}

function onModItems(items) {
  for (const item of items) {
    if (!item || typeof item !== "object") continue;
    if (item.type === "post") {
      remember(item.post);
      if (item.state === "pending") queue.add(item.post, item.reason);
    } else if (item.type === "decision") {
      applyDecision(item);
    } else {
      console.warn("tweetwall: ignoring unknown feed item type", item.type);
    }
  }
  render("queue");
  scheduleCounts();
}

const status = { wall: CONNECTION.connecting, mod: CONNECTION.connecting };
function setStatus(which, state) {
  status[which] = state;
  const all = Object.values(status);
  const overall = all.includes(CONNECTION.stale) ? CONNECTION.stale
    : all.every((s) => s === CONNECTION.live) ? CONNECTION.live : CONNECTION.connecting;
  body.setAttribute(BODY.connection, overall);
  const badge = $("console-conn");
  badge.dataset.state = overall;
  badge.textContent = { live: "Live", connecting: "Connecting…", stale: "Offline — retrying" }[overall];
}

// -- REST loads ---------------------------------------------------------------------------

async function loadQueue() {
  const r = await api.posts("pending", QUEUE_LIMIT);
  if (!r.ok || !Array.isArray(r.data)) return;
  for (const post of r.data) remember(post);
  queue.load(r.data);
  for (const id of inFlight) queue.remove(id);
  render("queue");
}

let queueTimer = null;
function scheduleQueueReload(ms = 150) {
  clearTimeout(queueTimer);
  queueTimer = setTimeout(loadQueue, ms);
}

async function loadAudit() {
  const r = await api.audit(40);
  if (!r.ok || !Array.isArray(r.data)) return;
  $("activity").replaceChildren();
  for (const d of r.data.slice().reverse()) {
    if (d.post_id && !lastDecision.has(d.post_id)) lastDecision.set(d.post_id, d);
    addActivity(d);
  }
}

function snippet(postId) {
  const post = knownPosts.get(postId) || queue.get(postId)?.post || wallFeed.byId.get(postId);
  if (!post) return postId;
  const text = (post.text || "").replace(/\s+/g, " ").trim();
  const who = post.author && post.author.handle ? `${post.author.handle}: ` : "";
  return `${who}“${text.length > 70 ? `${text.slice(0, 70)}…` : text}”`;
}

function activityWords(d) {
  const after = d.after || {};
  switch (d.action) {
    case "approve": return `approved ${snippet(d.post_id)}`;
    case "hide": return `hid ${snippet(d.post_id)}`;
    case "unhide": return `unhid ${snippet(d.post_id)}`;
    case "pin": return `pinned ${snippet(d.post_id)}`;
    case "unpin": return `unpinned ${snippet(d.post_id)}`;
    case "block": return `blocked ${after.kind || ""} ${after.value || ""}`.trim();
    case "unblock": return `removed the block on ${d.before?.kind || ""} ${d.before?.value || ""}`.trim();
    case "undo": return d.post_id ? `undid a decision on ${snippet(d.post_id)}` : "undid a block";
    case "announce": return `announced “${after.text || ""}”`;
    case "withdraw": return "withdrew an announcement";
    default: return `${d.action} ${d.post_id ? snippet(d.post_id) : ""}`.trim();
  }
}

function addActivity(d) {
  const log = $("activity");
  if (d.id !== undefined && d.id !== null && log.querySelector(`[data-decision-id="${CSS.escape(String(d.id))}"]`)) return;
  const row = activityRow(d, activityWords(d));
  log.prepend(row);
  while (log.childElementCount > ACTIVITY_MAX) log.lastElementChild.remove();
}

function when(a) {
  const fmt = (iso) => new Date(iso).toLocaleString(undefined, { weekday: "short", hour: "2-digit", minute: "2-digit" });
  const now = Date.now();
  if (a.starts_at && Date.parse(a.starts_at) > now) return `from ${fmt(a.starts_at)}${a.ends_at ? ` to ${fmt(a.ends_at)}` : ""}`;
  if (a.ends_at && Date.parse(a.ends_at) <= now) return `ended ${fmt(a.ends_at)}`;
  return a.ends_at ? `showing now, until ${fmt(a.ends_at)}` : "showing now";
}

async function loadAnnouncements() {
  const r = await api.announcements();
  if (!r.ok || !Array.isArray(r.data)) return;
  const rows = r.data.map((a) => removableRow(a.text, `${when(a)}${a.created_by ? ` · ${a.created_by}` : ""}`, "Withdraw", { withdraw: a.id }));
  $("announcements").replaceChildren(...rows);
  if (rows.length === 0) $("announcements").append(el("li", "rows__empty", "No announcements."));
}

async function loadBlocks() {
  const r = await api.blocks();
  if (!r.ok || !Array.isArray(r.data)) return;
  const rows = r.data.map((b) => removableRow(b.kind === "author" ? `Author ${b.value}` : `“${b.value}”`,
    `${b.kind}${b.created_by ? ` · by ${b.created_by}` : ""}`, "Remove", { kind: b.kind, value: b.value }));
  $("blocks").replaceChildren(...rows);
  if (rows.length === 0) $("blocks").append(el("li", "rows__empty", "No blocks."));
}

async function refreshCounts() {
  const [q, s] = await Promise.all([api.counts(), api.screens()]);
  if (q.ok && q.data) {
    $("count-pending").textContent = String(q.data.pending);
    $("count-visible").textContent = String(q.data.visible);
    $("count-hidden").textContent = String(q.data.hidden);
    $("count-viewers").textContent = String(q.data.viewers);
    $("count-viewers-box").title = `${q.data.viewers} live connections to the wall: hall screens, remote viewers and consoles`;
    renderSources(q.data.sources || []);
  }
  // Screens that report their health (seq, DOM size, memory) are counted apart, with the
  // stalest report, so a frozen projector shows.
  if (s.ok && Array.isArray(s.data)) {
    const box = $("count-screens-box");
    box.hidden = s.data.length === 0;
    $("count-screens").textContent = String(s.data.length);
    const stalest = Math.max(0, ...s.data.map((x) => Number(x.age_s) || 0));
    box.classList.toggle("count--alert", stalest > 60);
    box.title = `${s.data.length} screen(s) reporting health; oldest report ${Math.round(stalest)} s ago`;
    renderScreens(document, s.data);
  }
}

let countsTimer = null;
function scheduleCounts() {
  if (countsTimer === null) countsTimer = setTimeout(() => { countsTimer = null; refreshCounts(); }, 400);
}

function renderSources(sources) {
  const items = sources.map((s) => {
    const li = el("li", "source");
    li.dataset.state = s.state;
    li.append(el("span", "source__dot"), el("span", "source__name", s.source), el("span", "source__state", s.state));
    const tip = [`${s.source}: ${s.state}`, `${s.posts ?? 0} posts`];
    if (s.last_success) tip.push(`last success ${new Date(s.last_success).toLocaleTimeString()}`);
    if (s.last_error) {
      tip.push(`last error: ${s.last_error}`);
      const err = el("span", "source__error", s.last_error);
      li.append(err);
    }
    li.setAttribute("title", tip.join("\n"));
    return li;
  });
  $("sources").replaceChildren(...items);
}

// -- input --------------------------------------------------------------------------------

function run(command) {
  switch (command) {
    case "next": move(1); break;
    case "prev": move(-1); break;
    case "approve": decide("approve"); break;
    case "hide": decide("hide"); break;
    case "pin": decide("pin"); break;
    case "block": blockAuthor(); break;
    case "undo": undo(); break;
    case "switch": setActive(active === "queue" ? "wall" : "queue"); break;
    case "filter": $("filter").focus(); $("filter").select(); break;
    case "open": openOriginal(); break;
    case "help": $("help").showModal(); break;
    case "leave": document.activeElement.blur(); lists[active].box.focus({ preventScroll: true }); break;
    default: break;
  }
}

document.addEventListener("keydown", (event) => {
  if (document.querySelector("dialog[open]")) return;
  const command = commandFor(event);
  if (command === null) return;
  event.preventDefault();
  run(command);
});

for (const [name, list] of Object.entries(lists)) {
  list.box.addEventListener("click", (event) => {
    const id = list.view.idAt(event.target);
    if (id === null) return;
    if (active !== name) setActive(name, { focus: false });
    list.auto = false;
    list.view.select(id, { scroll: false });
    const button = event.target.closest("button[data-action]");
    if (button) {
      if (button.dataset.action === "block") blockAuthor(id);
      else decide(button.dataset.action, id);
    }
    if (!event.target.closest("a, button, summary")) list.box.focus({ preventScroll: true });
  });
  list.box.addEventListener("focus", () => {
    if (active !== name) setActive(name, { focus: false });
  });
}

$("filter").addEventListener("input", (event) => {
  filter = event.target.value;
  render("queue");
  render("wall");
});
$("filter").addEventListener("keydown", (event) => {
  if (event.key === "Enter") run("leave");
});

$("sort-toggle").addEventListener("click", (event) => {
  queue.order = queue.order === "oldest" ? "newest" : "oldest";
  try {
    globalThis.localStorage.setItem(ORDER_KEY, queue.order);
  } catch { /* private mode: the choice lasts for this page */ }
  showOrder();
  lists.queue.auto = true;
  render("queue");
  lists.queue.view.select(lists.queue.last[0] ?? null);
  event.currentTarget.blur();
});
function showOrder() {
  const b = $("sort-toggle");
  b.dataset.order = queue.order;
  b.textContent = queue.order === "oldest" ? "Oldest first ↓" : "Newest first ↑";
}

$("logout").addEventListener("click", async () => {
  await api.logout();
  reloading = true;
  globalThis.location.reload();
});

$("announce-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const text = $("announce-text").value.trim();
  if (!text) return;
  const iso = (input) => (input.value ? new Date(input.value).toISOString() : null);
  const starts = iso($("announce-start"));
  const ends = iso($("announce-end"));
  if (starts && ends && Date.parse(ends) <= Date.parse(starts)) {
    toast($("toasts"), "The end must be after the start.", "warn");
    return;
  }
  const r = await api.announce(text, starts, ends);
  if (!r.ok) {
    toast($("toasts"), `Could not announce: ${r.detail}.`, "error", 6000);
    return;
  }
  event.target.reset();
  toast($("toasts"), "Announcement sent to the screens.", "ok", 2500);
  loadAnnouncements();
});

$("announcements").addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-withdraw]");
  if (!button) return;
  button.disabled = true;
  const r = await api.withdraw(button.dataset.withdraw);
  if (!r.ok && r.status !== 404) toast($("toasts"), `Could not withdraw: ${r.detail}.`, "error");
  loadAnnouncements();
});

$("block-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const value = $("block-value").value.trim();
  if (!value) return;
  const r = await api.addBlock("keyword", value);
  if (!r.ok) {
    toast($("toasts"), `Could not block: ${r.detail}.`, r.status === 409 ? "warn" : "error", 6000);
    return;
  }
  event.target.reset();
  hideAll(r.data.hidden || []);
  toast($("toasts"), `Blocked “${value}”: ${(r.data.hidden || []).length} post(s) hidden.`, "ok");
  loadBlocks();
});

$("blocks").addEventListener("click", async (event) => {
  const button = event.target.closest("button[data-kind]");
  if (!button) return;
  button.disabled = true;
  const r = await api.removeBlock(button.dataset.kind, button.dataset.value);
  if (!r.ok && r.status !== 404) toast($("toasts"), `Could not remove the block: ${r.detail}.`, "error");
  else toast($("toasts"), "Block removed. Posts hidden by it stay hidden; unhide them one by one.", "info");
  loadBlocks();
});

function drawKeys() {
  const strip = $("keys");
  const help = $("help-keys");
  for (const s of SHORTCUTS) {
    const item = el("span", "keys__item");
    item.append(el("kbd", "", s.show), el("span", "", s.short));
    strip.append(item);
    help.append(el("dt", "", s.show), el("dd", "", s.label));
  }
}

// -- start --------------------------------------------------------------------------------

drawKeys();
showOrder();
setActive("queue");
render("queue");
render("wall");

connect({
  path: body.getAttribute(BODY.wsPath),
  resume: () => wallFeed.resumePoint(),
  onFrame: (frame) => {
    if (frame.type === "heartbeat") return;
    const change = wallFeed.applyFrame(frame);
    for (const id of hiddenLocally) if (!wallFeed.has(id)) hiddenLocally.delete(id);
    for (const id of change.added) remember(wallFeed.byId.get(id));
    render("wall");
  },
  onStatus: (state) => setStatus("wall", state),
});

connectModFeed({
  path: body.dataset.modWsPath,
  load: () => Promise.all([loadQueue(), loadAudit(), loadBlocks(), loadAnnouncements(), refreshCounts()]),
  onItems: onModItems,
  onStatus: (state) => setStatus("mod", state),
});

setInterval(refreshCounts, 5000);
wireWallControls(document, api, slug, (text, kind) => toast($("toasts"), text, kind, 3000));
setInterval(() => refreshTimes(document.querySelector(".console")), 30_000);
