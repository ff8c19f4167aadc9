// Build a post card from a Post (docs/design.md, post wire format) with createElement and
// textContent only.
// Nothing from a post is ever parsed as HTML; an href is set only for http(s) URLs.

import { CARD } from "./hooks.js";
import { NETWORKS, cleanText, compactCount, fullTime, hueFor, imageUrl, initials, langTag, relativeTime, safeUrl } from "./format.js";

const LINK_REL = "noopener noreferrer nofollow";
// Every page that shows links has `<span id="new-tab-note" hidden>opens in a new tab</span>`
// (base.html): a link that opens a new tab says so to a screen reader through it.
export const NEW_TAB_NOTE = "new-tab-note";
let serial = 0;

/** Make `a` open `url` in a new tab, safely, and say so. */
export function newTabLink(a, url) {
  a.setAttribute("href", url);
  a.setAttribute("rel", LINK_REL);
  a.setAttribute("target", "_blank");
  a.setAttribute("aria-describedby", NEW_TAB_NOTE);
  return a;
}

/** Return a span read by screen readers only. */
function srOnly(text) {
  return el("span", "visually-hidden", text);
}

/** Return `text` after a symbol that screen readers skip (the words say it). */
function symbolled(cls, symbol, text) {
  const span = el("span", cls);
  const icon = el("span", "", symbol);
  icon.setAttribute("aria-hidden", "true");
  span.append(icon, document.createTextNode(` ${text}`));
  return span;
}

/** Return a new element `tag` with class `cls` and, if given, text. */
export function el(tag, cls = "", text = null) {
  const node = document.createElement(tag);
  if (cls) node.className = cls;
  if (text !== null && text !== undefined) node.textContent = cleanText(String(text));
  return node;
}

function pageBase() {
  return globalThis.location ? globalThis.location.href : undefined;
}

/**
 * Return a link to `href` around `text` when links are on and the URL is http(s); otherwise a
 * span with the same text and class (the hall screen is not clickable).
 */
function linkOrText(text, href, cls, opts) {
  const url = opts.links ? safeUrl(href) : null;
  if (url === null) return el("span", cls, text);
  return newTabLink(el("a", cls, text), url);
}

/** Return the post's text as a fragment of text nodes and spans/links, one per token. */
export function renderTokens(tokens, fallbackText, opts) {
  const frag = document.createDocumentFragment();
  const list = Array.isArray(tokens) && tokens.length > 0 ? tokens : [{ type: "text", text: fallbackText || "" }];
  for (const token of list) {
    if (!token || typeof token.text !== "string") continue;
    switch (token.type) {
      case "hashtag":
      case "mention":
      case "link":
        frag.append(linkOrText(token.text, token.href, `tok tok--${token.type}`, opts));
        break;
      default:
        frag.append(document.createTextNode(cleanText(token.text)));
    }
  }
  return frag;
}

/** Return the avatar: the image when there is a usable URL, initials behind it in any case. */
export function renderAvatar(author, cls = "avatar") {
  const box = el("span", cls);
  box.setAttribute("aria-hidden", "true");
  box.style.setProperty("--hue", String(hueFor(author.id || author.handle || "")));
  box.append(el("span", "avatar__initials", initials(author.name, author.handle)));
  const src = imageUrl(author.avatar_url, pageBase());
  if (src !== null) {
    const img = el("img", "avatar__img");
    img.setAttribute("alt", "");
    img.setAttribute("decoding", "async");
    img.setAttribute("referrerpolicy", "no-referrer");
    // A broken avatar leaves the initials showing.
    img.addEventListener("error", () => img.remove(), { once: true });
    img.setAttribute("src", src);
    box.append(img);
  }
  return box;
}

function renderTime(iso, cls = "card__time") {
  const time = el("time", cls, relativeTime(iso));
  if (typeof iso === "string") {
    time.setAttribute("datetime", iso);
    time.setAttribute(CARD.time, iso);
    time.setAttribute("title", fullTime(iso));
  }
  return time;
}

function renderAuthor(author, post, opts) {
  const who = el("div", "card__who");
  const name = linkOrText(author.name || author.handle || "", author.profile_url, "card__name", opts);
  name.setAttribute("dir", "auto");
  who.append(name);
  const sub = el("span", "card__sub");
  if (author.handle && author.handle !== author.name) {
    const handle = el("span", "card__handle", author.handle);
    handle.setAttribute("dir", "ltr");
    sub.append(handle);
  }
  // What kind of post this is, in words beside the handle (reposts and quotes keep the author's
  // own name on top; the quoted post shows inside the card).
  if (post.pinned) sub.append(symbolled("ctx ctx--pinned", "📌", "Pinned"));
  if (post.is_repost) sub.append(symbolled("ctx ctx--repost", "↻\uFE0E", "Repost"));
  else if (post.quoted) sub.append(symbolled("ctx ctx--quote", "❝\uFE0E", "Quote"));
  else if (post.in_reply_to) sub.append(symbolled("ctx ctx--reply", "↩\uFE0E", "Reply"));
  if (sub.childElementCount > 0) who.append(sub);
  return who;
}

const MEDIA_TRIES = 3;         // retries after the first failure
const MEDIA_RETRY_MS = 1000;  // then 2 s, 4 s: a broken image is gone after ~7 s

/**
 * Load `src` into `img` again after each failure (a busy media host, a flaky hall network),
 * waiting longer each time; after MEDIA_TRIES retries call `giveUp`. The attempt count is on
 * `data-media-retry`. A card that left the page stops trying.
 */
function retryImage(img, src, giveUp, tries = 0) {
  img.addEventListener("error", () => {
    if (tries >= MEDIA_TRIES) {
      giveUp();
      return;
    }
    setTimeout(() => {
      if (!img.isConnected) return;
      img.setAttribute("data-media-retry", String(tries + 1));
      retryImage(img, src, giveUp, tries + 1);
      img.removeAttribute("src");
      img.setAttribute("src", src);
    }, MEDIA_RETRY_MS * 2 ** tries);
  }, { once: true });
}

function renderMedia(media, post, opts) {
  const items = Array.isArray(media) ? media.filter((m) => m && typeof m === "object") : [];
  if (items.length === 0) return null;
  const shown = opts.hall ? items.slice(0, 1) : items.slice(0, 4);
  const box = el("div", `card__media card__media--${shown.length}`);
  for (const m of shown) {
    const src = imageUrl(m.kind === "image" ? m.preview_url || m.url : m.preview_url, pageBase());
    const figure = el("figure", `media media--${m.kind === "image" ? "image" : "video"}`);
    if (src !== null) {
      const img = el("img", "media__img");
      // An undescribed image still says what it is to a screen reader on the viewer.
      img.setAttribute("alt", cleanText(m.alt || "") || (opts.hall ? "" : "Image without a description"));
      img.setAttribute("decoding", "async");
      img.setAttribute("referrerpolicy", "no-referrer");
      if (!opts.hall) img.setAttribute("loading", "lazy");
      if (Number.isInteger(m.width) && Number.isInteger(m.height) && m.width > 0 && m.height > 0) {
        img.setAttribute("width", String(m.width));
        img.setAttribute("height", String(m.height));
      }
      // A broken image is tried again with backoff, then disappears; its card stays a text card.
      retryImage(img, src, () => {
        figure.hidden = true;
        if (Array.from(box.children).every((f) => f.hidden)) box.hidden = true;
      });
      img.setAttribute("src", src);
      figure.append(img);
    } else if (m.alt) {
      figure.append(el("figcaption", "media__alt", m.alt));
    }
    if (m.kind !== "image") figure.append(el("span", "media__kind", m.kind === "gif" ? "GIF" : "▶ Video"));
    box.append(figure);
  }
  if (items.length > shown.length) box.append(el("span", "card__more-media", `+${items.length - shown.length}`));
  if (!opts.hall && post.url) {
    // On the viewer the whole media block leads to the original post (videos play there).
    const url = safeUrl(post.url);
    if (url !== null && items.some((m) => m.kind !== "image")) {
      box.append(newTabLink(el("a", "card__media-link", "Play on the original post"), url));
    }
  }
  return box;
}

function renderQuoted(quoted, opts) {
  const box = el("blockquote", "card__quote");
  const who = (quoted.author && (quoted.author.name || quoted.author.handle)) || "";
  if (!opts.hall) box.append(srOnly(`Quoted post${who ? ` by ${cleanText(who)}` : ""}:`));
  const head = el("div", "quote__head");
  if (!opts.hall) head.setAttribute("aria-hidden", "true");
  head.append(renderAvatar(quoted.author || {}, "avatar avatar--small"));
  head.append(el("span", "quote__name", (quoted.author && (quoted.author.name || quoted.author.handle)) || ""));
  head.lastChild.setAttribute("dir", "auto");
  box.append(head);
  const text = el("p", "quote__text");
  text.setAttribute("dir", "auto");
  text.append(renderTokens(quoted.content, quoted.text, opts));
  box.append(text);
  return box;
}

/** Return a covered block: the warning's words, with the body hidden on the hall screen. */
function renderCovered(label, detail, body, opts) {
  if (opts.hall || body === null) {
    const cover = el("div", "card__cover");
    cover.append(el("span", "card__cover-icon", "⚠"));
    cover.append(el("span", "card__cover-label", label));
    if (detail) {
      const words = el("span", "card__cover-detail", detail);
      words.setAttribute("dir", "auto");
      cover.append(words);
    }
    return cover;
  }
  const details = el("details", "card__cover card__cover--details");
  const summary = el("summary", "card__cover-summary");
  summary.append(el("span", "card__cover-icon", "⚠"));
  summary.append(el("span", "card__cover-label", label));
  if (detail) {
    const words = el("span", "card__cover-detail", detail);
    words.setAttribute("dir", "auto");
    summary.append(words);
  }
  details.append(summary, body);
  return details;
}

/**
 * Return a card element for `post`. `opts.hall` renders for the hall screen (no links, covered
 * warnings, one image); otherwise links open the original in a new tab and warnings fold open.
 */
export function buildCard(post, opts = {}) {
  const o = { hall: Boolean(opts.hall), links: !opts.hall };
  const author = post.author && typeof post.author === "object" ? post.author : {};
  const card = el("article", "card");
  card.setAttribute(CARD.postId, post.id);
  const source = typeof post.source === "string" ? post.source : "";
  card.setAttribute(CARD.source, source);
  if (post.pinned) card.setAttribute(CARD.pinned, "");
  const lang = langTag(post.lang);
  if (lang) card.setAttribute("lang", lang);
  const networkName = NETWORKS[source] || source || "an unknown network";
  const ids = { label: "", text: "", time: "" };
  if (!o.hall) {
    card.setAttribute("tabindex", "0");
    // The feed's articles (ARIA feed pattern) are named by a heading that says who posted,
    // where, when and what kind of post it is, and described by the post's text; screen
    // readers reach them by heading too.
    serial += 1;
    ids.label = `post-${serial}-label`;
    ids.text = `post-${serial}-text`;
    ids.time = `post-${serial}-time`;
    card.setAttribute("aria-labelledby", ids.label);
    card.setAttribute("aria-describedby", `${ids.time} ${ids.text}`);
    const kind = post.is_repost ? "Repost" : post.quoted ? "Quote" : post.in_reply_to ? "Reply" : "Post";
    const heading = el("h2", "visually-hidden",
      `${kind} by ${cleanText(author.name || author.handle || "someone")} on ${networkName}${post.pinned ? ", pinned" : ""}`);
    heading.id = ids.label;
    card.append(heading);
  }

  const head = el("header", "card__head");
  head.append(renderAvatar(author));
  head.append(renderAuthor(author, post, o));
  const meta = el("div", "card__meta");
  const network = el("span", `network network--${source}`);
  network.setAttribute("title", `Posted on ${networkName}`);
  if (!o.hall) network.append(srOnly("Posted on "));
  network.append(document.createTextNode(NETWORKS[source] || source));
  meta.append(network);
  const also = alsoOn(post, source);
  if (also.length > 0) {
    // A cross-post shown once: its other networks, small, under the first.
    const others = el("span", "network-also", `also ${also.map((a) => NETWORKS[a.source] || a.source).join(", ")}`);
    meta.append(others);
  }
  const time = renderTime(post.created_at);
  if (ids.time) time.id = ids.time;
  meta.append(time);
  head.append(meta);
  card.append(head);

  const text = el("p", "card__text");
  if (ids.text) text.id = ids.text;
  text.setAttribute(CARD.text, "");
  text.setAttribute("dir", "auto");
  if (lang) text.setAttribute("lang", lang);
  text.append(renderTokens(post.content, post.text, o));
  const textLength = typeof post.text === "string" ? post.text.length : 0;
  if (textLength > 200) card.classList.add("card--long");

  const body = el("div", "card__body");
  body.append(text);
  if (post.quoted && typeof post.quoted === "object") body.append(renderQuoted(post.quoted, o));
  const media = renderMedia(post.media, post, o);

  if (post.content_warning) {
    // Behind a warning the post is described by the warning, not by its words.
    if (ids.time) card.setAttribute("aria-describedby", ids.time);
    if (!o.hall) card.querySelector(`[id="${ids.label}"]`)?.append(`, content warning: ${cleanText(post.content_warning)}`);
    const inner = o.hall ? null : body;
    if (!o.hall && media) body.append(media);
    card.append(renderCovered("Content warning", post.content_warning, inner, o));
    card.classList.add("card--covered");
  } else {
    card.append(body);
    if (media) {
      card.classList.add("card--media");
      if (post.sensitive) card.append(renderCovered("Sensitive media", "", o.hall ? null : media, o));
      else card.append(media);
    }
  }

  if (!o.hall) {
    const foot = el("footer", "card__foot");
    const m = post.metrics && typeof post.metrics === "object" ? post.metrics : {};
    const stats = el("span", "card__stats");
    // The symbols are for the eye; a screen reader hears "3 likes, 1 repost, 0 replies".
    for (const [symbol, n, one, many] of [["♥\uFE0E", m.likes, "like", "likes"],
      ["↻\uFE0E", m.reposts, "repost", "reposts"], ["💬", m.replies, "reply", "replies"]]) {
      const stat = el("span", "stat");
      const icon = el("span", "", symbol);
      icon.setAttribute("aria-hidden", "true");
      const count = compactCount(n);
      stat.append(icon, document.createTextNode(` ${count}`), srOnly(` ${count === "1" ? one : many}`));
      stats.append(stat);
    }
    foot.append(stats);
    const url = safeUrl(post.url);
    if (url !== null) foot.append(newTabLink(el("a", "card__original", `Open on ${NETWORKS[source] || "the original site"}`), url));
    for (const a of alsoOn(post, source)) {
      const href = safeUrl(a.url);
      if (href === null) continue;
      foot.append(newTabLink(el("a", "card__also", `Also on ${NETWORKS[a.source] || a.source}`), href));
    }
    card.append(foot);
  }
  return card;
}

/** Return the post's copies on other networks than `source`, one per network. */
function alsoOn(post, source) {
  const seen = new Set([source]);
  const out = [];
  for (const a of Array.isArray(post.also_on) ? post.also_on : []) {
    if (!a || typeof a.source !== "string" || seen.has(a.source)) continue;
    seen.add(a.source);
    out.push(a);
  }
  return out;
}

/** Re-render every relative time under `root` for `nowMs`. */
export function refreshTimes(root, nowMs = Date.now()) {
  for (const time of root.querySelectorAll(`time[${CARD.time}]`)) {
    const text = relativeTime(time.getAttribute(CARD.time), nowMs);
    if (time.textContent !== text) time.textContent = text;
  }
}
