"""The belonging rule (app/programme/belongs.py) as a table, in Python and in the browser's
module (frontend/static/js/programme.js) under node: both must agree on every row."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from app.programme import Session, belongs, compile_session, post_keys, sessions_of
from app.programme.entries import speaker

HERE = Path(__file__).parent
TABLE = json.loads((HERE / "belongs_cases.json").read_text(encoding="utf-8"))
ROOT = HERE.parent.parent


def _session(raw: dict[str, Any]) -> Session:
    return Session(key="s", title=raw["title"], room=raw["room"],
                   start=datetime.fromisoformat(raw["start"]),
                   end=datetime.fromisoformat(raw["end"]),
                   speakers=tuple(s for s in (speaker(p["name"], p["handles"].items())
                                              for p in raw["speakers"]) if s is not None),
                   hashtags=tuple(raw["hashtags"]))


SESSION = _session(TABLE["session"])


def _match(title_match: bool) -> Any:
    return compile_session(SESSION, title_match=title_match, wall_tags=TABLE["wall_tags"])


@pytest.mark.parametrize("case", TABLE["cases"], ids=[c["name"] for c in TABLE["cases"]])
def test_the_rule_answers_each_row_of_the_table(case: dict[str, Any]) -> None:
    """Each row: a post inside or outside the window, by hashtag, speaker, title word."""
    keys = post_keys(case["post"])
    assert keys is not None
    assert belongs(keys, _match(case["title_match"])) is case["belongs"]


def test_a_post_may_belong_to_several_sessions() -> None:
    """Two parallel sessions sharing a hashtag both count the post; a third later does not."""
    later = compile_session(Session("c", "Later", "Hall 210", SESSION.start + timedelta(days=1),
                                    SESSION.end + timedelta(days=1), hashtags=("StrokeImaging",)))
    side = compile_session(Session("b", "Side room", "Room 517", SESSION.start, SESSION.end,
                                   hashtags=("strokeimaging",)))
    post = TABLE["cases"][0]["post"]
    assert sessions_of(post, [_match(False), side, later]) == [0, 1]


def test_the_margin_is_the_walls() -> None:
    """With a 0-minute margin a post one minute after the end no longer belongs."""
    post = {**TABLE["cases"][0]["post"], "created_at": "2014-05-17T16:01:00Z"}
    keys = post_keys(post)
    assert keys is not None
    assert belongs(keys, compile_session(SESSION, margin=timedelta(minutes=5)))
    assert not belongs(keys, compile_session(SESSION, margin=timedelta(0)))


def test_moderators_handles_join_the_programmes() -> None:
    """A handle a moderator gave a speaker makes that speaker's mentions count."""
    post = {"source": "x", "created_at": "2014-05-17T13:00:00Z", "text": "@ines_x yes",
            "author": {"handle": "@a"}, "content": [{"type": "mention", "text": "@ines_x"}]}
    keys = post_keys(post)
    assert keys is not None
    assert not belongs(keys, compile_session(SESSION))
    assert belongs(keys, compile_session(SESSION, extra_handles={
        "ines fallows": [("x", "ines_x")]}))


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_browser_module_agrees_with_the_rule(tmp_path: Path) -> None:
    """programme.js gives every row of the table the same answer, from the match the API
    sends (Match.wire()); the same node run pins the Pacer's priority for the session's
    posts (they wait first, a burst skips the others first)."""
    rows = [{"name": c["name"], "post": c["post"], "belongs": c["belongs"],
             "match": _match(c["title_match"]).wire()} for c in TABLE["cases"]]
    table = tmp_path / "rows.json"
    table.write_text(json.dumps(rows), encoding="utf-8")
    done = subprocess.run(["node", "--test", str(HERE / "belongs.test.mjs")], cwd=ROOT,
                          env={**os.environ, "BELONGS_ROWS": str(table)},
                          capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
