// Pure helpers for rendering: relative times, safe URLs, initials and colours. No DOM.

const MINUTE = 60_000;

// Building an Intl formatter costs far more than using one: keep them.
const formatters = new Map();
function formatter(Kind, locale, options) {
  const key = `${Kind.name}|${locale || ""}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Kind(locale, options);
    formatters.set(key, f);
  }
  return f;
}
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Return a short relative time for the ISO instant `iso` seen at `nowMs`:
 * "now" under a minute (and for clock skew into the future), "3 min", "2 h" under a day,
 * then a date ("17 May", with the year when it is not the current one). "" for a bad date.
 */
export function relativeTime(iso, nowMs = Date.now(), locale = undefined) {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return "";
  const age = nowMs - at;
  if (age < MINUTE) return "now";
  if (age < HOUR) return `${Math.floor(age / MINUTE)} min`;
  if (age < DAY) return `${Math.floor(age / HOUR)} h`;
  const date = new Date(at);
  const sameYear = date.getUTCFullYear() === new Date(nowMs).getUTCFullYear();
  const options = sameYear
    ? { day: "numeric", month: "short" }
    : { day: "numeric", month: "short", year: "numeric" };
  return formatter(Intl.DateTimeFormat, locale, options).format(date);
}

/** Return a full, unambiguous date and time for a tooltip, or "" for a bad date. */
export function fullTime(iso, locale = undefined) {
  const at = Date.parse(iso);
  if (!Number.isFinite(at)) return "";
  return formatter(Intl.DateTimeFormat, locale, { dateStyle: "medium", timeStyle: "short" }).format(new Date(at));
}

/**
 * Return `value` as an absolute URL string if its scheme is http or https, else null.
 * Relative values resolve against `base` (same-origin bundled media); `javascript:`, `data:`,
 * `blob:` and anything unparsable give null.
 */
export function safeUrl(value, base = undefined) {
  if (typeof value !== "string" || value === "" || value.length > 4096) return null;
  let url;
  try {
    url = base === undefined ? new URL(value) : new URL(value, base);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
}

/**
 * Return `value` as an image address the page may load (its CSP takes images from itself and
 * https only): a same-origin URL as is, a plain-http one elsewhere upgraded to https, as browsers
 * upgrade mixed content; null for anything `safeUrl` refuses.
 */
export function imageUrl(value, base = undefined) {
  const href = safeUrl(value, base);
  if (href === null) return null;
  const url = new URL(href);
  const own = base !== undefined && url.origin === new URL(base).origin;
  if (url.protocol === "http:" && !own) url.protocol = "https:";
  return url.href;
}

// Direction overrides and isolates in names would reorder what is around them; the server strips
// them too, this is the belt to its braces.
const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]/g;

/** Return `value` as display text: a string without bidi controls. */
export function cleanText(value) {
  return typeof value === "string" ? value.replace(BIDI_CONTROLS, "") : "";
}

function graphemes(text) {
  if (typeof Intl !== "undefined" && Intl.Segmenter) {
    return Array.from(formatter(Intl.Segmenter, undefined, { granularity: "grapheme" }).segment(text), (s) => s.segment);
  }
  return Array.from(text);
}

/** Return one or two initials for an author (from the name, else the handle), or "?". */
export function initials(name, handle) {
  const source = cleanText(name).trim() || cleanText(handle).replace(/^@/, "").trim();
  const words = source.split(/[\s._-]+/u).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return "?";
  const first = graphemes(words[0])[0];
  const second = words.length > 1 ? graphemes(words[words.length - 1])[0] : "";
  return (first + second).toLocaleUpperCase();
}

/** Return a stable hue (0-359) for `key`, so an author keeps their colour on every screen. */
export function hueFor(key) {
  let hash = 2166136261;
  for (const ch of String(key)) {
    hash ^= ch.codePointAt(0);
    hash = Math.imul(hash, 16777619);
  }
  return Math.abs(hash) % 360;
}

const LANG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/;

/** Return `value` if it looks like a BCP 47 language tag, else null. */
export function langTag(value) {
  return typeof value === "string" && LANG.test(value) ? value : null;
}

/** Display names of the networks; an unknown source shows as itself. */
export const NETWORKS = Object.freeze({ x: "X", mastodon: "Mastodon", bluesky: "Bluesky" });

/** Return a compact count: 950, 1.2k, 12k, 3.4M. */
export function compactCount(n) {
  if (!Number.isFinite(n) || n <= 0) return "0";
  if (n < 1000) return String(Math.floor(n));
  if (n < 10_000) return `${(Math.floor(n / 100) / 10).toString()}k`;
  if (n < 1_000_000) return `${Math.floor(n / 1000)}k`;
  return `${(Math.floor(n / 100_000) / 10).toString()}M`;
}
