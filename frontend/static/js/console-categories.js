// The console's Categories box (docs/console.md, docs/report.md): the category of the selected
// post's author, a select to change it, the keys 1–9 (0 takes it away), each item's flag
// naming its author's category, and the accounts without one, most posts first. Choices and
// accounts come from GET …/categories; a change is a PUT …/accounts/{account}/category, and a
// refusal (422) shows the server's words.

import { CONSOLE_ATTR, CONSOLE_CLASS, CONSOLE_ID } from "./hooks.js";
import { el } from "./card.js";
import { authorKey } from "./console-queue.js";

const SHOWN_UNCATEGORISED = 15;

/** Return the select options: none, then each choice numbered by its key. */
function fill(doc, select, choices, value) {
  const none = doc.createElement("option");
  none.value = "";
  none.textContent = "no category (0)";
  const options = choices.map((c, i) => {
    const o = doc.createElement("option");
    o.value = c.name;
    o.textContent = i < 9 ? `${c.name} (${i + 1})` : c.name;
    return o;
  });
  select.replaceChildren(none, ...options);
  select.value = value || "";
}

/**
 * The Categories box of a console `ctx` ({doc, api, slug, say}); `selectedPost()` returns the
 * post the keys act on. `categoryOf(account)` names an account's category for items as built.
 */
export function createCategories({ doc, api, slug, say }, { selectedPost }) {
  const $ = (id) => doc.getElementById(id);
  const base = `/api/v1/walls/${encodeURIComponent(slug)}`;
  let choices = [];
  const accounts = new Map();     // account -> {account, handle, name, posts, category}
  const form = $(CONSOLE_ID.categoryForm);
  const select = $(CONSOLE_ID.categorySelect);
  const who = $(CONSOLE_ID.categoryWho);
  const error = $(CONSOLE_ID.categoryError);
  let current = null;             // the account the select shows

  function categoryOf(account) {
    return account ? accounts.get(account)?.category ?? null : null;
  }

  /** Put each item's category flag right: added, changed or taken away. */
  function paint() {
    for (const li of doc.querySelectorAll(`li[${CONSOLE_ATTR.author}]`)) {
      const name = categoryOf(li.getAttribute(CONSOLE_ATTR.author));
      let flag = li.querySelector(`.${CONSOLE_CLASS.categoryFlag}`);
      if (!name) {
        flag?.remove();
        continue;
      }
      if (!flag) {
        let flags = li.querySelector(".item__flags");
        if (!flags) {
          flags = el("div", "item__flags");
          li.prepend(flags);
        }
        flag = el("span", `flag ${CONSOLE_CLASS.categoryFlag}`);
        flags.prepend(flag);
      }
      if (flag.textContent !== name) flag.textContent = name;
      flag.setAttribute(CONSOLE_ATTR.category, name);
    }
  }

  /** Show the selected post's author in the box. */
  function follow() {
    if (!form) return;
    const post = selectedPost();
    current = authorKey(post);
    const handle = post?.author?.handle || post?.author?.name || "";
    who.textContent = current ? `Author of the selected post: ${handle}` : "Select a post to sort its author.";
    select.disabled = current === null || choices.length === 0;
    const value = categoryOf(current) || "";
    if (select.value !== value) select.value = value;
  }

  function uncategorised() {
    const box = $(CONSOLE_ID.uncategorised);
    if (!box) return;
    const rows = [...accounts.values()].filter((a) => !a.category && a.posts > 0).slice(0, SHOWN_UNCATEGORISED);
    box.replaceChildren(...rows.map((a) => {
      const li = el("li", "row");
      const main = el("div", "row__main");
      const title = el("span", "row__title", a.name || a.handle);
      title.setAttribute("dir", "auto");
      main.append(title, el("span", "row__sub", `${a.handle} · ${a.posts} post${a.posts === 1 ? "" : "s"}`));
      const pick = doc.createElement("select");
      pick.className = "row__select";
      pick.setAttribute(CONSOLE_ATTR.account, a.account);
      pick.setAttribute("aria-label", `Category of ${a.handle || a.account}`);
      fill(doc, pick, choices, "");
      pick.addEventListener("change", () => give(a.account, pick.value || null));
      li.append(main, pick);
      return li;
    }));
    if (rows.length === 0) box.replaceChildren(el("li", "rows__empty", "Every account with posts has a category."));
  }

  /** Give `account` the category `name` (null: none); say what happened or why not. */
  async function give(account, name) {
    if (!account) return;
    // The account goes in the path as is (a Mastodon id keeps its slashes), each part escaped.
    const path = account.split("/").map(encodeURIComponent).join("/");
    const r = await api.request("PUT", `${base}/accounts/${path}/category`, { category: name });
    if (!r.ok) {
      if (error) {
        error.textContent = r.detail;
        error.hidden = false;
      }
      say(`Category not given: ${r.detail}`, "error", 6000);
      follow();
      return;
    }
    if (error) error.hidden = true;
    const known = accounts.get(account) || { account, handle: r.data.handle || "", name: "", posts: 0 };
    accounts.set(account, { ...known, category: r.data.category });
    say(r.data.category ? `${known.handle || account}: ${r.data.category}.` : `${known.handle || account}: no category.`, "ok", 2500);
    paint();
    follow();
    uncategorised();
  }

  /** List the categories' keys in the help overlay, after the shortcuts. */
  function helpKeys() {
    const help = $(CONSOLE_ID.helpKeys);
    if (!help) return;
    for (const old of help.querySelectorAll("[data-category-key]")) old.remove();
    choices.slice(0, 9).forEach((c, i) => {
      const dt = el("dt", "", String(i + 1));
      const dd = el("dd", "", `Category: ${c.name}`);
      dt.setAttribute("data-category-key", "");
      dd.setAttribute("data-category-key", "");
      help.append(dt, dd);
    });
  }

  select?.addEventListener("change", () => give(current, select.value || null));

  return {
    categoryOf,
    paint,
    follow,
    /** Fetch the wall's choices and accounts; redraw. */
    async load() {
      const r = await api.request("GET", `${base}/categories`);
      if (!r.ok || !r.data) return;
      choices = Array.isArray(r.data.categories) ? r.data.categories : [];
      accounts.clear();
      for (const a of r.data.accounts || []) accounts.set(a.account, a);
      if (select) fill(doc, select, choices, categoryOf(current));
      helpKeys();
      paint();
      follow();
      uncategorised();
    },
    /** The key `digit` on the selected item: 1–9 a category in the wall's order, 0 none. */
    key(event) {
      const digit = Number(event?.key);
      if (!Number.isInteger(digit)) return;
      const account = authorKey(selectedPost());
      if (!account) {
        say("Select a post first.", "info", 2000);
        return;
      }
      if (digit === 0) give(account, null);
      else if (digit <= choices.length) give(account, choices[digit - 1].name);
      else say(`This wall has ${choices.length} categories.`, "info", 2500);
    },
  };
}
