"""The console's pure modules (queue order, filter, selection, key table) under node --test."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

JS = Path(__file__).resolve().parents[2] / "frontend" / "static" / "js"

TESTS = """
import { test } from "node:test";
import assert from "node:assert/strict";
import { Queue, matches, nextAfter, moveFrom, describeDecision, reasonParts, reasonTone, authorKey }
  from "JS/console-queue.js";
import { SHORTCUTS, commandFor } from "JS/console-keys.js";

const post = (n, extra = {}) => ({ id: `x:${n}`, source: "x", text: `post ${n}`,
  created_at: new Date(Date.UTC(2014, 4, 15, 12, n)).toISOString(),
  author: { id: String(n % 3), handle: `@user${n % 3}`, name: `User ${n % 3}` }, ...extra });
const held = (n, order, reason = null) => ({ ...post(n), moderation: { state: "pending", reason, order } });

test("load orders held posts by order key, then creation time: oldest first", () => {
  const q = new Queue();
  q.load([held(3, 7), held(1, 7), held(2, 5), held(4, 7)]);
  assert.deepEqual(q.ids(), ["x:2", "x:1", "x:3", "x:4"]);
  q.order = "newest";
  assert.deepEqual(q.ids(), ["x:4", "x:3", "x:1", "x:2"]);
});

test("posts from the feed go after loaded ones, once", () => {
  const q = new Queue();
  q.load([held(1, 1)]);
  assert.equal(q.add(post(0)), true);
  assert.equal(q.add(post(0)), false);
  assert.deepEqual(q.ids(), ["x:1", "x:0"]);
});

test("a failed action puts the post back at its place", () => {
  const q = new Queue();
  q.load([held(1, 1), held(2, 2), held(3, 3)]);
  const removed = q.remove("x:2");
  assert.deepEqual(q.ids(), ["x:1", "x:3"]);
  q.restore(removed);
  assert.deepEqual(q.ids(), ["x:1", "x:2", "x:3"]);
  assert.equal(q.remove("x:9"), null);
});

test("the filter looks in text, author and reason, every word", () => {
  const p = post(1, { text: "Great keynote on MRI" });
  assert.ok(matches(p, null, "keynote"));
  assert.ok(matches(p, null, "@USER1 mri"));
  assert.ok(matches(p, "word list: 'damn'", "damn"));
  assert.ok(!matches(p, null, "keynote ct"));
  assert.ok(matches(p, null, "   "));
});

test("after a removal the selection takes the next post, else the one above", () => {
  assert.equal(nextAfter(["a", "b", "c"], "b", ["a", "c"]), "c");
  assert.equal(nextAfter(["a", "b", "c"], "c", ["a", "b"]), "b");
  assert.equal(nextAfter(["a"], "a", []), null);
  assert.equal(nextAfter(["a", "b", "c"], "b", ["a"]), "a");
  assert.equal(nextAfter([], "z", ["a"]), "a");
});

test("moving is clamped at both ends", () => {
  assert.equal(moveFrom(["a", "b"], "a", 1), "b");
  assert.equal(moveFrom(["a", "b"], "b", 1), "b");
  assert.equal(moveFrom(["a", "b"], "a", -1), "a");
  assert.equal(moveFrom(["a", "b"], null, -1), "b");
  assert.equal(moveFrom([], null, 1), null);
});

test("words for decisions, reasons and blocks", () => {
  assert.equal(describeDecision({ action: "hide", actor: "bob" }), "hidden by bob");
  assert.equal(describeDecision({ action: "approve", actor: "al" }), "approved by al");
  assert.deepEqual(reasonParts("word list: 'x'; repost"), ["word list: 'x'", "repost"]);
  assert.deepEqual(reasonParts(null), []);
  assert.equal(reasonTone("word list: 'x'"), "danger");
  assert.equal(reasonTone("sensitive media or content warning"), "warn");
  assert.equal(reasonTone("repost"), "info");
  assert.equal(authorKey(post(4)), "x:1");
  assert.equal(authorKey({ source: "x", author: {} }), null);
});

const key = (k, extra = {}) => ({ key: k, target: null, ctrlKey: false, metaKey: false, altKey: false, ...extra });
const field = { closest: (sel) => (sel.includes("input") ? {} : null) };
const list = { closest: (sel) => (sel === "[data-list]" ? {} : null), ownerDocument: { body: {} } };
const side = { closest: () => null, ownerDocument: { body: {} } };

test("keys map to commands; modifiers and typing are left alone", () => {
  assert.equal(commandFor(key("j")), "next");
  assert.equal(commandFor(key("ArrowUp")), "prev");
  assert.equal(commandFor(key("A")), "approve");
  assert.equal(commandFor(key("?")), "help");
  assert.equal(commandFor(key("/")), "filter");
  assert.equal(commandFor(key("a", { ctrlKey: true })), null);
  assert.equal(commandFor(key("h", { target: field })), null);
  assert.equal(commandFor(key("Escape", { target: field })), "leave");
  assert.equal(commandFor(key("Tab", { target: list })), "switch");
  assert.equal(commandFor(key("Tab", { target: side })), null);
  assert.equal(commandFor(key("z")), null);
});

test("every command in the table has keys, words and a unique key", () => {
  const keys = SHORTCUTS.flatMap((s) => s.keys);
  assert.equal(new Set(keys).size, keys.length);
  for (const s of SHORTCUTS) assert.ok(s.short && s.label && s.show && s.keys.length > 0);
});
"""


def test_console_pure_modules_pass_node_tests(tmp_path: Path) -> None:
    """Queue order and restore, filter, selection after removal and the key table behave."""
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("node is not installed")
        pytest.skip("node is not installed")
    spec = tmp_path / "console.test.mjs"
    spec.write_text(TESTS.replace('"JS/', f'"{JS.as_uri()}/'), "utf-8")
    result = subprocess.run([node, "--test", str(spec)], capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
