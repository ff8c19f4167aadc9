// DOM pieces of the moderator console: post items for the two lists, keyed list rendering
// with short-lived "decided by someone else" notes, toasts, and rows for the side panels.
// createElement + textContent only.

import { CARD, CONSOLE_ATTR, CONSOLE_CLASS, CONSOLE_SEL } from "./hooks.js";
import { buildCard, el } from "./card.js";
import { fullTime, relativeTime } from "./format.js";
import { authorKey, reasonParts, reasonTone } from "./console-queue.js";

const NOTE_MS = 2500;

/** Return a button for `action` with its key shown, e.g. "Approve a". */
export function actionButton(action, label, key, tone = "") {
  const b = el("button", `btn btn--small btn--act${tone ? ` btn--${tone}` : ""}`);
  b.type = "button";
  b.setAttribute(CONSOLE_ATTR.action, action);
  b.append(el("span", "", label), el("kbd", "", key));
  b.setAttribute("tabindex", "-1");
  return b;
}

/**
 * Return the list item for a post: flags (reason, pinned), the card, the action buttons.
 * `kind` is "queue" or "wall".
 */
export function buildItem(post, { kind, reason = null, pendingMode = false }) {
  // A plain list item (not an ARIA option: it holds links and buttons); the selected one is
  // aria-current and takes the focus while the list has it (a roving focus).
  const li = el("li", `item item--${kind}`);
  li.setAttribute("tabindex", "-1");
  li.setAttribute(CONSOLE_ATTR.itemId, post.id);
  // Whose post it is: the Categories box flags each item with its author's category.
  const author = authorKey(post);
  if (author) li.setAttribute(CONSOLE_ATTR.author, author);
  const flags = el("div", "item__flags");
  if (kind === "queue") {
    const parts = reasonParts(reason);
    if (parts.length === 0 && !pendingMode) flags.append(el("span", "flag flag--info", "held for review"));
    for (const part of parts) {
      const flag = el("span", `flag flag--${reasonTone(part)}`, part);
      flag.setAttribute("dir", "auto");
      flags.append(flag);
    }
  }
  if (post.pinned) flags.append(el("span", "flag flag--pin", "Pinned"));
  if (post.content_warning) flags.append(el("span", "flag flag--warn", "CW"));
  if (post.sensitive) flags.append(el("span", "flag flag--warn", "sensitive media"));
  if (flags.childElementCount > 0) li.append(flags);

  const card = buildCard(post, { hall: false });
  card.removeAttribute("tabindex");
  card.classList.add("card--console");
  li.append(card);

  const actions = el("div", "item__actions");
  if (kind === "queue") {
    actions.append(actionButton("approve", "Approve", "a", "ok"), actionButton("hide", "Hide", "h", "danger"),
      actionButton("pin", "Approve + pin", "p"), actionButton("block", "Block author", "b"));
  } else {
    actions.append(actionButton("hide", "Hide", "h", "danger"),
      actionButton("pin", post.pinned ? "Unpin" : "Pin", "p"), actionButton("block", "Block author", "b"));
  }
  li.append(actions);
  if (post.pinned) li.setAttribute(CONSOLE_ATTR.pinned, "");
  return li;
}

/**
 * A list of post items kept in the order given, keyed by post id. An item that leaves while
 * `notes` has words for it ("hidden by bob") stays for a moment, greyed, with those words.
 */
export class ListView {
  constructor(container, { build, idPrefix, onSelect = () => {} }) {
    this.container = container;
    this.onSelect = onSelect;        // the selection moved (the Categories box follows it)
    this.build = build;              // (id) -> {li, version} for a new or changed item
    this.idPrefix = idPrefix;
    this.nodes = new Map();          // id -> {li, version}
    this.notes = new Map();          // id -> note, for items others decided
    this.ghosts = new Map();         // id -> a leaving item still showing its note
    this.selected = null;
    this.counter = 0;
  }

  /** Note that `id` was decided by someone else; shown if the item leaves within NOTE_MS. */
  note(id, text) {
    this.notes.set(id, text);
    setTimeout(() => {
      if (this.notes.get(id) === text) this.notes.delete(id);
    }, NOTE_MS);
  }

  /** Make the DOM show `ids` in order; `versionOf(id)` changes when an item must be rebuilt. */
  render(ids, versionOf) {
    const wanted = new Set(ids);
    for (const [id, node] of this.nodes) {
      if (wanted.has(id)) continue;
      this.nodes.delete(id);
      const note = this.notes.get(id);
      if (note) this.#ghost(id, node.li, note);
      else node.li.remove();
    }
    let cursor = this.container.firstChild;
    for (const id of ids) {
      let node = this.nodes.get(id);
      const version = versionOf(id);
      if (node && node.version !== version) {
        const fresh = this.build(id);
        fresh.id = node.li.id;
        node.li.replaceWith(fresh);
        if (cursor === node.li) cursor = fresh;
        node = { li: fresh, version };
        this.nodes.set(id, node);
      } else if (!node) {
        this.ghosts.get(id)?.remove();  // back already (an undo): one item per post
        this.ghosts.delete(id);
        const li = this.build(id);
        this.counter += 1;
        li.id = `${this.idPrefix}-${this.counter}`;
        node = { li, version };
        this.nodes.set(id, node);
      }
      while (cursor && cursor.hasAttribute?.(CONSOLE_ATTR.decided)) cursor = cursor.nextSibling;
      if (node.li === cursor) cursor = cursor.nextSibling;
      else this.container.insertBefore(node.li, cursor);
    }
    this.#mark();
  }

  #ghost(id, li, note) {
    this.ghosts.set(id, li);
    li.setAttribute(CONSOLE_ATTR.decided, "");
    li.removeAttribute("aria-current");
    for (const b of li.querySelectorAll(CONSOLE_SEL.buttons)) b.disabled = true;
    li.prepend(el("p", CONSOLE_CLASS.note, note));
    setTimeout(() => {
      li.remove();
      if (this.ghosts.get(id) === li) this.ghosts.delete(id);
    }, NOTE_MS);
  }

  /**
   * Select `id` (or nothing); scroll it into view when asked. While the keyboard is in this
   * list, the focus moves with the selection (a roving focus), so a screen reader reads it.
   */
  select(id, { scroll = true } = {}) {
    const had = this.container.contains(this.container.ownerDocument.activeElement);
    this.selected = id;
    this.#mark();
    const node = id === null ? null : this.nodes.get(id);
    if (node) {
      if (scroll) node.li.scrollIntoView({ block: "nearest" });
      if (had && !node.li.contains(this.container.ownerDocument.activeElement)) node.li.focus({ preventScroll: true });
    } else if (had) {
      this.container.focus({ preventScroll: true });
    }
    this.onSelect(id);
  }

  /** Give the keyboard to this list: its selected item, or the list itself when empty. */
  focus() {
    const node = this.selected === null ? null : this.nodes.get(this.selected);
    (node ? node.li : this.container).focus({ preventScroll: true });
  }

  #mark() {
    for (const [id, node] of this.nodes) {
      const on = id === this.selected;
      if (node.li.hasAttribute("aria-current") !== on) {
        if (on) node.li.setAttribute("aria-current", "true");
        else node.li.removeAttribute("aria-current");
      }
    }
  }

  /** Return the post id of the item holding `element`, or null. */
  idAt(element) {
    const li = element && element.closest ? element.closest(CONSOLE_SEL.item) : null;
    return li && !li.hasAttribute(CONSOLE_ATTR.decided) ? li.getAttribute(CONSOLE_ATTR.itemId) : null;
  }

  /** Mark `id` busy (a request in flight) or not. */
  busy(id, on) {
    const node = this.nodes.get(id);
    if (node) node.li.toggleAttribute(CONSOLE_ATTR.busy, on);
  }

  /** Return the link to the original post in the item of `id`, or null. */
  originalLink(id) {
    return this.nodes.get(id)?.li.querySelector(CONSOLE_SEL.original) ?? null;
  }
}

/** Show a short message at the bottom corner; `tone` "info" | "ok" | "warn" | "error". */
export function toast(container, text, tone = "info", ms = 4000) {
  const t = el("div", `${CONSOLE_CLASS.toast} ${CONSOLE_CLASS.toast}--${tone}`, text);
  t.setAttribute(CONSOLE_ATTR.tone, tone);
  container.append(t);
  while (container.childElementCount > 4) container.firstElementChild.remove();
  setTimeout(() => t.remove(), ms);
  return t;
}

/** Return a row for the activity log from an audit entry or a feed decision. */
export function activityRow(d, words) {
  const li = el("li", `row row--log row--${d.action}`);
  li.setAttribute(CONSOLE_ATTR.decisionId, String(d.id ?? ""));
  const time = el("time", "row__time", relativeTime(d.at));
  if (d.at) {
    time.setAttribute("datetime", d.at);
    time.setAttribute(CARD.time, d.at);
    time.setAttribute("title", fullTime(d.at));
  }
  const text = el("span", "row__text");
  text.append(el("strong", "", d.actor || "?"), document.createTextNode(` ${words}`));
  li.append(text, time);
  if (d.reason) {
    const reason = el("span", "row__sub", d.reason);
    reason.setAttribute("dir", "auto");
    li.append(reason);
  }
  return li;
}

/** Return a row with a title, a sub line and a remove button with the attributes in `attrs`. */
export function removableRow(title, sub, buttonLabel, attrs) {
  const li = el("li", "row");
  const main = el("div", "row__main");
  const t = el("span", "row__title", title);
  t.setAttribute("dir", "auto");
  main.append(t);
  if (sub) main.append(el("span", "row__sub", sub));
  const b = el("button", "btn btn--small btn--ghost", buttonLabel);
  b.type = "button";
  for (const [name, value] of Object.entries(attrs)) b.setAttribute(name, String(value));
  li.append(main, b);
  return li;
}
