// A wall's branding on the page: its colours as custom properties (set through the CSSOM, which
// the CSP allows), its logo, the QR code and the address where people join. Elements carry
// data-brand="logo" | "qr" | "join"; a page without them is left alone.

import { cleanText, safeUrl } from "./format.js";

const HEX = /^#[0-9a-fA-F]{6}$/;
const COLOURS = [["background", "--brand-bg"], ["text", "--brand-text"], ["accent", "--brand-accent"]];

function setImage(img, url, alt) {
  if (url === null) {
    img.hidden = true;
    img.removeAttribute("src");
    return;
  }
  if (img.getAttribute("alt") !== alt) img.setAttribute("alt", alt);
  if (img.src !== url) img.setAttribute("src", url);
  img.hidden = false;
}

/** Return the address shown under the QR code: the join URL without its scheme. */
export function joinText(url) {
  return cleanText(url).replace(/^https?:\/\//, "").replace(/\/$/, "");
}

/** Apply `wall` (the public settings of a snapshot or `wall` event) to `doc`. */
export function applyBrand(doc, wall, loc = globalThis.location) {
  const body = doc.body;
  const c = wall.colours && typeof wall.colours === "object" ? wall.colours : null;
  if (c && COLOURS.every(([key]) => typeof c[key] === "string" && HEX.test(c[key]))) {
    for (const [key, prop] of COLOURS) body.style.setProperty(prop, c[key]);
    body.setAttribute("data-branded", "");
  } else {
    for (const [, prop] of COLOURS) body.style.removeProperty(prop);
    body.removeAttribute("data-branded");
  }
  const base = loc ? loc.href : undefined;
  const title = cleanText(typeof wall.title === "string" ? wall.title : "");
  const join = safeUrl(wall.join_url, base) || (loc && wall.slug ? `${loc.origin}/walls/${encodeURIComponent(wall.slug)}/live` : null);
  for (const img of doc.querySelectorAll("img[data-brand='logo']")) {
    setImage(img, safeUrl(wall.logo_url, base), title ? `${title} logo` : "Logo");
  }
  for (const img of doc.querySelectorAll("img[data-brand='qr']")) {
    setImage(img, safeUrl(wall.qr_url, base), join ? `QR code: join at ${joinText(join)}` : "QR code to join");
  }
  for (const el of doc.querySelectorAll("[data-brand='join']")) {
    const text = join ? joinText(join) : "";
    if (el.textContent !== text) el.textContent = text;
  }
}
