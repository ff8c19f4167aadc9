import { test } from "node:test";
import assert from "node:assert/strict";
import { composeText, composeUrl, joinNetworks, mastodonHost } from "../../../frontend/static/js/join.js";

test("the networks offered are those the wall follows; a replay stands in for all three", () => {
  assert.deepEqual(joinNetworks(["x", "mastodon"]), ["x", "mastodon"]);
  assert.deepEqual(joinNetworks(["replay"]), ["x", "bluesky", "mastodon"]);
  assert.deepEqual(joinNetworks(null), []);
});

test("compose intents carry the hashtags", () => {
  const text = composeText(["ASNR14", "#neurorad"]);
  assert.equal(text, "#ASNR14 #neurorad ");
  assert.equal(composeUrl("x", text), "https://x.com/intent/post?text=%23ASNR14%20%23neurorad%20");
  assert.equal(composeUrl("bluesky", "#ASNR14 "), "https://bsky.app/intent/compose?text=%23ASNR14%20");
  assert.equal(composeUrl("mastodon", "#ASNR14 ", "Mastodon.Social"), "https://mastodon.social/share?text=%23ASNR14%20");
  assert.equal(composeUrl("mastodon", "#ASNR14 ", null), null);
});

test("a Mastodon server must be a host name", () => {
  assert.equal(mastodonHost("mastodon.social"), "mastodon.social");
  assert.equal(mastodonHost(" https://fosstodon.org/ "), "fosstodon.org");
  assert.equal(mastodonHost("@me@Rad.Community"), "rad.community");
  for (const bad of ["", "localhost", "mastodon", "10.0.0.1", "evil.example/path?x", "a b.org",
    "javascript:alert(1)", "-bad.org", "x.local", "host.example:8080", null, 42]) {
    assert.equal(mastodonHost(bad), null, String(bad));
  }
});
