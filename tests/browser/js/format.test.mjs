import { test } from "node:test";
import assert from "node:assert/strict";
import { cleanText, compactCount, hueFor, imageUrl, initials, langTag, relativeTime, safeUrl } from "../../../frontend/static/js/format.js";

const NOW = Date.parse("2026-05-20T12:00:00Z");

test("relative times: now, minutes, hours, then a date", () => {
  assert.equal(relativeTime("2026-05-20T11:59:30Z", NOW), "now");
  assert.equal(relativeTime("2026-05-20T12:00:30Z", NOW), "now", "clock skew into the future");
  assert.equal(relativeTime("2026-05-20T11:57:00Z", NOW), "3 min");
  assert.equal(relativeTime("2026-05-20T10:00:00Z", NOW), "2 h");
  assert.equal(relativeTime("2026-05-17T10:00:00Z", NOW, "en-GB"), "17 May");
  assert.equal(relativeTime("2014-05-17T10:00:00Z", NOW, "en-GB"), "17 May 2014");
  assert.equal(relativeTime("not a date", NOW), "");
});

test("only http and https URLs survive", () => {
  assert.equal(safeUrl("https://example.org/a?b#c"), "https://example.org/a?b#c");
  assert.equal(safeUrl("http://example.org/"), "http://example.org/");
  for (const bad of ["javascript:alert(1)", " javascript:alert(1)", "JaVaScRiPt:alert(1)",
    "data:text/html,<b>", "vbscript:x", "blob:https://a/b", "//evil.example", "/relative", "", null, 42]) {
    assert.equal(safeUrl(bad), null, String(bad));
  }
  assert.equal(safeUrl("/demo-media/a.svg", "http://wall.test/walls/x"), "http://wall.test/demo-media/a.svg");
  assert.equal(safeUrl("javascript:alert(1)", "http://wall.test/"), null);
});

test("bidi controls are removed from display text", () => {
  assert.equal(cleanText("Evil \u202egnp.exe"), "Evil gnp.exe");
  assert.equal(cleanText("שלום"), "שלום");
  assert.equal(cleanText(undefined), "");
});

test("initials from the name, else the handle; emoji stay whole", () => {
  assert.equal(initials("Priya Raman", "@p"), "PR");
  assert.equal(initials("Cher", "@cher"), "C");
  assert.equal(initials("", "@jun.tanaka"), "JT");
  assert.equal(initials("سارة الحسن", "@s"), "سا");
  assert.equal(initials("👩‍⚕️ Ada", "@ada"), "A");
  assert.equal(initials("", ""), "?");
});

test("hues are stable and in range; languages are checked; counts are compact", () => {
  assert.equal(hueFor("abc"), hueFor("abc"));
  assert.ok(hueFor("abc") >= 0 && hueFor("abc") < 360);
  assert.equal(langTag("pt-BR"), "pt-BR");
  assert.equal(langTag('en" onload="x'), null);
  assert.equal(compactCount(950), "950");
  assert.equal(compactCount(1234), "1.2k");
  assert.equal(compactCount(56_789), "56k");
  assert.equal(compactCount(undefined), "0");
});

test("images load over https, or from the page itself", () => {
  const base = "http://localhost:8000/walls/asnr14";
  assert.equal(imageUrl("http://a.example/avatar.png", base), "https://a.example/avatar.png");
  assert.equal(imageUrl("https://a.example/p.png", base), "https://a.example/p.png");
  assert.equal(imageUrl("/demo-media/photo.svg", base), "http://localhost:8000/demo-media/photo.svg");
  assert.equal(imageUrl("javascript:alert(1)", base), null);
  assert.equal(imageUrl("data:image/png;base64,AAAA", base), null);
});
